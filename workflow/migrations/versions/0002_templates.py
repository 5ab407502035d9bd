"""Notice template bundles, kept by hash (append-only like events).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_GUARDS = [
    """CREATE TRIGGER templates_append_only_update BEFORE UPDATE ON templates
       BEGIN SELECT RAISE(ABORT, 'templates are append-only'); END""",
    """CREATE TRIGGER templates_append_only_delete BEFORE DELETE ON templates
       BEGIN SELECT RAISE(ABORT, 'templates are append-only'); END""",
]
PG_GUARDS = [
    # the function from revision 0001 raises for any row: reuse it
    """CREATE TRIGGER templates_append_only BEFORE UPDATE OR DELETE ON templates
       FOR EACH ROW EXECUTE FUNCTION zhifa_events_append_only()""",
]


def upgrade() -> None:
    op.create_table(
        "templates",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    guards = PG_GUARDS if op.get_bind().dialect.name == "postgresql" else SQLITE_GUARDS
    for statement in guards:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER templates_append_only ON templates")
    op.drop_table("templates")
