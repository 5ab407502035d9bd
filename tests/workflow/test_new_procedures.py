"""简易程序 and 行政强制措施 (issue 13): their limits, deadlines, notices and the parent link."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from rules.deadlines import case_deadlines
from rules.errors import RefusedError
from states.measure import MEASURE
from states.summary import SUMMARY
from tests.conftest import run_steps
from workflow.scenarios import (
    AUDIT_WITH_SUPPLEMENT,
    SEAL_ON_THE_AUDIT,
    SUMMARY_ON_THE_SPOT,
)
from workflow.service import Office

OPEN, DECIDE = SUMMARY_ON_THE_SPOT.steps[0], SUMMARY_ON_THE_SPOT.steps[1]


def codes(exc: pytest.ExceptionInfo[RefusedError]) -> set[str]:
    return {r.code for r in exc.value.reasons}


def on_the_spot(office: Office, **party: Any) -> str:
    _, case = office.open_case(SUMMARY.id, OPEN.actor, {**OPEN.data, **party}, OPEN.on)
    return case.id


def decide(office: Office, case_id: str, **changes: Any) -> Any:
    return office.do(case_id, "decide_on_spot", "王明", {**DECIDE.data, **changes}, DECIDE.on)


# -- 简易程序 ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("party_type", "party_id", "fine", "allowed"), [
    ("individual", "230202198503121238", "200", True),
    ("individual", "230202198503121238", "201", False),
    ("unit", "91230200MA1B2C3D4E", "3000", True),
    ("unit", "91230200MA1B2C3D4E", "3000.01", False),
])  # fmt: skip
def test_summary_fines_stay_within_the_limits_of_article_51(
    lite: Office, party_type: str, party_id: str, fine: str, allowed: bool
) -> None:
    """行政处罚法 Art. 51: ¥200 for a person, ¥3,000 for a unit, or a warning; beyond them the
    refusal points to the general procedure."""
    case_id = on_the_spot(lite, party_type=party_type, party_id=party_id)
    if allowed:
        decide(lite, case_id, amount=fine)
        return
    with pytest.raises(RefusedError) as info:
        decide(lite, case_id, amount=fine)
    [reason] = [r for r in info.value.reasons if r.code == "summary_limit"]
    assert "一般程序" in reason.message
    assert reason.source == "行政处罚法第五十一条"


def test_summary_gives_only_a_warning_or_a_fine(lite: Office) -> None:
    case_id = on_the_spot(lite)
    with pytest.raises(RefusedError) as info:
        decide(lite, case_id, penalty_kinds=["licence_suspension"], amount=None)
    assert "summary_kind" in codes(info)
    _, case = decide(lite, case_id, penalty_kinds=["warning"], amount=None)
    assert case.state == "decision"


def test_the_party_is_told_and_heard_before_the_decision_on_the_spot(lite: Office) -> None:
    """Arts. 44, 52: certificates shown, facts, reasons, basis and rights told, statement heard."""
    case_id = on_the_spot(lite)
    with pytest.raises(RefusedError) as info:
        decide(lite, case_id, rights_told=False, statement="")
    assert {"rights_not_told", "missing_statement"} <= codes(info)


def test_a_refusal_to_sign_is_noted_on_the_decision(lite: Office) -> None:
    """Art. 52: 当事人拒绝签收的，应当在行政处罚决定书上注明."""
    case_id = on_the_spot(lite)
    decide(lite, case_id, refused_to_sign=True)
    assert "当事人拒绝签收，已当场注明" in lite.notice(case_id, "summary_decision")["text"]


def test_on_the_spot_collection_only_on_the_grounds_of_articles_68_and_69(lite: Office) -> None:
    """Art. 68: ¥100 or less, or hard to enforce later; Art. 70: the official receipt."""
    case_id = on_the_spot(lite)
    decide(lite, case_id, amount="150")
    with pytest.raises(RefusedError) as info:
        lite.do(case_id, "collect_on_spot", "王明", {"amount": "150", "ground": "small",
                "receipt": "No.1"}, DECIDE.on)  # fmt: skip
    assert "spot_small" in codes(info)
    lite.do(case_id, "collect_on_spot", "王明", {"amount": "150", "ground": "hard_to_enforce",
            "receipt": "No.1"}, DECIDE.on)  # fmt: skip


def test_cash_goes_to_the_bureau_and_the_bank_within_two_working_days_each(lite: Office) -> None:
    """Art. 71 (and Art. 85: 二日 are working days); the case closes only when it is banked."""
    case = run_steps(lite, SUMMARY_ON_THE_SPOT, until="hand_to_agency")
    found = {d.id: d.due.isoformat() for d in
             case_deadlines(case, lite.policy, SUMMARY.deadlines, date(2026, 11, 3))}  # fmt: skip
    assert found["spot_cash_to_agency"] == "2026-11-05"  # collected Tue 3 Nov
    assert found["summary_filing"] == "2026-11-10"  # 5 working days (config)
    lite.do(case.id, "file_with_agency", "王明", {}, date(2026, 11, 3))
    with pytest.raises(RefusedError) as info:
        lite.do(case.id, "close", "赵刚", {}, date(2026, 11, 3))
    assert "cash_not_deposited" in codes(info)


def test_an_on_the_spot_decision_is_filed_before_the_case_closes(lite: Office) -> None:
    """Art. 52 ¶3: 报所属行政机关备案."""
    case = run_steps(lite, SUMMARY_ON_THE_SPOT, until="file_with_agency")
    with pytest.raises(RefusedError) as info:
        lite.do(case.id, "close", "赵刚", {}, date(2026, 11, 6))
    assert "not_filed" in codes(info)


def test_the_decision_on_the_spot_calls_for_a_video(lite: Office) -> None:
    """118号（八）: acts on the spot are recorded; the definition marks them on_site."""
    case = run_steps(lite, SUMMARY_ON_THE_SPOT, until="hand_to_agency")
    assert [g["action"] for g in lite.view(case)["av_missing"]] == ["decide_on_spot", "collect_on_spot"]


def test_an_unpaid_fine_on_the_spot_goes_to_the_court_like_any_other(lite: Office) -> None:
    """行政处罚法 Art. 72 and 行政强制法 Arts. 53–54 know no exception for 简易程序 (audit: an
    unpaid on-the-spot fine could never close). Decided and handed over Tue 3 Nov 2026; due
    18 Nov; 催告 served 20 Nov; the court after the 6 months for 诉讼 (3 May 2027)."""
    case_id = on_the_spot(lite)
    decide(lite, case_id, amount="200")
    later = Office(lite.store, lite.policy, clock=lambda: date(2027, 5, 31), files=lite.files,
                   signer=lite.signer)
    later.do(case_id, "file_with_agency", "王明", {}, date(2026, 11, 4))
    with pytest.raises(RefusedError) as info:
        later.do(case_id, "close", "赵刚", {}, date(2026, 11, 30))
    assert "money_owed" in codes(info)
    serve = {"method": "direct", "recipient": "张某"}
    with pytest.raises(RefusedError) as info:
        later.do(case_id, "urge", "王明", serve, date(2026, 11, 18))  # the last day to pay
    assert "not_overdue" in codes(info)
    later.do(case_id, "urge", "王明", serve, date(2026, 11, 20))
    assert "urge_notice" in {n["kind"] for n in later.notices(case_id)}
    with pytest.raises(RefusedError) as info:
        later.do(case_id, "apply_enforcement", "赵刚", {"court": "铁锋区人民法院"}, date(2027, 4, 30))
    assert "remedy_period_running" in codes(info)
    _, case = later.do(case_id, "apply_enforcement", "赵刚", {"court": "铁锋区人民法院"},
                       date(2027, 5, 10))  # fmt: skip
    assert case.state == "enforcement"
    later.do(case_id, "record_court_ruling", "王明", {"ruling": "granted",
             "reference": "（2027）黑0202行审1号"}, date(2027, 5, 20))  # fmt: skip
    _, case = later.do(case_id, "close", "赵刚", {}, date(2027, 5, 21))
    assert case.state == "closed"


# -- 行政强制措施 -------------------------------------------------------------------------------
def audit_in_evidence(office: Office) -> str:
    return run_steps(office, AUDIT_WITH_SUPPLEMENT, until="draft_decision").id


def test_a_measure_is_opened_in_a_live_case_of_a_kind_its_parent_allows(lite: Office) -> None:
    """审计法 Art. 38 is the audit office's: a penalty case may only 先行登记保存 (Art. 56)."""
    from workflow.scenarios import PENALTY_WITH_HEARING

    opening = SEAL_ON_THE_AUDIT.steps[0]
    penalty = run_steps(lite, PENALTY_WITH_HEARING, until="draft_decision").id
    with pytest.raises(RefusedError) as info:
        lite.open_case(MEASURE.id, "王明", {**opening.data, "parent": penalty}, opening.on)
    assert "measure_kind" in codes(info)
    with pytest.raises(RefusedError) as info:
        lite.open_case(MEASURE.id, "王明", {**opening.data, "parent": "A-2026-9999"}, opening.on)
    assert "no_parent" in codes(info)
    _, measure = lite.open_case(MEASURE.id, "王明", {**opening.data, "parent": audit_in_evidence(lite)},
                                opening.on)  # fmt: skip
    assert measure.id.startswith(f"{MEASURE.prefix}-")


