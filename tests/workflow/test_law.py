"""The law to the last act (issue 12), through the office as clerks meet it: each test is named
for the rule it proves and cites its article. The demo's penalty case runs on the 2026
calendar: notified Tue 10 Mar (hearing window 5 working days → 17 Mar), decided 1 Apr, served
2 Apr (pay by 17 Apr)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from rules.deadlines import case_deadlines
from rules.errors import ConfigError, RefusedError
from states.audit import AUDIT
from states.penalty import PENALTY
from tests.conftest import (
    REGISTER_START,
    TRAINING_BACKDATE,
    enrol,
    make_office,
    office_settings,
    run_steps,
)
from tests.documents.cases import AUDIT_HEARING_ELIGIBLE
from workflow.keys import Keyring
from workflow.scenarios import AUDIT_WITH_SUPPLEMENT, PENALTY_WITH_HEARING, Scenario, Step
from workflow.service import Office

DECIDE = {"collective_discussion": "局务会讨论", "statement_response": "不予采纳"}
SERVE = {"method": "direct", "recipient": "张经理"}


def codes(info: pytest.ExceptionInfo[RefusedError]) -> set[str]:
    return {r.code for r in info.value.reasons}


def refused(office: Office, case_id: str, action: str, actor: str, data: dict[str, Any],
            on: date) -> set[str]:  # fmt: skip
    with pytest.raises(RefusedError) as info:
        office.do(case_id, action, actor, data, on)
    return codes(info)


def notified(office: Office) -> str:
    """The penalty case just after 事先告知 of a hearing-eligible fine (¥150,000 on a unit)."""
    return run_steps(office, PENALTY_WITH_HEARING, until="request_hearing").id


# -- the hearing right (行政处罚法 Arts. 63, 64) -----------------------------------------------
def test_the_hearing_window_cannot_be_cut_off_by_review_or_decision(lite: Office) -> None:
    """行政处罚法 Art. 64(一): 5 working days to ask for a hearing; no review or decision while
    they run, unless the party waived the hearing in writing."""
    case_id = notified(lite)
    lite.do(case_id, "waive", "王明", {"text": "当事人书面放弃陈述、申辩"}, date(2026, 3, 11))
    assert "hearing_window_open" in refused(lite, case_id, "submit_review", "王明",
                                            {"materials": ["报告"]}, date(2026, 3, 16))  # fmt: skip
    assert "hearing_window_open" in refused(lite, case_id, "decide", "赵刚", DECIDE,
                                            date(2026, 3, 17))  # fmt: skip
    # no ground for review here (no hearing, no trigger): the head decides once it has run
    _, decided = lite.do(case_id, "decide", "赵刚", DECIDE, date(2026, 3, 18))
    assert decided.state == "decision"


def test_a_written_waiver_of_the_hearing_ends_the_window(lite: Office) -> None:
    """Art. 64(一): a party may give up the hearing in writing; then the case may go on."""
    case_id = notified(lite)
    lite.do(case_id, "waive", "王明", {"text": "放弃陈述、申辩"}, date(2026, 3, 11))
    _, case = lite.do(case_id, "waive_hearing", "王明", {"text": "当事人书面放弃听证"}, date(2026, 3, 12))
    window = {d.id: d for d in case_deadlines(case, lite.policy, PENALTY.deadlines, date(2026, 3, 12))}
    assert window["hearing_request"].status == "met"  # case show: no longer an open window
    assert "hearing_waived" in refused(lite, case_id, "request_hearing", "王明",
                                       {"text": "又要听证"}, date(2026, 3, 16))  # fmt: skip
    _, decided = lite.do(case_id, "decide", "赵刚", DECIDE, date(2026, 3, 16))
    assert decided.state == "decision"


def test_a_hearing_cannot_be_asked_for_after_the_decision(lite: Office) -> None:
    case = run_steps(lite, PENALTY_WITH_HEARING, until="serve")
    assert "wrong_state" in refused(lite, case.id, "request_hearing", "王明", {"text": "听证"},
                                    date(2026, 4, 2))  # fmt: skip


def test_an_early_auditee_opinion_does_not_end_the_hearing_window(lite: Office) -> None:
    """审计法 Art. 44 and 行政处罚法 Art. 64(一): the opinion answers the report; the hearing
    right on a proposed fine still runs its 5 working days (16 Sep → 22 Sep)."""
    case = run_steps(lite, AUDIT_HEARING_ELIGIBLE, until="record_statement")
    lite.do(case.id, "record_statement", "王明", {"text": "无异议"}, date(2026, 9, 17))
    assert "hearing_window_open" in refused(lite, case.id, "submit_review", "王明",
                                            {"materials": ["审计报告"]}, date(2026, 9, 18))  # fmt: skip
    lite.do(case.id, "submit_review", "王明", {"materials": ["审计报告"]}, date(2026, 9, 23))


def test_a_party_who_stays_away_ends_the_hearing_as_waived(lite: Office) -> None:
    """Art. 64(六): 无正当理由拒不出席 … 视为放弃听证权利，行政机关终止听证."""
    case = run_steps(lite, PENALTY_WITH_HEARING, until="conclude_hearing")
    _, after = lite.do(case.id, "conclude_hearing", "周平",
                       {"ending": "absent", "transcript": "当事人经通知无正当理由未到场"},
                       date(2026, 3, 25))  # fmt: skip
    assert after.hearing is not None
    assert after.hearing["ending"] == "absent"
    from rules.review import review_grounds

    # no hearing was held: it is no ground for review of its own (Art. 58 ¶1(二))
    assert not any("听证" in g for g in review_grounds(after, lite.policy, PENALTY))


# -- who acts ----------------------------------------------------------------------------------
def test_evidence_is_collected_by_two_certified_officers(lite: Office) -> None:
    """行政处罚法 Arts. 42, 55: 执法人员不得少于两人 — collecting evidence faces the party, and the
    second officer's certificate ran out on 3 March."""
    from rules.model import Person

    enrol(lite, Person("钱进", ("officer",), "铁审执01003", "审计执法", date(2026, 3, 3)))
    opening, _assign, investigate = PENALTY_WITH_HEARING.steps[:3]
    assign = Step("赵刚", "assign", date(2026, 3, 2), {"person": "钱进", "role": "officer"})
    case = run_steps(lite, Scenario(PENALTY.id, "证件到期", (opening, assign, investigate)))
    assert "two_officers" in refused(lite, case.id, "add_evidence", "王明",
                                     {"type": "documentary", "title": "账簿"}, date(2026, 3, 4))  # fmt: skip


