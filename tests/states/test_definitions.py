"""Procedure definitions: the handbook's ids, validated at load with every problem reported,
and the only place a procedure lives (issue 13)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from rules.errors import DefinitionError, WorkflowError
from states.audit import AUDIT
from states.catalog import PROCEDURES
from states.definition import NEW, SAME, Action, Issue, Procedure, State
from states.penalty import PENALTY
from states.validation import validate
from workflow.machine import ProcedureMachine, known_names

ROOT = Path(__file__).resolve().parents[2]
STATE_IDS = {"initiation", "evidence", "notice", "hearing", "review", "decision", "service",
             "enforcement", "closed", "withdrawn", "archive"}  # fmt: skip
PENALTY_ACTIONS = {
    "open", "assign", "investigate", "add_evidence", "draft_decision", "notify",
    "record_statement", "waive", "request_hearing", "schedule_hearing", "conclude_hearing",
    "submit_review", "request_supplement", "approve_review", "reject_review", "escalate",
    "resolve", "decide", "serve", "record_execution", "close", "withdraw", "archive",
    "record_av",  # 音像记录 (issue 6: whole-process record), not in the handbook's table
    "publish", "withdraw_publication", "revoke_decision",  # 公示 (issue 7, domain.md §7)
    # issue 12: the law to the last act
    "waive_hearing", "extend_review", "request_recusal", "decide_recusal", "record_payment",
    "grant_deferral", "record_remedy", "urge", "apply_enforcement", "record_court_ruling",
}  # fmt: skip
AUDIT_ACTIONS = (PENALTY_ACTIONS - {"notify", "waive"}) | {
    "serve_audit_notice", "solicit_opinion", "audit_report", "record_compliance",
}  # fmt: skip


def load(*procs: Procedure) -> dict[str, Procedure]:
    return validate({p.id: p for p in procs}, known_names())


def test_the_two_procedures_use_the_handbooks_ids() -> None:
    assert {s.id for s in PENALTY.states} == STATE_IDS
    assert {a.id for a in PENALTY.actions} == PENALTY_ACTIONS
    assert {a.id for a in AUDIT.actions} == AUDIT_ACTIONS
    load(PENALTY, AUDIT)


def test_decide_always_checks_the_legal_review_and_the_hearing_right() -> None:
    for proc in (PENALTY, AUDIT):
        decide = proc.action("decide")
        assert decide is not None
        assert {"legal_review_passed", "hearing_window_closed", "hearing_concluded"} <= set(
            decide.guards
        )
        assert decide.roles == ("head",)


def _with(proc: Procedure, **changes: object) -> Procedure:
    return dataclasses.replace(proc, **changes, _by_id={})


def _replace_action(proc: Procedure, action_id: str, **changes: object) -> Procedure:
    actions = tuple(
        dataclasses.replace(a, **changes) if a.id == action_id else a for a in proc.actions
    )
    return _with(proc, actions=actions)


def _state(id_: str) -> State:
    return State(id=id_, label=id_, en=id_)


@pytest.mark.parametrize(
    ("broken", "offending", "words"),
    [
        (_replace_action(PENALTY, "notify", guards=("has_evidence", "vibes")), "notify",
         "unknown guard 'vibes'"),
        (_replace_action(PENALTY, "decide", roles=("mayor",)), "decide", "unknown role 'mayor'"),
        (_replace_action(PENALTY, "serve", notices=(Issue(kind="poem"),)), "serve",
         "unknown notice 'poem'"),
        (_replace_action(PENALTY, "serve", target="limbo"), "serve", "unknown target"),
        (_with(PENALTY, initial="start"), "start", "initial state is not declared"),
        (_with(PENALTY, deadlines=("someday",)), "someday", "unknown deadline"),
        (_with(PENALTY, states=(*PENALTY.states, _state("evidence"))), "evidence",
         "duplicate state"),
        (_with(PENALTY, actions=(*PENALTY.actions, PENALTY.actions[0])), "open",
         "duplicate action"),
        (_with(PENALTY, states=(*PENALTY.states, _state("limbo"))), "limbo", "unreachable"),
        (_with(PENALTY, states=(*PENALTY.states, _state("stuck")),
               actions=(*PENALTY.actions, Action(id="stick", label="卡", en="stick",
                        sources=("service",), target="stuck", roles=("head",))),
               ), "stuck", "no path from this state to a final state"),
        (_replace_action(PENALTY, "notify", notices=(Issue(kind="penalty_notice", when="maybe"),)),
         "notify", "unknown condition 'maybe'"),
        (_replace_action(PENALTY, "assign", fields=(dataclasses.replace(
            PENALTY.actions[1].fields[0], kind="colour"),)), "assign", "unknown kind 'colour'"),
    ],
)  # fmt: skip
def test_invalid_definitions_are_refused_naming_procedure_and_id(
    broken: Procedure, offending: str, words: str
) -> None:
    with pytest.raises(DefinitionError) as info:
        load(broken)
    assert info.value.procedure == "penalty"
    assert any(o == offending and words in m for _p, o, m in info.value.problems), info.value
    assert isinstance(info.value, WorkflowError)


def test_a_definition_with_five_mistakes_reports_five() -> None:
    """style.md §1: every offender is collected before anything is raised."""
    broken = _replace_action(PENALTY, "notify", guards=("has_evidence", "vibes"), roles=("mayor",))
    broken = _replace_action(broken, "serve", notices=(Issue(kind="poem"),))
    broken = _with(broken, deadlines=(*broken.deadlines, "someday"),
                   states=(*broken.states, _state("limbo")))  # fmt: skip
    with pytest.raises(DefinitionError) as info:
        load(broken)
    found = {(o, m.split(" '")[0]) for _p, o, m in info.value.problems}
    assert found == {
        ("notify", "unknown guard"), ("notify", "unknown role"), ("serve", "unknown notice"),
        ("someday", "unknown deadline"), ("limbo", "state is unreachable from the initial state"),
    }  # fmt: skip
    assert "5 problem(s)" in str(info.value)


def test_an_action_without_a_projection_is_refused() -> None:
    extra = Action(id="dance", label="跳舞", en="dance", sources=("evidence",), target=SAME,
                   roles=("officer",))  # fmt: skip
    with pytest.raises(DefinitionError, match="no projection folds this action"):
        load(_with(PENALTY, actions=(*PENALTY.actions, extra)))


def test_two_procedures_may_not_share_a_case_id_prefix() -> None:
    twin = _with(AUDIT, prefix="P")
    with pytest.raises(DefinitionError, match="prefix also used"):
        load(PENALTY, twin)


def test_a_final_state_must_not_be_left() -> None:
    leaving = _with(PENALTY, actions=(*PENALTY.actions, Action(
        id="unarchive", label="取消归档", en="unarchive", sources=("archive",), target="closed",
        roles=("head",))))  # fmt: skip
    with pytest.raises(DefinitionError, match="final state"):
        load(leaving)


def test_one_machine_per_procedure_shared_by_every_case() -> None:
    from workflow.service import shared_engine

    engine = shared_engine()
    assert engine is shared_engine()
    machine = engine.machines[PENALTY.id]
    assert isinstance(machine, ProcedureMachine)
    assert machine.machine.models == []  # no case is bound to the shared machine
    assert machine.target("resolve", "review", {"outcome": "return"}) == "evidence"
    assert machine.target("resolve", "review", {"outcome": "rereview"}) == "review"
    assert machine.target("assign", "evidence", {}) == "evidence"
    assert machine.target("open", NEW, {}) == "initiation"
    assert SAME not in machine.machine.states


def test_the_tabled_transitions_are_what_the_machine_answers() -> None:
    """Which actions leave a state and where a plain action leads, as tabled once per
    procedure, are exactly what the transitions machine says, for every state of every
    procedure (branched targets are asked of the machine itself)."""
    from workflow.machine import _Token
    from workflow.service import shared_engine

    for machine in shared_engine().machines.values():
        for state in [NEW, *(s.id for s in machine.procedure.states)]:
            allowed = machine.allowed_from(state)
            assert allowed == set(machine.machine.get_triggers(state)), state
            for action in machine.procedure.actions:
                if action.id not in allowed or action.branch:
                    continue
                token = _Token(state)
                assert machine.machine.events[action.id].trigger(token, data={})
                assert machine.target(action.id, state, {}) == token.state, (action.id, state)


def _string_literals(path: Path) -> list[tuple[int, str]]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]  # fmt: skip


def test_no_module_outside_states_names_a_procedure_id() -> None:
    """Issue 13: everything that varies by procedure is a field of its definition. A module
    outside states/ (and tests/) that names a procedure id — as a Python string or in a
    template — is branching on it."""
    ids = set(PROCEDURES)
    offenders = []
    for folder in ("workflow", "rules", "documents", "terminal", "law"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            offenders += [f"{path.relative_to(ROOT)}:{line}: {value!r}"
                          for line, value in _string_literals(path) if value in ids]  # fmt: skip
        for path in sorted((ROOT / folder).rglob("*.j2")):
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}"
                          for m in re.finditer(r"[\"'](\w+)[\"']", text) if m.group(1) in ids]  # fmt: skip
    offenders += [f"cli.py:{line}: {value!r}" for line, value in _string_literals(ROOT / "cli.py")
                  if value in ids]  # fmt: skip
    assert not offenders, "procedure ids named outside states/:\n" + "\n".join(offenders)
