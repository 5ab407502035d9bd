"""Benchmark: one act through the engine vs the raw commit ceiling (the same update + insert in
one transaction, on SQLite and, when a server is named, on PostgreSQL with raw psycopg), the
start-up of `zhifa case show` vs `python -c "import sqlmodel"`, and replay+verify speed on a
case with 10,000 events. Prints figures side by side; asserts nothing.

    .venv/bin/python benchmarks/bench_engine.py [--transitions N] [--events N]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]  (default: $ZHIFA_TEST_PG_URL)
        [--startup-runs N]

Goals (issue 16): one act ≥ 0.8× the raw ceiling on SQLite and on PostgreSQL; `zhifa case
show` ≤ 1.2× `import sqlmodel`; replay+verify at least 100,000 events per second.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
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
from workflow.store import CASES, EVENTS, Store, _event_row

TODAY = date(2026, 11, 24)
REGISTER_START = date(2020, 1, 2)
EVIDENCE = {"type": "documentary", "title": "账簿"}


def make_office(folder: Path, url: str | None = None) -> Office:
    """A training office (acts dated back freely), its staff signing with generated keys."""
    store = Store(url or f"sqlite:///{folder / 'bench.db'}")
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


SNAPSHOT = "x" * 3000  # about the size of a real case snapshot
UPDATE_RAW = "UPDATE cases SET version = {p}, snapshot = {p}, last_hash = {p} WHERE id = 'RAW' AND version = {p}"
INSERT_RAW = (
    "INSERT INTO events (case_id, seq, action, from_state, to_state, actor, role, occurred_on,"
    " recorded_at, data, documents, prev_hash, hash, sig_alg, sig_key, signature) VALUES ('RAW', {p}, 'add_evidence', 'evidence', 'evidence', '王明',"
    " 'officer', '2026-03-06', '2026-11-24T00:00:00.000000Z', {p}, '[]', {p}, {p}, 'ed25519', {p}, {p})"
)


def _copy_case_row() -> str:
    """A real case row copied as 'RAW', so the baseline follows the schema as migrations add
    columns."""
    names = [c.name for c in CASES.c]
    copied = ", ".join({"id": "'RAW'", "version": "0"}.get(n, f'"{n}"') for n in names)
    listed = ", ".join(f'"{n}"' for n in names)
    return f"INSERT INTO cases ({listed}) SELECT {copied} FROM cases LIMIT 1"


def _raw_params(version: int) -> tuple[tuple[object, ...], tuple[object, ...]]:
    update = (version + 1, SNAPSHOT, "h" * 64, version)
    insert = (version + 1, canonical(EVIDENCE), "p" * 64, "h" * 64, "k" * 64, "s" * 88)
    return update, insert


def raw_rate(path: Path, n: int) -> float:
    """The same update+insert transaction with sqlite3 directly: the physical ceiling."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(_copy_case_row())
    update, insert = UPDATE_RAW.format(p="?"), INSERT_RAW.format(p="?")
    start = time.perf_counter()
    for version in range(n):
        conn.execute("BEGIN")
        update_params, insert_params = _raw_params(version)
        assert conn.execute(update, update_params).rowcount == 1
        conn.execute(insert, insert_params)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return n / elapsed


def raw_pg_rate(url: str, schema: str, n: int) -> float:
    """The same update+insert transaction with psycopg directly (4 round trips)."""
    import psycopg

    conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                           options=f"-csearch_path={schema}")  # fmt: skip
    conn.autocommit = True
    conn.execute(_copy_case_row())
    conn.autocommit = False
    update, insert = UPDATE_RAW.format(p="%s"), INSERT_RAW.format(p="%s")
    start = time.perf_counter()
    for version in range(n):
        update_params, insert_params = _raw_params(version)
        with conn.cursor() as cur:
            cur.execute(update, update_params)
            assert cur.rowcount == 1
            cur.execute(insert, insert_params)
        conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return n / elapsed


