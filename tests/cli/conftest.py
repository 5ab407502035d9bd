"""CLI fixtures: a real office folder made by `zhifa init`, driven through typer's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import app
from workflow.scenarios import STAFF

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
