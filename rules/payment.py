"""After the decision: what the party owes, what it paid, the 加处罚款, and the court's window.

Pure functions of the case as recorded and a date (domain.md §3.4):

* service takes effect on the day of service, or — 公告送达 — 30 days after posting
  (民事诉讼法 Art. 95); every period that runs from service runs from that day;
* the fine and confiscation (罚没款) are due 15 days after service (行政处罚法 Art. 67 ¶3), or
  on the dates of an approved 延期/分期 schedule (Art. 66 ¶2);
* 加处罚款: from the day after the due date, 3% of the fine (罚款数额) a day, never more than
  the fine (Art. 72 ¶1(一); 行政强制法 Art. 45 ¶2); not counted while an approved deferral
  runs, nor while 行政复议 or 行政诉讼 is pending (Art. 73 ¶3); it stops when the fine is paid;
* payments go to the fine and confiscation first, then to the surcharge; the case is paid in
  full when nothing is owed;
* court enforcement (行政强制法 Art. 53): within 3 months after the periods for 行政复议
  (60 days, 行政复议法 Art. 20) and 行政诉讼 (6 months, 行政诉讼法 Art. 46) ran out — for a
  财政收支 audit decision, the 60 days of a ruling (审计法实施条例 Art. 52) — counted from the
  end of an approved deferral (行政处罚法 Art. 72 ¶2), after a 催告书 served 10 working days
  before (行政强制法 Arts. 54, 69).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from states.vocabulary import MONEY_KINDS

if TYPE_CHECKING:
    from rules.model import Case
    from rules.policy import Policy

PUBLIC_NOTICE_DAYS = 30  # 民事诉讼法 Art. 95: 自发出公告之日起，经过三十日，即视为送达
PAYMENT_DAYS = 15  # 行政处罚法 Art. 67 ¶3
SURCHARGE_RATE = Decimal("0.03")  # 行政处罚法 Art. 72 ¶1(一)
REVIEW_DAYS = 60  # 行政复议法 Art. 20; 审计法实施条例 Art. 52 (裁决)
LITIGATION_MONTHS = 6  # 行政诉讼法 Art. 46
AFTER_REVIEW_DAYS = 15  # 行政诉讼法 Art. 45: 不服复议决定 … 十五日内向人民法院提起诉讼
CENT = Decimal("0.01")
#: a remedy whose result leaves the decision standing
STANDING = ("upheld", "dismissed", "withdrawn")


def money(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _d(text: Any) -> date | None:
    return date.fromisoformat(str(text)) if text else None


def service_effective(record: Mapping[str, Any]) -> date:
    """The day a served document took effect: 公告送达 30 days after posting (民事诉讼法 Art. 95)."""
    served = date.fromisoformat(str(record["on"]))
    if record.get("method") == "public_notice":
        return served + timedelta(days=PUBLIC_NOTICE_DAYS)
    return served


def principal(draft: Mapping[str, Any] | None) -> Decimal:
    """罚没款 the decision orders paid: the fine and the confiscated illegal gains."""
    if not draft:
        return Decimal(0)
    kinds = draft.get("penalty_kinds") or []
    return sum((money(draft.get(key)) for kind, key in MONEY_KINDS.items() if kind in kinds),
               Decimal(0))  # fmt: skip


def fine(draft: Mapping[str, Any] | None) -> Decimal:
    """The 罚款 itself: the surcharge is counted on it (Art. 72)."""
    if not draft or "fine" not in (draft.get("penalty_kinds") or []):
        return Decimal(0)
    return money(draft.get("amount"))


def decided_draft(case: Case) -> Mapping[str, Any]:
    return (case.decision or {}).get("draft") or {}


def payment_due_date(case: Case) -> date | None:
    """The day service took effect, from which the 15 days to pay run (None: nothing to pay)."""
    if not case.service or principal(decided_draft(case)) <= 0:
        return None
    return service_effective(case.service)


def due_date(case: Case, policy: Policy) -> date | None:
    """The last day to pay without surcharge: 15 days after service, or the last instalment."""
    if case.deferral:
        return deferral_end(case)
    return decided_due_date(case, policy)


def decided_due_date(case: Case, policy: Policy) -> date | None:
    """The 15th day after service took effect (Art. 67 ¶3), whatever was deferred since: the
    surcharge runs from the day after it, except the days a deferral covers."""
    start = payment_due_date(case)
    if start is None:
        return None
    return policy.calendar.add_calendar_days(start, PAYMENT_DAYS).day


def deferral_end(case: Case) -> date | None:
    if not case.deferral:
        return None
    return max(date.fromisoformat(i["due"]) for i in case.deferral["schedule"])


def paid(case: Case, until: date | None = None) -> Decimal:
    return sum((money(p["amount"]) for p in case.payments
                if until is None or date.fromisoformat(p["on"]) <= until), Decimal(0))  # fmt: skip


def _principal_paid_on(case: Case) -> date | None:
    owed = principal(decided_draft(case))
    total = Decimal(0)
    for p in case.payments:
        total += money(p["amount"])
        if total >= owed:
            return date.fromisoformat(p["on"])
    return None


def _pending_remedy_days(case: Case) -> Iterator[tuple[date, date | None]]:
    """(filed, concluded) for each 行政复议/行政诉讼 (Art. 73 ¶3)."""
    filed: dict[str, date] = {}
    for r in case.remedies:
        on = date.fromisoformat(r["on"])
        if r["stage"] == "filed":
            filed[r["kind"]] = on
        elif r["kind"] in filed:
            yield filed.pop(r["kind"]), on
    for start in filed.values():
        yield start, None


def _excluded(day: date, case: Case) -> bool:
    """A day not counted for the surcharge: a deferral runs, or a remedy is pending."""
    if case.deferral and date.fromisoformat(case.deferral["on"]) <= day <= (deferral_end(case) or day):
        return True
    return any(start <= day and (end is None or day <= end)
               for start, end in _pending_remedy_days(case))  # fmt: skip


def surcharge_days(case: Case, policy: Policy, as_of: date) -> int:
    """Days of 加处罚款 from the day after the due date until the fine is paid or `as_of`. A
    deferral granted after the due date does not undo what had accrued: it stops the count
    from the day it was granted to its last instalment (`_excluded`), and the schedule it
    approved covers the surcharge owed then."""
    due = decided_due_date(case, policy)
    if due is None or fine(decided_draft(case)) <= 0 or revoked(case):
        return 0
    end = min(d for d in (as_of, _principal_paid_on(case)) if d is not None)
    days, day = 0, due + timedelta(days=1)
    while day <= end:
        if not _excluded(day, case):
            days += 1
        day += timedelta(days=1)
    return days


def surcharge(case: Case, policy: Policy, as_of: date) -> Decimal:
    """加处罚款: 3% of the fine a day, capped at the fine (行政处罚法 Art. 72 ¶1(一))."""
    amount = fine(decided_draft(case))
    accrued = amount * SURCHARGE_RATE * surcharge_days(case, policy, as_of)
    return min(amount, accrued).quantize(CENT)


def revoked(case: Case) -> bool:
    """The decision was revoked or annulled (by the agency or on 复议/诉讼): nothing is owed."""
    kind = ((case.decision or {}).get("revoked") or {}).get("kind")
    return kind in ("revoked", "confirmed_void")


@dataclass(frozen=True)
class Account:
    """What the party owes on a day: 罚没款, 加处罚款, paid, outstanding."""

    principal: Decimal
    surcharge: Decimal
    paid: Decimal
    surcharge_days: int

    @property
    def owed(self) -> Decimal:
        return self.principal + self.surcharge

    @property
    def outstanding(self) -> Decimal:
        return max(Decimal(0), self.owed - self.paid)

    def as_dict(self) -> dict[str, str | int]:
        return {"principal": str(self.principal), "surcharge": str(self.surcharge),
                "surcharge_days": self.surcharge_days, "paid": str(self.paid),
                "outstanding": str(self.outstanding)}  # fmt: skip


def account(case: Case, policy: Policy, as_of: date) -> Account:
    owed = Decimal(0) if revoked(case) else principal(decided_draft(case))
    return Account(owed, surcharge(case, policy, as_of), paid(case, as_of),
                   surcharge_days(case, policy, as_of))  # fmt: skip


def paid_in_full_on(case: Case, policy: Policy) -> date | None:
    """The day the last amount owed was paid (None while anything is outstanding)."""
    if not case.payments:
        return None
    last = date.fromisoformat(case.payments[-1]["on"])
    return last if account(case, policy, last).outstanding == 0 else None


def remedy_pending(case: Case) -> bool:
    return any(end is None for _start, end in _pending_remedy_days(case))


def _remedy_periods_end(case: Case, policy: Policy) -> date | None:
    """When the party's periods for 复议 and 诉讼 (or 裁决) ran out without a remedy."""
    if not case.service:
        return None
    effective = service_effective(case.service)
    cal = policy.calendar
    if ((decided_draft(case)).get("audit_subject")) == "fiscal":
        return cal.add_calendar_days(effective, REVIEW_DAYS).day
    review = cal.add_calendar_days(effective, REVIEW_DAYS).day
    return max(review, cal.add_months(effective, LITIGATION_MONTHS).day)


def enforcement_window_start(case: Case, policy: Policy) -> date | None:
    """行政强制法 Art. 53: the day from which the 3 months to apply to the court run.

    After the remedy periods ran out; after an approved deferral ended (行政处罚法 Art. 72 ¶2);
    after a 行政复议 that left the decision standing, once its 15 days to sue ran out
    (行政诉讼法 Art. 45). None while a remedy is pending or nothing is owed.
    """
    if not case.service or principal(decided_draft(case)) <= 0 or revoked(case):
        return None
    if remedy_pending(case):
        return None
    end = _remedy_periods_end(case, policy)
    assert end is not None
    concluded = [r for r in case.remedies if r["stage"] == "concluded"]
    for r in concluded:
        if r.get("result") not in STANDING:
            return None
        after = date.fromisoformat(r["on"])
        if r["kind"] == "reconsideration":
            after = policy.calendar.add_calendar_days(after, AFTER_REVIEW_DAYS).day
        end = max(end, after)
    ended = deferral_end(case)
    if ended is not None:
        end = max(end, ended)
    return end
