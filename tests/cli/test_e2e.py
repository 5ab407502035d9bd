"""The installed `zhifa` as a real process: the demo, verify, and the interactive prompt in a pty."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from tests.cli.conftest import AGENCY, KEYS

ZHIFA = shutil.which("zhifa", path=str(Path(sys.executable).parent)) or shutil.which("zhifa")
pytestmark = pytest.mark.skipif(ZHIFA is None, reason="zhifa is not installed (pip install -e .)")


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    return {**clean, "ZHIFA_TODAY": "2026-11-24", "ZHIFA_KEYS": str(KEYS), "COLUMNS": "100"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert ZHIFA is not None
    return subprocess.run(
        [ZHIFA, *args], capture_output=True, text=True, env=env(), timeout=120, check=False
    )


def test_demo_then_verify_as_real_processes(tmp_path: Path) -> None:
    office = tmp_path / "demo"
    demo = run("demo", str(office))
    assert demo.returncode == 0, demo.stderr
    assert "归档" in demo.stdout
    assert "不予办理" in demo.stderr  # the refusal it shows on the way
    assert "类案推送" in demo.stdout  # the penalty draft is made with assist's proposal
    [decision] = (office / "文书" / "txt").glob("P-*_penalty_decision.txt")
    text = decision.read_text(encoding="utf-8")
    assert "裁量基准SJ-CF-003-01" in text
    assert "裁量阶次为" in text
    verify = run("--config", str(office / "config.yaml"), "verify", "--json")
    assert verify.returncode == 0
    verified = json.loads(verify.stdout)
    assert (verified["ok"], verified["problems"]) == (True, [])
    assert verified["checkpoint"]["stale"] is False  # the demo ends with a checkpoint
    cases = json.loads(
        run("--config", str(office / "config.yaml"), "case", "list", "--json").stdout
    )
    assert [c["state"] for c in cases["cases"]] == ["archive"] * 4  # penalty, audit, 封存, 简易程序


def test_help_is_fast_and_does_not_import_the_engine() -> None:
    probe = ("import sys, cli; cli.app(['--help'], standalone_mode=False); "
             "print('sqlalchemy' in sys.modules, 'transitions' in sys.modules)")  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env(), check=False
    )
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_interactive_do_under_a_pseudo_terminal(tmp_path: Path) -> None:
    office = tmp_path / "office"
    assert run("key", "init", "管理员").returncode == 0
    assert run("init", str(office), "--admin", "管理员", "--since", "2026-11-02",
               *AGENCY).returncode == 0  # fmt: skip
    config = str(office / "config.yaml")
    for args in (["王明", "--role", "officer", "--cert", "A1", "--cert-valid-until", "2030-01-01"],
                 ["赵刚", "--role", "head"], ["李华", "--role", "officer", "--cert", "A2",
                  "--cert-valid-until", "2030-01-01"]):  # fmt: skip
        key = json.loads(run("key", "init", args[0], "--json").stdout)["key"]["public_key"]
        added = run("--config", config, "--as", "管理员", "staff", "add", *args, "--key", key,
                    "--on", "2026-11-02")  # fmt: skip
        assert added.returncode == 0, added.stderr
    opened = run("--config", config, "--as", "王明", "case", "open", "--procedure", "penalty",
                 "--title", "案", "--party", "某公司", "--party-id", "91230200MA1B2C3D4E",
                 "--party-address", "铁锋区工业路88号", "--data", "source=举报", "--on", "2026-11-20",
                 "--data", "violation=虚报", "--data", "violation_on=2026-10-01",
                 "--data", "discovered_on=2026-11-19")  # fmt: skip
    case_id = opened.stdout.strip()
    assert case_id == "P-2026-0001", opened.stderr
    child = pexpect.spawn(ZHIFA, ["--config", config, "--as", "赵刚", "case", "do", case_id,
                                  "--on", "2026-11-20"], env=env(), encoding="utf-8", timeout=30)  # fmt: skip
    child.expect("which action")
    assert "assign" in child.before
    options = [line for line in child.before.splitlines() if "." in line and "assign" in line]
    child.sendline(options[0].strip().split(".")[0])  # by number
    child.expect("person")
    child.sendline("李华")  # by name
    child.expect("role")
    child.sendline("执法人员")  # by label
    child.expect("note")
    child.sendline("")
    child.expect("record this act")
    child.sendline("y")
    child.expect(pexpect.EOF)
    assert "✓ P-2026-0001 #2" in child.before
    child.close()
    assert child.exitstatus == 0, child.before
    shown = json.loads(run("--config", config, "case", "show", case_id, "--json").stdout)
    assert shown["case"]["officers"] == ["王明", "李华"]