# -- payment and enforcement (行政处罚法 Chapter VI; 行政强制法 Chapter V) ------------------------
def served(office: Office) -> str:
    return run_steps(office, PENALTY_WITH_HEARING, until="record_payment").id


def test_close_is_refused_while_money_is_owed_unless_the_court_was_asked(lite: Office) -> None:
    """行政处罚法 Arts. 66, 72: a partly paid fine is not executed; 结案 waits for the rest."""
    case_id = served(lite)
    lite.do(case_id, "record_payment", "王明",
            {"amount": "50000", "channel": "bank", "receipt": "No.1"}, date(2026, 4, 15))  # fmt: skip
    assert "money_owed" in refused(lite, case_id, "close", "赵刚", {}, date(2026, 4, 16))
    lite.do(case_id, "record_payment", "王明",
            {"amount": "70000", "channel": "bank", "receipt": "No.2"}, date(2026, 4, 16))  # fmt: skip
    _, closed = lite.do(case_id, "close", "赵刚", {}, date(2026, 4, 16))
    assert closed.state == "closed"


def test_a_payment_beyond_what_is_owed_is_refused(lite: Office) -> None:
    case_id = served(lite)
    assert "overpaid" in refused(lite, case_id, "record_payment", "王明",
                                 {"amount": "130000", "channel": "bank", "receipt": "x"},
                                 date(2026, 4, 15))  # fmt: skip


