"""The database schema, as SQLAlchemy Core tables. Changes go through migrations
(workflow/migrations).

`events` is the truth (append-only; the migration adds triggers that refuse UPDATE and DELETE);
`cases` is the projection with the optimistic-concurrency version.

Plain `Table`s, not ORM classes: the store only ever speaks Core SQL, and declaring the tables
this way spares every command the import of the ORM and of a model class per table (issue 16,
start-up). An index named `ix_TABLE_COLUMN` is the one a single-column index gets by default.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Index, Integer, MetaData, String, Table, Text

METADATA = MetaData()


def _text(name: str, server_default: str | None = None) -> Column[str]:
    return Column(name, Text, nullable=False, server_default=server_default)


def _str(name: str, length: int, *, primary: bool = False, nullable: bool = False,
         index: bool = False, default: str | None = None) -> Column[str]:  # fmt: skip
    return Column(name, String(length), primary_key=primary, nullable=nullable, index=index,
                  default=default)  # fmt: skip


def _int(name: str, default: int | None = None) -> Column[int]:
    return Column(name, Integer, nullable=False, default=default)


def _flag(name: str, default: bool) -> Column[bool]:
    return Column(name, Boolean, nullable=False, default=default)


CASES = Table(
    "cases",
    METADATA,
    _str("id", 40, primary=True),
    _str("procedure", 20, index=True),
    _str("state", 20, index=True),
    _text("title"),
    _text("party"),
    Column("opened_on", Date, nullable=True),
    _int("version"),
    _str("last_hash", 64),
    _text("snapshot"),
    _str("updated_at", 32),
    # figures for the annual statistics (rules/statistics.py), kept with each write
    Column("decided_on", Date, nullable=True, index=True),
    _str("outcome", 30, nullable=True),
    _int("fine_cents", 0),
    _int("collected_cents", 0),
    _int("outstanding_cents", 0),
    Column("served_on", Date, nullable=True),
    Column("closed_on", Date, nullable=True),
    _flag("heard", False),
    _int("review_rounds", 0),
    _int("review_returns", 0),
    _int("supplements", 0),
    _flag("first_pass", False),
    _int("deadlines_met", 0),
    _int("deadlines_missed", 0),
    Column("published_on", Date, nullable=True, index=True),
    #: 同一个违法行为 (行政处罚法 Art. 29): party, power item, violation date
    _str("violation_key", 300, nullable=True, index=True),
    #: the case this one is attached to (a 行政强制措施 to its penalty or audit case)
    _str("parent_id", 40, nullable=True, index=True),
    #: the paged `case list`: a filter and the default order from one index (migration 0008)
    Index("ix_cases_opened_id", "opened_on", "id"),
    Index("ix_cases_state_opened", "state", "opened_on", "id"),
    Index("ix_cases_procedure_opened", "procedure", "opened_on", "id"),
    Index("ix_cases_updated_at", "updated_at", "id"),
)

EVENTS = Table(
    "events",
    METADATA,
    _str("case_id", 40, primary=True),
    Column("seq", Integer, primary_key=True),
    _str("action", 40),
    _str("from_state", 20),
    _str("to_state", 20),
    _str("actor", 100, index=True),
    _str("role", 20),
    Column("occurred_on", Date, nullable=False),
    _str("recorded_at", 32),
    _text("data"),
    _text("documents"),
    _str("prev_hash", 64),
    _str("hash", 64),
    #: the actor's signature of the hash (workflow/keys.py): algorithm, key id, base64 value
    _str("sig_alg", 20, default=""),
    _str("sig_key", 64, default=""),
    _str("signature", 200, default=""),
    Index("ix_events_action_on", "action", "occurred_on"),
    Index("ix_events_actor_action", "actor", "action"),  # the first-review guard (0008)
)

#: The staff register as it stands now: a projection of the register's signed events (chain
#: `@register` in `events`, workflow/register.py); `verify` compares the two.
STAFF = Table(
    "staff",
    METADATA,
    _str("name", 100, primary=True),
    _str("roles", 200),
    _str("cert_no", 60, nullable=True),
    _str("cert_category", 100, nullable=True),
    Column("cert_valid_until", Date, nullable=True),
    _flag("legal_qualified", False),
    _flag("active", True),
    _str("created_at", 32),
    _str("deactivated_at", 32, nullable=True),
    _str("unit", 100, nullable=True),
    #: the person's registered public keys with their validity (JSON list)
    _text("keys", server_default="[]"),
)

#: Gap-free serials per kind per year: case numbers (case:…) and document numbers (doc:…).
COUNTERS = Table(
    "counters",
    METADATA,
    _str("kind", 40, primary=True),
    Column("year", Integer, primary_key=True),
    _int("value", 0),
)

#: Every template bundle a recorded notice was rendered from, kept by its hash. A notice's
#: event records the bundle's hash; keeping the sources lets verify render the notice again
#: exactly, even after the office has changed its templates. Append-only.
TEMPLATES = Table(
    "templates",
    METADATA,
    _str("sha256", 64, primary=True),
    _str("name", 100),
    _text("sources"),
    _str("created_at", 32),
)

#: 执法统计年报 as published (118号（六）: by 31 January), one per year.
REPORTS = Table(
    "reports",
    METADATA,
    Column("year", Integer, primary_key=True),
    _text("figures"),
    _str("published_by", 100),
    _str("published_at", 32),
)

#: Office-wide checkpoints taken (workflow/checkpoint.py): the signed statement only; the file
#: with every leaf is kept elsewhere. The annual report prints the latest root.
CHECKPOINTS = Table(
    "checkpoints",
    METADATA,
    _str("root", 64, primary=True),
    _str("taken_at", 32, primary=True),
    _int("size"),
    _str("taken_by", 100),
    _text("statement"),
)

#: The open obligations of each case (rules/deadlines.py `open_obligations`), rewritten in the
#: act's own transaction: `alerts` is one query on the due date, not a pass over every case. A
#: projection of the case, like the figures; `basis` says which policy it follows.
DEADLINES = Table(
    "open_deadlines",
    METADATA,
    _str("case_id", 40, primary=True),
    #: the run's place among the case's open obligations (their order in `case show`)
    Column("ord", Integer, primary_key=True),
    _str("deadline", 40),
    _text("label"),
    Column("due", Date, nullable=False),
    Column("starts_on", Date, nullable=False),
    _flag("provisional", False),
    _text("warning", server_default=""),
    #: alerts: due on or before a day, in the order they are shown (no sort)
    Index("ix_open_deadlines_due", "due", "case_id", "ord"),
)

#: What rows derived from the policy were computed from (`open_deadlines`: the periods and the
#: calendar, rules/deadlines.py `basis`); a changed config.yaml means computing them again.
BASIS = Table(
    "derived_basis",
    METADATA,
    _str("name", 40, primary=True),
    _str("basis", 64),
    _str("computed_at", 32),
)
