"""Procedure definitions: exactly the handbook's ids, and invalid definitions refused at load."""

from __future__ import annotations

import dataclasses

import pytest

from rules.deadlines import DEADLINE_IDS
from rules.model import ROLES
from rules.notices import NOTICE_LABELS, NOTICE_RULES
from rules.registry import GUARDS
from states.audit import AUDIT
from states.definition import NEW, SAME, Action, Procedure, State, validate
from states.penalty import PENALTY
from workflow.errors import DefinitionError, WorkflowError
from workflow.machine import ProcedureMachine

STATE_IDS = {"initiation", "evidence", "notice", "hearing", "review", "decision", "service",
             "closed", "withdrawn", "archive"}  # fmt: skip
PENALTY_ACTIONS = {
    "open", "assign", "investigate", "add_evidence", "draft_decision", "notify",
    "record_statement", "waive", "request_hearing", "schedule_hearing", "conclude_hearing",
    "submit_review", "request_supplement", "approve_review", "reject_review", "escalate",
    "resolve", "decide", "serve", "record_execution", "close", "withdraw", "archive",
    "record_av",  # 音像记录 (issue 6: whole-process record), not in the handbook's table
    "publish", "withdraw_publication", "revoke_decision",  # 公示 (issue 7, domain.md §7)
}  # fmt: skip
AUDIT_ACTIONS = (PENALTY_ACTIONS - {"notify", "waive"}) | {"serve_audit_notice", "solicit_opinion"}


def load(proc: Procedure) -> Procedure:
    return validate(
        proc, guards=GUARDS, roles=ROLES, notices=set(NOTICE_LABELS) | set(NOTICE_RULES),
        deadlines=DEADLINE_IDS,
    )  # fmt: skip


def test_the_two_procedures_use_the_handbooks_ids() -> None:
    assert {s.id for s in PENALTY.states} == STATE_IDS
    assert {a.id for a in PENALTY.actions} == PENALTY_ACTIONS
    assert {a.id for a in AUDIT.actions} == AUDIT_ACTIONS
    load(PENALTY)
    load(AUDIT)


def test_decide_always_checks_the_legal_review() -> None:
    for proc in (PENALTY, AUDIT):
        decide = proc.action("decide")
        assert decide is not None
        assert "legal_review_passed" in decide.guards
        assert decide.roles == ("head",)


def _with(proc: Procedure, **changes: object) -> Procedure:
    return dataclasses.replace(proc, **changes, _by_id={})


def _replace_action(proc: Procedure, action_id: str, **changes: object) -> Procedure:
    actions = tuple(
        dataclasses.replace(a, **changes) if a.id == action_id else a for a in proc.actions
    )
    return _with(proc, actions=actions)


@pytest.mark.parametrize(
    ("broken", "offending", "words"),
    [
        (
            _replace_action(PENALTY, "notify", guards=("has_evidence", "vibes")),
            "notify",
            "unknown guard 'vibes'",
        ),
        (_replace_action(PENALTY, "decide", roles=("mayor",)), "decide", "unknown role 'mayor'"),
        (_replace_action(PENALTY, "serve", notice="poem"), "serve", "unknown notice 'poem'"),
        (_replace_action(PENALTY, "serve", target="limbo"), "serve", "unknown target"),
        (_with(PENALTY, initial="start"), "start", "initial state is not declared"),
        (_with(PENALTY, deadlines=("someday",)), "someday", "unknown deadline"),
        (
            _with(PENALTY, states=(*PENALTY.states, State("evidence", "重复", "dup"))),
            "evidence",
            "duplicate state",
        ),
        (
            _with(PENALTY, actions=(*PENALTY.actions, PENALTY.actions[0])),
            "open",
            "duplicate action",
        ),
        (
            _with(PENALTY, states=(*PENALTY.states, State("limbo", "悬置", "limbo"))),
            "limbo",
            "unreachable",
        ),
        (
            _with(
                PENALTY,
                states=(*PENALTY.states, State("stuck", "卡住", "stuck")),
                actions=(
                    *PENALTY.actions,
                    Action("stick", "卡", "stick", ("service",), "stuck", ("head",)),
                ),
            ),
            "stuck",
            "dead end",
        ),
    ],
)
def test_invalid_definitions_are_refused_naming_procedure_and_id(
    broken: Procedure, offending: str, words: str
) -> None:
    with pytest.raises(DefinitionError) as info:
        load(broken)
    assert info.value.procedure == "penalty"
    assert info.value.offending == offending
    assert words in str(info.value)
    assert isinstance(info.value, WorkflowError)


def test_a_final_state_must_not_be_left() -> None:
    leaving = _with(PENALTY, actions=(*PENALTY.actions,
                    Action("unarchive", "取消归档", "unarchive", ("archive",), "closed", ("head",))))  # fmt: skip
    with pytest.raises(DefinitionError, match="final state"):
        load(leaving)


def test_one_machine_per_procedure_shared_by_every_case() -> None:
    from workflow.service import shared_engine

    engine = shared_engine()
    assert engine is shared_engine()
    machine = engine.machines["penalty"]
    assert isinstance(machine, ProcedureMachine)
    assert machine.machine.models == []  # no case is bound to the shared machine
    assert machine.target("resolve", "review", {"outcome": "return"}) == "evidence"
    assert machine.target("resolve", "review", {"outcome": "rereview"}) == "review"
    assert machine.target("assign", "evidence", {}) == "evidence"
    assert machine.target("open", NEW, {}) == "initiation"
    assert SAME not in machine.machine.states
