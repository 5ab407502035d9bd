"""Each guard, with the legal situation it protects. Guards are pure: no database here."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rules.act import Act
from rules.drafts import draft_hash
from rules.model import Case, Person
from rules.policy import CatalogEntry, Policy
from rules.registry import GUARDS
from states.catalog import PROCEDURES
from states.penalty import PENALTY
from workflow.scenarios import ALL_PASS, STAFF

STAFF_MAP = {p.name: p for p in STAFF}
ON = date(2026, 9, 1)
FINE = {"outcome": "penalty", "penalty_kinds": ["fine"], "amount": "20000.00",
        "confiscation": None, "facts": "f", "basis": "b", "triggers": []}  # fmt: skip


def case(**kw: Any) -> Case:
    base: dict[str, Any] = {
        "id": "P-2026-0001", "procedure": "penalty", "state": "evidence", "version": 5,
        "opened_on": "2026-08-03", "last_on": "2026-08-20",
        "party": {"name": "某公司", "type": "unit", "id": "", "address": ""},
        "assignments": {"officer": ["王明", "李华"]},
    }  # fmt: skip
    base.update(kw)
    return Case(**base)


def check(name: str, c: Case, actor: str = "王明", role: str | None = "officer",
          data: dict[str, Any] | None = None, on: date = ON, policy: Policy | None = None,
          prior_reviews: int = 0, staff: dict[str, Person] | None = None) -> list[str]:  # fmt: skip
    act = Act(
        proc=PROCEDURES[c.procedure], action="x", case=c, actor=(staff or STAFF_MAP)[actor], role=role,
        on=on, today=date(2026, 11, 24), data=data, staff=staff or STAFF_MAP,
        policy=policy or Policy(), prior_reviews=prior_reviews, permitted=("officer",),
    )  # fmt: skip
    return [r.code for r in GUARDS[name].fn(act)]


def test_every_reason_names_a_legal_or_local_source_where_law_applies() -> None:
    reasons = GUARDS["two_officers_certified"].fn(
        Act(
            PENALTY,
            "x",
            case(assignments={"officer": ["王明"]}),
            STAFF_MAP["王明"],
            "officer",
            ON,
            ON,
            None,
            STAFF_MAP,
        )  # fmt: skip
    )
    assert reasons
    assert "行政处罚法第四十二条" in reasons[0].source


# -- people ------------------------------------------------------------------------------
def test_role_is_required_and_inactive_people_cannot_act() -> None:
    assert check("actor_permitted", case(), role=None) == ["role_not_permitted"]
    inactive = {**STAFF_MAP, "王明": Person("王明", ("officer",), active=False)}
    assert check("actor_permitted", case(), staff=inactive) == ["actor_inactive"]


def test_two_officers_with_certificates_valid_on_the_act_date() -> None:
    """行政处罚法 Art. 42: at least two officers holding valid certificates."""
    assert check("two_officers_certified", case()) == []
    assert check("two_officers_certified", case(assignments={"officer": ["王明"]})) == [
        "two_officers"
    ]
    expired = {**STAFF_MAP, "李华": Person("李华", ("officer",), "c", "x", date(2026, 8, 31))}
    assert check("two_officers_certified", case(), staff=expired, on=date(2026, 9, 1)) == [
        "two_officers"
    ]
    assert check("two_officers_certified", case(), staff=expired, on=date(2026, 8, 31)) == []


def test_officer_certificate_checked_on_the_day_of_the_act() -> None:
    expired = {**STAFF_MAP, "王明": Person("王明", ("officer",), "c", "x", date(2026, 8, 31))}
    assert check("officer_certified", case(), staff=expired) == ["certificate_invalid"]
    assert check("officer_certified", case(), staff=expired, on=date(2026, 8, 31)) == []


def test_only_assigned_officers_act_on_a_case() -> None:
    assert check("assigned_officer", case(assignments={"officer": ["李华"]})) == ["not_assigned"]


def test_reviewer_is_never_an_officer_hearing_officer_or_decider_of_the_case() -> None:
    """118号 (十二); 行政处罚法 Art. 58: review is independent of investigation and decision."""
    assert check("reviewer_separation", case(), actor="陈静", role="reviewer") == []
    as_officer = case(assignments={"officer": ["王明", "陈静"]})
    assert check("reviewer_separation", as_officer, actor="陈静", role="reviewer") == [
        "reviewer_separation"
    ]
    as_decider = case(actors={"陈静": ["decider"]})
    assert check("reviewer_separation", as_decider, actor="陈静", role="reviewer") == [
        "reviewer_separation"
    ]
    heard = case(assignments={"officer": ["王明"], "hearing_officer": ["陈静"]})
    assert check("reviewer_separation", heard, actor="陈静", role="reviewer") == [
        "reviewer_separation"
    ]


def test_first_time_reviewer_needs_legal_qualification() -> None:
    """行政处罚法 Art. 58 ¶2."""
    staff = {**STAFF_MAP, "新人": Person("新人", ("reviewer",))}
    assert check("reviewer_qualified", case(), actor="新人", role="reviewer", staff=staff) == [
        "reviewer_unqualified"
    ]
    assert (
        check(
            "reviewer_qualified",
            case(),
            actor="新人",
            role="reviewer",
            staff=staff,
            prior_reviews=3,
        )
        == []
    )


def test_hearing_officer_is_no_investigator() -> None:
    """行政处罚法 Art. 64(4): the hearing is chaired by someone who did not investigate."""
    assert check("hearing_officer_valid", case(), actor="赵刚", role="head",
                 data={"hearing_officer": "周平"}) == []  # fmt: skip
    staff = {
        **STAFF_MAP,
        "李华": Person("李华", ("officer", "hearing_officer"), "c", "x", date(2030, 1, 1)),
    }
    assert check("hearing_officer_valid", case(), actor="赵刚", role="head", staff=staff,
                 data={"hearing_officer": "李华"}) == ["hearing_officer_investigator"]  # fmt: skip
    assert check("hearing_officer_valid", case(), actor="赵刚", role="head",
                 data={"hearing_officer": "王明"}) == ["hearing_officer"]  # fmt: skip


def test_assignment_respects_roles_and_separation() -> None:
    head = {"actor": "赵刚", "role": "head"}
    assert (
        check("assignee_valid", case(), data={"person": "陈静", "role": "reviewer"}, **head) == []
    )
    assert check("assignee_valid", case(), data={"person": "陈静", "role": "officer"}, **head) == [
        "assignee"
    ]
    assert check(
        "assignee_valid", case(), data={"person": "nobody", "role": "officer"}, **head
    ) == ["assignee"]
    assert check("assignee_valid", case(), data={"person": "王明", "role": "officer"}, **head) == [
        "already_assigned"
    ]
    assert check("assignee_valid", case(), data={"person": "王明", "role": "head"}, **head) == [
        "assign_role"
    ]


def test_decider_did_not_review() -> None:
    reviewed = case(review={"reviewers": ["赵刚"]})
    assert check("decider_separation", reviewed, actor="赵刚", role="head") == [
        "decider_separation"
    ]


# -- input -------------------------------------------------------------------------------
def test_party_and_source_recorded_at_opening() -> None:
    """行政处罚法 Art. 54: 立案 with the party and the facts of the source."""
    good = {"title": "t", "party": "p", "party_type": "unit", "source": "s",
            "party_id": "91230200MA1B2C3D4E", "party_address": "铁锋区工业路88号"}  # fmt: skip
    assert check("party_recorded", case(), data=good) == []
    # Art. 59(一): a decision names the address and a unit's credit code, so 立案 records them
    assert check("party_recorded", case(), data={**good, "party_address": ""}) == [
        "missing_party_address"
    ]
    assert check("party_recorded", case(), data={**good, "party_id": ""}) == ["missing_party_id"]
    assert check("party_recorded", case(), data={**good, "party_id": "91230200MA1B2C3D4F"}) == [
        "party_id"
    ]
    person = {**good, "party_type": "individual", "party_id": "230202198503121235"}
    assert check("party_recorded", case(), data=person) == ["party_id"]


def test_evidence_is_one_of_the_eight_kinds() -> None:
    """行政处罚法 Art. 46."""
    assert check("evidence_valid", case(), data={"type": "witness", "title": "证言"}) == []
    assert check("evidence_valid", case(), data={"type": "rumour", "title": "x"}) == [
        "evidence_type"
    ]


def test_a_penalty_draft_states_facts_basis_kind_and_amount() -> None:
    assert check("draft_complete", case(), data=FINE) == []
    assert check("draft_complete", case(), data={**FINE, "amount": None}) == ["amount"]
    assert check("draft_complete", case(), data={**FINE, "basis": ""}) == ["missing_basis"]
    assert check("draft_complete", case(), data={**FINE, "penalty_kinds": ["flogging"]}) == [
        "penalty_kinds"
    ]
    assert check("draft_complete", case(), data={**FINE, "penalty_kinds": []}) == [
        "penalty_kinds"
    ]
    assert check("draft_complete", case(), data={**FINE, "triggers": ["whim"]}) == ["triggers"]
    assert check("draft_complete", case(), data={"outcome": "maybe"}) == ["draft_outcome"]


def test_electronic_service_needs_the_partys_consent() -> None:
    """行政处罚法 Art. 61 ¶2."""
    data = {"method": "electronic", "recipient": "r"}
    assert check("service_method_valid", case(), data=data) == ["electronic_consent"]
    assert check("service_method_valid", case(), data={**data, "consent": True}) == []
    assert check("service_method_valid", case(), data={"method": "pigeon", "recipient": "r"}) == [
        "service_method"
    ]


def test_checklist_approval_needs_every_point_to_pass() -> None:
    assert (
        check("checklist_all_pass", case(), data={"checklist": ALL_PASS, "opinion": "同意"}) == []
    )
    one_fail = {**ALL_PASS, "facts_evidence": {"result": "fail", "comment": "证据不足"}}
    assert check("checklist_all_pass", case(), data={"checklist": one_fail, "opinion": "x"}) == [
        "checklist_failed"
    ]
    partial = {k: v for k, v in ALL_PASS.items() if k != "referral"}
    assert check("checklist_all_pass", case(), data={"checklist": partial, "opinion": "x"}) == [
        "checklist_incomplete"
    ]


def test_rejection_needs_a_failed_point_with_its_reason() -> None:
    one_fail = {**ALL_PASS, "facts_evidence": {"result": "fail", "comment": "证据不足"}}
    assert (
        check("checklist_has_failure", case(), data={"checklist": one_fail, "opinion": "x"}) == []
    )
    assert check("checklist_has_failure", case(), data={"checklist": ALL_PASS, "opinion": "x"}) == [
        "checklist_all_passed"
    ]
    silent = {**ALL_PASS, "facts_evidence": "fail"}
    assert check("checklist_has_failure", case(), data={"checklist": silent, "opinion": "x"}) == [
        "checklist_comment"
    ]


# -- procedure ---------------------------------------------------------------------------
def test_notice_needs_evidence_and_a_penalty_draft() -> None:
    """行政处罚法 Art. 44: the party is told of a *proposed penalty*, on evidence."""
    assert check("has_evidence", case()) == ["no_evidence"]
    assert check("has_draft", case()) == ["no_draft"]
    minor = case(draft={**FINE, "outcome": "no_penalty_minor"})
    assert check("draft_is_penalty", minor) == ["not_penalty"]


def test_decide_needs_review_passed_on_the_current_draft() -> None:
    """行政处罚法 Art. 58: 未经法制审核或者审核未通过的，不得作出决定."""
    heard = {"requested_on": "2026-08-13", "concluded_on": "2026-08-26"}
    approved = case(state="review", draft=FINE, hearing=heard,
                    review={"status": "approved", "approved_hash": draft_hash(FINE)})  # fmt: skip
    assert check("legal_review_passed", approved, actor="赵刚", role="head") == []
    changed = {**FINE, "amount": "19000.00"}
    voided = case(state="review", draft=changed, hearing=heard,
                  review={"status": "approved", "approved_hash": draft_hash(FINE)})  # fmt: skip
    reasons = GUARDS["legal_review_passed"].fn(
        Act(PENALTY, "decide", voided, STAFF_MAP["赵刚"], "head", ON, ON, {}, STAFF_MAP)
    )
    assert [r.code for r in reasons] == ["review_not_passed"]
    assert "修改" in reasons[0].message
    never = case(state="notice", draft=FINE, hearing=heard)
    assert check("legal_review_passed", never, actor="赵刚", role="head") == ["review_not_passed"]


def test_review_not_needed_for_a_small_fine_without_triggers() -> None:
    small = case(state="notice", draft=FINE)
    assert check("legal_review_passed", small, actor="赵刚", role="head") == []
    assert check("review_needed", small) == ["review_not_required"]
    flagged = case(draft={**FINE, "triggers": ["complex"]})
    assert check("review_needed", flagged) == []


def test_review_catalog_in_config_requires_review() -> None:
    policy = Policy(
        catalog=(CatalogEntry("大额罚款", min_amount=__import__("decimal").Decimal("10000")),)
    )
    assert check("review_needed", case(draft=FINE), policy=policy) == []


def test_no_decision_heavier_than_the_notified_draft() -> None:
    """行政处罚法 Art. 45: no heavier penalty because the party defended itself."""
    notified = {"seq": 7, "on": "2026-08-11", "draft": FINE}
    heavier = case(draft={**FINE, "amount": "30000.00"}, notified=notified)
    assert check("not_heavier_than_notified", heavier) == ["heavier_than_notified"]
    lighter = case(draft={**FINE, "amount": "10000.00"}, notified=notified)
    assert check("not_heavier_than_notified", lighter) == []
    harsher_kind = case(draft={**FINE, "penalty_kinds": ["fine", "licence_revocation"]},
                        notified=notified)  # fmt: skip
    assert check("not_heavier_than_notified", harsher_kind) == ["heavier_than_notified"]


def test_major_case_needs_collective_discussion() -> None:
    """行政处罚法 Art. 57 ¶2."""
    major = case(draft={**FINE, "triggers": ["major_public_interest"]})
    assert check("collective_discussion", major, data={}) == ["collective_discussion"]
    assert check("collective_discussion", major, data={"collective_discussion": "局务会"}) == []


def test_hearing_is_for_eligible_penalties_only() -> None:
    """行政处罚法 Art. 63: 较大数额罚款 etc. Thresholds from config (unit ¥100,000)."""
    small = case(notified={"seq": 7, "on": "2026-08-11", "draft": FINE})
    assert check("draft_hearing_eligible", small) == ["not_hearing_eligible"]
    big = {**FINE, "amount": "100000.00"}
    assert (
        check("draft_hearing_eligible", case(notified={"seq": 7, "on": "2026-08-11", "draft": big}))
        == []
    )
    person = case(party={"type": "individual"}, notified={"seq": 7, "on": "x", "draft": FINE})
    assert check("draft_hearing_eligible", person) == []  # ¥20,000 ≥ ¥10,000 for an individual


def test_transcript_before_concluding_hearing_and_hearing_held_first() -> None:
    assert check("transcript_recorded", case(), data={"transcript": ""}) == ["missing_transcript"]
    scheduled = case(hearing={"hearing_date": "2026-09-10"})
    assert check("hearing_held", scheduled, on=date(2026, 9, 9)) == ["hearing_not_held"]
    assert check("hearing_held", scheduled, on=date(2026, 9, 10)) == []


def test_archive_only_with_a_complete_file() -> None:
    closed = case(state="closed", closed={"on": "2026-09-16"}, acts=["open", "close"],
                  notices=[{"kind": "filing_approval"}])  # fmt: skip
    assert check("case_file_complete", closed) == ["file_incomplete"]
    closed.notices.append({"kind": "closing_report"})
    assert check("case_file_complete", closed) == []


def test_close_needs_payment_in_full_or_court_enforcement() -> None:
    """Payment is met only when the whole fine is paid; otherwise the court (domain.md §3.4)."""
    served = {"seq": 9, "on": "2026-08-20", "method": "direct"}
    decided = case(state="service", decision={"on": "2026-08-19", "draft": FINE}, service=served)
    assert check("execution_done", decided, actor="赵刚", role="head") == ["money_owed"]
    part = case(state="service", decision={"on": "2026-08-19", "draft": FINE}, service=served,
                payments=[{"seq": 10, "on": "2026-08-21", "amount": "5000.00"}])  # fmt: skip
    assert check("execution_done", part, actor="赵刚", role="head") == ["money_owed"]
    paid = case(state="service", decision={"on": "2026-08-19", "draft": FINE}, service=served,
                payments=[{"seq": 10, "on": "2026-08-21", "amount": "20000.00"}])  # fmt: skip
    assert check("execution_done", paid, actor="赵刚", role="head") == []
    enforced = case(state="enforcement", decision={"on": "2026-08-19", "draft": FINE},
                    service=served, enforcement={"applied": {"seq": 12, "on": "2027-03-01"}})  # fmt: skip
    assert check("execution_done", enforced, actor="赵刚", role="head") == []


# -- time --------------------------------------------------------------------------------
def test_act_date_not_in_future_nor_before_the_previous_act() -> None:
    assert check("occurred_on_valid", case(), on=date(2026, 11, 25)) == ["future_date"]
    assert check("occurred_on_valid", case(), on=date(2026, 8, 19)) == ["date_before_previous"]
    assert check("occurred_on_valid", case(), on=date(2026, 8, 20)) == []


def test_hearing_request_within_five_working_days_of_notice() -> None:
    """行政处罚法 Art. 64(1). Notice served Wed 30 Sep 2026; National Day follows."""
    big = {**FINE, "amount": "100000.00"}
    notified = case(notified={"seq": 7, "on": "2026-09-30", "draft": big})
    # 5 working days: 8, 9, 10 (make-up Sat), 12, 13 Oct
    assert check("hearing_request_window", notified, on=date(2026, 10, 13)) == []
    assert check("hearing_request_window", notified, on=date(2026, 10, 14)) == [
        "hearing_request_late"
    ]


def test_statement_window_blocks_until_over_or_spoken() -> None:
    notified = {"seq": 7, "on": "2026-09-30", "draft": FINE}
    waiting = case(state="notice", notified=notified)
    # 3 working days: 8, 9, 10 Oct → over from 11 Oct
    assert check("statement_window_closed", waiting, on=date(2026, 10, 10)) == [
        "statement_window_open"
    ]
    assert check("statement_window_closed", waiting, on=date(2026, 10, 12)) == []
    spoke = case(
        state="notice",
        notified=notified,
        statements=[{"seq": 8, "on": "2026-10-08", "kind": "waiver"}],
    )
    assert check("statement_window_closed", spoke, on=date(2026, 10, 8)) == []


def test_hearing_notice_seven_working_days_ahead() -> None:
    """行政处罚法 Art. 64(2)."""
    head = {"actor": "赵刚", "role": "head"}
    c = case(state="hearing")
    # from Tue 29 Sep: 30 Sep, 8, 9, 10, 12, 13, 14 Oct → hearing no earlier than 14 Oct
    assert check(
        "hearing_notice_lead", c, data={"hearing_date": "2026-10-13"}, on=date(2026, 9, 29), **head
    ) == ["hearing_notice_late"]
    assert (
        check(
            "hearing_notice_lead",
            c,
            data={"hearing_date": "2026-10-14"},
            on=date(2026, 9, 29),
            **head,
        )
        == []
    )


def test_audit_notice_three_working_days_before_fieldwork() -> None:
    """审计法 Art. 42, with the head's special-circumstances approval as the exception."""
    head = {"actor": "赵刚", "role": "head"}
    c = case(procedure="audit", state="initiation", audit_notice={"seq": 3, "on": "2026-09-30"})
    assert check("audit_notice_lead", c, on=date(2026, 10, 9), data={}, **head) == [
        "audit_notice_lead"
    ]
    assert check("audit_notice_lead", c, on=date(2026, 10, 10), data={}, **head) == []
    approved = {"special_approval": "涉嫌转移证据，经局长批准即时进场"}
    assert check("audit_notice_lead", c, on=date(2026, 10, 8), data=approved, **head) == []
    assert check("audit_notice_lead", case(procedure="audit"), data={}, **head) == [
        "no_audit_notice"
    ]