def test_the_court_is_asked_only_after_a_written_urge_served_ten_working_days_before(
    lite: Office,
) -> None:
    """行政强制法 Art. 54 (催告书 送达十日后), Art. 69 (十日 = working days)."""
    case_id = served(lite)
    later = date(2026, 10, 12)
    assert "not_overdue" in refused(lite, case_id, "urge", "王明", SERVE, date(2026, 4, 17))
    assert "not_urged" in refused(lite, case_id, "apply_enforcement", "赵刚",
                                  {"court": "铁锋区人民法院"}, later)  # fmt: skip
    lite.do(case_id, "urge", "王明", SERVE, date(2026, 10, 9))
    # 10 working days from Fri 9 Oct: 10 (Sat, worked), 12 … 22 Oct
    assert "urge_running" in refused(lite, case_id, "apply_enforcement", "赵刚",
                                     {"court": "铁锋区人民法院"}, date(2026, 10, 22))  # fmt: skip
    lite.do(case_id, "apply_enforcement", "赵刚", {"court": "铁锋区人民法院"}, date(2026, 10, 23))


def test_the_court_is_asked_only_after_the_remedy_periods_and_within_three_months(
    lite: Office,
) -> None:
    """行政强制法 Art. 53: after the 复议 (60 days) and 诉讼 (6 months) periods ran out without a
    remedy, and within 3 months of that (8 Oct 2026 → 8 Jan 2027)."""
    case_id = served(lite)
    lite.do(case_id, "urge", "王明", SERVE, date(2026, 4, 27))
    assert "remedy_period_running" in refused(lite, case_id, "apply_enforcement", "赵刚",
                                              {"court": "铁锋区人民法院"}, date(2026, 9, 30))  # fmt: skip
    late = Office(lite.store, lite.policy, clock=lambda: date(2027, 2, 1), files=lite.files)
    assert "enforcement_late" in refused(late, case_id, "apply_enforcement", "赵刚",
                                         {"court": "铁锋区人民法院"}, date(2027, 1, 11))  # fmt: skip


def test_no_court_while_reconsideration_is_pending(lite: Office) -> None:
    """行政强制法 Art. 53: only when the party did not seek a remedy in time."""
    case_id = served(lite)
    lite.do(case_id, "record_remedy", "王明", {"kind": "reconsideration", "stage": "filed",
            "organ": "铁锋区人民政府"}, date(2026, 4, 20))  # fmt: skip
    lite.do(case_id, "urge", "王明", SERVE, date(2026, 4, 27))
    assert "remedy_pending" in refused(lite, case_id, "apply_enforcement", "赵刚",
                                       {"court": "铁锋区人民法院"}, date(2026, 10, 20))  # fmt: skip


def test_a_fiscal_audit_decision_is_challenged_by_a_ruling_not_a_lawsuit(lite: Office) -> None:
    """审计法 Art. 53 ¶2: 财政收支 → 本级人民政府裁决 (final)."""
    case = run_steps(lite, AUDIT_WITH_SUPPLEMENT, until="record_compliance")
    assert "remedy_route" in refused(lite, case.id, "record_remedy", "王明",
                                     {"kind": "litigation", "stage": "filed", "organ": "铁锋区人民法院"},
                                     date(2026, 10, 20))  # fmt: skip
    lite.do(case.id, "record_remedy", "王明", {"kind": "ruling", "stage": "filed",
            "organ": "铁锋区人民政府"}, date(2026, 10, 20))  # fmt: skip


def test_an_approved_deferral_schedules_the_fine_in_instalments(lite: Office) -> None:
    """行政处罚法 Art. 66 ¶2: the party's written application, the head's approval, a schedule."""
    case_id = served(lite)
    bad = {"application": "资金困难", "approval": "同意",
           "schedule": [{"due": "2026-05-29", "amount": "60000"}]}  # fmt: skip
    assert "schedule_total" in refused(lite, case_id, "grant_deferral", "赵刚", bad,
                                       date(2026, 4, 10))  # fmt: skip
    good = {**bad, "schedule": [{"due": "2026-05-29", "amount": "60000"},
                                {"due": "2026-06-30", "amount": "60000"}]}  # fmt: skip
    _, case = lite.do(case_id, "grant_deferral", "赵刚", good, date(2026, 4, 10))
    assert [n["kind"] for n in case.notices][-1] == "deferral_decision"
    from rules.deadlines import case_deadlines
    from states.catalog import PROCEDURES

    dues = [(d.id, d.due.isoformat()) for d in
            case_deadlines(case, lite.policy, PROCEDURES[case.procedure].deadlines, date(2026, 5, 1))
            if d.id in ("payment_due", "instalment_due")]  # fmt: skip
    assert dues == [("instalment_due", "2026-05-29"), ("instalment_due", "2026-06-30")]


