"""Deadlines on a case, computed from recorded dates, with their sources; and the alerts view.

Every expected date below was counted by hand on the 2026 calendar (清明 4–6 Apr, 劳动节
1–5 May with 9 May worked, 中秋 25 Sep, 国庆 1–7 Oct with 20 Sep and 10 Oct worked).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rules.deadlines import PERIODS, alerts, case_deadlines, due_of
from rules.model import Case
from rules.policy import Policy
from states.audit import AUDIT
from states.catalog import PROCEDURES
from states.penalty import PENALTY
from tests.conftest import run_steps
from workflow.scenarios import AUDIT_WITH_SUPPLEMENT, PENALTY_WITH_HEARING
from workflow.service import Office

POLICY = Policy()


def declared(case: Case) -> tuple[str, ...]:
    return PROCEDURES[case.procedure].deadlines


def by_id(case: Case, today: date) -> dict[str, tuple[str, str]]:
    return {d.id: (d.due.isoformat(), d.status)
            for d in case_deadlines(case, POLICY, declared(case), today)}  # fmt: skip


def pairs(*cases: Case) -> Iterable[tuple[Case, tuple[str, ...]]]:
    return [(c, declared(c)) for c in cases]


def test_every_period_is_declared_once_with_its_source() -> None:
    """One registry (issue 13): every period a procedure runs is declared there, with a source."""
    for proc in PROCEDURES.values():
        assert set(proc.deadlines) <= set(PERIODS)
    assert all(p.source for p in PERIODS.values())


def test_penalty_deadlines_from_recorded_dates(lite: Office) -> None:
    case = run_steps(lite, PENALTY_WITH_HEARING)
    found = by_id(case, date(2026, 11, 24))
    # opened Mon 2 Mar + 90 days = Sun 31 May → Mon 1 Jun; decided 1 Apr: met (Art. 60)
    assert found["decision_limit"] == ("2026-06-01", "met")
    # notice served Tue 10 Mar: 3 working days → Fri 13 Mar; hearing request 5 → Tue 17 Mar
    assert found["statement_window"] == ("2026-03-13", "met")
    assert found["hearing_request"] == ("2026-03-17", "met")
    # hearing notice Fri 13 Mar: 7 working days → the hearing no earlier than Tue 24 Mar
    assert found["hearing_notice_lead"] == ("2026-03-24", "met")
    # decided Wed 1 Apr: serve within 7 working days, 清明 off → Mon 13 Apr; served 2 Apr
    assert found["service_limit"] == ("2026-04-13", "met")
    # served 2 Apr: pay within 15 days → Fri 17 Apr; never paid in full
    assert found["payment_due"] == ("2026-04-17", "overdue")
    # 催告 Mon 27 Apr: 10 working days (行政强制法 Art. 69), 劳动节 off, 9 May worked → 13 May
    assert found["urge_period"] == ("2026-05-13", "met")
    # 6 months after service: 2 Oct, 国庆 → Thu 8 Oct; apply within 3 months → 8 Jan 2027
    assert found["enforcement_window"] == ("2027-01-08", "met")
    assert found["archive_limit"] == ("2026-11-30", "met")
    # publish a penalty decision within 7 working days of 1 Apr → 13 Apr; not published here
    assert found["publicity_penalty"] == ("2026-04-13", "overdue")
    assert by_id(case, date(2026, 4, 10))["publicity_penalty"] == ("2026-04-13", "open")


def test_audit_deadlines_cross_national_day(lite: Office) -> None:
    case = run_steps(lite, AUDIT_WITH_SUPPLEMENT)
    found = by_id(case, date(2026, 11, 24))
    assert "decision_limit" not in found  # 行政处罚法 Art. 60 is for penalties
    assert found["audit_notice_lead"] == ("2026-09-07", "met")
    # opinion asked Wed 16 Sep: 10 working days, 20 Sep a make-up Sunday, 25 Sep off → 30 Sep
    assert found["auditee_opinion"] == ("2026-09-30", "met")
    # resubmitted Tue 29 Sep: 5 working days → 30 Sep, 8, 9, 10 (make-up Sat), 12 Oct
    assert found["review_limit"] == ("2026-10-12", "met")
    assert found["supplement_due"] == ("2026-09-30", "met")
    # 处理措施 within 30 days of service on 12 Oct → 11 Nov (审计法 Art. 49)
    assert found["measure_due"] == ("2026-11-11", "met")
    # a decision without penalty: 20 working days from Sat 10 Oct (a make-up working day)
    assert found["publicity_other"] == ("2026-11-06", "overdue")


def test_overdue_and_open_obligations(lite: Office) -> None:
    case = run_steps(lite, PENALTY_WITH_HEARING, until="approve_review")
    assert by_id(case, date(2026, 4, 2))["review_limit"] == ("2026-04-03", "open")
    assert by_id(case, date(2026, 4, 7))["review_limit"] == ("2026-04-03", "overdue")


def test_a_head_approved_review_extension_moves_the_review_limit(lite: Office) -> None:
    """config periods.review_extension_days: the head extends the review once, within it."""
    case = run_steps(lite, PENALTY_WITH_HEARING, until="approve_review")
    _, case = lite.do(case.id, "extend_review", "赵刚",
                      {"days": 3, "reason": "案情复杂"}, date(2026, 3, 30))  # fmt: skip
    # 5 + 3 working days from Fri 27 Mar: 30, 31 Mar, 1, 2, 3, (清明 4–6 Apr off) 7, 8, 9 Apr
    assert by_id(case, date(2026, 4, 7))["review_limit"] == ("2026-04-09", "open")


def test_public_notice_service_takes_effect_thirty_days_after_posting(lite: Office) -> None:
    """民事诉讼法 Art. 95: every period from service runs from the deemed day of service."""
    case = run_steps(lite, PENALTY_WITH_HEARING, until="serve")
    _, case = lite.do(case.id, "serve", "王明",
                      {"method": "public_notice", "recipient": "铁锋某建设有限公司"},
                      date(2026, 4, 2))  # fmt: skip
    # posted Thu 2 Apr → deemed served Sat 2 May → 15 days → Sun 17 May → Mon 18 May
    assert by_id(case, date(2026, 5, 1))["payment_due"] == ("2026-05-18", "open")


def test_deadlines_reaching_into_2027_are_provisional(lite: Office) -> None:
    from workflow.scenarios import Scenario, Step

    data = {**PENALTY_WITH_HEARING.steps[0].data, "discovered_on": "2026-11-19"}
    late = Scenario(PENALTY.id, "late", (Step("王明", "open", date(2026, 11, 20), data),))
    case = run_steps(lite, late)
    decision = next(
        d
        for d in case_deadlines(case, POLICY, PENALTY.deadlines, date(2026, 11, 24))
        if d.id == "decision_limit"
    )
    assert decision.provisional
    assert "2027" in decision.warning
    assert decision.due == date(2027, 2, 18)  # 90 days, a Thursday; 2027's holidays unknown


def test_a_window_guard_reads_the_same_due_date_as_the_deadline_shown(lite: Office) -> None:
    case = run_steps(lite, PENALTY_WITH_HEARING, until="request_hearing")
    shown = by_id(case, date(2026, 3, 11))["hearing_request"][0]
    window = due_of("hearing_request", case, POLICY)
    assert window is not None
    assert window.due.isoformat() == shown == "2026-03-17"


def test_alerts_most_urgent_first_with_days_left(lite: Office) -> None:
    waiting = run_steps(lite, PENALTY_WITH_HEARING, until="approve_review")
    audit = run_steps(lite, AUDIT_WITH_SUPPLEMENT, until="serve")
    found = alerts(pairs(waiting, audit), POLICY, date(2026, 10, 19), within=5)
    assert [(c.id, d.id) for c, d, _ in found] == [
        (waiting.id, "review_limit"),  # due 3 Apr: long overdue
        (waiting.id, "decision_limit"),  # due 1 Jun (行政处罚法 Art. 60): overdue too
        (audit.id, "service_limit"),  # decided Sat 10 Oct: due Tue 20 Oct
    ]
    assert found[0][2] < found[1][2] < 0
    assert found[2][2] == 1
    overdue_only = alerts(pairs(waiting, audit), POLICY, date(2026, 10, 19), within=0)
    assert {d.id for _c, d, _l in overdue_only} == {"review_limit", "decision_limit"}


def test_alerts_follow_the_deadlines_each_procedure_declares(lite: Office) -> None:
    """`alerts` and `case show` filter alike: a deadline the procedure does not run is not
    alerted, even when its dates are recorded."""
    audit = run_steps(lite, AUDIT_WITH_SUPPLEMENT, until="serve")
    without = tuple(d for d in AUDIT.deadlines if d != "service_limit")
    found = alerts([(audit, without)], POLICY, date(2026, 10, 19), within=5)
    assert "service_limit" not in {d.id for _c, d, _l in found}


def test_a_withdrawn_case_must_be_archived_within_30_days_and_is_alerted(lite: Office) -> None:
    """The bureau's plan: 归档 within 30 days of 结案 or 撤销立案."""
    case = run_steps(lite, PENALTY_WITH_HEARING, until="add_evidence")
    _, case = lite.do(case.id, "withdraw", "赵刚", {"reason": "违法事实不能成立"}, date(2026, 3, 9))
    # withdrawn Mon 9 Mar + 30 days = Wed 8 Apr
    assert by_id(case, date(2026, 4, 1))["archive_limit"] == ("2026-04-08", "open")
    assert by_id(case, date(2026, 4, 9))["archive_limit"] == ("2026-04-08", "overdue")
    due = [(c.id, d.id, left) for c, d, left in alerts(pairs(case), POLICY, date(2026, 4, 3), 3)]
    assert (case.id, "archive_limit", 2) in due
    assert alerts(pairs(case), POLICY, date(2026, 3, 20), 3) == []
    _, case = lite.do(case.id, "archive", "王明", {}, date(2026, 4, 7))
    assert by_id(case, date(2026, 4, 10))["archive_limit"] == ("2026-04-08", "met")
