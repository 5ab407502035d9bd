"""Benchmark: durable transitions through the engine vs the raw SQLite commit ceiling, and
replay+verify speed on a case with 10,000 events. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_engine.py [--transitions N] [--events N]

Goals (issue 2): the engine reaches at least half the raw commit rate; replay+verify at
least 100,000 events per second.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from rules.model import Case
from states.penalty import PENALTY
from workflow.config import PeriodSettings, Settings
from workflow.engine import Context
from workflow.events import canonical
from workflow.keys import Keyring, SigningKey
from workflow.scenarios import PENALTY_WITH_HEARING, STAFF
from workflow.service import Office
from workflow.signing import signing_key
from workflow.store import EVENTS, Store, _event_row

TODAY = date(2026, 11, 24)
REGISTER_START = date(2020, 1, 2)
EVIDENCE = {"type": "documentary", "title": "账簿"}


def make_office(folder: Path) -> Office:
    """A training office (acts dated back freely), its staff signing with generated keys."""
    store = Store(f"sqlite:///{folder / 'bench.db'}")
    store.migrate()
    return staffed(store, Settings())


def staffed(store: Store, settings: Settings) -> Office:
    """An office on `store` as a training office (acts dated back freely), with the demo staff
    registered by the admin, each signing with a key generated in memory."""
    keyring = Keyring()
    settings = settings.model_copy(update={"periods": PeriodSettings(backdate_working_days=3650)})  # type: ignore[call-arg]
    office = Office(store, settings.policy(), clock=lambda: TODAY, signer=keyring)
    keyring.generate("管理员")
    office.open_register("管理员", REGISTER_START)
    for person in STAFF:
        office.add_staff("管理员", person, keyring.generate(person.name).public_key, REGISTER_START)
    return office


def signing_key_of(office: Office, name: str) -> SigningKey:
    key = signing_key(office.signer, office.register_history().current, name)
    assert key is not None
    return key


def case_in_evidence(office: Office) -> Case:
    case = None
    for step in PENALTY_WITH_HEARING.steps[:4]:
        if step.action == "open":
            _, case = office.open_case(PENALTY.id, step.actor, step.data, step.on)
        else:
            assert case is not None
            _, case = office.do(case.id, step.action, step.actor, step.data, step.on)
    assert case is not None
    return case


def engine_rate(office: Office, n: int, cases: int) -> float:
    """`n` transitions spread over `cases` open cases, as a busy office would make them."""
    ids = [case_in_evidence(office).id for _ in range(cases)]
    on = date(2026, 3, 6)
    start = time.perf_counter()
    for i in range(n):
        office.do(ids[i % cases], "add_evidence", "王明", EVIDENCE, on)
    return n / (time.perf_counter() - start)


def raw_rate(path: Path, n: int) -> float:
    """The same insert+update transaction with sqlite3 directly: the physical ceiling."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    # Copy a real case row so the baseline follows the schema as migrations add columns.
    columns = [row[1] for row in conn.execute("PRAGMA table_info(cases)")]
    copied = ", ".join(
        {"id": "'RAW'", "version": "0"}.get(column, f'"{column}"') for column in columns
    )
    conn.execute(f"INSERT INTO cases SELECT {copied} FROM cases LIMIT 1")
    snapshot = "x" * 3000  # about the size of a real case snapshot
    start = time.perf_counter()
    for version in range(n):
        conn.execute("BEGIN")
        done = conn.execute(
            "UPDATE cases SET version = ?, snapshot = ?, last_hash = ? WHERE id = 'RAW' AND version = ?",
            (version + 1, snapshot, "h" * 64, version),
        )
        assert done.rowcount == 1
        conn.execute(
            "INSERT INTO events VALUES ('RAW', ?, 'add_evidence', 'evidence', 'evidence', '王明',"
            " 'officer', '2026-03-06', '2026-11-24T00:00:00.000000Z', ?, '[]', ?, ?, 'ed25519', ?, ?)",
            (version + 1, canonical(EVIDENCE), "p" * 64, "h" * 64, "k" * 64, "s" * 88),
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return n / elapsed


def verify_rate(office: Office, events: int) -> tuple[float, float]:
    """Build a case of `events` events in memory through the engine, store it, then verify."""
    case = case_in_evidence(office)
    staff = office.store.staff()
    ctx = Context(staff, office.policy, TODAY)
    key = signing_key_of(office, "王明")
    rows = []
    on = date(2026, 3, 6)
    current = case
    for _ in range(events - case.version):
        event, current = office.engine.fire(
            current, "add_evidence", staff["王明"], on, ctx, EVIDENCE, in_place=True
        )
        rows.append(_event_row(event.signed_by(key)))
    with office.store.engine.begin() as conn:
        conn.execute(sa.insert(EVENTS), rows)
    with office.store.engine.begin() as conn:
        from workflow.store import CASES, _case_values

        conn.execute(
            sa.update(CASES)
            .where(CASES.c.id == case.id)
            .values(**_case_values(current, office.figures))
        )
    start = time.perf_counter()
    problems = office.verify(case.id)
    verify_elapsed = time.perf_counter() - start
    assert problems == [], problems[:3]
    start = time.perf_counter()
    office.replay(case.id)
    replay_elapsed = time.perf_counter() - start
    return events / verify_elapsed, events / replay_elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--transitions", type=int, default=2000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=50, help="cases the transitions spread over")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        office = make_office(folder)
        engine = engine_rate(office, args.transitions, args.cases)
        raw = raw_rate(folder / "bench.db", args.transitions)
        verify, replay = verify_rate(office, args.events)
        office.store.dispose()
    print(f"engine durable transitions/s (SQLite, WAL, synchronous=FULL): {engine:10.0f}")
    print(f"raw SQLite insert+update commits/s (same schema and pragmas): {raw:10.0f}")
    print(
        f"engine / raw ratio:                                           {engine / raw:10.2f}  (goal ≥ 0.50)"
    )
    print(
        f"verify (chain, hashes, signatures, replay), events/s:         {verify:10.0f}  (goal ≥ 100000)"
    )
    print(f"replay alone, events/s:                                       {replay:10.0f}")
    print(
        f"transitions: {args.transitions} over {args.cases} cases; verify case: {args.events} events"
    )


if __name__ == "__main__":
    main()
