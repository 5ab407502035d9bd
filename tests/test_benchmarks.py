"""The benchmarks still run against the current schema and API (tiny sizes; figures not judged).

A benchmark that crashes after a migration is found here, not by the next engineer measuring.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import pg_base_url

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.parametrize(
    ("script", "args", "figure"),
    [
        (
            "bench_engine.py",
            ["--transitions", "10", "--events", "60", "--cases", "2", "--startup-runs", "1"],
            "zhifa case show",
        ),
        ("bench_notices.py", ["--cases", "2"], "notices/s"),
        ("bench_search.py", ["--cases", "30", "--queries", "10"], "search p50 / p95"),
        ("bench_signing.py", ["--acts", "5", "--cases", "50"], "checkpoint"),
    ],
)
def test_benchmark_runs_and_prints_its_figures(script: str, args: list[str], figure: str) -> None:
    done = subprocess.run(
        [sys.executable, script, *args],
        cwd=BENCHMARKS,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert figure in done.stdout


SCALE_COMMANDS = ("alerts --within 5", "case list --state review", "case show (first)",
                  "case show", "case actions",
                  "report annual 2026", "publish site (whole)", "publish site (1 new)",
                  "verify (whole office)", "verify (again, unchanged)")  # fmt: skip


@pytest.mark.parametrize(("store", "flags"), [("SQLite", []), ("PostgreSQL", ["--pg-only"])])
def test_scale_benchmark_loads_a_verifiable_office_and_runs_every_command(
    store: str, flags: list[str]
) -> None:
    """bench_scale.py at a tiny N: the bulk loader's office passes `verify`, and every command
    the issue measures runs on it (each row says ok, never FAILED)."""
    if store == "PostgreSQL":
        pg_base_url()  # skips without a server (fails in CI)
    done = subprocess.run(
        [sys.executable, "bench_scale.py", "--n", "30", *flags],
        cwd=BENCHMARKS, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    rows = {line[2:30].strip(): line[30:].split()[2] for line in done.stdout.splitlines()
            if line.startswith("  ") and line[2:30].strip() in SCALE_COMMANDS}  # fmt: skip
    assert rows == dict.fromkeys(SCALE_COMMANDS, "ok"), done.stdout
    assert f"{store}, 30 cases" in done.stdout
