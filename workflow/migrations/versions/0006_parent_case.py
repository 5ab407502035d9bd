"""The case a case is attached to (a 行政强制措施 to the penalty or audit case it serves), indexed
so a case finds its measures with one query.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("parent_id", sa.String(40), nullable=True))
    op.create_index("ix_cases_parent_id", "cases", ["parent_id"])
    bind = op.get_bind()
    cases = sa.table("cases", sa.column("id"), sa.column("snapshot"), sa.column("parent_id"))
    for row in bind.execute(sa.select(cases.c.id, cases.c.snapshot)).all():
        parent = (json.loads(row.snapshot).get("details") or {}).get("parent")
        if parent:
            bind.execute(sa.update(cases).where(cases.c.id == row.id).values(parent_id=parent))


def downgrade() -> None:
    op.drop_index("ix_cases_parent_id", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("parent_id")
