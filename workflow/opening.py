"""What a clerk types to open a case (立案), checked whole: every problem at once.

`zhifa case open` takes a procedure, the party, a date and `--data` pairs; a clerk who got
three of them wrong is told all three in one answer (the procedure's name, each malformed
pair, the date, the party's identifier, and every key the opening act refuses), not one per
attempt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from states.definition import Procedure
from workflow.errors import BadInputError, NotFoundError
from workflow.inputs import MAX_KEYS, check_party_id, gather_data, normalise, parse_date
from workflow.names import case_id_typed

T = TypeVar("T")


def opening_input(
    find: Callable[[str], Procedure], procedure: str, pairs: list[str],
    given: Mapping[str, Any], on: str | None,
) -> tuple[dict[str, Any], date | None]:  # fmt: skip
    """The opening's keys and date, or one BadInputError listing every problem found."""
    if len(pairs) > MAX_KEYS:
        raise BadInputError(f"--data 超过 {MAX_KEYS} 个 more than {MAX_KEYS} keys")
    problems: list[str] = []
    raw: dict[str, Any] = {}
    for pair in pairs:
        raw.update(_collect(problems, lambda pair=pair: gather_data([pair], None, None)) or {})  # type: ignore[misc]
    raw.update({k: v for k, v in given.items() if v is not None})
    if isinstance(raw.get("parent"), str):  # 所属案件 as typed: m-2026-1 is M-2026-0001
        raw["parent"] = case_id_typed(raw["parent"])
    day = _collect(problems, lambda: parse_date(on, what="--on") if on else None)
    _collect(problems, lambda: check_party_id(raw))
    proc = _collect(problems, lambda: find(procedure))
    opening = proc.action("open") if proc is not None else None
    if opening is not None:
        try:
            normalise(opening, raw)
        except BadInputError as exc:
            problems += exc.reasons or [exc.message]
    if len(problems) == 1:
        raise BadInputError(problems[0])
    if problems:
        raise BadInputError(f"立案信息有 {len(problems)} 处问题 cannot open the case: "
                            f"{len(problems)} problem(s)", problems)  # fmt: skip
    return raw, day


def _collect(problems: list[str], check: Callable[[], T]) -> T | None:
    """`check()`, or None with its problem added to `problems`."""
    try:
        return check()
    except (BadInputError, NotFoundError) as exc:
        problems.append(exc.message)
        return None
