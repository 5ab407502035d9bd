"""Helpers for the scale tests: offices built from scenario prefixes, the query plans of both
stores, and the answers the office gave before the database answered them (full scans)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rules.deadlines import alerts as computed_alerts
from tests.conftest import PgSchema, make_office, pg_base_url, run_steps
from workflow.scenarios import SCENARIOS, Scenario
from workflow.service import Office

#: the scenarios that stand alone (a 行政强制措施 opens its own host case)
STANDALONE = tuple(s for s in SCENARIOS if s.attach is None)


def run_prefix(office: Office, scenario: Scenario, steps: int) -> None:
    """Drive a scenario's first `steps` steps (all of them when `steps` is its length)."""
    if steps >= len(scenario.steps):
        run_steps(office, scenario)
        return
    action = scenario.steps[steps].action
    occurrence = sum(1 for s in scenario.steps[: steps + 1] if s.action == action)
    run_steps(office, scenario, until=action, occurrence=occurrence)


@contextmanager
def fresh_office(backend: str, folder: Path) -> Iterator[Office]:
    """A new office on a new SQLite file or a new PostgreSQL schema, dropped afterwards."""
    schema = PgSchema(pg_base_url()) if backend == "postgres" else None
    url = schema.url if schema else f"sqlite:///{folder / 'zhifa.db'}"
    office = make_office(url)
    try:
        yield office
    finally:
        office.store.dispose()
        if schema is not None:
            schema.drop()


def full_scan_alerts(office: Office, within: int) -> list[tuple[Any, ...]]:
    """The cases' alerts as the office computed them before the rows: every case loaded."""
    pairs = [(c, office.engine.procedure(c.procedure).deadlines) for c in office.cases()]
    found = computed_alerts(pairs, office.policy, office.clock(), within)
    return [(c.id, d.id, d.label, d.due.isoformat(), d.status, d.provisional, left)
            for c, d, left in found]  # fmt: skip


def indexed_alerts(office: Office, within: int) -> list[tuple[Any, ...]]:
    return [(a["case"], a["id"], a["label"], a["due"], a["status"], a["provisional"],
             a["days_left"]) for a in office.alerts(within) if a["case"] != "—"]  # fmt: skip


def plan(conn: Connection, query: Any, params: dict[str, Any]) -> str:
    """The store's plan for a query, as text: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's
    EXPLAIN with sequential scans and sorts priced out (so an index is taken if one serves)."""
    query = query.params(**params) if params else query
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
        return "\n".join(str(r[-1]) for r in rows)
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_sort = off")
    rows = conn.exec_driver_sql(f"EXPLAIN {sql}").all()
    return "\n".join(str(r[0]) for r in rows)


def scans_a_table(text: str) -> bool:
    """Whether a plan reads a whole table instead of an index."""
    for line in text.splitlines():
        if "Seq Scan" in line:
            return True
        if line.lstrip("-| ").startswith("SCAN") and "INDEX" not in line:
            return True
    return False


def sorts(text: str) -> bool:
    """Whether a plan sorts rows itself (an index gives them in order otherwise)."""
    return "TEMP B-TREE" in text or any(
        line.strip().startswith(("Sort", "->  Sort", "Incremental Sort")) or "Sort  (" in line
        for line in text.splitlines()
    )


def day(text: str) -> date:
    return date.fromisoformat(text)


def index_names(conn: Connection, table: str) -> set[str]:
    return {str(ix["name"]) for ix in sa.inspect(conn).get_indexes(table)}
