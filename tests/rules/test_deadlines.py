"""Deadlines on a case, computed from recorded dates, with their sources; and the alerts view."""

from __future__ import annotations

from datetime import date

from rules.deadlines import alerts, case_deadlines
from rules.model import Case
from rules.policy import Policy
from tests.conftest import run_steps
from workflow.scenarios import AUDIT_WITH_SUPPLEMENT, PENALTY_WITH_HEARING
from workflow.service import Office

POLICY = Policy()


def by_id(case: Case, today: date) -> dict[str, tuple[str, str]]:
    return {d.id: (d.due.isoformat(), d.status) for d in case_deadlines(case, POLICY, today)}


def test_every_deadline_names_its_source(lite: Office) -> None:
    case = run_steps(lite, PENALTY_WITH_HEARING)
    deadlines = case_deadlines(case, POLICY, date(2026, 11, 24))
    assert {d.id for d in deadlines} == {
        "decision_limit", "statement_window", "hearing_request", "review_limit",
        "service_limit", "payment_due", "archive_limit", "publicity_penalty",
    }  # fmt: skip
    assert all(d.source for d in deadlines)


def test_penalty_deadlines_from_recorded_dates(lite: Office) -> None:
    case = run_steps(lite, PENALTY_WITH_HEARING)
    found = by_id(case, date(2026, 11, 24))
    # opened 3 Aug + 90 days = 1 Nov (Sunday) → Monday 2 Nov; decided 2 Sep: met
    assert found["decision_limit"] == ("2026-11-02", "met")
    # notice served Tue 11 Aug: 3 working days → Fri 14 Aug; hearing request 5 → Tue 18 Aug
    assert found["statement_window"] == ("2026-08-14", "met")
    assert found["hearing_request"] == ("2026-08-18", "met")
    # decided Wed 2 Sep: serve within 7 working days → Fri 11 Sep; served 3 Sep
    assert found["service_limit"] == ("2026-09-11", "met")
    # served 3 Sep: pay within 15 days → 18 Sep; paid 15 Sep
    assert found["payment_due"] == ("2026-09-18", "met")
    assert found["archive_limit"] == ("2026-10-16", "met")
    # publish a penalty decision within 7 working days of 2 Sep → 11 Sep; nothing published yet
    assert found["publicity_penalty"] == ("2026-09-11", "overdue")
    assert by_id(case, date(2026, 9, 10))["publicity_penalty"] == ("2026-09-11", "open")


def test_audit_deadlines_cross_national_day(lite: Office) -> None:
    case = run_steps(lite, AUDIT_WITH_SUPPLEMENT)
    found = by_id(case, date(2026, 11, 24))
    assert "decision_limit" not in found  # 行政处罚法 Art. 60 is for penalties
    assert found["audit_notice_lead"] == ("2026-09-07", "met")
    # opinion asked Wed 16 Sep: 10 working days, 20 Sep a make-up Sunday, 25–27 Sep off → 30 Sep
    assert found["auditee_opinion"] == ("2026-09-30", "met")
    # resubmitted Tue 29 Sep: 5 working days → 30 Sep, 8, 9, 10 (make-up Sat), 12 Oct
    assert found["review_limit"] == ("2026-10-12", "met")
    assert found["supplement_due"] == ("2026-09-30", "met")
    # other decisions: 20 working days from Sat 10 Oct (a make-up working day) → 6 Nov
    assert found["publicity_other"] == ("2026-11-06", "overdue")


def test_overdue_and_open_obligations(lite: Office) -> None:
    case = run_steps(lite, PENALTY_WITH_HEARING, until="approve_review")
    assert by_id(case, date(2026, 9, 3))["review_limit"] == ("2026-09-04", "open")
    assert by_id(case, date(2026, 9, 7))["review_limit"] == ("2026-09-04", "overdue")


def test_deadlines_reaching_into_2027_are_provisional(lite: Office) -> None:
    from workflow.scenarios import Scenario, Step

    late = Scenario("penalty", "late", (
        Step("王明", "open", date(2026, 11, 20), PENALTY_WITH_HEARING.steps[0].data),
    ))  # fmt: skip
    case = run_steps(lite, late)
    decision = next(
        d for d in case_deadlines(case, POLICY, date(2026, 11, 24)) if d.id == "decision_limit"
    )
    assert decision.provisional
    assert "2027" in decision.warning
    assert decision.due == date(2027, 2, 18)  # 90 days, a Thursday; 2027's holidays unknown


def test_alerts_most_urgent_first_with_days_left(lite: Office) -> None:
    waiting = run_steps(lite, PENALTY_WITH_HEARING, until="approve_review")
    audit = run_steps(lite, AUDIT_WITH_SUPPLEMENT, until="serve")
    found = alerts([waiting, audit], POLICY, date(2026, 10, 19), within=5)
    assert [(c.id, d.id) for c, d, _ in found] == [
        (waiting.id, "review_limit"),  # due 4 Sep: long overdue
        (audit.id, "service_limit"),  # decided Sat 10 Oct: due Tue 20 Oct
    ]
    assert found[0][2] < 0
    assert found[1][2] == 1
    assert (
        alerts([waiting, audit], POLICY, date(2026, 10, 19), within=0)[-1][1].id == "review_limit"
    )


def test_a_withdrawn_case_must_be_archived_within_30_days_and_is_alerted(lite: Office) -> None:
    """The bureau's plan: 归档 within 30 days of 结案 or 撤销立案."""
    case = run_steps(lite, PENALTY_WITH_HEARING, until="add_evidence")
    _, case = lite.do(
        case.id, "withdraw", "赵刚", {"reason": "违法事实不能成立"}, date(2026, 8, 10)
    )
    # withdrawn Mon 10 Aug + 30 days = Wed 9 Sep
    assert by_id(case, date(2026, 9, 1))["archive_limit"] == ("2026-09-09", "open")
    assert by_id(case, date(2026, 9, 10))["archive_limit"] == ("2026-09-09", "overdue")
    due = [(c.id, d.id, left) for c, d, left in alerts([case], POLICY, date(2026, 9, 7), 3)]
    assert (case.id, "archive_limit", 2) in due
    assert alerts([case], POLICY, date(2026, 8, 20), 3) == []
    _, case = lite.do(case.id, "archive", "王明", {}, date(2026, 9, 8))
    assert by_id(case, date(2026, 9, 10))["archive_limit"] == ("2026-09-09", "met")
