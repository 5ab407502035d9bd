"""The shape of a procedure definition and its load-time validation (style.md §1).

A procedure is data. It names guards, roles and notices; `validate` checks every name against
what the engine knows and the graph for reachability and dead ends, and raises a
DefinitionError naming the procedure and the offending id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from workflow.errors import DefinitionError

#: The pseudo-state a case is in before `open`.
NEW = "new"
#: Target meaning "stay in the state the action was fired from".
SAME = "="


@dataclass(frozen=True)
class Field:
    """One key of an action's input (domain.md §3.3)."""

    name: str
    kind: str  # text, enum, money, date, list, bool, json, int, files
    label: str
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class State:
    id: str
    label: str
    en: str
    final: bool = False


@dataclass(frozen=True)
class Action:
    id: str
    label: str
    en: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    guards: tuple[str, ...] = ()
    notice: str | None = None
    fields: tuple[Field, ...] = ()
    #: (input key, {value: target}) when the target depends on the input, e.g. `resolve`
    branch: tuple[str, Mapping[str, str]] | None = None

    def targets(self) -> set[str]:
        if self.branch:
            return set(self.branch[1].values())
        return {self.target}

    def target_from(self, source: str, data: Mapping[str, object] | None) -> str:
        if self.branch and data is not None:
            key, table = self.branch
            chosen = table.get(str(data.get(key)))
            if chosen:
                return chosen
        return source if self.target == SAME else self.target


@dataclass(frozen=True)
class Procedure:
    id: str
    label: str
    initial: str
    states: tuple[State, ...]
    actions: tuple[Action, ...]
    #: the deadlines (期限) this procedure runs, by id (rules/deadlines.py computes them)
    deadlines: tuple[str, ...] = ()
    _by_id: dict[str, Action] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({a.id: a for a in self.actions})

    def action(self, action_id: str) -> Action | None:
        return self._by_id.get(action_id)

    def state(self, state_id: str) -> State | None:
        return next((s for s in self.states if s.id == state_id), None)

    def state_label(self, state_id: str) -> str:
        found = self.state(state_id)
        return found.label if found else state_id

    @property
    def finals(self) -> set[str]:
        return {s.id for s in self.states if s.final}


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dups = []
    for item in ids:
        if item in seen:
            dups.append(item)
        seen.add(item)
    return dups


def _edges(proc: Procedure) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {s.id: set() for s in proc.states}
    edges[NEW] = set()
    for action in proc.actions:
        for source in action.sources:
            targets = {source} if action.target == SAME else action.targets()
            edges.setdefault(source, set()).update(targets - {source})
    return edges


def _action_problem(
    action: Action, states: set[str], guards: set[str], roles: set[str], notices: set[str]
) -> str | None:
    """What is wrong with one action's names, or None."""
    problems = [
        *(f"unknown source state {s!r}" for s in action.sources if s not in states | {NEW}),
        *(f"unknown target state {t!r}" for t in action.targets() if t not in states | {SAME}),
        *(f"unknown guard {g!r}" for g in action.guards if g not in guards),
        *(f"unknown role {r!r}" for r in action.roles if r not in roles),
        *(["no role may perform it"] if not action.roles else []),
        *(
            [f"unknown notice {action.notice!r}"]
            if action.notice and action.notice not in notices
            else []
        ),
        *(f"duplicate input key {d!r}" for d in _duplicates(f.name for f in action.fields)),
    ]
    return problems[0] if problems else None


def _reachable(edges: dict[str, set[str]]) -> set[str]:
    reachable, frontier = {NEW}, [NEW]
    while frontier:
        for nxt in edges.get(frontier.pop(), set()):
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    return reachable


def _graph_problem(proc: Procedure) -> tuple[str, str] | None:
    """(offending state, problem) for unreachable states, dead ends and exits from finals."""
    edges = _edges(proc)
    reachable = _reachable(edges)
    for state in proc.states:
        if state.id not in reachable:
            return state.id, "state is unreachable from the initial state"
        if not state.final and not edges.get(state.id):
            return state.id, "dead end: no action leaves this non-final state"
        if state.final and edges.get(state.id):
            return state.id, "a final state must not be left"
    return None


def validate(
    proc: Procedure,
    *,
    guards: Iterable[str],
    roles: Iterable[str],
    notices: Iterable[str],
    deadlines: Iterable[str] = (),
) -> Procedure:
    """Check a procedure; raise DefinitionError on the first inconsistency found."""
    unknown = sorted(set(proc.deadlines) - set(deadlines))
    if unknown:
        raise DefinitionError(proc.id, unknown[0], "unknown deadline")
    for dup in _duplicates(s.id for s in proc.states):
        raise DefinitionError(proc.id, dup, "duplicate state id")
    for dup in _duplicates(a.id for a in proc.actions):
        raise DefinitionError(proc.id, dup, "duplicate action id")
    state_ids = {s.id for s in proc.states}
    if proc.initial not in state_ids:
        raise DefinitionError(proc.id, proc.initial, "initial state is not declared")
    if not proc.finals:
        raise DefinitionError(proc.id, proc.id, "no final state")
    known = (state_ids, set(guards), set(roles), set(notices))
    for action in proc.actions:
        problem = _action_problem(action, *known)
        if problem:
            raise DefinitionError(proc.id, action.id, problem)
    if not any(NEW in a.sources and proc.initial in a.targets() for a in proc.actions):
        raise DefinitionError(
            proc.id, proc.initial, "no action opens a case into the initial state"
        )
    graph = _graph_problem(proc)
    if graph:
        raise DefinitionError(proc.id, *graph)
    return proc
