"""CLI fixtures: a real office folder made by `zhifa init`, driven through typer's CliRunner."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cli import app
from rules.model import Person
from tests.conftest import REGISTER_START, TODAY, TRAINING_BACKDATE, run_steps
from workflow.config import load_settings
from workflow.files import FileStore
from workflow.keys import Keyring
from workflow.scenarios import PENALTY_WITH_HEARING, STAFF
from workflow.service import Office
from workflow.store import Store

Invoke = Callable[..., Any]
#: A new office's own agency block (without it notices refuse: placeholders remain).
AGENCY = ["--address", "铁锋区政府路1号", "--phone", "0452-2468100", "--review-organ",
          "铁锋区人民政府", "--court", "铁锋区人民法院", "--payment-bank", "铁锋农村商业银行"]  # fmt: skip


#: The keys every test plays with (each test person's own, generated): the caller's key folder
#: for the installed `zhifa` run as a process (`env()`); CliRunner tests use their own folder.
KEYS = Path(tempfile.mkdtemp(prefix="zhifa-test-keys-"))


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("ZHIFA_TODAY", "2026-11-24")
    monkeypatch.setenv("ZHIFA_KEYS", str(tmp_path / "keys"))
    for name in ("ZHIFA_USER", "ZHIFA_CONFIG", "ZHIFA_DATABASE_URL", "ZHIFA_PASSPHRASE"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def training(config: Path) -> None:
    """A training office replays past cases: its acts may be dated back without approval."""
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["periods"]["backdate_working_days"] = TRAINING_BACKDATE
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")


def key_init(runner: CliRunner, name: str) -> str:
    """`zhifa key init NAME`: the new key's public half."""
    result = runner.invoke(app, ["key", "init", name, "--json"])
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["key"]["public_key"])


def staff_args(p: Person, public_key: str) -> list[str]:
    args = ["staff", "add", p.name, "--key", public_key, "--on", REGISTER_START.isoformat()]
    for role in p.roles:
        args += ["--role", role]
    if p.cert_no:
        args += ["--cert", p.cert_no, "--cert-valid-until", str(p.cert_valid_until)]
    if p.legal_qualified:
        args.append("--legal-qualified")
    return args


@pytest.fixture
def office_dir(tmp_path: Path, runner: CliRunner) -> Path:
    """An office made by `zhifa init` with the admin's key; the demo staff registered by the
    admin, each with their own key (all in this test's key folder: the test plays everyone)."""
    folder = tmp_path / "office"
    key_init(runner, "管理员")
    result = runner.invoke(app, ["init", str(folder), "--admin", "管理员", "--since",
                                 REGISTER_START.isoformat(), *AGENCY])  # fmt: skip
    assert result.exit_code == 0, result.output
    config = folder / "config.yaml"
    training(config)
    for p in STAFF:
        argv = ["--config", str(config), "--as", "管理员", *staff_args(p, key_init(runner, p.name))]
        result = runner.invoke(app, argv)
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
    Keyring(KEYS).generate("管理员")
    result = CliRunner(env={"ZHIFA_KEYS": str(KEYS)}).invoke(
        app, ["init", str(folder), "--admin", "管理员", *AGENCY]
    )
    assert result.exit_code == 0, result.output
    return folder / "config.yaml"


# -- the installed `zhifa` as a real process --------------------------------------------------
ZHIFA = shutil.which("zhifa", path=str(Path(sys.executable).parent)) or shutil.which("zhifa")


def open_office(folder: Path) -> Office:
    """The office in `folder`, signing with the keys in KEYS."""
    settings = load_settings(folder / "config.yaml")
    return Office(Store(settings.database_url()), settings.policy(), clock=lambda: TODAY,
                  files=FileStore(settings.files_dir()), signer=Keyring(KEYS))  # fmt: skip


def staffed_office(folder: Path) -> Office:
    """A training office made in `folder` with its admin's key and the demo staff registered,
    each with their own key in KEYS (the installed `zhifa` run with `env()` signs with them)."""
    from terminal.demo import DEMO_AGENCY
    from terminal.office import create

    keyring = Keyring(KEYS)
    keyring.generate("管理员")
    create(folder, "铁锋区审计局", "铁审", "管理员", DEMO_AGENCY, keyring, REGISTER_START)
    training(folder / "config.yaml")
    office = open_office(folder)
    for person in STAFF:
        office.add_staff("管理员", person, keyring.generate(person.name).public_key, REGISTER_START)
    return office


@pytest.fixture(scope="module")
def bad_office(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An office with the demo staff and a penalty case under investigation."""
    folder = tmp_path_factory.mktemp("bad-input") / "office"
    office = staffed_office(folder)
    case = run_steps(office, PENALTY_WITH_HEARING, until="draft_decision")
    office.store.dispose()
    return folder, case.id


def env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    return {**clean, "ZHIFA_TODAY": TODAY.isoformat(), "ZHIFA_KEYS": str(KEYS), "COLUMNS": "200",
            **extra}  # fmt: skip
