"""CLI fixtures: a real office folder made by `zhifa init`, driven through typer's CliRunner."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import app
from tests.conftest import TODAY, run_steps
from workflow.config import load_settings
from workflow.files import FileStore
from workflow.scenarios import PENALTY_WITH_HEARING, STAFF
from workflow.service import Office
from workflow.store import Store

Invoke = Callable[..., Any]
#: A new office's own agency block (without it notices refuse: placeholders remain).
AGENCY = ["--address", "铁锋区政府路1号", "--phone", "0452-2468100", "--review-organ",
          "铁锋区人民政府", "--court", "铁锋区人民法院", "--payment-bank", "铁锋农村商业银行"]  # fmt: skip


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("ZHIFA_TODAY", "2026-11-24")
    monkeypatch.delenv("ZHIFA_USER", raising=False)
    monkeypatch.delenv("ZHIFA_CONFIG", raising=False)
    monkeypatch.delenv("ZHIFA_DATABASE_URL", raising=False)
    return CliRunner()


@pytest.fixture
def office_dir(tmp_path: Path, runner: CliRunner) -> Path:
    folder = tmp_path / "office"
    result = runner.invoke(app, ["init", str(folder), "--admin", "管理员", *AGENCY])
    assert result.exit_code == 0, result.output
    config = str(folder / "config.yaml")
    for p in STAFF:
        args = ["--config", config, "--as", "管理员", "staff", "add", p.name]
        for role in p.roles:
            args += ["--role", role]
        if p.cert_no:
            args += ["--cert", p.cert_no, "--cert-valid-until", str(p.cert_valid_until)]
        if p.legal_qualified:
            args.append("--legal-qualified")
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def zhifa(runner: CliRunner, office_dir: Path) -> Invoke:
    """Run a command in the office; returns (exit code, parsed JSON or text output)."""

    def invoke(*args: str, actor: str | None = None) -> tuple[int, Any]:
        argv = ["--config", str(office_dir / "config.yaml")]
        if actor:
            argv += ["--as", actor]
        result = runner.invoke(app, [*argv, *args])
        if "--json" in args:
            return result.exit_code, json.loads(result.stdout)
        return result.exit_code, result.output

    return invoke


@pytest.fixture(scope="module")
def office_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small office shared by the argument fuzzer (it only reads or is refused)."""
    folder = tmp_path_factory.mktemp("fuzz") / "office"
    result = CliRunner().invoke(app, ["init", str(folder), "--admin", "管理员", *AGENCY])
    assert result.exit_code == 0, result.output
    return folder / "config.yaml"


# -- the installed `zhifa` as a real process --------------------------------------------------
ZHIFA = shutil.which("zhifa", path=str(Path(sys.executable).parent)) or shutil.which("zhifa")


def open_office(folder: Path) -> Office:
    settings = load_settings(folder / "config.yaml")
    return Office(Store(settings.database_url()), settings.policy(), clock=lambda: TODAY,
                  files=FileStore(settings.files_dir()))  # fmt: skip


@pytest.fixture(scope="module")
def bad_office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An office with the demo staff and a penalty case under investigation."""
    from terminal.demo import DEMO_AGENCY
    from terminal.office import create

    folder = tmp_path_factory.mktemp("bad-input") / "office"
    create(folder, "铁锋区审计局", "铁审", "管理员", DEMO_AGENCY)
    office = open_office(folder)
    for person in STAFF:
        office.register(person)
    case = run_steps(office, PENALTY_WITH_HEARING, until="draft_decision")
    office.store.dispose()
    return folder, case.id


def env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    return {**clean, "ZHIFA_TODAY": TODAY.isoformat(), "COLUMNS": "200", **extra}
