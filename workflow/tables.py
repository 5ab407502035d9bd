"""The database schema, as SQLModel tables. Changes go through migrations (workflow/migrations).

`events` is the truth (append-only; the migration adds triggers that refuse UPDATE and DELETE);
`cases` is the projection with the optimistic-concurrency version.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class CaseRow(SQLModel, table=True):
    __tablename__ = "cases"
    #: the paged `case list`: a filter and the default order from one index (migration 0008)
    __table_args__ = (
        Index("ix_cases_opened_id", "opened_on", "id"),
        Index("ix_cases_state_opened", "state", "opened_on", "id"),
        Index("ix_cases_procedure_opened", "procedure", "opened_on", "id"),
        Index("ix_cases_updated_at", "updated_at", "id"),
    )

    id: str = Field(primary_key=True, max_length=40)
    procedure: str = Field(max_length=20, index=True)
    state: str = Field(max_length=20, index=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    party: str = Field(sa_column=Column(Text, nullable=False))
    opened_on: date | None = None
    version: int
    last_hash: str = Field(max_length=64)
    snapshot: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: str = Field(max_length=32)
    # figures for the annual statistics (rules/statistics.py), kept with each write
    decided_on: date | None = Field(default=None, index=True)
    outcome: str | None = Field(default=None, max_length=30)
    fine_cents: int = 0
    collected_cents: int = 0
    outstanding_cents: int = 0
    served_on: date | None = None
    closed_on: date | None = None
    heard: bool = False
    review_rounds: int = 0
    review_returns: int = 0
    supplements: int = 0
    first_pass: bool = False
    deadlines_met: int = 0
    deadlines_missed: int = 0
    published_on: date | None = Field(default=None, index=True)
    #: 同一个违法行为 (行政处罚法 Art. 29): party, power item, violation date
    violation_key: str | None = Field(default=None, max_length=300, index=True)
    #: the case this one is attached to (a 行政强制措施 to its penalty or audit case)
    parent_id: str | None = Field(default=None, max_length=40, index=True)


class EventRow(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_action_on", "action", "occurred_on"),
        Index("ix_events_actor_action", "actor", "action"),  # the first-review guard (0008)
    )

    case_id: str = Field(primary_key=True, max_length=40)
    seq: int = Field(primary_key=True)
    action: str = Field(max_length=40)
    from_state: str = Field(max_length=20)
    to_state: str = Field(max_length=20)
    actor: str = Field(max_length=100, index=True)
    role: str = Field(max_length=20)
    occurred_on: date
    recorded_at: str = Field(max_length=32)
    data: str = Field(sa_column=Column(Text, nullable=False))
    documents: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    #: the actor's signature of the hash (workflow/keys.py): algorithm, key id, base64 value
    sig_alg: str = Field(default="", max_length=20)
    sig_key: str = Field(default="", max_length=64)
    signature: str = Field(default="", max_length=200)


class StaffRow(SQLModel, table=True):
    """The staff register as it stands now: a projection of the register's signed events
    (chain `@register` in `events`, workflow/register.py); `verify` compares the two."""

    __tablename__ = "staff"

    name: str = Field(primary_key=True, max_length=100)
    roles: str = Field(max_length=200)
    cert_no: str | None = Field(default=None, max_length=60)
    cert_category: str | None = Field(default=None, max_length=100)
    cert_valid_until: date | None = None
    legal_qualified: bool = False
    active: bool = True
    created_at: str = Field(max_length=32)
    deactivated_at: str | None = Field(default=None, max_length=32)
    unit: str | None = Field(default=None, max_length=100)
    #: the person's registered public keys with their validity (JSON list)
    keys: str = Field(default="[]", sa_column=Column(Text, nullable=False, server_default="[]"))


class CounterRow(SQLModel, table=True):
    """Gap-free serials per kind per year: case numbers (case:…) and document numbers (doc:…)."""

    __tablename__ = "counters"

    kind: str = Field(primary_key=True, max_length=40)
    year: int = Field(primary_key=True)
    value: int = 0


class TemplateRow(SQLModel, table=True):
    """Every template bundle a recorded notice was rendered from, kept by its hash.

    A notice's event records the bundle's hash; keeping the sources lets verify render the
    notice again exactly, even after the office has changed its templates. Append-only.
    """

    __tablename__ = "templates"

    sha256: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=100)
    sources: str = Field(sa_column=Column(Text, nullable=False))
    created_at: str = Field(max_length=32)


class ReportRow(SQLModel, table=True):
    """执法统计年报 as published (118号（六）: by 31 January), one per year."""

    __tablename__ = "reports"

    year: int = Field(primary_key=True)
    figures: str = Field(sa_column=Column(Text, nullable=False))
    published_by: str = Field(max_length=100)
    published_at: str = Field(max_length=32)


class CheckpointRow(SQLModel, table=True):
    """Office-wide checkpoints taken (workflow/checkpoint.py): the signed statement only; the
    file with every leaf is kept elsewhere. The annual report prints the latest root."""

    __tablename__ = "checkpoints"

    root: str = Field(primary_key=True, max_length=64)
    taken_at: str = Field(primary_key=True, max_length=32)
    size: int
    taken_by: str = Field(max_length=100)
    statement: str = Field(sa_column=Column(Text, nullable=False))


class DeadlineRow(SQLModel, table=True):
    """The open obligations of each case (rules/deadlines.py `open_obligations`), rewritten in
    the act's own transaction: `alerts` is one query on the due date, not a pass over every
    case. A projection of the case, like the figures; `basis` says which policy it follows."""

    __tablename__ = "open_deadlines"
    #: alerts: due on or before a day, in the order they are shown (no sort)
    __table_args__ = (Index("ix_open_deadlines_due", "due", "case_id", "ord"),)

    case_id: str = Field(primary_key=True, max_length=40)
    #: the run's place among the case's open obligations (their order in `case show`)
    ord: int = Field(primary_key=True)
    deadline: str = Field(max_length=40)
    label: str = Field(sa_column=Column(Text, nullable=False))
    due: date
    starts_on: date
    provisional: bool = False
    warning: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class BasisRow(SQLModel, table=True):
    """What rows derived from the policy were computed from (`open_deadlines`: the periods and
    the calendar, rules/deadlines.py `basis`); a changed config.yaml means computing them again."""

    __tablename__ = "derived_basis"

    name: str = Field(primary_key=True, max_length=40)
    basis: str = Field(max_length=64)
    computed_at: str = Field(max_length=32)