def test_the_parent_shows_its_measures_and_cannot_close_while_one_stands(lite: Office) -> None:
    """行政强制法 Arts. 27, 28: a measure ends before the case does."""
    parent = audit_in_evidence(lite)
    measure = run_steps(lite, SEAL_ON_THE_AUDIT, until="release_measure", parent=parent)
    shown = lite.view(lite.case(parent))["measures"]
    assert [(m["id"], m["in_force"]) for m in shown] == [(measure.id, True)]
    rest = AUDIT_WITH_SUPPLEMENT.steps
    start = next(i for i, s in enumerate(rest) if s.action == "draft_decision")
    for step in rest[start:]:
        if step.action == "close":
            with pytest.raises(RefusedError) as info:
                lite.do(parent, "close", "赵刚", {}, step.on)
            assert "measure_in_force" in codes(info)
            break
        lite.do(parent, step.action, step.actor, step.data, step.on)
    lite.do(measure.id, "release_measure", "赵刚", {"disposal": "release", "reason": "已取证"},
            date(2026, 11, 2))  # fmt: skip
    lite.do(parent, "close", "赵刚", {}, date(2026, 11, 2))


def test_a_seal_lasts_seven_working_days_extended_once_by_at_most_seven(lite: Office) -> None:
    """审计法实施条例 Art. 32 (and Art. 56: working days)."""
    measure = run_steps(lite, SEAL_ON_THE_AUDIT, until="extend_measure")
    term = {d.id: d.due.isoformat() for d in
            case_deadlines(measure, lite.policy, MEASURE.deadlines, date(2026, 9, 11))}  # fmt: skip
    assert term["seal_term"] == "2026-09-20"  # from Thu 10 Sep: 11, 14–18, Sun 20 (worked)
    with pytest.raises(RefusedError) as info:
        lite.do(measure.id, "extend_measure", "赵刚", {"days": 8, "reason": "r"}, date(2026, 9, 17))
    assert "extension_days" in codes(info)
    lite.do(measure.id, "extend_measure", "赵刚", {"days": 5, "reason": "r"}, date(2026, 9, 17))
    with pytest.raises(RefusedError) as info:
        lite.do(measure.id, "extend_measure", "赵刚", {"days": 1, "reason": "r"}, date(2026, 9, 17))
    assert "already_extended" in codes(info)


