"""After the decision: what is owed, the 加处罚款, and the court's window — pure rules.

行政处罚法 Arts. 66, 67, 72, 73; 行政强制法 Arts. 45, 53; 民事诉讼法 Art. 95. Dates on the
2026 calendar (劳动节 1–5 May, 国庆 1–7 Oct).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rules.model import Case
from rules.payment import (
    account,
    due_date,
    enforcement_window_start,
    service_effective,
    surcharge,
    surcharge_days,
)
from rules.policy import Policy

POLICY = Policy()
FINE = {"outcome": "penalty", "penalty_kinds": ["warning", "fine"], "amount": "10000.00"}


def served(draft: dict[str, Any] = FINE, on: str = "2026-04-02", method: str = "direct",
           **kw: Any) -> Case:  # fmt: skip
    return Case(id="P-2026-0001", procedure="penalty", state="service",
                decision={"seq": 10, "on": "2026-04-01", "draft": draft},
                service={"seq": 11, "on": on, "method": method}, **kw)  # fmt: skip


def test_payment_is_due_fifteen_days_after_service() -> None:
    """行政处罚法 Art. 67 ¶3: 15 days from receipt; 17 Apr is a Friday."""
    assert due_date(served(), POLICY) == date(2026, 4, 17)


def test_public_notice_counts_as_served_thirty_days_after_posting() -> None:
    """民事诉讼法 Art. 95: every period from service runs from the deemed day of service."""
    posted = served(method="public_notice")
    assert service_effective(posted.service or {}) == date(2026, 5, 2)
    assert due_date(posted, POLICY) == date(2026, 5, 18)  # 17 May a Sunday


def test_the_surcharge_is_three_percent_a_day_from_the_day_after_the_due_date() -> None:
    """行政处罚法 Art. 72 ¶1(一): 每日按罚款数额的百分之三加处罚款."""
    case = served()
    assert surcharge(case, POLICY, date(2026, 4, 17)) == 0  # the last day to pay
    assert surcharge_days(case, POLICY, date(2026, 4, 18)) == 1
    assert surcharge(case, POLICY, date(2026, 4, 18)) == Decimal("300.00")
    assert surcharge(case, POLICY, date(2026, 4, 27)) == Decimal("3000.00")


def test_the_surcharge_never_exceeds_the_fine() -> None:
    """Art. 72 ¶1(一): 加处罚款的数额不得超出罚款的数额 (reached after 34 days at 3%)."""
    case = served()
    assert surcharge(case, POLICY, date(2026, 5, 20)) == Decimal("9900.00")  # 33 days
    assert surcharge(case, POLICY, date(2026, 5, 21)) == Decimal("10000.00")
    assert surcharge(case, POLICY, date(2027, 4, 1)) == Decimal("10000.00")


def test_the_surcharge_stops_when_the_fine_is_paid_in_full() -> None:
    case = served(payments=[{"seq": 12, "on": "2026-04-20", "amount": "10000.00"}])
    assert surcharge_days(case, POLICY, date(2026, 6, 1)) == 3  # 18, 19, 20 April
    owed = account(case, POLICY, date(2026, 6, 1))
    assert (owed.surcharge, owed.outstanding) == (Decimal("900.00"), Decimal("900.00"))


def test_a_fine_counts_as_paid_only_when_paid_in_full() -> None:
    """Payment is met only when the whole fine is paid (domain.md §3.4)."""
    part = served(payments=[{"seq": 12, "on": "2026-04-10", "amount": "4000.00"}])
    assert account(part, POLICY, date(2026, 4, 10)).outstanding == Decimal("6000.00")
    whole = served(payments=[{"seq": 12, "on": "2026-04-10", "amount": "4000.00"},
                             {"seq": 13, "on": "2026-04-16", "amount": "6000.00"}])  # fmt: skip
    assert account(whole, POLICY, date(2026, 4, 30)).outstanding == 0


def test_no_surcharge_while_an_approved_deferral_runs() -> None:
    """Art. 66 ¶2, Art. 73 ¶3: 延期/分期 approved: due on the schedule, no surcharge meanwhile."""
    deferred = served(deferral={"seq": 12, "on": "2026-04-10", "schedule": [
        {"due": "2026-05-29", "amount": "5000.00"}, {"due": "2026-06-30", "amount": "5000.00"}]})  # fmt: skip
    assert due_date(deferred, POLICY) == date(2026, 6, 30)
    assert surcharge(deferred, POLICY, date(2026, 6, 30)) == 0
    assert surcharge_days(deferred, POLICY, date(2026, 7, 2)) == 2


def test_no_surcharge_counted_while_reconsideration_or_litigation_is_pending() -> None:
    """行政处罚法 Art. 73 ¶3: 加处罚款的数额在行政复议或者行政诉讼期间不予计算."""
    pending = served(remedies=[{"seq": 12, "on": "2026-04-20", "kind": "reconsideration",
                                "stage": "filed"}])  # fmt: skip
    assert surcharge_days(pending, POLICY, date(2026, 6, 1)) == 2  # 18, 19 April only
    decided = served(remedies=[
        {"seq": 12, "on": "2026-04-20", "kind": "reconsideration", "stage": "filed"},
        {"seq": 13, "on": "2026-05-20", "kind": "reconsideration", "stage": "concluded",
         "result": "upheld"}])  # fmt: skip
    assert surcharge_days(decided, POLICY, date(2026, 5, 22)) == 2 + 2  # and 21, 22 May


def test_a_revoked_decision_owes_nothing() -> None:
    revoked = served()
    assert revoked.decision is not None
    revoked.decision["revoked"] = {"kind": "revoked", "on": "2026-05-01"}
    assert account(revoked, POLICY, date(2026, 6, 1)).outstanding == 0


def test_the_court_window_opens_when_the_remedy_periods_have_run() -> None:
    """行政强制法 Art. 53; 行政诉讼法 Art. 46 (6 months); 审计法实施条例 Art. 52 (60 days)."""
    assert enforcement_window_start(served(), POLICY) == date(2026, 10, 8)  # 2 Oct, 国庆 → 8 Oct
    fiscal = served({**FINE, "audit_subject": "fiscal"})
    assert enforcement_window_start(fiscal, POLICY) == date(2026, 6, 1)  # 60 days, 31 May a Sunday
    pending = served(remedies=[{"seq": 12, "on": "2026-04-20", "kind": "litigation",
                                "stage": "filed"}])  # fmt: skip
    assert enforcement_window_start(pending, POLICY) is None
    deferred = served(deferral={"seq": 12, "on": "2026-04-10",
                                "schedule": [{"due": "2026-12-31", "amount": "10000.00"}]})  # fmt: skip
    assert enforcement_window_start(deferred, POLICY) == date(2026, 12, 31)  # Art. 72 ¶2


@st.composite
def histories(draw: st.DrawFn) -> Case:
    amount = draw(st.integers(1, 500_000))
    start = date(2026, 1, 5) + timedelta(days=draw(st.integers(0, 300)))
    payments = [
        {"seq": 20 + i, "on": (start + timedelta(days=d)).isoformat(), "amount": f"{a}.00"}
        for i, (d, a) in enumerate(sorted(draw(st.lists(
            st.tuples(st.integers(0, 200), st.integers(1, amount)), max_size=4))))
    ]  # fmt: skip
    remedies = []
    if draw(st.booleans()):
        filed = start + timedelta(days=draw(st.integers(0, 60)))
        remedies.append({"seq": 12, "on": filed.isoformat(), "kind": "reconsideration", "stage": "filed"})
        if draw(st.booleans()):
            remedies.append({"seq": 13, "on": (filed + timedelta(days=draw(st.integers(0, 90)))).isoformat(),
                             "kind": "reconsideration", "stage": "concluded", "result": "upheld"})  # fmt: skip
    draft = {**FINE, "amount": f"{amount}.00"}
    return served(draft, on=start.isoformat(), payments=payments, remedies=remedies)


@given(histories(), st.integers(0, 900))
def test_the_surcharge_is_never_more_than_the_fine_and_never_falls(case: Case, later: int) -> None:
    """Property: 0 ≤ 加处罚款 ≤ 罚款, and it never decreases as days pass (Art. 72)."""
    amount = Decimal(case.decision["draft"]["amount"])  # type: ignore[index]
    day = date.fromisoformat(case.service["on"]) + timedelta(days=later)  # type: ignore[index]
    now, next_day = surcharge(case, POLICY, day), surcharge(case, POLICY, day + timedelta(days=1))
    assert 0 <= now <= amount
    assert now <= next_day <= amount


def test_a_deferral_granted_late_keeps_the_surcharge_already_owed() -> None:
    """Art. 66 ¶2 defers what is owed; it does not waive the 加处罚款 of Art. 72 that had run
    from 18 April until the day of approval (audit: it was wiped, and the approved schedule,
    which covered it, could then not be paid in full — the last instalment was 'overpaid')."""
    late = served(deferral={"seq": 12, "on": "2026-04-28", "schedule": [
        {"due": "2026-05-29", "amount": "6500.00"}, {"due": "2026-06-30", "amount": "6500.00"}]})  # fmt: skip
    assert surcharge_days(late, POLICY, date(2026, 6, 30)) == 10  # 18–27 April
    assert surcharge(late, POLICY, date(2026, 6, 30)) == Decimal("3000.00")
    late.payments = [{"seq": 13, "on": "2026-05-29", "amount": "6500.00"},
                     {"seq": 14, "on": "2026-06-30", "amount": "6500.00"}]  # fmt: skip
    assert account(late, POLICY, date(2026, 5, 29)).outstanding == Decimal("6500.00")
    assert account(late, POLICY, date(2026, 7, 31)).outstanding == 0  # the schedule paid it all


def test_the_payment_deadline_shown_is_the_one_the_surcharge_runs_from() -> None:
    """One 15-day period (Art. 67 ¶3): the deadline case show and alerts give is the day after
    which 加处罚款 counts — for direct service and for 公告送达 alike."""
    from rules.deadlines import due_of

    for case in (served(), served(method="public_notice")):
        shown = due_of("payment_due", case, POLICY)
        assert shown is not None
        assert shown.due == due_date(case, POLICY)
        assert surcharge_days(case, POLICY, shown.due) == 0
        assert surcharge_days(case, POLICY, shown.due + timedelta(days=1)) == 1
