"""`zhifa` as its console script runs it (cli.main): only the command named is built, and it
answers exactly as in the whole app; help and misspelt names still see every command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app, main
from tests.cli.conftest import Invoke
from tests.cli.test_cli import open_case


@pytest.fixture
def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Invoke:
    def run(*args: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["zhifa", *args])
        with pytest.raises(SystemExit) as done:
            main()
        out = capsys.readouterr()
        return int(done.value.code or 0), out.out + out.err

    return run


def test_a_command_built_alone_answers_as_in_the_whole_app(
    zhifa: Invoke, office_dir: Path, runner: CliRunner, run_main: Invoke
) -> None:
    case_id = open_case(zhifa)
    config = str(office_dir / "config.yaml")
    argv = ["--as", "王明", "--config", config, "case", "show", case_id, "--json"]
    code, alone = run_main(*argv)
    assert code == 0, alone
    whole = runner.invoke(app, argv)
    assert json.loads(alone) == json.loads(whole.stdout)
    code, _ = run_main(f"--config={config}", "--debug", "staff", "list", "--json")
    assert code == 0


def test_help_and_misspelt_commands_see_every_command(office_dir: Path, run_main: Invoke) -> None:
    config = str(office_dir / "config.yaml")
    code, out = run_main("--config", config, "cas", "show")
    assert code == 2
    assert "'case', 'cases'" in out
    code, out = run_main("--config", config, "case", "shwo")
    assert code == 2
    assert "'show'" in out
    code, out = run_main("--help")
    assert code == 0
    for name in ("case", "notice", "staff", "alerts", "verify", "init", "publish"):
        assert name in out
