"""The store behind a port: SQLite by default, PostgreSQL for a shared office database.

Every write is one transaction: the event row and the case projection together, guarded by
an optimistic version check, so two writers on one case cannot both succeed.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError as SAIntegrityError
from sqlalchemy.exc import OperationalError

from rules.model import Case, Person
from rules.statistics import FIGURES
from workflow import deadline_rows
from workflow.errors import ConflictError, NotFoundError, WorkflowError
from workflow.events import Event, canonical, utc_now
from workflow.register import REGISTER, RegisterHistory
from workflow.tables import CASES, CHECKPOINTS, COUNTERS, EVENTS, STAFF, TEMPLATES

MIGRATIONS = Path(__file__).parent / "migrations"
#: The newest migration's revision (workflow/migrations/versions), kept equal to alembic's head
#: by a test: a command compares it with the stored revision, so alembic is not even imported
#: unless the schema must change (`db upgrade`, `init`).
SCHEMA_HEAD = "0009"
_CASE_COLUMNS = ("procedure", "state", "title", "party", "opened_on", "version", "last_hash",
                 "snapshot", "updated_at", "parent_id", *FIGURES)  # fmt: skip
# Statements built once and compiled once: the hot path only binds values.
LOAD_CASE = sa.select(CASES.c.snapshot).where(CASES.c.id == sa.bindparam("p_id"))
INSERT_EVENT = sa.insert(EVENTS)
_DATE_COLUMNS = frozenset(c.name for c in CASES.c if isinstance(c.type, sa.Date))
# Plain SQL without result types: rows come back as the driver gives them, which is several
# times faster for long histories; occurred_on is turned into its ISO text where needed.
_EVENT_COLUMNS = ", ".join(c.name for c in EVENTS.c)
EVENTS_OF_CASE = sa.text(
    f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id = :p_case ORDER BY seq"
)
EVENTS_OF_CASE_UNTIL = sa.text(
    f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id = :p_case AND seq <= :p_until ORDER BY seq"
)
#: every case's events, case by case in primary-key order (the office's `@…` chains apart)
#: a case with a publication, as a range on the `published_on` index (SQLite scans the table
#: for `IS NOT NULL`: 0.7 s against 0.1 s at 100k cases)
PUBLISHED = CASES.c.published_on >= date.min
#: what the website compares with its manifest: the published cases' chain heads
PUBLISHED_HEADS = sa.select(CASES.c.id, CASES.c.last_hash).where(PUBLISHED)
EVENTS_OF_CASES = f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id NOT LIKE '@%'"
#: the case ids that split the office into `parts` shards of about equal size (verify --jobs)
SHARD_BOUNDS = sa.text(
    "SELECT id FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM cases) numbered "
    "WHERE MOD(n, :p_step) = 0 ORDER BY id"
)
CASES_WITHOUT_EVENTS = sa.text(
    "SELECT * FROM cases c WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.case_id = c.id) "
    "ORDER BY c.id"
)
#: every chain's head: the event with the highest seq of each case_id (primary-key order)
HEADS = sa.text(
    "SELECT e.case_id, e.seq, e.hash FROM events e JOIN "
    "(SELECT case_id, MAX(seq) AS top FROM events GROUP BY case_id) h "
    "ON e.case_id = h.case_id AND e.seq = h.top ORDER BY e.case_id"
)
INSERT_CASE = sa.insert(CASES)


@dataclass(frozen=True)
class ActSQL:
    """An act's three statements in the driver's own SQL, written once per dialect: the hot
    path binds values and nothing else (no statement compiled, no result types)."""

    #: the case's snapshot and the staff register's head hash (its version stamp), in one trip
    read: str
    update: str
    insert: str
    #: SQLite keeps dates as ISO text (what SQLAlchemy's Date type stores there)
    iso_dates: bool
    #: the case's open obligations replaced (workflow/deadline_rows.py), in the same trip style
    delete_deadlines: str = ""
    insert_deadlines: str = ""

    @classmethod
    def of(cls, dialect: sa.Dialect) -> ActSQL:
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        quote = dialect.identifier_preparer.quote
        head = f"SELECT hash FROM events WHERE case_id = {mark} ORDER BY seq DESC LIMIT 1"
        columns = [quote(c.name) for c in EVENTS.c]
        return cls(
            read=f"SELECT snapshot, ({head}) FROM cases WHERE id = {mark}",
            update=f"UPDATE cases SET {', '.join(f'{quote(n)} = {mark}' for n in _CASE_COLUMNS)}"
            f" WHERE id = {mark} AND version = {mark}",
            insert=f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})",
            iso_dates=dialect.name == "sqlite",
            delete_deadlines=f"DELETE FROM open_deadlines WHERE case_id = {mark}",
            insert_deadlines=f"INSERT INTO open_deadlines ({', '.join(deadline_rows.COLUMNS)}) "
            f"VALUES ({', '.join([mark] * len(deadline_rows.COLUMNS))})",
        )

    def deadline_params(self, case_id: str, deadlines: list[Any]) -> list[tuple[Any, ...]]:
        rows = deadline_rows.row_values(case_id, deadlines)
        if self.iso_dates:
            return [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in rows]
        return rows

    def update_params(self, values: dict[str, Any], case_id: str, expected: int) -> tuple[Any, ...]:
        if self.iso_dates:
            values = {k: v.isoformat() if k in _DATE_COLUMNS and v is not None else v
                      for k, v in values.items()}  # fmt: skip
        return (*(values[name] for name in _CASE_COLUMNS), case_id, expected)

    def insert_params(self, event: Event) -> tuple[Any, ...]:
        """The event's fields are the events table's columns, in order."""
        if self.iso_dates:
            return tuple(event)
        return (*event[:7], date.fromisoformat(event.occurred_on), *event[8:])

    @staticmethod
    def run(conn: Connection, sql: str, params: tuple[Any, ...]) -> Any:
        """One statement on the transaction's own driver cursor (no result metadata built per
        call); a driver error is raised as SQLAlchemy's, as `conn.execute` would."""
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        dbapi_error = conn.dialect.loaded_dbapi.Error
        try:
            cursor.execute(sql, params)
        except dbapi_error as exc:
            cursor.close()
            raise sa.exc.DBAPIError.instance(sql, params, exc, dbapi_error) from exc
        return cursor

    @staticmethod
    def run_many(conn: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        dbapi_error = conn.dialect.loaded_dbapi.Error
        try:
            cursor.executemany(sql, rows)
        except dbapi_error as exc:
            raise sa.exc.DBAPIError.instance(sql, rows, exc, dbapi_error) from exc
        finally:
            cursor.close()


#: the first-review guard: one indexed probe (actor, action), stopped at the first opinion
HAS_REVIEWED: sa.Select[Any] = sa.select(sa.literal_column("1")).where(
    EVENTS.c.actor == sa.bindparam("p_actor"),
    EVENTS.c.action.in_(("approve_review", "reject_review", "request_supplement")),
).limit(1)
#: The orders `case list` offers, each read from an index (migration 0008): opened (立案日期,
#: the default), id (案号), state (状态, then opened), updated (最近办理在前).
CASE_ORDERS: dict[str, tuple[Any, ...]] = {
    "opened": (CASES.c.opened_on, CASES.c.id),
    "id": (CASES.c.id,),
    "state": (CASES.c.state, CASES.c.opened_on, CASES.c.id),
    "updated": (CASES.c.updated_at.desc(), CASES.c.id.desc()),
}


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL and synchronous=FULL: a recorded act survives a power cut."""
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    try:
        engine = sa.create_engine(url, future=True)
    except (sa.exc.ArgumentError, ImportError, ValueError) as exc:
        raise WorkflowError(f"bad database URL {url!r}: {exc}") from None
    if engine.dialect.name == "sqlite":
        sa_event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _event_row(e: Event) -> dict[str, Any]:
    return {
        "case_id": e.case_id, "seq": e.seq, "action": e.action, "from_state": e.from_state,
        "to_state": e.to_state, "actor": e.actor, "role": e.role,
        "occurred_on": date.fromisoformat(e.occurred_on), "recorded_at": e.recorded_at,
        "data": e.data_json, "documents": e.documents_json, "prev_hash": e.prev_hash,
        "hash": e.hash, "sig_alg": e.sig_alg, "sig_key": e.sig_key, "signature": e.signature,
    }  # fmt: skip


def row_to_event(r: Any) -> Event:
    """A stored row, in column order, as an Event (occurred_on as ISO text)."""
    if isinstance(r[7], str):
        return Event._make(r)
    return Event._make((*r[:7], r[7].isoformat(), *r[8:]))


def _case_values(case: Case, figures: dict[str, Any]) -> dict[str, Any]:
    """A case row's columns: its figures (Office.figures), its projection and what indexes it."""
    return {
        **figures,
        "procedure": case.procedure,
        "state": case.state,
        "title": case.title,
        "party": case.party.get("name", ""),
        "opened_on": date.fromisoformat(case.opened_on) if case.opened_on else None,
        "version": case.version,
        "last_hash": case.last_hash,
        "snapshot": snapshot_text(case),
        "updated_at": utc_now(),
        "parent_id": case.details.get("parent"),
    }


def snapshot_text(case: Case) -> str:
    """The case row's snapshot: JSON in the case's own field order, written once per act. Never
    hashed (the events are), so its keys are not sorted."""
    return json.dumps(case.to_dict(), ensure_ascii=False, separators=(",", ":"))


def _with_rows(
    conn: Connection, histories: list[tuple[str, list[Event]]]
) -> Iterator[tuple[str, list[Event], Any | None]]:
    """Each history with its case row, the rows read in one query."""
    if not histories:
        return
    ids = [case_id for case_id, _ in histories]
    rows = {r.id: r for r in conn.execute(sa.select(CASES).where(CASES.c.id.in_(ids)))}
    for case_id, events in histories:
        yield case_id, events, rows.get(case_id)


def row_to_person(r: Any) -> Person:
    return Person(
        name=r.name,
        roles=tuple(json.loads(r.roles)),
        cert_no=r.cert_no,
        cert_category=r.cert_category,
        cert_valid_until=r.cert_valid_until,
        legal_qualified=bool(r.legal_qualified),
        active=bool(r.active),
        unit=r.unit,
    )


class Ledger:
    """What an act may write besides its event, inside the act's own transaction:
    the next document serial of a kind (gap-free, rolled back with the act) and the template
    bundle a notice was rendered from (kept once per hash)."""

    def __init__(self, conn: Connection, store: Store | None = None) -> None:
        self.conn = conn
        self._store = store
        self._kept: set[str] = set()
        #: the version of the case as `load` read it: what the act is judged on and written over
        self.version = 0

    def load(self, case_id: str) -> tuple[Case, RegisterHistory]:
        """The case and the staff register, read on the act's own connection."""
        if self._store is None:
            raise RuntimeError("a ledger opened outside Store.act reads no case")
        case, register = self._store.read_for_act(self.conn, case_id)
        self.version = case.version
        return case, register

    def next_serial(self, kind: str, year: int) -> int:
        return Store._next_serial(self.conn, f"doc:{kind}", year)

    def keep_bundle(self, sha256: str, name: str, sources: dict[str, str]) -> None:
        if sha256 in self._kept:
            return
        found = self.conn.execute(
            sa.select(TEMPLATES.c.sha256).where(TEMPLATES.c.sha256 == sha256)
        ).first()
        if found is None:
            insert = _insert_ignoring_duplicate(self.conn)
            self.conn.execute(
                insert.values(sha256=sha256, name=name, sources=canonical(sources),
                              created_at=utc_now())
            )  # fmt: skip
        self._kept.add(sha256)


def _dialect_insert(conn: Connection, table: sa.Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (PostgreSQL and SQLite ≥ 3.35)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def _insert_ignoring_duplicate(conn: Connection) -> Any:
    """INSERT … ON CONFLICT DO NOTHING: two clerks may keep the same bundle at once."""
    return _dialect_insert(conn, TEMPLATES).on_conflict_do_nothing()


class Store:
    """SQL persistence for cases, events, staff and counters (any SQLAlchemy URL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        #: the staff register as last read, with its head hash: read again only when it moved
        self._register: tuple[str | None, RegisterHistory] | None = None
        self._act_sql: ActSQL | None = None
        #: the case's search row, kept in the act's transaction (the office sets it: workflow/search.py)
        self.search_row: Callable[[Connection, Case], None] = lambda _conn, _case: None
        #: what is kept beside each case row: its figures for the annual statistics and its open
        #: obligations for `alerts` (workflow/deadline_rows.py) — the office sets it, from one
        #: computation of the case's deadlines (Office.derived)
        self.derived: Callable[[Case], tuple[dict[str, Any], list[Any]]] = lambda _case: ({}, [])

    # -- schema ---------------------------------------------------------------------------
    def _alembic(self, conn: Connection) -> Any:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        return cfg

    def migrate(self) -> None:
        """Bring the schema to the newest revision (idempotent; alembic runs only when the
        stored revision is not the newest)."""
        if self.stored_revision() == SCHEMA_HEAD:
            return
        from alembic import command

        with self.engine.begin() as conn:
            command.upgrade(self._alembic(conn), "head")

    def stored_revision(self) -> str | None:
        """The schema revision the database records (None: no zhifa schema yet)."""
        with self.engine.connect() as conn:
            try:
                row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            except sa.exc.DBAPIError as exc:
                if "alembic_version" not in str(exc.orig):
                    raise
                return None  # no such table: an empty database
        return str(row[0]) if row is not None else None

    def schema_status(self) -> tuple[str | None, str]:
        """(current revision, newest revision)."""
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            head = ScriptDirectory.from_config(self._alembic(conn)).get_current_head()
        return current, str(head)

    def check_schema(self) -> None:
        """The database is at the schema this code knows (SCHEMA_HEAD), or a WorkflowError
        says what to run."""
        head = SCHEMA_HEAD
        try:
            current = self.stored_revision()
        except OperationalError as exc:
            raise WorkflowError(f"无法打开数据库 cannot open database {self.safe_url()}: {exc.orig}") from None
        if current is None:
            raise WorkflowError(
                f"数据库尚未建立 zhifa 结构：请运行 `zhifa db upgrade` — database {self.safe_url()} "
                "has no zhifa schema; run `zhifa db upgrade`"
            )
        if current != head:
            raise WorkflowError(
                f"数据库结构为 {current} 版，本版 zhifa 需要 {head} 版：请运行 `zhifa db upgrade` — "
                f"database schema is at revision {current}, this zhifa needs {head}; "
                "run `zhifa db upgrade`"
            )

    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self, case_id: str, expected: Callable[[], int]) -> Iterator[Connection]:
        """A write transaction; another writer first is a ConflictError (over the version
        `expected` gives: known only once the case is read)."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except SAIntegrityError:
            raise ConflictError(case_id, expected()) from None
        except OperationalError as exc:
            if "locked" in str(exc.orig) or "busy" in str(exc.orig).lower():
                raise ConflictError(case_id, expected()) from None
            raise

    # -- cases and events ------------------------------------------------------------------
    def load_case(self, case_id: str) -> Case:
        with self.engine.connect() as conn:
            row = conn.execute(LOAD_CASE, {"p_id": case_id}).first()
        if row is None:
            raise NotFoundError(f"没有此案件 no case {case_id!r}")
        return Case.from_dict(json.loads(row.snapshot))

    def list_cases(self, state: str | None = None, procedure: str | None = None) -> list[Case]:
        query = sa.select(CASES.c.snapshot).order_by(*CASE_ORDERS["opened"])
        query = self._filtered(query, state, procedure)
        with self.engine.connect() as conn:
            return [Case.from_dict(json.loads(r.snapshot)) for r in conn.execute(query)]

    @staticmethod
    def _filtered(query: Any, state: str | None, procedure: str | None) -> Any:
        if state:
            query = query.where(CASES.c.state == state)
        if procedure:
            query = query.where(CASES.c.procedure == procedure)
        return query

    def count_cases(self, state: str | None = None, procedure: str | None = None) -> int:
        """How many cases a filter finds (counted on an index)."""
        query = self._filtered(sa.select(sa.func.count()).select_from(CASES), state, procedure)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def page_cases(
        self, state: str | None = None, procedure: str | None = None, sort: str = "opened",
        limit: int = 50, offset: int = 0,
    ) -> Iterator[Case]:  # fmt: skip
        """One page of cases, filtered, ordered (`CASE_ORDERS`) and cut in SQL, streamed."""
        query = self._filtered(sa.select(CASES.c.snapshot), state, procedure)
        query = query.order_by(*CASE_ORDERS[sort]).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            rows = conn.execution_options(stream_results=True, yield_per=200).execute(query)
            for row in rows:
                yield Case.from_dict(json.loads(row.snapshot))

    def case_rows(self) -> list[Any]:
        """Every case's stored projection row (for verify)."""
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(CASES).order_by(CASES.c.id)))

    def published_cases(self, ids: Sequence[str] | None = None) -> Iterator[Case]:
        """The cases with a publication (公示), by the indexed `published_on` column, streamed;
        only those of `ids` if given (read by primary key, a batch at a time)."""
        query = sa.select(CASES.c.snapshot).where(PUBLISHED)
        with self.engine.connect() as conn:
            if ids is None:
                for row in conn.execution_options(yield_per=1000).execute(query):
                    yield Case.from_dict(json.loads(row.snapshot))
                return
            for start in range(0, len(ids), 500):
                batch = query.where(CASES.c.id.in_(ids[start : start + 500]))
                for row in conn.execute(batch):
                    yield Case.from_dict(json.loads(row.snapshot))

    def published_heads(self) -> list[tuple[str, str]]:
        """(case, the head of its chain) of every case with a publication: what the website
        compares with what its pages were made from (workflow/site.py)."""
        with self.engine.connect() as conn:
            return [(r[0], r[1]) for r in conn.execute(PUBLISHED_HEADS).all()]

    def case_row(self, case_id: str) -> Any | None:
        """One case's stored projection row, if any (for verify)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(CASES).where(CASES.c.id == case_id)).first()

    def histories(self, batch: int = 200, lo: str | None = None, hi: str | None = None,
                  snapshot: str | None = None) -> Iterator[tuple[str, list[Event], Any | None]]:  # fmt: skip
        """Every case as (id, its events in order, its stored row or None), streamed: one pass
        over the events in primary-key order, the rows read a batch of cases at a time, then
        the rows that have no events — in one snapshot on PostgreSQL (`snapshot`: one exported
        by another transaction, shared). Memory holds one batch. With `lo`/`hi`, only the
        cases with lo <= id < hi (a shard of `shard_bounds`)."""
        where, params = "", {}
        if lo is not None:
            where, params["p_lo"] = where + " AND case_id >= :p_lo", lo
        if hi is not None:
            where, params["p_hi"] = where + " AND case_id < :p_hi", hi
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if snapshot is not None and conn.dialect.name == "postgresql":
                    if not re.fullmatch(r"[0-9A-F]+(-[0-9A-F]+)+", snapshot):
                        raise ValueError(f"not a snapshot id: {snapshot!r}")
                    # a literal: the statement takes no parameter
                    conn.execute(sa.text(f"SET TRANSACTION SNAPSHOT '{snapshot}'"))
                pending: list[tuple[str, list[Event]]] = []
                query = sa.text(f"{EVENTS_OF_CASES}{where} ORDER BY case_id, seq")
                stream = conn.execution_options(yield_per=2000).execute(query, params)
                for case_id, group in itertools.groupby(stream, key=lambda r: r[0]):
                    pending.append((case_id, [row_to_event(r) for r in group]))
                    if len(pending) >= batch:
                        yield from _with_rows(conn, pending)
                        pending = []
                yield from _with_rows(conn, pending)
                if hi is None:  # the last shard (or the only one) also gives the rows alone
                    for row in conn.execute(CASES_WITHOUT_EVENTS):
                        yield row.id, [], row

    def shard_bounds(self, parts: int) -> list[str]:
        """Case ids splitting the cases into `parts` shards of about equal size (ascending,
        at most parts - 1 of them)."""
        with self.engine.connect() as conn:
            total = conn.execute(sa.text("SELECT COUNT(*) FROM cases")).scalar_one()
            step = max(1, -(-int(total) // max(1, parts)))
            bounds = [r[0] for r in conn.execute(SHARD_BOUNDS, {"p_step": step})]
        return bounds[: parts - 1]

    def event_case_ids(self) -> list[str]:
        """The cases that have events (the office's own chains, `@…`, are not cases)."""
        query = sa.select(EVENTS.c.case_id).distinct().where(~EVENTS.c.case_id.startswith("@"))
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(query)]

    def events(self, case_id: str, until: int | None = None) -> list[Event]:
        params: dict[str, object] = {"p_case": case_id}
        query = EVENTS_OF_CASE
        if until is not None:
            query, params["p_until"] = EVENTS_OF_CASE_UNTIL, until
        with self.engine.connect() as conn:
            rows = conn.execute(query, params).all()
        return [row_to_event(r) for r in rows]

    def append(self, event: Event, case: Case, expected_version: int) -> None:
        """Write the event and the case's new projection, or nothing (ConflictError)."""
        self.act(case.id, expected_version, lambda _ledger: (event, case))

    def act(
        self,
        case_id: str,
        expected_version: int | None,
        build: Callable[[Ledger], tuple[Event, Case]],
    ) -> tuple[Event, Case]:
        """One act, one transaction: `build` reads the case on it (`Ledger.load`), judges and
        fires (numbers, templates), and the act is written — or nothing. The case is expected
        at `expected_version`, or else (None) at the version `Ledger.load` read."""
        ledger: Ledger | None = None

        def expected() -> int:
            if expected_version is not None or ledger is None:
                return expected_version or 0
            return ledger.version

        with self._write(case_id, expected) as conn:
            ledger = Ledger(conn, self)
            event, case = build(ledger)
            self._record(conn, event, case, expected())
        return event, case

    def open_case(
        self, procedure: str, prefix: str, year: int,
        build: Callable[[str, Ledger], tuple[Event, Case]],
    ) -> tuple[Event, Case]:  # fmt: skip
        """Allocate the next case number and write the opening event, in one transaction."""
        with self._write(f"{procedure}:{year}", lambda: 0) as conn:
            serial = self._next_serial(conn, f"case:{procedure}", year)
            case_id = f"{prefix}-{year}-{serial:04d}"
            event, case = build(case_id, Ledger(conn, self))
            self._record(conn, event, case, None)
        return event, case

    def _record(self, conn: Connection, event: Event, case: Case, expected: int | None) -> None:
        """Save an act in its transaction: the case's projection (a new row for an opening;
        else only over the version the act was judged on: ConflictError) and its event."""
        sql = self._sql(conn)
        figures, open_deadlines = self.derived(case)
        values = _case_values(case, figures)
        if expected is None:
            conn.execute(INSERT_CASE, {"id": case.id, **values})
        else:
            cursor = sql.run(conn, sql.update, sql.update_params(values, case.id, expected))
            updated = cursor.rowcount
            cursor.close()
            if updated != 1:
                raise ConflictError(case.id, expected)
        sql.run(conn, sql.insert, sql.insert_params(event)).close()
        if expected is not None:  # a new case has none to replace
            sql.run(conn, sql.delete_deadlines, (case.id,)).close()
        if open_deadlines:
            sql.run_many(conn, sql.insert_deadlines, sql.deadline_params(case.id, open_deadlines))
        self.search_row(conn, case)

    def _sql(self, conn: Connection) -> ActSQL:
        if self._act_sql is None:
            self._act_sql = ActSQL.of(conn.dialect)
        return self._act_sql

    def read_for_act(self, conn: Connection, case_id: str) -> tuple[Case, RegisterHistory]:
        """The case and the staff register, in one statement while the register's head is
        the one last read (the register is read again only when it changed)."""
        sql = self._sql(conn)
        cursor = sql.run(conn, sql.read, (REGISTER, case_id))
        row = cursor.fetchone()
        cursor.close()
        if row is None:
            raise NotFoundError(f"没有此案件 no case {case_id!r}")
        return Case.from_dict(json.loads(row[0])), self._register_at(conn, row[1])

    def _register_at(self, conn: Connection, head: str | None) -> RegisterHistory:
        cached = self._register
        if cached is not None and cached[0] == head:
            return cached[1]
        events = [row_to_event(r) for r in conn.execute(EVENTS_OF_CASE, {"p_case": REGISTER})]
        history = RegisterHistory(events)
        self._register = (events[-1].hash if events else None, history)
        return history

    @staticmethod
    def _next_serial(conn: Connection, kind: str, year: int) -> int:
        """Gap-free and never reused: one upsert bumps the counter and locks its row until the
        transaction ends, so a rolled-back act gives its number back and two clerks never get
        the same one (the first of a year, too: no insert race)."""
        insert = _dialect_insert(conn, COUNTERS).values(kind=kind, year=year, value=1)
        bump = insert.on_conflict_do_update(
            index_elements=[COUNTERS.c.kind, COUNTERS.c.year],
            set_={"value": COUNTERS.c.value + 1},
        ).returning(COUNTERS.c.value)
        return int(conn.execute(bump).scalar_one())

    def bundles(self) -> dict[str, tuple[str, dict[str, str]]]:
        """Every kept template bundle: hash -> (template name, sources)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(TEMPLATES.c.sha256, TEMPLATES.c.name, TEMPLATES.c.sources)
            )
            return {r.sha256: (r.name, json.loads(r.sources)) for r in rows}

    # -- the office's own chains: the staff register, back-dating approvals ----------------
    def chain(self, chain_id: str) -> list[Event]:
        """The events of an office chain (`@register`, `@approvals`), in order."""
        return self.events(chain_id)

    def load_for_act(self, case_id: str) -> tuple[Case, RegisterHistory]:
        """The case and the staff register as an act would read them (to judge it)."""
        with self.engine.connect() as conn:
            return self.read_for_act(conn, case_id)

    def append_chain(
        self, event: Event, after: Callable[[Connection], None] | None = None
    ) -> Event:
        """Append one event to an office chain (its seq taken: ConflictError), and whatever
        goes with it (`after`), in one transaction."""
        with self._write(event.case_id, lambda: event.seq - 1) as conn:
            conn.execute(INSERT_EVENT, _event_row(event))
            if after is not None:
                after(conn)
        return event

    def record_register(self, event: Event, people: list[Person], keys: dict[str, str]) -> Event:
        """A register change and the staff rows it changes (the projection), together."""

        def write_rows(conn: Connection) -> None:
            for person in people:
                values = person.as_dict()
                values.update(roles=json.dumps(list(person.roles)), keys=keys[person.name],
                              cert_valid_until=person.cert_valid_until, created_at=event.recorded_at,
                              deactivated_at=None if person.active else event.recorded_at)  # fmt: skip
                upsert = _dialect_insert(conn, STAFF).values(**values)
                changed = {k: v for k, v in values.items() if k not in ("name", "created_at")}
                conn.execute(upsert.on_conflict_do_update(index_elements=[STAFF.c.name],
                                                          set_=changed))  # fmt: skip

        return self.append_chain(event, write_rows)

    def staff(self) -> dict[str, Person]:
        """The staff table: the register as it stands (a projection of `@register`)."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(STAFF).order_by(STAFF.c.created_at, STAFF.c.name))
            return {r.name: row_to_person(r) for r in rows}

    def staff_rows(self) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(STAFF).order_by(STAFF.c.name)))

    # -- checkpoints and counters ------------------------------------------------------------
    def heads(self) -> tuple[list[tuple[str, int, str]], list[tuple[str, int, int]]]:
        """Every chain's head (id, last seq, last hash) and every counter (kind, year, value),
        read in one snapshot: what a checkpoint commits to. One indexed query; no row that
        every act must update."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                heads = [(r[0], int(r[1]), r[2]) for r in conn.execute(HEADS)]
                counters = [(r[0], int(r[1]), int(r[2])) for r in conn.execute(
                    sa.select(COUNTERS.c.kind, COUNTERS.c.year, COUNTERS.c.value)
                    .order_by(COUNTERS.c.kind, COUNTERS.c.year))]  # fmt: skip
        return heads, counters

    def counters(self) -> list[tuple[str, int, int]]:
        return self.heads()[1]

    def record_checkpoint(self, root: str, taken_at: str, size: int, by: str, text: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(sa.insert(CHECKPOINTS).values(root=root, taken_at=taken_at, size=size,
                                                       taken_by=by, statement=text))  # fmt: skip

    def latest_checkpoint(self) -> dict[str, Any] | None:
        query = sa.select(CHECKPOINTS.c.statement).order_by(CHECKPOINTS.c.taken_at.desc()).limit(1)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return json.loads(row.statement) if row is not None else None

    def attached(self, parent_id: str) -> list[Case]:
        """The cases attached to a case (its 行政强制措施), by the indexed parent column."""
        query = sa.select(CASES.c.snapshot).where(CASES.c.parent_id == parent_id).order_by(CASES.c.id)
        with self.engine.connect() as conn:
            return [Case.from_dict(json.loads(r.snapshot)) for r in conn.execute(query)]

    def prior_fines(self, key: str, exclude: str) -> list[tuple[str, str]]:
        """Cases fining the same violation (行政处罚法 Art. 29): (case id, decision number)."""
        query = (
            sa.select(CASES.c.id, CASES.c.snapshot)
            .where(CASES.c.violation_key == key, CASES.c.fine_cents > 0, CASES.c.id != exclude)
            .order_by(CASES.c.id)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        found = []
        for row in rows:
            case = Case.from_dict(json.loads(row.snapshot))
            seq = (case.decision or {}).get("seq")
            if (case.decision or {}).get("revoked", {}).get("kind") in ("revoked", "confirmed_void"):
                continue
            number = next((n.get("number", "") for n in case.notices if n.get("seq") == seq), "")
            found.append((row.id, number))
        return found

    # -- what reports need ------------------------------------------------------------------
    def annual_figures(self, year: int, today: date | None = None) -> dict[str, Any]:
        """执法统计年报: the year's figures by SQL aggregation over the case rows."""
        from workflow.report import annual_figures

        with self.engine.connect() as conn:
            return annual_figures(conn, CASES, year, today)

    def published_reports(self) -> dict[int, dict[str, Any]]:
        from workflow.report import published_reports

        with self.engine.connect() as conn:
            return published_reports(conn)

    def record_report(self, year: int, figures: dict[str, Any], by: str) -> None:
        from workflow.report import publish_report

        with self.engine.begin() as conn:
            publish_report(conn, year, figures, by)

    def has_reviewed(self, name: str) -> bool:
        """Whether `name` has written a review opinion in any case: EXISTS on (actor, action),
        not a count of the person's whole history."""
        with self.engine.connect() as conn:
            return conn.execute(HAS_REVIEWED, {"p_actor": name}).first() is not None

    # -- alerts: the open obligations kept as rows ---------------------------------------------
    def open_deadlines_due_by(self, limit: date, rows: int | None = None) -> list[Any]:
        """Open obligations due on or before `limit` (indexed), most urgent first."""
        with self.engine.connect() as conn:
            return deadline_rows.due_by(conn, limit, rows)

    def count_open_deadlines_due_by(self, limit: date) -> int:
        with self.engine.connect() as conn:
            return deadline_rows.count_due_by(conn, limit)

    def deadline_basis(self) -> str | None:
        with self.engine.connect() as conn:
            return deadline_rows.stored_basis(conn)

    def stored_deadlines(self, case_id: str | None = None) -> Iterator[tuple[str, str]]:
        """(case, fingerprint of its open-obligation rows), streamed in case order."""
        with self.engine.connect() as conn:
            yield from deadline_rows.stored(conn, case_id)

    def rebuild_deadlines(self, basis: str) -> int:
        """Every case's open obligations computed again (the policy changed), in one transaction."""
        with self.engine.begin() as conn:
            return deadline_rows.rebuild(conn, lambda case: self.derived(case)[1], basis)

    def first_opened_year(self) -> int | None:
        """The year the office's first case was opened (the indexed opened_on)."""
        with self.engine.connect() as conn:
            first = conn.execute(sa.select(sa.func.min(CASES.c.opened_on))).scalar_one_or_none()
        return date.fromisoformat(str(first)).year if first else None
