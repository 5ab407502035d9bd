"""Open obligations as rows (执法监督, 提前预警 at a province's scale).

Each act rewrites its case's open obligations (rules/deadlines.py `open_obligations`: the one
place a deadline is defined) in its own transaction, so `alerts --within N` is one query on the
indexed due date. The rows follow the policy they were computed with (`basis`): when the
office's periods or calendar change, they are computed again from the case rows, once.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rules.deadlines import Deadline
from rules.model import Case
from workflow.events import utc_now
from workflow.tables import BASIS, CASES, DEADLINES

#: a case's open obligations, as the office computes them for its policy and procedures
OpenDeadlines = Callable[[Case], list[Deadline]]
NAME = "open_deadlines"
INSERT = sa.insert(DEADLINES)
#: every open obligation due on or before a day, most urgent first, with its case's title
DUE_BY = (
    sa.select(DEADLINES, CASES.c.title)
    .join(CASES, CASES.c.id == DEADLINES.c.case_id)
    .where(DEADLINES.c.due <= sa.bindparam("p_limit"))
    .order_by(DEADLINES.c.due, DEADLINES.c.case_id, DEADLINES.c.ord)
)
BATCH = 500


COLUMNS = ("case_id", "ord", "deadline", "label", "due", "starts_on", "provisional", "warning")


def row_values(case_id: str, deadlines: list[Deadline]) -> list[tuple[Any, ...]]:
    """A case's open obligations as rows of COLUMNS (the act writes them in driver SQL)."""
    return [(case_id, n, d.id, d.label, d.due, d.starts_on, d.provisional, d.warning)
            for n, d in enumerate(deadlines)]  # fmt: skip


def _rows(case_id: str, deadlines: list[Deadline]) -> list[dict[str, Any]]:
    return [dict(zip(COLUMNS, row, strict=True)) for row in row_values(case_id, deadlines)]


def _insert(conn: Connection, case_id: str, deadlines: list[Deadline]) -> None:
    """A case's open obligations as rows (an act writes its own in driver SQL: Store._record)."""
    if deadlines:
        conn.execute(INSERT, _rows(case_id, deadlines))


def _cases(conn: Connection) -> Iterator[Case]:
    """Every case, a batch at a time in id order (bounded memory on any store)."""
    after = ""
    query = (sa.select(CASES.c.id, CASES.c.snapshot).where(CASES.c.id > sa.bindparam("p_after"))
             .order_by(CASES.c.id).limit(BATCH))  # fmt: skip
    while True:
        rows = conn.execute(query, {"p_after": after}).all()
        for row in rows:
            yield Case.from_dict(json.loads(row.snapshot))
        if len(rows) < BATCH:
            return
        after = rows[-1].id


def rebuild(conn: Connection, open_deadlines: OpenDeadlines, basis: str) -> int:
    """Compute every case's open obligations again and record the basis; the rows written."""
    conn.execute(sa.delete(DEADLINES))
    written = 0
    for case in _cases(conn):
        found = open_deadlines(case)
        _insert(conn, case.id, found)
        written += len(found)
    conn.execute(sa.delete(BASIS).where(BASIS.c.name == NAME))
    conn.execute(sa.insert(BASIS).values(name=NAME, basis=basis, computed_at=utc_now()))
    return written


def stored_basis(conn: Connection) -> str | None:
    return conn.execute(sa.select(BASIS.c.basis).where(BASIS.c.name == NAME)).scalar_one_or_none()


def due_by(conn: Connection, limit: date, rows: int | None = None) -> list[Any]:
    """The stored open obligations due on or before `limit`, most urgent first (the first
    `rows` of them, if given: read from the index in order, never sorted here)."""
    return list(conn.execute(DUE_BY if rows is None else DUE_BY.limit(rows), {"p_limit": limit}))


def count_due_by(conn: Connection, limit: date) -> int:
    query = sa.select(sa.func.count()).select_from(DEADLINES).where(DEADLINES.c.due <= limit)
    return int(conn.execute(query).scalar_one())


def fingerprint(rows: Iterable[tuple[Any, ...]]) -> str:
    """What a case's open obligations say, in order: (deadline, due, starts_on, provisional)."""
    import hashlib

    text = "|".join(f"{d},{_iso(due)},{_iso(start)},{bool(prov)}" for d, due, start, prov in rows)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _iso(day: Any) -> str:
    return day.isoformat() if hasattr(day, "isoformat") else str(day or "")


def expected(deadlines: list[Deadline]) -> str:
    return fingerprint((d.id, d.due, d.starts_on, d.provisional) for d in deadlines)


def stored(conn: Connection, case_id: str | None = None) -> Iterator[tuple[str, str]]:
    """(case, fingerprint of its stored rows) for every case with rows (or one), streamed."""
    query = sa.select(DEADLINES.c.case_id, DEADLINES.c.deadline, DEADLINES.c.due,
                      DEADLINES.c.starts_on, DEADLINES.c.provisional)  # fmt: skip
    if case_id is not None:
        query = query.where(DEADLINES.c.case_id == case_id)
    stream = conn.execution_options(yield_per=5000).execute(
        query.order_by(DEADLINES.c.case_id, DEADLINES.c.ord))
    for cid, group in itertools.groupby(stream, key=lambda r: r[0]):
        yield cid, fingerprint(tuple(r)[1:] for r in group)
