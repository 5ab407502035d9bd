"""Signed acts and the signed staff register (issue 14): every event carries its actor's
signature; the staff table (now a projection of the register's events) gains the unit and the
registered public keys; office-wide checkpoints are kept.

Columns are added without rebuilding `events` (SQLite's batch mode would copy the table and
lose its append-only triggers). Events recorded before this revision stay unsigned: `verify`
reports them as such.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("sig_alg", sa.String(20), nullable=False, server_default=""))
    op.add_column("events", sa.Column("sig_key", sa.String(64), nullable=False, server_default=""))
    op.add_column("events", sa.Column("signature", sa.String(200), nullable=False,
                                      server_default=""))  # fmt: skip
    op.add_column("staff", sa.Column("unit", sa.String(100), nullable=True))
    op.add_column("staff", sa.Column("keys", sa.Text, nullable=False, server_default="[]"))
    op.create_table(
        "checkpoints",
        sa.Column("root", sa.String(64), primary_key=True),
        sa.Column("taken_at", sa.String(32), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("taken_by", sa.String(100), nullable=False),
        sa.Column("statement", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("checkpoints")
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("keys")
        batch.drop_column("unit")
    if op.get_bind().dialect.name == "postgresql":
        for name in ("signature", "sig_key", "sig_alg"):
            op.drop_column("events", name)
