"""The store behind a port: SQLite by default, PostgreSQL for a shared office database.

Every write is one transaction: the event row and the case projection together, guarded by
an optimistic version check, so two writers on one case cannot both succeed.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
from workflow.errors import ConflictError, NotFoundError, WorkflowError
from workflow.events import Event, canonical, utc_now
from workflow.tables import CaseRow, CheckpointRow, CounterRow, EventRow, StaffRow, TemplateRow

CASES = CaseRow.__table__  # type: ignore[attr-defined]
EVENTS = EventRow.__table__  # type: ignore[attr-defined]
STAFF = StaffRow.__table__  # type: ignore[attr-defined]
COUNTERS = CounterRow.__table__  # type: ignore[attr-defined]
TEMPLATES = TemplateRow.__table__  # type: ignore[attr-defined]
CHECKPOINTS = CheckpointRow.__table__  # type: ignore[attr-defined]
MIGRATIONS = Path(__file__).parent / "migrations"
_CASE_COLUMNS = ("procedure", "state", "title", "party", "opened_on", "version", "last_hash",
                 "snapshot", "updated_at", "parent_id", *FIGURES)  # fmt: skip
# Statements built once and compiled once: the hot path only binds values.
LOAD_CASE = sa.select(CASES.c.snapshot).where(CASES.c.id == sa.bindparam("p_id"))
INSERT_EVENT = sa.insert(EVENTS)
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
EVENTS_OF_CASES = sa.text(
    f"SELECT {_EVENT_COLUMNS} FROM events WHERE case_id NOT LIKE '@%' ORDER BY case_id, seq"
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
UPDATE_CASE = (
    sa.update(CASES)
    .where(CASES.c.id == sa.bindparam("p_id"), CASES.c.version == sa.bindparam("p_expected"))
    .values({name: sa.bindparam(f"p_{name}") for name in _CASE_COLUMNS})
)
#: What the store keeps with each case row besides its projection: the figures of the annual
#: statistics (rules/statistics.py), computed by the office that writes the case.
Figures = Callable[[Case], dict[str, Any]]


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


def _case_values(case: Case, figures: Figures) -> dict[str, Any]:
    return {
        **figures(case),
        "procedure": case.procedure,
        "state": case.state,
        "title": case.title,
        "party": case.party.get("name", ""),
        "opened_on": date.fromisoformat(case.opened_on) if case.opened_on else None,
        "version": case.version,
        "last_hash": case.last_hash,
        "snapshot": canonical(case.to_dict()),
        "updated_at": utc_now(),
        "parent_id": case.details.get("parent"),
    }


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

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._kept: set[str] = set()

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

    def __init__(self, url: str, figures: Figures | None = None) -> None:
        self.url = url
        self.engine = make_engine(url)
        #: the figures kept with each case row (the office sets them: its policy, procedures)
        self.figures: Figures = figures or (lambda _case: {})

    # -- schema ---------------------------------------------------------------------------
    def _alembic(self, conn: Connection) -> Any:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        return cfg

    def migrate(self) -> None:
        """Bring the schema to the newest revision (idempotent)."""
        from alembic import command

        with self.engine.begin() as conn:
            command.upgrade(self._alembic(conn), "head")

    def schema_status(self) -> tuple[str | None, str]:
        """(current revision, newest revision)."""
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
            head = ScriptDirectory.from_config(self._alembic(conn)).get_current_head()
        return current, str(head)

    def check_schema(self) -> None:
        try:
            current, head = self.schema_status()
        except OperationalError as exc:
            raise WorkflowError(f"cannot open database {self.safe_url()}: {exc.orig}") from None
        if current is None:
            raise WorkflowError(
                f"database {self.safe_url()} has no zhifa schema; run `zhifa db upgrade`"
            )
        if current != head:
            raise WorkflowError(
                f"database schema is at revision {current}, this zhifa needs {head}; "
                "run `zhifa db upgrade`"
            )

    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _write(self, case_id: str, expected: int) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except SAIntegrityError:
            raise ConflictError(case_id, expected) from None
        except OperationalError as exc:
            if "locked" in str(exc.orig) or "busy" in str(exc.orig).lower():
                raise ConflictError(case_id, expected) from None
            raise

    # -- cases and events ------------------------------------------------------------------
    def load_case(self, case_id: str) -> Case:
        with self.engine.connect() as conn:
            row = conn.execute(LOAD_CASE, {"p_id": case_id}).first()
        if row is None:
            raise NotFoundError(f"no case {case_id!r}")
        return Case.from_dict(json.loads(row.snapshot))

    def list_cases(self, state: str | None = None, procedure: str | None = None) -> list[Case]:
        query = sa.select(CASES.c.snapshot).order_by(CASES.c.opened_on, CASES.c.id)
        if state:
            query = query.where(CASES.c.state == state)
        if procedure:
            query = query.where(CASES.c.procedure == procedure)
        with self.engine.connect() as conn:
            return [Case.from_dict(json.loads(r.snapshot)) for r in conn.execute(query)]

    def case_rows(self) -> list[Any]:
        """Every case's stored projection row (for verify)."""
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(CASES).order_by(CASES.c.id)))

    def published_cases(self) -> Iterator[Case]:
        """The cases with a publication (公示), by the indexed `published_on` column, streamed."""
        query = sa.select(CASES.c.snapshot).where(CASES.c.published_on.is_not(None))
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=1000).execute(query):
                yield Case.from_dict(json.loads(row.snapshot))

    def case_row(self, case_id: str) -> Any | None:
        """One case's stored projection row, if any (for verify)."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(CASES).where(CASES.c.id == case_id)).first()

    def histories(self, batch: int = 200) -> Iterator[tuple[str, list[Event], Any | None]]:
        """Every case as (id, its events in order, its stored row or None), streamed: one pass
        over the events in primary-key order, the rows read a batch of cases at a time, then
        the rows that have no events — in one snapshot on PostgreSQL. Memory holds one batch."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                pending: list[tuple[str, list[Event]]] = []
                stream = conn.execution_options(yield_per=2000).execute(EVENTS_OF_CASES)
                for case_id, group in itertools.groupby(stream, key=lambda r: r[0]):
                    pending.append((case_id, [row_to_event(r) for r in group]))
                    if len(pending) >= batch:
                        yield from _with_rows(conn, pending)
                        pending = []
                yield from _with_rows(conn, pending)
                for row in conn.execute(CASES_WITHOUT_EVENTS):
                    yield row.id, [], row

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
        self, case_id: str, expected_version: int, build: Callable[[Ledger], tuple[Event, Case]]
    ) -> tuple[Event, Case]:
        """Build the act inside one transaction (numbers, templates) and write it, or nothing."""
        with self._write(case_id, expected_version) as conn:
            event, case = build(Ledger(conn))
            params = {f"p_{k}": v for k, v in _case_values(case, self.figures).items()}
            params.update(p_id=case.id, p_expected=expected_version)
            done = conn.execute(UPDATE_CASE, params)
            if done.rowcount != 1:
                raise ConflictError(case.id, expected_version)
            conn.execute(INSERT_EVENT, _event_row(event))
        return event, case

    def open_case(
        self, procedure: str, prefix: str, year: int,
        build: Callable[[str, Ledger], tuple[Event, Case]],
    ) -> tuple[Event, Case]:  # fmt: skip
        """Allocate the next case number and write the opening event, in one transaction."""
        with self._write(f"{procedure}:{year}", 0) as conn:
            serial = self._next_serial(conn, f"case:{procedure}", year)
            case_id = f"{prefix}-{year}-{serial:04d}"
            event, case = build(case_id, Ledger(conn))
            conn.execute(INSERT_CASE, {"id": case.id, **_case_values(case, self.figures)})
            conn.execute(INSERT_EVENT, _event_row(event))
        return event, case

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

    def load_for_act(self, case_id: str) -> tuple[Case, list[Event]]:
        """The case and the register's changes, read on one connection (the hot path of an act)."""
        from workflow.register import REGISTER

        with self.engine.connect() as conn:
            row = conn.execute(LOAD_CASE, {"p_id": case_id}).first()
            register = conn.execute(EVENTS_OF_CASE, {"p_case": REGISTER}).all()
        if row is None:
            raise NotFoundError(f"no case {case_id!r}")
        return Case.from_dict(json.loads(row.snapshot)), [row_to_event(r) for r in register]

    def append_chain(
        self, event: Event, after: Callable[[Connection], None] | None = None
    ) -> Event:
        """Append one event to an office chain (its seq taken: ConflictError), and whatever
        goes with it (`after`), in one transaction."""
        with self._write(event.case_id, event.seq - 1) as conn:
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
    def annual_figures(self, year: int) -> dict[str, Any]:
        """执法统计年报: the year's figures by SQL aggregation over the case rows."""
        from workflow.report import annual_figures

        with self.engine.connect() as conn:
            return annual_figures(conn, CASES, year)

    def published_reports(self) -> dict[int, dict[str, Any]]:
        from workflow.report import published_reports

        with self.engine.connect() as conn:
            return published_reports(conn)

    def record_report(self, year: int, figures: dict[str, Any], by: str) -> None:
        from workflow.report import publish_report

        with self.engine.begin() as conn:
            publish_report(conn, year, figures, by)

    def count_reviews(self, name: str) -> int:
        """How many review opinions `name` has written, in any case."""
        query = sa.select(sa.func.count()).where(
            EVENTS.c.actor == name,
            EVENTS.c.action.in_(("approve_review", "reject_review", "request_supplement")),
        )
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())
