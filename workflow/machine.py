"""One `transitions` state machine per procedure, shared by every case of that procedure.

The machine knows which action may leave which state and where it leads; the named guards of
rules/ decide whether the law allows it. Definitions are validated when they load.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from rules.deadlines import PERIODS
from rules.notices import NOTICE_KINDS
from rules.registry import CONDITIONS, GUARDS
from states.catalog import PROCEDURES
from states.definition import NEW, SAME, Action, Procedure
from states.validation import Known, validate
from states.vocabulary import ROLES

if TYPE_CHECKING:
    from transitions import Machine

    from documents.render import Templates


class _Token:
    """A throwaway model: the machine is shared, the state travels with each call."""

    def __init__(self, state: str) -> None:
        self.state = state


def _branch_condition(key: str, value: str) -> Any:
    def condition(event_data: Any) -> bool:
        data = event_data.kwargs.get("data") or {}
        return str(data.get(key)) == value

    return condition


def _transitions(action: Action) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for source in action.sources:
        if action.branch:
            key, table = action.branch
            for value, dest in table.items():
                rows.append(
                    {
                        "trigger": action.id,
                        "source": source,
                        "dest": dest,
                        "conditions": [_branch_condition(key, value)],
                    }
                )
        else:
            dest = source if action.target == SAME else action.target
            rows.append({"trigger": action.id, "source": source, "dest": dest})
    return rows


class ProcedureMachine:
    """A validated procedure and the transitions machine that runs it.

    What every case asks — which actions leave a state, where a plain (unbranched) action
    leads — is tabled once from the transitions; the machine itself is built, and run, only
    for a branched action (its target chosen by the act's data)."""

    def __init__(self, procedure: Procedure) -> None:
        """`procedure` must have been validated (`load_machines` does)."""
        self.procedure = procedure
        self._states = [NEW, *(s.id for s in procedure.states)]
        self._rows = [row for a in procedure.actions for row in _transitions(a)]
        self._triggers = {s: frozenset(r["trigger"] for r in self._rows if r["source"] == s)
                          for s in self._states}  # fmt: skip
        self._targets: dict[tuple[str, str], str] = {
            (r["trigger"], r["source"]): r["dest"] for r in self._rows if "conditions" not in r
        }

    @cached_property
    def machine(self) -> Machine:
        from transitions import Machine

        return Machine(model=None, states=self._states, transitions=self._rows, initial=NEW,
                       auto_transitions=False, send_event=True)  # fmt: skip

    def allowed_from(self, state: str) -> frozenset[str]:
        return self._triggers.get(state, frozenset())

    def target(self, action: str, state: str, data: Mapping[str, Any] | None) -> str:
        """Where `action` fired from `state` leads, as the machine runs it."""
        found = self._targets.get((action, state))
        if found is not None:
            return found
        token = _Token(state)
        if not self.machine.events[action].trigger(token, data=data or {}):
            raise RuntimeError(f"{action} from {state} matched no transition")
        return token.state


def known_names(templates: Templates | None = None) -> Known:
    """Every name a definition may use: guards, roles, notice kinds (with a template each, in
    the built-in folder or the office's own), conditions, deadlines, and the actions the
    projection can fold."""
    from documents.render import Templates
    from workflow.projection import REDUCERS

    found = templates or Templates()
    notices = {
        kind: "" if found.has(kind) and n.code else "no template or number code"
        for kind, n in NOTICE_KINDS.items()
    }
    return Known(guards=frozenset(GUARDS), roles=frozenset(ROLES), notices=notices,
                 conditions=frozenset(CONDITIONS), deadlines=frozenset(PERIODS),
                 projections=frozenset(REDUCERS))  # fmt: skip


def load_machines(
    procedures: Mapping[str, Procedure] = PROCEDURES, templates: Templates | None = None
) -> dict[str, ProcedureMachine]:
    """Validate every definition at once (all problems in one DefinitionError), then build."""
    checked = validate(procedures, known_names(templates))
    return {pid: ProcedureMachine(p) for pid, p in checked.items()}
