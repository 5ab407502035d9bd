"""On generated offices, the database's answers equal the full scans they replace (issue 16):
every page of `case list` concatenated is the whole filtered list, in the order asked, and the
indexed `alerts` are the alerts computed from every case — on any day, for any horizon."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rules.deadlines import basis
from rules.model import Case
from tests.workflow.scale import (
    STANDALONE,
    fresh_office,
    full_scan_alerts,
    indexed_alerts,
    run_prefix,
)
from workflow.service import Office

#: which scenarios run (each at most once: a second fine for one violation is refused, Art. 29)
#: and how far
offices = st.lists(
    st.tuples(st.sampled_from(range(len(STANDALONE))), st.integers(min_value=1, max_value=21)),
    min_size=1, max_size=3, unique_by=lambda pick: pick[0],
)  # fmt: skip
days = st.dates(min_value=date(2026, 3, 1), max_value=date(2027, 6, 30))


def _expected_order(cases: list[Case], sort: str) -> list[str]:
    """The order a full scan gives (`case list` before pages: opened, then id)."""
    key: dict[str, Any] = {
        "opened": lambda c: (c.opened_on, c.id),
        "id": lambda c: c.id,
        "state": lambda c: (c.state, c.opened_on, c.id),
    }
    return [c.id for c in sorted(cases, key=key[sort])]


def _all_pages(office: Office, state: str | None, sort: str, limit: int) -> list[str]:
    first = office.case_page(state, sort=sort, limit=limit)
    ids = [c.id for c in first.cases]
    for page in range(2, first.pages + 1):
        ids += [c.id for c in office.case_page(state, sort=sort, limit=limit, page=page).cases]
    return ids


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
@settings(max_examples=10)
@example(picks=[(0, 12), (1, 15), (2, 3)], today=date(2026, 11, 24), within=250, limit=2,
         sort="state", filtered=False)  # every kind of open obligation at once
@given(picks=offices, today=days, within=st.integers(0, 250), limit=st.integers(1, 4),
       sort=st.sampled_from(["opened", "id", "state", "updated"]), filtered=st.booleans())  # fmt: skip
def test_pages_and_indexed_alerts_equal_the_full_scans(
    backend: str, picks: list[tuple[int, int]], today: date, within: int, limit: int, sort: str,
    filtered: bool,
) -> None:  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, fresh_office(backend, Path(folder)) as office:
        for index, steps in picks:
            run_prefix(office, STANDALONE[index], min(steps, len(STANDALONE[index].steps)))
        every = office.cases()
        state = every[-1].state if filtered else None
        scanned = office.cases(state)
        paged = _all_pages(office, state, sort, limit)
        if sort == "updated":  # the write time is not in the case: the same cases, once each
            assert sorted(paged) == sorted(c.id for c in scanned)
        else:
            assert paged == _expected_order(scanned, sort)
        assert office.store.deadline_basis() == basis(office.policy)  # the acts' own rows
        office.clock = lambda: today
        assert indexed_alerts(office, within) == full_scan_alerts(office, within)
