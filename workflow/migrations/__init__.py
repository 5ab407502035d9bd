"""Alembic migrations: a bureau's database is upgraded, never rebuilt."""
