"""The engine through the application service, on every store (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import run_steps, signed
from workflow.errors import BadInputError, ConflictError, NotFoundError, RefusedError
from workflow.scenarios import ALL_PASS, AUDIT_WITH_SUPPLEMENT, PENALTY_WITH_HEARING, SCENARIOS
from workflow.service import Office


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.procedure)
def test_scenarios_run_to_archive_and_verify(office: Office, scenario) -> None:  # type: ignore[no-untyped-def]
    case = run_steps(office, scenario)
    assert case.state == "archive"
    assert case.version == len(scenario.steps)
    assert office.verify() == []
    assert office.replay(case.id).to_dict() == office.case(case.id).to_dict()


def test_case_numbers_count_per_procedure_and_year(office: Office) -> None:
    first = run_steps(office, PENALTY_WITH_HEARING, until="assign")
    second = run_steps(office, PENALTY_WITH_HEARING, until="assign")
    audit = run_steps(office, AUDIT_WITH_SUPPLEMENT, until="assign")
    assert (first.id, second.id, audit.id) == ("P-2026-0001", "P-2026-0002", "A-2026-0001")


def test_a_refused_action_appends_nothing_and_changes_nothing(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="approve_review")
    before = office.case(case.id).to_dict()
    events_before = office.history(case.id)
    with pytest.raises(RefusedError) as info:
        office.do(
            case.id,
            "decide",
            "赵刚",
            {"collective_discussion": "x", "statement_response": "采纳"},
            date(2026, 4, 1),
        )
    assert [r.code for r in info.value.reasons] == ["review_not_passed"]
    assert office.case(case.id).to_dict() == before
    assert office.history(case.id) == events_before


def test_refusal_lists_every_reason_at_once(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="approve_review")
    with pytest.raises(RefusedError) as info:
        office.do(case.id, "decide", "王明", {}, date(2026, 4, 1))
    codes = {r.code for r in info.value.reasons}
    assert {"role_not_permitted", "review_not_passed", "collective_discussion"} <= codes


def test_draft_changed_after_approval_voids_it_and_decide_says_so(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="decide")
    office.do(case.id, "draft_decision", "王明", {
        "outcome": "penalty", "penalty_kinds": ["fine"], "amount": "110000",
        "facts": "f", "basis": "b"}, date(2026, 4, 1))  # fmt: skip
    with pytest.raises(RefusedError) as info:
        office.do(
            case.id,
            "decide",
            "赵刚",
            {"collective_discussion": "讨论", "statement_response": "采纳"},
            date(2026, 4, 1),
        )
    reason = next(r for r in info.value.reasons if r.code == "review_not_passed")
    assert "修改" in reason.message
    office.do(
        case.id,
        "approve_review",
        "陈静",
        {"checklist": ALL_PASS, "opinion": "同意"},
        date(2026, 4, 1),
    )
    _, decided = office.do(
        case.id,
        "decide",
        "赵刚",
        {"collective_discussion": "讨论", "statement_response": "采纳"},
        date(2026, 4, 1),
    )
    assert decided.decision is not None
    assert decided.decision["draft_hash"] == decided.review["approved_hash"]


def test_heavier_decision_needs_a_new_notice(lite: Office) -> None:
    case = run_steps(lite, PENALTY_WITH_HEARING, until="decide")
    lite.do(case.id, "draft_decision", "王明", {
        "outcome": "penalty", "penalty_kinds": ["fine"], "amount": "200000",
        "facts": "f", "basis": "b"}, date(2026, 4, 1))  # fmt: skip
    lite.do(
        case.id,
        "approve_review",
        "陈静",
        {"checklist": ALL_PASS, "opinion": "同意"},
        date(2026, 4, 1),
    )
    with pytest.raises(RefusedError) as info:
        lite.do(
            case.id,
            "decide",
            "赵刚",
            {"collective_discussion": "x", "statement_response": "采纳"},
            date(2026, 4, 1),
        )
    assert [r.code for r in info.value.reasons] == ["heavier_than_notified"]


def test_available_actions_are_the_engines_own_verdicts(lite: Office) -> None:
    case = run_steps(lite, PENALTY_WITH_HEARING, until="notify")
    verdicts = {v.action: v for v in lite.actions(case.id, "王明", date(2026, 3, 10))}
    assert verdicts["notify"].allowed
    assert not verdicts["decide"].allowed
    assert not verdicts["submit_review"].allowed  # no ground for review yet: not heard, no trigger
    # an allowed verdict really fires; a refused one raises with the same reasons
    refused = verdicts["decide"]
    with pytest.raises(RefusedError) as info:
        lite.do(case.id, "decide", "王明", {}, date(2026, 3, 10))
    assert {r.code for r in refused.reasons} <= {r.code for r in info.value.reasons}


def test_stale_writer_gets_a_conflict_and_nothing_changes(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="add_evidence")
    data = {"type": "documentary", "title": "账簿"}
    office.do(
        case.id, "add_evidence", "王明", data, date(2026, 3, 4), expected_version=case.version
    )
    with pytest.raises(ConflictError):
        office.do(
            case.id, "add_evidence", "李华", data, date(2026, 3, 4), expected_version=case.version
        )
    assert office.case(case.id).version == case.version + 1


def test_store_refuses_a_write_based_on_an_old_version(office: Office) -> None:
    """Two writers loaded the same version: the second save loses and writes nothing."""
    case = run_steps(office, PENALTY_WITH_HEARING, until="add_evidence")
    engine, staff = office.engine, office.store.staff()
    ctx = office._context(staff["王明"], "add_evidence")
    ev1, after1 = engine.fire(
        case,
        "add_evidence",
        staff["王明"],
        date(2026, 3, 4),
        ctx,
        {"type": "physical", "title": "a"},
    )
    ev2, after2 = engine.fire(
        case,
        "add_evidence",
        staff["李华"],
        date(2026, 3, 4),
        ctx,
        {"type": "physical", "title": "b"},
    )
    office.store.append(signed(office, ev1), after1, case.version)
    with pytest.raises(ConflictError):
        office.store.append(signed(office, ev2), after2, case.version)
    assert [e.hash for e in office.history(case.id)][-1] == ev1.hash
    assert office.verify(case.id) == []


def test_unknown_things_are_reported(office: Office) -> None:
    with pytest.raises(NotFoundError):
        office.case("P-2026-9999")
    case = run_steps(office, PENALTY_WITH_HEARING, until="assign")
    with pytest.raises(NotFoundError):
        office.do(case.id, "bribe", "王明", {}, date(2026, 3, 2))
    with pytest.raises(BadInputError) as info:
        office.do(
            case.id,
            "assign",
            "赵刚",
            {"person": "李华", "role": "officer", "colour": "red"},
            date(2026, 3, 2),
        )
    assert "colour" in str(info.value)
    with pytest.raises(RefusedError) as refused:
        office.do(
            case.id, "assign", "nobody", {"person": "李华", "role": "officer"}, date(2026, 3, 2)
        )
    assert refused.value.reasons[0].code == "unknown_actor"


def test_deactivated_staff_keep_their_history_but_cannot_act(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="draft_decision")
    with pytest.raises(RefusedError):
        office.set_active("王明", "李华", False)  # only an admin manages the register
    office.set_active("管理员", "李华", False, date(2026, 3, 6))  # effective from that day
    assert not office.staff()["李华"].active
    assert any(e.actor == "李华" for e in office.history(case.id))
    with pytest.raises(RefusedError) as refused:
        office.do(
            case.id, "add_evidence", "李华", {"type": "physical", "title": "x"}, date(2026, 3, 6)
        )
    assert "actor_inactive" in {r.code for r in refused.value.reasons}
    # and facing the party now lacks a second active, certified officer (行政处罚法 Art. 42)
    office.do(
        case.id, "draft_decision", "王明", PENALTY_WITH_HEARING.steps[5].data, date(2026, 3, 9)
    )
    with pytest.raises(RefusedError) as alone:
        office.do(
            case.id, "notify", "王明", {"method": "direct", "recipient": "r"}, date(2026, 3, 10)
        )
    assert [r.code for r in alone.value.reasons] == ["two_officers"]
    assert office.verify(case.id) == []


def test_a_register_change_made_by_another_office_counts_at_the_next_act(office: Office) -> None:
    """Each process keeps the staff register it last read: a change another process records
    (here a second office on the same database) is seen by the very next act."""
    from workflow.store import Store

    case = run_steps(office, PENALTY_WITH_HEARING, until="draft_decision")
    evidence = {"type": "physical", "title": "x"}
    office.do(case.id, "add_evidence", "李华", evidence, date(2026, 3, 6))  # register now read
    other = Office(Store(office.store.url), office.policy, clock=office.clock, signer=office.signer)
    other.set_active("管理员", "李华", False, date(2026, 3, 9))
    with pytest.raises(RefusedError) as refused:
        office.do(case.id, "add_evidence", "李华", evidence, date(2026, 3, 9))
    assert "actor_inactive" in {r.code for r in refused.value.reasons}
    other.set_active("管理员", "李华", True, date(2026, 3, 10))
    _, after = office.do(case.id, "add_evidence", "李华", evidence, date(2026, 3, 10))
    assert after.evidence[-1]["by"] == "李华"
    other.store.dispose()
    assert office.verify(case.id) == []


def test_replay_until_shows_the_case_as_it_stood(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING)
    at_notice = office.replay(case.id, 7)
    assert at_notice.state == "notice"
    assert at_notice.version == 7
    assert at_notice.draft is not None
    assert at_notice.draft["amount"] == "150000.00"
    with pytest.raises(BadInputError):
        office.replay(case.id, 99)
