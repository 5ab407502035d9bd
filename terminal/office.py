"""Creating a new office folder: config.yaml, the migrated database and its first admin."""

from __future__ import annotations

import getpass
from pathlib import Path

from rules.model import Person
from workflow.config import CONFIG_NAME, DEFAULT_DB, load_settings, render_config
from workflow.errors import BadInputError
from workflow.files import private_dir, private_sqlite, write_private
from workflow.store import Store

#: A new office's 权责清单, to be edited: `zhifa publish site` publishes it.
STARTER_POWERS = """\
# 权责清单: one entry per power — id, name, kind (类别), basis (依据), responsibility (责任事项).
- id: SJ-CF-001
  name: 对被审计单位违反国家规定的财政收支、财务收支行为的处理处罚
  kind: 行政处罚
  basis: 《中华人民共和国审计法》第五十二条、第五十三条
  responsibility: 立案、调查取证、告知、法制审核、决定、送达、执行、公示
"""


def admin_name(admin: str | None) -> str:
    return admin or getpass.getuser()


def create(directory: Path, agency: str, short_name: str, admin: str | None) -> Path:
    """Write config.yaml, migrate the database, register the admin; refuse to overwrite.

    Owner-only whatever the umask: the folder (if made here) 0700, config.yaml, powers.yaml
    and the SQLite database 0600, the file store 0700 — they hold parties' personal data."""
    config = directory / CONFIG_NAME
    if config.exists():
        raise BadInputError(f"{config} already exists: an office is already here, not overwritten")
    if (directory / "zhifa.db").exists():
        raise BadInputError(f"{directory / 'zhifa.db'} already exists, not overwritten")
    if not agency.strip() or not short_name.strip():
        raise BadInputError("--agency and --short-name must not be empty")
    private_dir(directory)
    write_private(config, render_config(agency, short_name, DEFAULT_DB).encode())
    powers = directory / "powers.yaml"
    if not powers.exists():
        write_private(powers, STARTER_POWERS.encode())
    try:
        settings = load_settings(config)
        private_dir(settings.files_dir())
        private_sqlite(settings.database_url())
        store = Store(settings.database_url())
        store.migrate()
        store.add_person(Person(admin_name(admin), ("admin",)))
        store.dispose()
    except Exception:
        config.unlink(missing_ok=True)
        raise
    return config
