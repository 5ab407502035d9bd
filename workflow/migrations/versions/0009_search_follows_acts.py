"""The search index kept by the acts (workflow/search.py `follow`), not brought up to date on
read; like cases (类案) ordered by their fine or its share of a base from two indexes, so
类案推送's distribution reads its median and ends from an index, not every like case; the
number of documents and their average length (BM25) read from an index on length; the terms
of a case's facts kept with its row (segmented by the act that changed them, not by every
`case show`).

An office indexed on read before this revision gets the share column computed in SQL and the
cases acted on since its last search (every case, if it was never searched) indexed here,
once: after `zhifa db upgrade` no read indexes anything. Evidence files whose text was never
extracted read as empty until the case's next act (the migration has no file store).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: indexes of 0005 the ones below supersede (each is a prefix of one of them)
SUPERSEDED = (
    ("ix_search_docs_power_tier", ["power", "tier"]),
    ("ix_search_docs_decided", ["decided", "power"]),
)
#: (name, columns) of the like-case indexes on search_docs
INDEXES = (
    # the nearest cases of a group in id order: same power item and tier; same power item
    ("ix_search_docs_like", ["power", "tier", "decided", "doc_id"]),
    ("ix_search_docs_decided_power", ["decided", "power", "doc_id"]),
    ("ix_search_docs_like_amount", ["power", "tier", "decided", "amount_cents", "doc_id"]),
    ("ix_search_docs_like_rate", ["power", "tier", "decided", "rate", "doc_id"]),
    ("ix_search_docs_length", ["length"]),  # BM25's document count and average length
)


def upgrade() -> None:
    with op.batch_alter_table("search_docs") as batch:
        batch.add_column(sa.Column("rate", sa.Float))
        batch.add_column(sa.Column("facts_text", sa.Text))
        batch.add_column(sa.Column("facts_terms", sa.Text))
    docs = sa.table("search_docs", sa.column("amount_cents", sa.BigInteger),
                    sa.column("base_cents", sa.BigInteger), sa.column("rate", sa.Float))  # fmt: skip
    # the same double Python's amount_cents / base_cents gives (one correctly rounded division)
    op.execute(docs.update().where(docs.c.amount_cents.is_not(None), docs.c.base_cents > 0)
               .values(rate=sa.cast(docs.c.amount_cents, sa.Float) / sa.cast(docs.c.base_cents, sa.Float)))  # fmt: skip
    for name, _columns in SUPERSEDED:
        op.drop_index(name, table_name="search_docs")
    for name, columns in INDEXES:
        op.create_index(name, "search_docs", columns)
    from workflow.search import catch_up

    catch_up(op.get_bind())


def downgrade() -> None:
    for name, _columns in reversed(INDEXES):
        op.drop_index(name, table_name="search_docs")
    for name, columns in SUPERSEDED:
        op.create_index(name, "search_docs", columns)
    with op.batch_alter_table("search_docs") as batch:
        for column in ("facts_terms", "facts_text", "rate"):
            batch.drop_column(column)