def test_a_deferral_is_only_for_a_fine(lite: Office) -> None:
    case = run_steps(lite, AUDIT_WITH_SUPPLEMENT, until="record_compliance")
    codes_ = refused(lite, case.id, "grant_deferral", "赵刚", {"application": "困难", "approval": "同意",
                     "schedule": [{"due": "2026-12-31", "amount": "1"}]}, date(2026, 10, 20))  # fmt: skip
    assert "nothing_owed" in codes_


# -- 回避 (行政处罚法 Art. 43; 审计法 Art. 15) -----------------------------------------------------
def test_a_recused_officer_can_no_longer_act_and_is_replaced(lite: Office) -> None:
    from rules.model import Person

    enrol(lite, Person("钱进", ("officer",), "铁审执01003", "审计执法", date(2028, 12, 31)))
    case = run_steps(lite, PENALTY_WITH_HEARING, until="add_evidence")
    lite.do(case.id, "request_recusal", "王明", {"person": "李华", "by": "party",
            "grounds": "李华系当事人法定代表人的近亲属"}, date(2026, 3, 4))  # fmt: skip
    assert "request_open" in refused(lite, case.id, "request_recusal", "王明", {"person": "李华",
                                     "by": "party", "grounds": "再次申请"}, date(2026, 3, 4))  # fmt: skip
    _, after = lite.do(case.id, "decide_recusal", "赵刚", {"person": "李华", "result": "granted",
                       "reason": "属实，决定回避", "replacement": "钱进"}, date(2026, 3, 4))  # fmt: skip
    assert after.assigned("officer") == ["王明", "钱进"]
    assert "recused" in refused(lite, case.id, "add_evidence", "李华",
                                {"type": "documentary", "title": "x"}, date(2026, 3, 5))  # fmt: skip
    lite.do(case.id, "add_evidence", "钱进", {"type": "documentary", "title": "账簿"}, date(2026, 3, 5))


def test_the_notice_and_hearing_notice_state_the_right_to_ask_for_recusal(lite: Office) -> None:
    case = run_steps(lite, PENALTY_WITH_HEARING, until="conclude_hearing")
    assert "申请回避" in lite.notice(case.id, "penalty_notice")["text"]
    assert "申请回避" in lite.notice(case.id, "hearing_notice")["text"]


# -- 时效, minors, one violation (行政处罚法 Arts. 29, 30, 36) --------------------------------------
def opened_with(office: Office, **changes: str) -> str:
    opening = PENALTY_WITH_HEARING.steps[0]
    scenario = Scenario(PENALTY.id, "x", (replace(opening, data={**opening.data, **changes}),
                                          *PENALTY_WITH_HEARING.steps[1:5]))  # fmt: skip
    return run_steps(office, scenario).id


FINE_DRAFT = {"outcome": "penalty", "penalty_kinds": ["fine"], "amount": "20000", "facts": "事实",
              "basis": "《财政违法行为处罚处分条例》第十四条"}  # fmt: skip


def test_a_violation_found_after_two_years_is_not_punished(lite: Office) -> None:
    """Art. 36: 违法行为在二年内未被发现的，不再给予行政处罚; the refusal offers the ground."""
    case_id = opened_with(lite, violation_on="2023-06-30", discovered_on="2026-02-26")
    with pytest.raises(RefusedError) as info:
        lite.do(case_id, "draft_decision", "王明", FINE_DRAFT, date(2026, 3, 9))
    [reason] = [r for r in info.value.reasons if r.code == "time_barred"]
    assert "art36_time_barred" in reason.message
    assert reason.source == "行政处罚法第三十六条"
    view_limit = __import__("rules.deadlines", fromlist=["limitation"]).limitation(
        lite.case(case_id), lite.policy)
    assert view_limit["barred"]
    assert view_limit["until"] == "2025-06-30"
    lite.do(case_id, "draft_decision", "王明", {"outcome": "no_penalty_minor",
            "ground": "art36_time_barred", "education": "已告知当事人", "facts": "事实",
            "basis": "《中华人民共和国行政处罚法》第三十六条"}, date(2026, 3, 9))  # fmt: skip


