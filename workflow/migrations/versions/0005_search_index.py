"""The case search index (案件检索): documents, postings and evidence texts (workflow/search.py).

Derived data: the index follows the cases incrementally (a case whose version differs from the
version indexed is indexed again before a search), so a fresh database starts empty and fills
itself; 典型案例 imported by `zhifa cases import` live here only.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_docs",
        sa.Column("doc_id", sa.String(80), primary_key=True),
        sa.Column("origin", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("procedure", sa.String(20)),
        sa.Column("state", sa.String(20)),
        sa.Column("year", sa.Integer),
        sa.Column("power", sa.String(40)),
        sa.Column("benchmark", sa.String(40)),
        sa.Column("tier", sa.String(20)),
        sa.Column("decided", sa.Boolean, nullable=False),
        sa.Column("decided_on", sa.Date),
        sa.Column("amount_cents", sa.BigInteger),
        sa.Column("base_cents", sa.BigInteger),
        sa.Column("length", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("facts", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("digest", sa.Text, nullable=False),
    )
    op.create_index("ix_search_docs_power_tier", "search_docs", ["power", "tier"])
    op.create_index("ix_search_docs_decided", "search_docs", ["decided", "power"])
    op.create_index("ix_search_docs_procedure_state", "search_docs", ["procedure", "state"])
    op.create_index("ix_search_docs_year", "search_docs", ["year"])
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("doc_id", sa.String(80), primary_key=True),
        sa.Column("tf", sa.Integer, nullable=False),
    )
    op.create_index("ix_search_terms_doc_id", "search_terms", ["doc_id"])
    op.create_table(
        "file_texts",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("file_texts")
    op.drop_index("ix_search_terms_doc_id", table_name="search_terms")
    op.drop_table("search_terms")
    for name in ("ix_search_docs_year", "ix_search_docs_procedure_state", "ix_search_docs_decided",
                 "ix_search_docs_power_tier"):
        op.drop_index(name, table_name="search_docs")
    op.drop_table("search_docs")