def pg_rates(base: str, n: int, cases: int) -> tuple[float, float]:
    """(engine acts/s, raw commits/s) on PostgreSQL, in a schema of their own, dropped after."""
    import sqlalchemy as sa

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        sep = "&" if "?" in base else "?"
        office = make_office(Path("."), f"{base}{sep}options=-csearch_path%3D{schema}")
        engine = engine_rate(office, n, cases)
        office.store.dispose()
        raw = raw_pg_rate(base.split("?")[0], schema, n)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    return engine, raw


def startup(folder: Path, case_id: str, runs: int) -> tuple[float, float]:
    """(best wall seconds of `zhifa case show CASE`, of `python -c "import sqlmodel"`)."""
    (folder / "config.yaml").write_text("database:\n  url: sqlite:///bench.db\n", encoding="utf-8")
    (folder / "keys").mkdir(exist_ok=True)
    env = {**os.environ, "ZHIFA_KEYS": str(folder / "keys"), "ZHIFA_TODAY": TODAY.isoformat()}
    script = Path(sys.executable).with_name("zhifa")
    show = (
        [str(script)]
        if script.exists()
        else [sys.executable, str(Path(__file__).parents[1] / "cli.py")]
    )
    commands = {
        "show": [*show, "--config", str(folder / "config.yaml"), "case", "show", case_id],
        "import": [sys.executable, "-c", "import sqlmodel"],
    }
    best = {name: float("inf") for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            best[name] = min(best[name], time.perf_counter() - start)
            assert done.returncode == 0, done.stderr[-2000:]
    return best["show"], best["import"]


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
            .values(**_case_values(current, office.figures(current)))
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
    parser.add_argument("--pg", default=os.environ.get("ZHIFA_TEST_PG_URL"),
                        help="PostgreSQL URL (default $ZHIFA_TEST_PG_URL); none: SQLite only")  # fmt: skip
    parser.add_argument("--startup-runs", type=int, default=3, help="runs of each start-up (best)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        office = make_office(folder)
        engine = engine_rate(office, args.transitions, args.cases)
        case_id = office.cases()[0].id
        show, imported = (
            startup(folder, case_id, args.startup_runs) if args.startup_runs else (0, 0)
        )
        raw = raw_rate(folder / "bench.db", args.transitions)
        verify, replay = verify_rate(office, args.events)
        office.store.dispose()
    pg = pg_rates(args.pg, args.transitions, args.cases) if args.pg else None
    print("one act (update case + insert event, one durable transaction):")
    print(f"  SQLite  engine acts/s {engine:8.0f}   raw sqlite3 commits/s {raw:8.0f}   "
          f"ratio {engine / raw:5.2f}  (goal ≥ 0.80; WAL, synchronous=FULL)")  # fmt: skip
    if pg:
        print(f"  PostgreSQL engine acts/s {pg[0]:8.0f}   raw psycopg commits/s {pg[1]:8.0f}   "
              f"ratio {pg[0] / pg[1]:5.2f}  (goal ≥ 0.80)")  # fmt: skip
    else:
        print("  PostgreSQL: not run (give --pg URL or set ZHIFA_TEST_PG_URL)")
    if args.startup_runs:
        print(f"start-up: zhifa case show {show * 1000:6.0f} ms   python -c 'import sqlmodel' "
              f"{imported * 1000:6.0f} ms   ratio {show / imported:5.2f}  (goal ≤ 1.20; best of "
              f"{args.startup_runs})")  # fmt: skip
    print(f"verify (chain, hashes, signatures, replay), events/s: {verify:10.0f}  (goal ≥ 100000)")
    print(f"replay alone, events/s:                               {replay:10.0f}")
    print(
        f"transitions: {args.transitions} over {args.cases} cases; verify case: {args.events} events"
    )


if __name__ == "__main__":
    main()
