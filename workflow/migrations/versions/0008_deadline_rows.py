"""Open obligations as rows, indexed by due date (`alerts` is one query); an index on
(actor, action) for the first-review guard and on (opened_on, id), (state, opened_on, id),
(procedure, opened_on, id) and (updated_at, id) for the paged `case list`; the stray SQLite index of 0003
dropped wherever it survived. Existing cases get their open obligations from their
snapshots, computed with the default policy: an office whose config.yaml sets other periods
or holidays has them computed again by its first `alerts` (the stored basis differs).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: (name, table, columns) of the indexes this revision adds
INDEXES = (
    ("ix_events_actor_action", "events", ["actor", "action"]),
    ("ix_cases_opened_id", "cases", ["opened_on", "id"]),
    ("ix_cases_state_opened", "cases", ["state", "opened_on", "id"]),
    ("ix_cases_procedure_opened", "cases", ["procedure", "opened_on", "id"]),
    ("ix_cases_updated_at", "cases", ["updated_at", "id"]),
)


def upgrade() -> None:
    op.create_table(
        "open_deadlines",
        sa.Column("case_id", sa.String(40), primary_key=True),
        sa.Column("ord", sa.Integer, primary_key=True),
        sa.Column("deadline", sa.String(40), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("provisional", sa.Boolean, nullable=False),
        sa.Column("warning", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_open_deadlines_due", "open_deadlines", ["due", "case_id", "ord"])
    op.create_table(
        "derived_basis",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("basis", sa.String(64), nullable=False),
        sa.Column("computed_at", sa.String(32), nullable=False),
    )
    bind = op.get_bind()
    indexes = {ix["name"] for ix in sa.inspect(bind).get_indexes("cases")}
    if "ix__alembic_tmp_cases_decided_on" in indexes:  # a duplicate of ix_cases_decided_on
        op.drop_index("ix__alembic_tmp_cases_decided_on", table_name="cases")
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    op.drop_index("ix_cases_opened_on", table_name="cases")  # (opened_on, id) serves it
    _backfill(bind)


def _backfill(bind: sa.engine.Connection) -> None:
    """Every case's open obligations from its snapshot (a fresh database has none)."""
    from rules.deadlines import basis, open_obligations
    from rules.model import Case
    from rules.policy import Policy
    from states.catalog import PROCEDURES
    from workflow.deadline_rows import rebuild

    policy = Policy()

    def open_of(case: Case) -> list:  # type: ignore[type-arg]
        proc = PROCEDURES.get(case.procedure)
        return open_obligations(case, policy, proc.deadlines) if proc else []

    rebuild(bind, open_of, basis(policy))


def downgrade() -> None:
    op.create_index("ix_cases_opened_on", "cases", ["opened_on"])
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table("derived_basis")
    op.drop_index("ix_open_deadlines_due", table_name="open_deadlines")
    op.drop_table("open_deadlines")