def test_the_measure_on_the_spot_needs_the_party_or_a_witness(lite: Office) -> None:
    """行政强制法 Art. 18(九): 当事人不到场的，邀请见证人到场."""
    measure = run_steps(lite, SEAL_ON_THE_AUDIT, until="execute_measure")
    execute = SEAL_ON_THE_AUDIT.steps[2]
    with pytest.raises(RefusedError) as info:
        lite.do(measure.id, "execute_measure", "王明", {**execute.data, "present": False}, execute.on)
    assert "no_witness" in codes(info)
    lite.do(measure.id, "execute_measure", "王明",
            {**execute.data, "present": False, "witness": "社区主任刘某"}, execute.on)  # fmt: skip


def test_measures_are_taken_as_the_law_orders_them(lite: Office) -> None:
    """行政强制法 Art. 18(五): reasons, basis, rights and remedies told on the spot; 审计法
    Art. 38 ¶3: 暂停拨付 only after an order to stop went unheeded (audit: neither recorded)."""
    opening, approve, execute, *_ = SEAL_ON_THE_AUDIT.steps
    parent = audit_in_evidence(lite)
    suspension = {**opening.data, "parent": parent, "kind": "suspend_payment"}
    with pytest.raises(RefusedError) as info:
        lite.open_case(MEASURE.id, opening.actor, suspension, opening.on)
    [reason] = [r for r in info.value.reasons if r.code == "missing_stop_order"]
    assert reason.source == "审计法第三十八条第三款"
    suspension["stop_order"] = "9月9日书面责令停止违规发放，仍继续发放"
    _, measure = lite.open_case(MEASURE.id, opening.actor, suspension, opening.on)
    lite.do(measure.id, approve.action, approve.actor, approve.data, approve.on)
    with pytest.raises(RefusedError) as info:
        lite.do(measure.id, execute.action, execute.actor,
                {**execute.data, "rights_told": False, "recipient": "铁锋区财政局"}, execute.on)  # fmt: skip
    assert "rights_not_told" in codes(info)
    lite.do(measure.id, execute.action, execute.actor,
            {**execute.data, "recipient": "铁锋区财政局"}, execute.on)  # fmt: skip


def test_registered_evidence_is_decided_within_seven_working_days(lite: Office) -> None:
    """行政处罚法 Art. 56: 应当在七日内及时作出处理决定; release alone is no decision."""
    opening, approve, execute = SEAL_ON_THE_AUDIT.steps[:3]
    scenario = replace(SEAL_ON_THE_AUDIT, steps=(
        replace(opening, data={**opening.data, "kind": "registration"}), approve, execute))  # fmt: skip
    measure = run_steps(lite, scenario)
    found = {d.id: d.due.isoformat() for d in
             case_deadlines(measure, lite.policy, MEASURE.deadlines, date(2026, 9, 11))}  # fmt: skip
    assert "registration_decision" in found
    assert "seal_term" not in found
    with pytest.raises(RefusedError) as info:
        lite.do(measure.id, "release_measure", "赵刚", {"disposal": "release", "reason": "r"},
                date(2026, 9, 14))  # fmt: skip
    assert "disposal" in codes(info)
    _, after = lite.do(measure.id, "release_measure", "赵刚", {"disposal": "return", "reason": "已复制"},
                       date(2026, 9, 14))  # fmt: skip
    assert after.notices[-1]["kind"] == "measure_decision"
