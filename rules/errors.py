"""One error family for the whole product (style.md §5).

Every error carries its context as attributes, so the terminal can show it and map it to an
exit code without parsing messages. The family lives at the bottom of the house (rules/), so
that the procedure definitions (states/) and the rules can raise it without importing the
engine; `workflow.errors` re-exports it for the engine and the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rules.model import Reason


class WorkflowError(Exception):
    """Root of every error zhifa raises on purpose."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DefinitionError(WorkflowError):
    """Procedure definitions are invalid (found when they load): every problem at once.

    `problems` holds (procedure, offending id, what is wrong) for each one found.
    """

    code = "definition"

    def __init__(self, problems: Sequence[tuple[str, str, str]]) -> None:
        lines = [f"procedure {p!r}: {o!r}: {m}" for p, o, m in problems]
        head = f"{len(lines)} problem(s) in procedure definitions" if len(lines) > 1 else ""
        super().__init__("\n".join([head, *lines]) if head else lines[0])
        self.problems = list(problems)
        self.procedure = problems[0][0]
        self.offending = problems[0][1]


class ConfigError(WorkflowError):
    """config.yaml is missing or holds a bad value; `location` is the key path."""

    code = "config"

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(f"{location}: {message}" if location else message)
        self.location = location


class NotFoundError(WorkflowError):
    """An unknown case, person, action or event."""

    code = "not_found"


class BadInputError(WorkflowError):
    """Input that cannot be understood: a malformed date, an unknown key, a missing value."""

    code = "bad_input"

    def __init__(self, message: str, reasons: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.reasons = list(reasons)


class RefusedError(WorkflowError):
    """The rules refuse the action; `reasons` lists every failing guard at once."""

    code = "refused"

    def __init__(
        self, case_id: str | None, action: str, state: str, reasons: Sequence[Reason]
    ) -> None:
        where = f"case {case_id}" if case_id else "new case"
        super().__init__(f"不予办理 {action} refused on {where} in state {state}")
        self.case_id = case_id
        self.action = action
        self.state = state
        self.reasons = list(reasons)


class ConflictError(WorkflowError):
    """Another writer changed the case first; nothing was written. Reload and retry."""

    code = "conflict"

    def __init__(self, case_id: str, expected_version: int) -> None:
        super().__init__(
            f"案件已被他人修改，未写入任何内容，请重新读取后再办理 case {case_id} changed since "
            f"version {expected_version}; nothing was written"
        )
        self.case_id = case_id
        self.expected_version = expected_version