def test_a_continuing_violation_counts_from_its_end(lite: Office) -> None:
    """Art. 36 ¶2: 违法行为有连续或者继续状态的，从行为终了之日起计算."""
    case_id = opened_with(lite, violation_on="2023-06-30", violation_ended_on="2025-01-31",
                          discovered_on="2026-02-26")  # fmt: skip
    lite.do(case_id, "draft_decision", "王明", FINE_DRAFT, date(2026, 3, 9))


def test_five_years_where_the_law_says_so(tmp_path: Any) -> None:
    """Art. 36 ¶1: 涉及公民生命健康安全、金融安全且有危害后果的 — five years, set per power."""
    powers = tmp_path / "powers.yaml"
    powers.write_text("- {id: F-1, name: 金融安全, kind: 行政处罚, basis: 法, "
                      "penalty_kinds: [fine], limitation_years: 5}\n", encoding="utf-8")
    from workflow.config import PublicitySettings

    office = make_office(f"sqlite:///{tmp_path}/o.db",
                         office_settings().model_copy(update={"publicity": PublicitySettings(powers=str(powers))}))  # fmt: skip
    case_id = opened_with(office, power="F-1", violation_on="2023-06-30", discovered_on="2026-02-26")
    office.do(case_id, "draft_decision", "王明", FINE_DRAFT, date(2026, 3, 9))


def test_a_child_under_fourteen_is_not_punished(lite: Office) -> None:
    """Art. 30: 不满十四周岁的未成年人有违法行为的，不予行政处罚 (age from the ID number)."""
    from rules.identifiers import id_number_check_char

    born = "23020220130101123"
    case_id = opened_with(lite, party="小明", party_type="individual",
                          party_id=born + id_number_check_char(born))  # fmt: skip
    with pytest.raises(RefusedError) as info:
        lite.do(case_id, "draft_decision", "王明", FINE_DRAFT, date(2026, 3, 9))
    assert "party_under_14" in codes(info)


def test_a_minor_of_fourteen_to_eighteen_is_flagged_for_mitigation(lite: Office) -> None:
    """Art. 30: 已满十四周岁不满十八周岁 … 应当从轻或者减轻 — on the draft and in review."""
    from rules.guards_limits import draft_flags
    from rules.identifiers import id_number_check_char

    born = "23020220090101123"
    case_id = opened_with(lite, party="小刚", party_type="individual",
                          party_id=born + id_number_check_char(born))  # fmt: skip
    lite.do(case_id, "draft_decision", "王明", FINE_DRAFT, date(2026, 3, 9))
    assert [f["code"] for f in draft_flags(lite.case(case_id))] == ["minor_14_18"]
    # … and the reviewer reads it in the 法制审核意见书 (the review checks 从轻或者减轻 was weighed)
    opening = PENALTY_WITH_HEARING.steps[0]
    minor = {**opening.data, "party": "小刚", "party_type": "individual",
             "party_id": born + id_number_check_char(born)}  # fmt: skip
    reviewed = run_steps(lite, replace(PENALTY_WITH_HEARING, steps=(
        replace(opening, data=minor), *PENALTY_WITH_HEARING.steps[1:])), until="decide")  # fmt: skip
    text = lite.notice(reviewed.id, "review_opinion")["text"]
    assert "## 应当考虑的情节" in text
    assert "已满十四周岁不满十八周岁" in text
    assert "行政处罚法第三十条" in text


def test_one_violation_is_fined_once(lite: Office) -> None:
    """Art. 29: 对当事人的同一个违法行为，不得给予两次以上罚款; the earlier case is named."""
    first = run_steps(lite, PENALTY_WITH_HEARING, until="serve")
    second = opened_with(lite)
    with pytest.raises(RefusedError) as info:
        lite.do(second, "draft_decision", "王明", FINE_DRAFT, date(2026, 4, 2))
    [reason] = [r for r in info.value.reasons if r.code == "second_fine"]
    assert first.id in reason.message
    assert "铁审罚〔2026〕1号" in reason.message
    lite.do(second, "draft_decision", "王明", {**FINE_DRAFT, "penalty_kinds": ["warning"],
            "amount": None}, date(2026, 4, 2))  # fmt: skip  # a warning is no second fine


