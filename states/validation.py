"""Load-time validation of procedure definitions: every problem at once (style.md §1).

Like python-statemachine's `_check_*` functions, each check collects every offender before
anything is raised, so a definition with five mistakes reports five. The names a definition
may use (guards, roles, notice kinds, conditions, deadlines, projections) are passed in by
whoever loads it; states/ imports nothing of the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from rules.errors import DefinitionError
from states.definition import NEW, SAME, Action, Field, Procedure
from states.vocabulary import OUTCOMES, VOCABULARIES

FIELD_KINDS = frozenset({"text", "enum", "money", "date", "list", "bool", "json", "int", "files"})
Problem = tuple[str, str, str]


@dataclass(frozen=True, kw_only=True)
class Known:
    """The names the engine knows, which a definition may refer to."""

    guards: frozenset[str]
    roles: frozenset[str]
    #: notice kind -> what is missing for it (no template, no number code), empty when complete
    notices: Mapping[str, str]
    conditions: frozenset[str]
    deadlines: frozenset[str]
    #: actions the projection knows how to fold into a case
    projections: frozenset[str]


def _duplicates(ids: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    dups = []
    for item in ids:
        if item in seen:
            dups.append(item)
        seen.add(item)
    return dups


def _field_problems(action: Action, fld: Field, known: Known) -> Iterator[str]:
    if fld.kind not in FIELD_KINDS:
        yield f"input key {fld.name!r} has unknown kind {fld.kind!r}"
    if fld.vocabulary is not None and fld.vocabulary not in VOCABULARIES:
        yield f"input key {fld.name!r} names unknown vocabulary {fld.vocabulary!r}"
    if fld.kind == "enum" and fld.vocabulary is None:
        yield f"input key {fld.name!r} is an enum without a vocabulary"
    if fld.applies is not None and fld.applies not in known.conditions:
        yield f"input key {fld.name!r} applies under unknown condition {fld.applies!r}"


def _action_problems(action: Action, states: set[str], known: Known) -> Iterator[str]:
    yield from (f"unknown source state {s!r}" for s in action.sources if s not in states | {NEW})
    yield from (f"unknown target state {t!r}" for t in action.targets() if t not in states | {SAME})
    yield from (f"unknown guard {g!r}" for g in action.guards if g not in known.guards)
    yield from (f"unknown role {r!r}" for r in action.roles if r not in known.roles)
    if not action.roles:
        yield "no role may perform it"
    if action.id not in known.projections:
        yield "no projection folds this action into a case (workflow/projection.py)"
    for issue in action.notices:
        if issue.kind not in known.notices:
            yield f"unknown notice {issue.kind!r}"
        elif known.notices[issue.kind]:
            yield f"notice {issue.kind!r}: {known.notices[issue.kind]}"
        if issue.when is not None and issue.when not in known.conditions:
            yield f"notice {issue.kind!r} issued under unknown condition {issue.when!r}"
        yield from (f"notice {issue.kind!r} for unknown outcome {o!r}"
                    for o in issue.outcomes if o not in OUTCOMES)  # fmt: skip
    yield from (f"duplicate input key {d!r}" for d in _duplicates(f.name for f in action.fields))
    for fld in action.fields:
        yield from _field_problems(action, fld, known)


def _edges(proc: Procedure) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {s.id: set() for s in proc.states}
    edges[NEW] = set()
    for action in proc.actions:
        for source in action.sources:
            targets = {source} if action.target == SAME else action.targets()
            edges.setdefault(source, set()).update(targets - {source})
    return edges


def _reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    reachable, frontier = {start}, [start]
    while frontier:
        for nxt in edges.get(frontier.pop(), set()):
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    return reachable


def _graph_problems(proc: Procedure) -> Iterator[tuple[str, str]]:
    """Unreachable states, states with no path to a final state, exits from finals."""
    edges = _edges(proc)
    reachable = _reachable(edges, NEW)
    finals = proc.finals
    for state in proc.states:
        if state.id not in reachable:
            yield state.id, "state is unreachable from the initial state"
        elif state.final and edges.get(state.id):
            yield state.id, "a final state must not be left"
        elif not state.final and not (_reachable(edges, state.id) & finals):
            yield state.id, "no path from this state to a final state"


def _procedure_problems(proc: Procedure, known: Known) -> Iterator[tuple[str, str]]:
    yield from ((d, "unknown deadline") for d in proc.deadlines if d not in known.deadlines)
    yield from ((d, "duplicate state id") for d in _duplicates(s.id for s in proc.states))
    yield from ((d, "duplicate action id") for d in _duplicates(a.id for a in proc.actions))
    state_ids = {s.id for s in proc.states}
    if proc.initial not in state_ids:
        yield proc.initial, "initial state is not declared"
    if not proc.finals:
        yield proc.id, "no final state"
    if not proc.prefix or not proc.prefix.isalpha() or not proc.prefix.isupper():
        yield proc.id, f"case id prefix {proc.prefix!r} must be capital letters"
    yield from ((o, "unknown outcome") for o in proc.rules.outcomes if o not in OUTCOMES)
    if proc.rules.notice_action and proc.action(proc.rules.notice_action) is None:
        yield proc.rules.notice_action, "the notice action named by the rules is not declared"
    for action in proc.actions:
        yield from ((action.id, p) for p in _action_problems(action, state_ids, known))
    if not any(NEW in a.sources and proc.initial in a.targets() for a in proc.actions):
        yield proc.initial, "no action opens a case into the initial state"
    if proc.initial in state_ids:
        yield from _graph_problems(proc)


def problems(procedures: Mapping[str, Procedure], known: Known) -> list[Problem]:
    """Every problem in every definition, as (procedure, offending id, what is wrong)."""
    found: list[Problem] = []
    prefixes: dict[str, str] = {}
    for key, proc in procedures.items():
        if key != proc.id:
            found.append((key, proc.id, f"listed under {key!r} but its id is {proc.id!r}"))
        found += [(proc.id, offending, what) for offending, what in _procedure_problems(proc, known)]
        if proc.prefix in prefixes:
            found.append((proc.id, proc.prefix, f"case id prefix also used by {prefixes[proc.prefix]!r}"))
        prefixes.setdefault(proc.prefix, proc.id)
        found += [(proc.id, p, "parent procedure is not declared")
                  for p in proc.rules.parents if p not in procedures]  # fmt: skip
        from states.vocabulary import MEASURE_KINDS

        found += [(proc.id, k, "unknown measure kind")
                  for k in proc.rules.measure_kinds if k not in MEASURE_KINDS]  # fmt: skip
    return found


def validate(procedures: Mapping[str, Procedure], known: Known) -> dict[str, Procedure]:
    """Check the definitions; raise one DefinitionError listing every problem found."""
    found = problems(procedures, known)
    if found:
        raise DefinitionError(found)
    return dict(procedures)


def catalog_problems(
    entries: Iterable[Mapping[str, Iterable[str]]], procedures: Mapping[str, Procedure],
    fields: Iterable[str] = (),
) -> list[str]:
    """法制审核目录清单 entries naming an unknown procedure, 执法领域 (config
    `enforcement_fields`; none declared: every field named is unknown) or penalty kind."""
    from states.vocabulary import PARTY_TYPES, PENALTY_KINDS

    found, known_fields = [], {f: f for f in fields}
    for i, entry in enumerate(entries):
        checks = (
            ("procedures", procedures),
            ("fields", known_fields or {"（enforcement_fields 未声明 none declared）": ""}),
            ("penalty_kinds", PENALTY_KINDS),
            ("party_types", PARTY_TYPES),
        )
        for key, allowed in checks:
            found += [f"review_catalog.{i}.{key}: unknown {v!r} (known: {', '.join(allowed)})"
                      for v in entry.get(key, ()) if v not in allowed]  # fmt: skip
    return found
