"""The figures one case contributes to the annual statistics (执法统计年报, 118号（六）).

Computed from the case as recorded and kept as columns of its row, so the annual report is
one SQL aggregation over the cases table, not a walk through every history.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from rules.deadlines import Deadline, case_runs, judged
from rules.drafts import imposes_penalty
from rules.model import Case
from rules.payment import account, principal
from rules.policy import Policy
from rules.review import heard
from states.definition import Procedure

#: The columns (name, SQL type kind) the store keeps per case.
FIGURES = ("decided_on", "outcome", "fine_cents", "collected_cents", "outstanding_cents",
           "served_on", "closed_on", "heard", "review_rounds", "review_returns", "supplements",
           "first_pass", "deadlines_met", "deadlines_missed", "published_on",
           "violation_key")  # fmt: skip


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def violation_key(case: Case) -> str | None:
    """同一个违法行为 (行政处罚法 Art. 29): the same party, power item and violation date."""
    party = case.party.get("id") or case.party.get("name")
    details = case.details
    if not party or not details.get("violation_on"):
        return None
    return f"{party}|{details.get('power') or ''}|{details['violation_on']}"


def _day(text: Any) -> date | None:
    return date.fromisoformat(str(text)) if text else None


def case_figures(case: Case, policy: Policy, proc: Procedure,
                 runs: list[Deadline] | None = None) -> dict[str, Any]:  # fmt: skip
    """Dates of the stages, the outcome and amounts (imposed, collected, outstanding), review
    and hearing counts, and the deadlines met or missed as of the case's last act (from
    recorded dates only). `runs`: the case's deadline runs (`case_runs`) when already computed."""
    decision = case.decision or {}
    draft = decision.get("draft") or {}
    review = case.review
    rounds = int(review.get("rounds", 0))
    returns = int(review.get("rejections", 0))
    supplements = int(review.get("supplements", 0))
    as_of = _day(case.last_on)
    if as_of is None:
        deadlines: list[Deadline] = []
    else:
        deadlines = judged(case_runs(case, policy, proc.deadlines) if runs is None else runs, as_of)
    money = account(case, policy, as_of) if decision and as_of else None
    return {
        "decided_on": _day(decision.get("on")),
        "outcome": draft.get("outcome") if decision else None,
        "fine_cents": cents(principal(draft)) if imposes_penalty(draft) else 0,
        "collected_cents": cents(money.paid) if money else 0,
        "outstanding_cents": cents(money.outstanding) if money else 0,
        "served_on": _day((case.service or {}).get("on")),
        "closed_on": _day((case.closed or case.withdrawn or {}).get("on")),
        "heard": heard(case),
        "review_rounds": rounds,
        "review_returns": returns,
        "supplements": supplements,
        "first_pass": bool(review.get("approved_hash"))
        and rounds == 1
        and not returns
        and not supplements,
        "deadlines_met": sum(1 for d in deadlines if d.kind == "obligation" and d.status == "met"),
        "deadlines_missed": sum(
            1 for d in deadlines if d.kind == "obligation" and d.status == "overdue"
        ),
        "published_on": _day((case.details.get("publication") or {}).get("on")),
        "violation_key": violation_key(case),
    }