# -- penalty kinds (行政处罚法 Arts. 9, 63) -----------------------------------------------------
def test_a_draft_may_combine_kinds_within_its_power(lite: Office) -> None:
    """Art. 9 kinds, combinable (警告并处罚款); the power's law says which (powers.yaml)."""
    case_id = opened_with(lite)
    outside = {**FINE_DRAFT, "penalty_kinds": ["fine", "licence_revocation"], "licence": "许可证"}
    with pytest.raises(RefusedError) as info:
        lite.do(case_id, "draft_decision", "王明", outside, date(2026, 3, 9))
    assert "kind_outside_power" in codes(info)
    _, case = lite.do(case_id, "draft_decision", "王明", {**FINE_DRAFT, "penalty_kinds": ["罚款", "警告"]},
                      date(2026, 3, 9))  # fmt: skip
    assert case.draft is not None
    assert case.draft["penalty_kinds"] == ["fine", "warning"]


def test_hearing_eligibility_judges_every_kind() -> None:
    """Art. 63: 责令停产停业、责令关闭、限制从业 … give the right to a hearing whatever the fine."""
    from rules.drafts import hearing_eligible
    from rules.policy import HearingThresholds

    t = HearingThresholds()
    assert hearing_eligible({"outcome": "penalty", "penalty_kinds": ["warning", "suspension"]}, "unit", t)
    assert not hearing_eligible({"outcome": "penalty", "penalty_kinds": ["warning", "fine"],
                                 "amount": "5000"}, "unit", t)  # fmt: skip
    assert hearing_eligible({"outcome": "penalty", "penalty_kinds": ["confiscation_property"],
                             "property_value": "100000"}, "unit", t)  # fmt: skip


def test_not_punishing_names_one_statutory_ground_and_the_education_given(lite: Office) -> None:
    """Art. 33 ¶3: 对当事人的违法行为依法不予行政处罚的，行政机关应当对当事人进行教育."""
    case_id = opened_with(lite)
    with pytest.raises(RefusedError) as info:
        lite.do(case_id, "draft_decision", "王明", {"outcome": "no_penalty_minor", "facts": "f",
                "basis": "b"}, date(2026, 3, 9))  # fmt: skip
    assert {"missing_ground", "missing_education"} <= codes(info)


# -- the audit decision (审计法 Arts. 45, 49, 50) ------------------------------------------------
def test_a_fiscal_audit_takes_measures_not_a_fine(lite: Office) -> None:
    """审计法 Art. 49 (财政收支: 处理措施) and Art. 50 (财务收支: 并可以依法给予处罚)."""
    case = run_steps(lite, AUDIT_WITH_SUPPLEMENT, until="draft_decision")
    fine = {"outcome": "penalty", "penalty_kinds": ["fine"], "amount": "50000", "facts": "f",
            "basis": "b", "audit_subject": "fiscal", "power": "SJ-CF-001",
            "violation_on": "2025-06-30", "discovered_on": "2026-09-10"}  # fmt: skip
    with pytest.raises(RefusedError) as info:
        lite.do(case.id, "draft_decision", "王明", fine, date(2026, 9, 15))
    [reason] = [r for r in info.value.reasons if r.code == "fiscal_fine"]
    assert reason.source == "审计法第四十九条、第五十条"


def test_the_audit_office_reports_before_it_decides(lite: Office) -> None:
    """审计法 Art. 45: the audit office's own 审计报告, then the 审计决定."""
    case = run_steps(lite, AUDIT_WITH_SUPPLEMENT, until="audit_report")
    assert "no_audit_report" in refused(lite, case.id, "decide", "赵刚",
                                        {"statement_response": "无异议"}, date(2026, 10, 10))  # fmt: skip


