"""Creating a new office folder: config.yaml, the migrated database and its first admin."""

from __future__ import annotations

import getpass
from pathlib import Path

from rules.model import Person
from workflow.config import CONFIG_NAME, DEFAULT_DB, load_settings, render_config
from workflow.errors import BadInputError
from workflow.store import Store


def admin_name(admin: str | None) -> str:
    return admin or getpass.getuser()


def create(directory: Path, agency: str, short_name: str, admin: str | None) -> Path:
    """Write config.yaml, migrate the database, register the admin; refuse to overwrite."""
    config = directory / CONFIG_NAME
    if config.exists():
        raise BadInputError(f"{config} already exists: an office is already here, not overwritten")
    if (directory / "zhifa.db").exists():
        raise BadInputError(f"{directory / 'zhifa.db'} already exists, not overwritten")
    if not agency.strip() or not short_name.strip():
        raise BadInputError("--agency and --short-name must not be empty")
    directory.mkdir(parents=True, exist_ok=True)
    config.write_text(render_config(agency, short_name, DEFAULT_DB), encoding="utf-8")
    try:
        store = Store(load_settings(config).database_url())
        store.migrate()
        store.add_person(Person(admin_name(admin), ("admin",)))
        store.dispose()
    except Exception:
        config.unlink(missing_ok=True)
        raise
    return config
