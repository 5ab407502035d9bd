"""Alembic environment: run with the connection zhifa hands over (workflow.store.migrate)."""

from __future__ import annotations

from alembic import context

from workflow.tables import METADATA

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when alembic is called by hand
    raise SystemExit("run migrations through `zhifa db upgrade`")
context.configure(
    connection=connection,
    target_metadata=METADATA,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
