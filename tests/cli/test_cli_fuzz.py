"""Random argument lists never produce a traceback: every failure is a message and an exit code."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app
from tests.cli.conftest import KEYS

WORDS = ["case", "do", "open", "show", "list", "actions", "history", "replay", "verify", "staff",
         "add", "deactivate", "alerts", "calendar", "check", "db", "status", "explain", "--json",
         "--on", "--data", "--until", "--as", "--role", "--procedure", "--state", "--within",
         "P-2026-0001", "2026-02-30", "x=y", "=", "penalty", "audit", "decide", "-1", "王明", "",
         "notice", "export", "--format", "txt", "--notice", "penalty_decision", "key", "show",
         "checkpoint", "--against", "backdate", "approve", "role", "history", "renew", "--key"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=7))
def test_random_arguments_never_raise(office_config: Path, args: list[str]) -> None:
    result = CliRunner(env={"ZHIFA_KEYS": str(KEYS)}).invoke(app, ["--config", str(office_config), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert result.exit_code in (0, 2, 3, 4, 5), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
