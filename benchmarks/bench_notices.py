"""Benchmark: what notices cost. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_notices.py [--cases N]

- issuing: acts that render a notice (number + render + hashes + bundle) against acts that
  do not, on the same SQLite office;
- verify: notices rendered again per second while verifying whole cases;
- export: seconds per PDF (needs a CJK font) and per HTML page.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_engine import make_office  # run from benchmarks/: same office setup

from documents.pdf import cjk_fonts
from states.penalty import PENALTY
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office


def run_case(office: Office, n: int) -> str:
    """The demo's penalty case; each run concerns another violation (行政处罚法 Art. 29)."""
    case_id = ""
    for step in PENALTY_WITH_HEARING.steps:
        if step.action == "open":
            violated = (date(2025, 11, 10) - timedelta(days=n)).isoformat()
            data = {**step.data, "violation_on": violated}
            case_id = office.open_case(PENALTY.id, step.actor, data, step.on)[1].id
        else:
            office.do(case_id, step.action, step.actor, step.data, step.on)
    return case_id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        office = make_office(Path(tmp))
        opening = PENALTY_WITH_HEARING.steps[0]
        start = time.perf_counter()
        ids = [office.open_case(PENALTY.id, opening.actor, opening.data, opening.on)[1].id
               for _ in range(args.cases)]  # fmt: skip
        with_notice = args.cases / (time.perf_counter() - start)
        start = time.perf_counter()
        for case_id in ids:
            office.do(case_id, "assign", "赵刚", {"person": "李华", "role": "officer"}, opening.on)
        without = args.cases / (time.perf_counter() - start)
        print(f"acts issuing a notice (立案 + 立案审批表): {with_notice:8.1f}/s")
        print(f"acts without a notice (assign):           {without:8.1f}/s")

        full = [run_case(office, n) for n in range(args.cases)]
        notices = sum(len(office.notices(c)) for c in full) + args.cases
        start = time.perf_counter()
        problems = office.verify()
        took = time.perf_counter() - start
        print(f"verify all {2 * args.cases} cases re-rendering {notices} notices: {took:.2f} s "
              f"({notices / took:,.0f} notices/s), problems: {len(problems)}")  # fmt: skip

        out = Path(tmp) / "out"
        start = time.perf_counter()
        html = office.export_notices(full[0], "html", out)
        print(f"HTML: {(time.perf_counter() - start) / len(html) * 1000:.1f} ms per notice")
        if cjk_fonts():
            start = time.perf_counter()
            pdfs = office.export_notices(full[0], "pdf", out)
            print(f"PDF:  {(time.perf_counter() - start) / len(pdfs):.2f} s per notice")
        else:
            print("PDF:  skipped (no CJK font installed)")
        office.store.dispose()


if __name__ == "__main__":
    main()
