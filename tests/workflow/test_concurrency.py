"""Two real processes firing on the same case: exactly one wins, the other gets a conflict."""

from __future__ import annotations

import multiprocessing as mp
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY, make_office, office_settings, run_steps, signed
from workflow.errors import ConflictError
from workflow.keys import Keyring
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office
from workflow.store import Store

ROUNDS = 6


def _writer(url: str, keys: str, case_id: str, actor: str, barrier: Any, results: Any) -> None:
    """Load the case, wait for the other writer to have loaded it too, then save."""
    office = Office(Store(url), office_settings().policy(), clock=lambda: TODAY,
                    signer=Keyring(Path(keys)))  # fmt: skip
    staff = office.store.staff()
    for round_no in range(ROUNDS):
        case = office.case(case_id)
        ctx = office._context(staff[actor], "add_evidence")
        data = {"type": "documentary", "title": f"{actor} 第{round_no}份"}
        event, after = office.engine.fire(
            case, "add_evidence", staff[actor], date(2026, 3, 4), ctx, data
        )
        barrier.wait(timeout=60)
        try:
            office.store.append(signed(office, event), after, case.version)
            results.put((round_no, actor, "won"))
        except ConflictError:
            results.put((round_no, actor, "conflict"))
        barrier.wait(timeout=60)
    office.store.dispose()


def test_two_processes_cannot_both_write_the_same_version(db_url: str, tmp_path: Path) -> None:
    office: Office = make_office(db_url, keyring=Keyring(tmp_path / "keys"))
    case = run_steps(office, PENALTY_WITH_HEARING, until="add_evidence")
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    keys = str(tmp_path / "keys")
    procs = [ctx.Process(target=_writer, args=(db_url, keys, case.id, who, barrier, results))
             for who in ("王明", "李华")]  # fmt: skip
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    outcomes: dict[int, list[str]] = {}
    for _ in range(2 * ROUNDS):
        round_no, _, outcome = results.get(timeout=10)
        outcomes.setdefault(round_no, []).append(outcome)
    assert all(sorted(o) == ["conflict", "won"] for o in outcomes.values()), outcomes
    after = office.case(case.id)
    assert after.version == case.version + ROUNDS
    assert len(after.evidence) == ROUNDS
    assert office.verify() == []
    office.store.dispose()


def _clerk(url: str, keys: str, case_id: str, version: int, actor: str, barrier: Any,
           results: Any) -> None:  # fmt: skip
    office = Office(Store(url), office_settings().policy(), clock=lambda: TODAY,
                    signer=Keyring(Path(keys)))  # fmt: skip
    barrier.wait(timeout=60)
    try:
        office.do(case_id, "add_evidence", actor, {"type": "physical", "title": actor},
                  date(2026, 3, 4), expected_version=version)  # fmt: skip
        results.put("won")
    except ConflictError:
        results.put("conflict")
    office.store.dispose()


@pytest.mark.parametrize("attempt", range(3))
def test_two_clerks_with_the_same_expected_version(
    sqlite_url: str, attempt: int, tmp_path: Path
) -> None:
    office = make_office(sqlite_url, keyring=Keyring(tmp_path / "keys"))
    case = run_steps(office, PENALTY_WITH_HEARING, until="add_evidence")
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    keys = str(tmp_path / "keys")
    procs = [ctx.Process(target=_clerk, args=(sqlite_url, keys, case.id, case.version, who,
                                              barrier, results))
             for who in ("王明", "李华")]  # fmt: skip
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert sorted(results.get(timeout=10) for _ in procs) == ["conflict", "won"]
    assert office.case(case.id).version == case.version + 1
    assert office.verify() == []