def test_auditee_has_ten_working_days_to_answer() -> None:
    """审计法 Art. 44: silence past 10 days means no objection."""
    c = case(
        procedure="audit", state="notice", notified={"seq": 8, "on": "2026-09-16", "draft": FINE}
    )
    # 17, 18, 20 (make-up Sunday), 21–24, 28, 29, 30 Sep (25–27 Sep are Mid-Autumn holidays)
    due = date(2026, 9, 29)
    assert check("auditee_opinion_closed", c, on=due) == ["auditee_opinion_open"]
    assert check("auditee_opinion_closed", c, on=date(2026, 10, 8)) == []


def test_late_decision_needs_recorded_extension() -> None:
    """行政处罚法 Art. 60: 90 days from opening (3 Aug 2026 → 1 Nov, a Sunday → 2 Nov)."""
    head = {"actor": "赵刚", "role": "head"}
    assert check("decision_extension", case(), on=date(2026, 11, 2), data={}, **head) == []
    assert check("decision_extension", case(), on=date(2026, 11, 3), data={}, **head) == [
        "decision_late"
    ]
    assert (
        check(
            "decision_extension",
            case(),
            on=date(2026, 11, 3),
            data={"extension": "经负责人批准延长30日"},
            **head,
        )
        == []
    )


@pytest.mark.parametrize("name", sorted(GUARDS))
def test_every_guard_returns_reasons_not_booleans(name: str) -> None:
    act = Act(
        PENALTY, "x", case(), STAFF_MAP["王明"], "officer", ON, date(2026, 11, 24), {}, STAFF_MAP
    )
    result = GUARDS[name].fn(act)
    assert isinstance(result, list)
    assert all(r.code and r.message for r in result)
