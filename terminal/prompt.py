"""Interactive `zhifa case do CASE`: offer the allowed actions and ask for each key."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from states.vocabulary import VOCABULARIES
from terminal.output import out, show_verdicts
from workflow.errors import BadInputError

if TYPE_CHECKING:
    from workflow.service import Office


def ask_action(
    office: Office, case_id: str, actor: str | None, on: date | None
) -> tuple[str, dict[str, Any]]:
    """Ask which allowed action to do and each of its keys; refuse without a terminal."""
    if not sys.stdin.isatty():
        raise BadInputError(
            "no ACTION given and standard input is not a terminal: nothing to ask; "
            "name the action, e.g. `zhifa case do CASE add_evidence --data …`"
        )
    verdicts = office.actions(case_id, actor, on)
    allowed = [v for v in verdicts if v.allowed]
    if not allowed:
        show_verdicts(case_id, [v.as_dict() for v in verdicts])
        raise BadInputError(f"{actor} has no action allowed on {case_id} now")
    for number, verdict in enumerate(allowed, 1):
        out.print(f"  {number}. {verdict.label} [dim]{verdict.action}[/]")
    choice = typer.prompt("选择操作 choose", type=int)
    if not 1 <= choice <= len(allowed):
        raise BadInputError(f"choose a number from 1 to {len(allowed)}")
    action = allowed[choice - 1].action
    spec = office.engine.action(office.case(case_id).procedure, action)
    data: dict[str, Any] = {}
    for field in spec.fields:
        choices = VOCABULARIES[field.vocabulary] if field.vocabulary else {}
        hint = f" ({'/'.join(choices)})" if choices else ""
        hint += "" if field.required else " [可空]"
        value = typer.prompt(
            f"{field.label} {field.name}{hint}",
            default="" if not field.required else None,
            show_default=False,
        )
        if str(value).strip():
            data[field.name] = value
    return action, data


def ask_missing(given: dict[str, str | None], labels: dict[str, str]) -> dict[str, str]:
    """Ask on a terminal for each value not given; without one, leave them empty."""
    if not sys.stdin.isatty():
        return {k: v for k, v in given.items() if v}
    answers = {}
    for key, value in given.items():
        if value is None:
            value = typer.prompt(f"{labels[key]}（可空 may be empty）", default="", show_default=False)
        if str(value).strip():
            answers[key] = str(value).strip()
    return answers
