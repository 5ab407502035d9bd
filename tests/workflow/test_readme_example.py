"""The README's worked example of the stage after the decision is what zhifa computes: each row
of its table is the account `case show` gives on that date for the demo's penalty case
(行政处罚法 Arts. 67, 72, 73; 行政强制法 Arts. 45, 53, 54, 69)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from rules.errors import RefusedError
from tests.conftest import run_steps
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| (\d{4}-\d\d-\d\d) \| [^|]+ \| ([\d,.]+) \| ([\d,.]+) \| ([\d,.]+) \| ([\d,.]+) \|$")


def rows() -> list[tuple[date, list[Decimal]]]:
    section = README.read_text(encoding="utf-8").split("**A worked example**", 1)[1]
    found = [(date.fromisoformat(m.group(1)),
              [Decimal(m.group(i).replace(",", "")) for i in range(2, 6)])
             for line in section.splitlines()[:40] if (m := ROW.match(line))]  # fmt: skip
    assert len(found) >= 4, "the README's worked example lost its table"
    return found


def test_every_row_of_the_worked_example_is_what_case_show_prints(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING)
    for on, figures in rows():
        account = office.view(office.case(case.id), as_of=on)["account"]
        shown = [Decimal(account[k]) for k in ("principal", "surcharge", "paid", "outstanding")]
        assert shown == figures, on


def test_the_court_is_applied_to_only_once_the_remedy_periods_have_run(office: Office) -> None:
    """行政强制法 Art. 53: the application is refused before the 复议/诉讼 periods end."""
    case = run_steps(office, PENALTY_WITH_HEARING, until="apply_enforcement")
    window = next(d for d in office.view(case)["deadlines"] if d["id"] == "enforcement_window")
    opens = date.fromisoformat(window["starts_on"])
    with pytest.raises(RefusedError) as refused:
        office.do(case.id, "apply_enforcement", "赵刚", {"court": "铁锋区人民法院",
                  "materials": "行政处罚决定书"}, date.fromordinal(opens.toordinal() - 1))  # fmt: skip
    assert any("行政强制法第五十三条" in r.source for r in refused.value.reasons)