def test_every_measure_is_carried_out_or_reported_before_closing(lite: Office) -> None:
    """审计法 Arts. 49, 51 ¶2, 52: each 处理措施 has its due date; 结案 waits for them."""
    case = run_steps(lite, AUDIT_WITH_SUPPLEMENT, until="record_compliance")
    lite.do(case.id, "record_execution", "王明", {"text": "整改报告"}, date(2026, 10, 30))
    assert "measure_open" in refused(lite, case.id, "close", "赵刚", {}, date(2026, 11, 2))


def test_an_audit_fine_is_published_within_seven_working_days(lite: Office) -> None:
    """118号（六）: a 行政处罚 decision — an audit fine is one — within 7 working days."""
    from rules.deadlines import case_deadlines

    case = run_steps(lite, AUDIT_HEARING_ELIGIBLE, until="serve")
    found = {d.id for d in case_deadlines(case, lite.policy, AUDIT.deadlines, date(2026, 10, 12))}
    assert "publicity_penalty" in found
    assert "publicity_other" not in found


# -- review, revocation, a new office ----------------------------------------------------------
def test_the_review_extension_is_bounded_by_the_office_rule(lite: Office) -> None:
    """config periods.review_extension_days (5): the head extends once, within it."""
    case = run_steps(lite, PENALTY_WITH_HEARING, until="approve_review")
    assert "extension_days" in refused(lite, case.id, "extend_review", "赵刚",
                                       {"days": 9, "reason": "复杂"}, date(2026, 3, 30))  # fmt: skip
    lite.do(case.id, "extend_review", "赵刚", {"days": 5, "reason": "复杂"}, date(2026, 3, 30))
    assert "already_extended" in refused(lite, case.id, "extend_review", "赵刚",
                                         {"days": 1, "reason": "再延"}, date(2026, 3, 30))  # fmt: skip


@pytest.mark.parametrize("kind", ["revoked", "changed", "confirmed_illegal", "confirmed_void"])
def test_every_kind_of_revocation_starts_the_withdrawal(lite: Office, kind: str) -> None:
    """行政处罚法 Art. 48 ¶2: 变更、撤销、确认违法或者确认无效 → 三日内撤回."""
    from rules.deadlines import case_deadlines

    case = run_steps(lite, PENALTY_WITH_HEARING, until="serve")
    lite.publish(case.id, "刘洋", date(2026, 4, 2))
    _, after = lite.do(case.id, "revoke_decision", "赵刚", {"kind": kind, "reason": "复议决定"},
                       date(2026, 4, 7))  # fmt: skip
    found = {d.id: d.due for d in case_deadlines(after, lite.policy, PENALTY.deadlines, date(2026, 4, 7))}
    assert found["publicity_withdrawal"] == date(2026, 4, 10)


def test_a_new_office_is_not_lawful_by_default(tmp_path: Any) -> None:
    """`zhifa init` writes the review catalog the plan requires and its own agency block; until
    the review organ and the court are filled in, no notice and no site is made."""
    from terminal.office import create
    from workflow.config import load_settings
    from workflow.service import open_office

    keyring = Keyring()
    keyring.generate("管理员")
    config = create(tmp_path / "office", "铁山县审计局", "铁山审", "管理员", None, keyring,
                    REGISTER_START)  # fmt: skip
    settings = load_settings(config)
    assert settings.review_catalog
    assert {"agency.review_organ", "agency.court"} <= set(settings.placeholders())
    office = open_office(config, lambda: date(2026, 11, 24), keyring)
    training = replace(office.policy, periods=replace(office.policy.periods,
                                                      backdate_working_days=TRAINING_BACKDATE))
    office.policy = training
    from workflow.scenarios import STAFF

    for person in STAFF:
        office.add_staff("管理员", person, keyring.generate(person.name).public_key, REGISTER_START)
    opening = PENALTY_WITH_HEARING.steps[0]
    with pytest.raises(RefusedError) as info:
        office.open_case(PENALTY.id, opening.actor, opening.data, opening.on)
    assert "agency.review_organ" in info.value.reasons[0].message
    with pytest.raises(ConfigError):
        office.publish_site(tmp_path / "site")


