"""Names a clerk types: the office's Chinese label or the stable English id, to the id.

Actions, procedures, states and roles are accepted by their label (放弃陈述申辩, 法制审核,
执法人员) as well as their id (waive, review, officer) wherever the terminal takes one; the
id is what is recorded. Values of an input key are resolved the same way by
`workflow.inputs.choice`. An unknown name is bad input, listing what is known, label first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from states.definition import Action, Procedure
from states.vocabulary import ROLES
from workflow.errors import BadInputError, NotFoundError


def _key(text: str) -> str:
    """Compare as typed, ignoring surrounding space, case of ids and full-width brackets."""
    return text.strip().lower().replace("（", "(").replace("）", ")")


#: A case id as typed: any case of the prefix, the serial with or without its leading zeros.
_CASE_ID = re.compile(r"([A-Za-z]{1,3})-(\d{4})-(\d{1,6})")


def case_id_typed(text: str) -> str:
    """A case id as a clerk may type it (`p-2026-1`, ` P-2026-0001 `) in the form the office
    numbers cases (`P-2026-0001`); anything else is returned as typed, to be refused."""
    found = _CASE_ID.fullmatch(text.strip())
    if found is None:
        return text
    prefix, year, serial = found.groups()
    return f"{prefix.upper()}-{year}-{int(serial):04d}"


def close_names(text: str, pairs: Iterable[tuple[str, str]], n: int = 3) -> list[tuple[str, str]]:
    """The (id, label) pairs whose id or label is close to `text` (a typo: add_evidense,
    收集证词), nearest first."""
    pairs = list(pairs)
    names = {_key(name): (id_, label) for id_, label in pairs for name in (id_, label)}
    found: list[tuple[str, str]] = []
    for name in difflib.get_close_matches(_key(text), list(names), n=n * 2, cutoff=0.6):
        if names[name] not in found:
            found.append(names[name])
    return found[:n]


def did_you_mean(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    """`；是否要 did you mean：收集证据 add_evidence？` — or "" when nothing is close."""
    close = close_names(text, pairs)
    if not close:
        return ""
    return f"；是否要 did you mean：{' 或 '.join(f'{label} {id_}' for id_, label in close)}？"


def listing(pairs: Iterable[tuple[str, str]]) -> str:
    """`立案（open）、指派人员（assign）…`: how known names are offered in a message."""
    return "、".join(f"{label}（{id_}）" for id_, label in pairs)


def _match(text: str, pairs: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """The ids whose id or any other name equals `text` (ids first)."""
    wanted = _key(text)
    found: list[str] = []
    for id_, names in pairs:
        if wanted in {_key(id_), *(_key(n) for n in names if n)} and id_ not in found:
            found.append(id_)
    return found


def action_in(proc: Procedure, text: str) -> Action | None:
    """An action of `proc` by id, Chinese label or English name; None if none."""
    found = proc.action(text.strip())
    if found is not None:
        return found
    ids = _match(text, ((a.id, (a.label, a.en)) for a in proc.actions))
    return proc.action(ids[0]) if ids else None


def procedure_in(procedures: Iterable[Procedure], text: str) -> Procedure | None:
    """A procedure by id or label; the label may leave out its parenthesis (行政处罚)."""
    procs = list(procedures)
    ids = _match(text, ((p.id, (p.label, p.label.split("（")[0])) for p in procs))
    return next((p for p in procs if p.id in ids[:1]), None)


def state_id(procedures: Iterable[Procedure], text: str, procedure: str | None = None) -> str:
    """A state's id from its id or label, in the given procedure or any (法制审核 → review)."""
    procs = [p for p in procedures if procedure is None or p.id == procedure]
    ids = _match(text, ((s.id, (s.label, s.en)) for p in procs for s in p.states))
    if len(ids) == 1:
        return ids[0]
    known = {s.id: s.label for p in procs for s in p.states}
    if len(ids) > 1:
        raise BadInputError(
            f"状态「{text}」有多个含义 ambiguous state {text!r}: {listing((i, known[i]) for i in ids)}"
            "；请用 id 或指定 --procedure"
        )
    raise BadInputError(
        f"没有此状态 unknown state {text[:40]!r}（可选 known: {listing(known.items())}）"
    )


def vocabulary_id(table: Mapping[str, str], text: str) -> str | None:
    """A vocabulary value's id from its id or label (罚款 → fine), or None."""
    if text in table:
        return text
    ids = _match(text, ((k, (label,)) for k, label in table.items()))
    return ids[0] if ids else None


def role_id(text: str, roles: Mapping[str, str] = ROLES) -> str:
    """A role's id from its id or label (执法人员 → officer)."""
    found = vocabulary_id(roles, text)
    if found is not None:
        return found
    raise BadInputError(
        f"没有此角色 unknown role {text[:40]!r}（可选 known: {listing(roles.items())}）"
    )


def unknown_action(text: str, actions: Iterable[Action], where: str = "") -> NotFoundError:
    """The error for an action no procedure knows, listing the known ones label first."""
    pairs = [(a.id, a.label) for a in actions]
    return NotFoundError(
        f"没有此操作 unknown action {text[:40]!r}{where}{did_you_mean(text, pairs)}"
        f"（可选 known: {listing(pairs)}）"
    )


def unknown_procedure(text: str, procedures: Iterable[Procedure]) -> NotFoundError:
    pairs = [(p.id, p.label) for p in procedures]
    return NotFoundError(
        f"没有此程序 unknown procedure {text[:40]!r}{did_you_mean(text, pairs)}"
        f"（可选 known: {listing(pairs)}）"
    )
