"""The benchmarks still run against the current schema and API (tiny sizes; figures not judged).

A benchmark that crashes after a migration is found here, not by the next engineer measuring.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
