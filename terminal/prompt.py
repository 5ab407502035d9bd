"""Asking on a terminal: each answer checked as it is typed and asked again, with the reason,
until it is right; choices shown numbered and taken by number, Chinese label or id.

Built on rich's prompts (`rich.prompt.PromptBase`): line input that works on any terminal,
over ssh and under a pty, and a validation loop (`InvalidResponse`) that re-asks. Ctrl-C
(KeyboardInterrupt) and Ctrl-D (EOFError) propagate to the caller, which records nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from rich.prompt import InvalidResponse, PromptBase
from rich.text import Text

from terminal.output import out
from workflow.errors import BadInputError, WorkflowError

#: A check turns the typed text into the value, or raises ValueError/BadInputError saying why.
Check = Callable[[str], Any]
YES = {"y", "yes", "是", "确认", "1"}
NO = {"n", "no", "否", "取消", "2"}


def on_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


class Answer(PromptBase[Any]):
    """One answer, checked by `check`; wrong answers are refused with the reason and asked
    again. Enter takes the default (None for an optional answer)."""

    prompt_suffix = "："

    def __init__(self, prompt: str | Text, check: Check, shown_default: str = "") -> None:
        super().__init__(prompt, console=out, show_choices=False)
        self.check = check
        self.shown_default = shown_default

    def process_response(self, value: str) -> Any:
        try:
            return self.check(value.strip())
        except (ValueError, WorkflowError) as exc:
            reason = exc.message if isinstance(exc, WorkflowError) else str(exc)
            raise InvalidResponse(
                Text.assemble(("  ✗ ", "red"), reason, " — 请重新输入 try again")
            ) from None

    def make_prompt(self, default: Any) -> Text:
        prompt = self.prompt.copy()
        prompt.end = ""
        if default is not ... and (self.shown_default or isinstance(default, str)):
            prompt.append(" ")
            prompt.append(self.render_default(default))
        prompt.append(self.prompt_suffix)
        return prompt

    def render_default(self, default: Any) -> Text:
        return Text(f"（回车 = {self.shown_default or default}）", "prompt.default")


def ask(prompt: str, check: Check, *, required: bool = True, default: str | None = None,
        shown: str = "") -> Any:  # fmt: skip
    """Ask until `check` accepts the answer. Optional answers may be left empty (None);
    `default` (as it would be typed) is taken on Enter."""
    if default is not None:
        return Answer(prompt, check, shown or _short(default))(default=check(default))
    if not required:
        return Answer(prompt, _optional(check))(default=None)
    return Answer(prompt, _required(check))()


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _required(check: Check) -> Check:
    def checked(text: str) -> Any:
        if not text:
            raise ValueError("必填 required")
        return check(text)

    return checked


def _optional(check: Check) -> Check:
    return lambda text: check(text) if text else None


def show_choices(choices: Sequence[tuple[str, str]]) -> None:
    """Numbered, Chinese label first, the id beside it."""
    for number, (id_, label) in enumerate(choices, 1):
        out.print(Text.assemble(f"  {number:>2}. ", label, (f"  {id_}", "dim")))


def choose_one(choices: Sequence[tuple[str, str]], text: str) -> str:
    """The id of a choice given by its number, label or id."""
    from workflow.names import vocabulary_id

    table = dict(choices)
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(choices):
            return choices[number - 1][0]
        raise ValueError(f"须为 1 至 {len(choices)} 的序号 choose a number from 1 to {len(choices)}")
    found = vocabulary_id(table, text)
    if found is None:
        raise ValueError(f"没有「{text[:40]}」这一项 not a choice: type its number, name or id")
    return found


def choose_many(choices: Sequence[tuple[str, str]], text: str) -> list[str]:
    """Several choices, separated by commas or 、 (`1,3`, `警告、罚款`, `warning,fine`); a
    label that holds 、 itself is taken whole first."""
    for sep in ",;；":
        text = text.replace(sep, "，")
    picked: list[str] = []
    for part in (p.strip() for p in text.split("，")):
        if not part:
            continue
        try:
            found = [choose_one(choices, part)]
        except ValueError:
            found = [choose_one(choices, p.strip()) for p in part.split("、") if p.strip()]
        picked += [c for c in found if c not in picked]
    if not picked:
        raise ValueError("至少选一项 choose at least one")
    return picked


def ask_choice(prompt: str, choices: Sequence[tuple[str, str]], *, required: bool = True,
               many: bool = False, default: str | None = None) -> Any:  # fmt: skip
    """Show the numbered choices and ask for one (or several) by number, label or id."""
    show_choices(choices)
    hint = "序号、名称或 id，可多选，用逗号分隔" if many else "序号、名称或 id"
    pick = choose_many if many else choose_one
    table = dict(choices)
    shown = "、".join(table.get(d, d) for d in default.split(",")) if default else ""
    return ask(f"{prompt}（{hint}）", lambda text: pick(choices, text), required=required,
               default=default, shown=shown)  # fmt: skip


def yes_no(text: str) -> bool:
    answer = text.strip().lower()
    if answer in YES:
        return True
    if answer in NO:
        return False
    raise ValueError("请回答 是/否 answer y or n")


def confirm(prompt: str, default: bool = False) -> bool:
    """是/否 (y/n); Enter takes the default."""
    shown = "是 y" if default else "否 n"
    return bool(Answer(f"{prompt} [是/否 y/n]", yes_no, shown)(default=default))


def ask_date(prompt: str, default: date | None = None, required: bool = True) -> str | None:
    """A date as YYYY-MM-DD, in range; Enter takes `default`."""
    from workflow.inputs import parse_date

    def check(text: str) -> str:
        return parse_date(text).isoformat()

    if default is not None:
        return str(ask(prompt, check, default=default.isoformat()))
    return ask(prompt, check, required=required)  # type: ignore[no-any-return]


def ask_missing(given: dict[str, str | None], labels: dict[str, str]) -> dict[str, str]:
    """Ask on a terminal for each value not given (Enter leaves it empty); without a
    terminal, leave them empty."""
    answers = {k: v.strip() for k, v in given.items() if v and v.strip()}
    if not on_terminal():
        return answers
    for key, value in given.items():
        if value is None:
            typed = ask(f"{labels[key]}（可空，回车跳过 Enter to skip）", _text, required=False)
            if typed:
                answers[key] = typed
    return answers


def _text(text: str) -> str:
    from workflow.inputs import check_text

    return check_text(text, 200)


def require_terminal(what: str) -> None:
    if not on_terminal():
        raise BadInputError(
            f"没有终端，无法逐项询问 standard input is not a terminal: nothing to ask; {what}"
        )