def test_a_review_catalog_naming_an_unknown_procedure_is_refused(tmp_path: Any) -> None:
    """Issue 13: `procedures: [penalti]` would never match: refused at load, with its place."""
    from workflow.config import load_settings

    config = tmp_path / "config.yaml"
    config.write_text("review_catalog:\n- {name: 大额, procedures: [penalti], penalty_kinds: [flogging]}\n",
                      encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    assert "penalti" in str(info.value)
    assert "flogging" in str(info.value)


def test_an_opening_records_the_violation(lite: Office) -> None:
    """立案 records when the violation happened and was discovered (Art. 36)."""
    opening = PENALTY_WITH_HEARING.steps[0]
    data = {k: v for k, v in opening.data.items() if k not in ("violation_on", "discovered_on")}
    with pytest.raises(RefusedError) as info:
        lite.open_case(PENALTY.id, opening.actor, data, opening.on)
    assert {"missing_violation_on", "missing_discovered_on"} <= codes(info)


def test_the_stages_after_the_decision_end_in_the_archive(lite: Office) -> None:
    """The demo's case to the last act: partial payment, 催告, the court, 结案, 归档."""
    case = run_steps(lite, PENALTY_WITH_HEARING)
    assert case.state == "archive"
    assert [n["kind"] for n in lite.case(case.id).notices][-4:] == [
        "urge_notice", "enforcement_application", "closing_report", "file_index"]  # fmt: skip
    assert lite.verify() == []


def test_the_starter_powers_cite_what_empowers_them() -> None:
    """审计法 Art. 52 is the auditee's duty of 整改, not a power of the bureau: the 权责清单 names
    the audit decision by Arts. 45 (审计报告), 49 (财政收支) and 50 (财务收支), its remedy by
    Art. 53 and 实施条例 Art. 52 (audit: the citation was unchecked)."""
    import yaml

    from tests.conftest import STARTER_POWERS

    powers = {p["id"]: p for p in yaml.safe_load(STARTER_POWERS.read_text(encoding="utf-8"))}
    for power in powers.values():
        assert "审计法》第五十二条" not in power["basis"], power["id"]
    decision = powers["SJ-CL-001"]["basis"]
    for article in ("第四十五条", "第四十九条", "第五十条", "第五十三条"):
        assert article in decision


def test_a_review_catalog_field_must_be_one_the_office_declared(tmp_path: Any) -> None:
    """Issue 13 (audit: `fields: [typo]` loaded silently and never matched): a catalog entry's
    执法领域 must be one of `enforcement_fields`, and so must a case's `field`, or the review
    the catalog asks for (Art. 58 ¶1) would be skipped by a spelling."""
    from workflow.config import load_settings

    config = tmp_path / "config.yaml"
    config.write_text("review_catalog:\n- {name: 财政补助, fields: [财政补贴]}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    assert "财政补贴" in str(info.value)
    assert "enforcement_fields" in str(info.value)
    config.write_text("enforcement_fields: [财政补助, 预算执行]\n"
                      "review_catalog:\n- {name: 财政补助, fields: [财政补贴]}\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(ConfigError) as info:
        load_settings(config)
    assert "known: 财政补助, 预算执行" in str(info.value)
    config.write_text("enforcement_fields: [财政补助, 预算执行]\n"
                      "review_catalog:\n- {name: 财政补助, fields: [财政补助]}\n", encoding="utf-8")  # fmt: skip
    policy = load_settings(config).policy()
    assert policy.fields == ("财政补助", "预算执行")


def test_a_case_field_must_be_one_the_office_declared(sqlite_url: str) -> None:
    from tests.conftest import make_office, office_settings

    office = make_office(sqlite_url, office_settings(enforcement_fields=["财政补助", "预算执行"]))
    opening = PENALTY_WITH_HEARING.steps[0]
    with pytest.raises(RefusedError) as info:
        office.open_case(PENALTY.id, opening.actor, {**opening.data, "field": "财政补贴"}, opening.on)
    [reason] = [r for r in info.value.reasons if r.code == "unknown_field"]
    assert "财政补助、预算执行" in reason.message
    _, case = office.open_case(PENALTY.id, opening.actor, {**opening.data, "field": "财政补助"},
                               opening.on)  # fmt: skip
    assert case.details["field"] == "财政补助"
    office.store.dispose()
