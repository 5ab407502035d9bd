"""Published annual reports; case figures for the annual statistics: stage dates, outcome, amounts, review and hearing
counts, deadlines met and missed — kept per case so the report is one SQL aggregation.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _columns() -> list[sa.Column]:  # type: ignore[type-arg]
    """Fresh Column objects each time (a Column belongs to one table)."""
    return [
        sa.Column("decided_on", sa.Date, nullable=True, index=True),
        sa.Column("outcome", sa.String(30), nullable=True),
        sa.Column("fine_cents", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("served_on", sa.Date, nullable=True),
        sa.Column("closed_on", sa.Date, nullable=True),
        sa.Column("heard", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("review_rounds", sa.Integer, nullable=False, server_default="0"),
        sa.Column("review_returns", sa.Integer, nullable=False, server_default="0"),
        sa.Column("supplements", sa.Integer, nullable=False, server_default="0"),
        sa.Column("first_pass", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("deadlines_met", sa.Integer, nullable=False, server_default="0"),
        sa.Column("deadlines_missed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("published_on", sa.Date, nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("figures", sa.Text, nullable=False),
        sa.Column("published_by", sa.String(100), nullable=False),
        sa.Column("published_at", sa.String(32), nullable=False),
    )
    with op.batch_alter_table("cases") as batch:
        for column in _columns():
            batch.add_column(column)
    # existing cases get their figures from revision 0004, which recomputes every case's
    # figures with the code of its time (a migration must not call today's rules)


def downgrade() -> None:
    op.drop_table("reports")
    with op.batch_alter_table("cases") as batch:
        for column in reversed(_columns()):
            batch.drop_column(column.name)
