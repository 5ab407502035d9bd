"""Figures after the decision (collected, outstanding), the violation key of 行政处罚法 Art. 29,
an index on the publication date, and the stray SQLite index of 0003 removed; every case's
figures recomputed from its snapshot.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NEW_COLUMNS = ("collected_cents", "outstanding_cents", "violation_key")


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("collected_cents", sa.BigInteger, nullable=False,
                                   server_default="0"))  # fmt: skip
        batch.add_column(sa.Column("outstanding_cents", sa.BigInteger, nullable=False,
                                   server_default="0"))  # fmt: skip
        batch.add_column(sa.Column("violation_key", sa.String(300), nullable=True))
    bind = op.get_bind()
    indexes = {ix["name"] for ix in sa.inspect(bind).get_indexes("cases")}
    if "ix__alembic_tmp_cases_decided_on" in indexes:
        op.drop_index("ix__alembic_tmp_cases_decided_on", table_name="cases")
    if "ix_cases_decided_on" not in indexes:
        op.create_index("ix_cases_decided_on", "cases", ["decided_on"])
    op.create_index("ix_cases_published_on", "cases", ["published_on"])
    op.create_index("ix_cases_violation_key", "cases", ["violation_key"])
    _recompute(bind)


def _recompute(bind: sa.engine.Connection) -> None:
    """Every case's figures from its snapshot (a fresh database has none)."""
    from rules.model import Case
    from rules.policy import Policy
    from rules.statistics import FIGURES, case_figures
    from states.catalog import PROCEDURES

    cases = sa.table("cases", sa.column("id"), sa.column("procedure"), sa.column("snapshot"),
                     *[sa.column(name) for name in FIGURES])  # fmt: skip
    for row in bind.execute(sa.select(cases.c.id, cases.c.procedure, cases.c.snapshot)).all():
        proc = PROCEDURES.get(row.procedure)
        if proc is None:
            continue
        case = Case.from_dict(json.loads(row.snapshot))
        figures = case_figures(case, Policy(), proc)
        bind.execute(sa.update(cases).where(cases.c.id == row.id).values(**figures))


def downgrade() -> None:
    op.drop_index("ix_cases_violation_key", table_name="cases")
    op.drop_index("ix_cases_published_on", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        for name in reversed(NEW_COLUMNS):
            batch.drop_column(name)
