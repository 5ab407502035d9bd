"""The schema revision a command checks without alembic, and the head it compares with."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workflow.errors import WorkflowError
from workflow.store import MIGRATIONS, SCHEMA_HEAD, Store


def test_the_head_the_code_knows_is_the_newest_migration() -> None:
    """SCHEMA_HEAD cannot drift: a new migration without it fails here."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_heads() == [SCHEMA_HEAD]


def test_a_database_behind_the_code_is_refused_until_upgraded(db_url: str) -> None:
    from alembic import command

    store = Store(db_url)
    with pytest.raises(WorkflowError, match="no zhifa schema.*db upgrade"):
        store.check_schema()
    with store.engine.begin() as conn:
        command.upgrade(store._alembic(conn), "0006")  # as an older zhifa left it
    with pytest.raises(WorkflowError, match=f"at revision 0006, .* needs {SCHEMA_HEAD}.*db upgrade"):
        store.check_schema()
    store.migrate()  # the stored revision differs: alembic runs
    store.check_schema()
    assert store.stored_revision() == SCHEMA_HEAD == store.schema_status()[0]
    store.dispose()


def test_showing_a_case_does_not_import_alembic(tmp_path: Path) -> None:
    """A normal command checks the stored revision with one query; alembic is for upgrades."""
    from tests.conftest import make_office, run_steps
    from workflow.scenarios import PENALTY_WITH_HEARING

    office = make_office(f"sqlite:///{tmp_path / 'zhifa.db'}")
    case = run_steps(office, PENALTY_WITH_HEARING, until="assign")
    office.store.dispose()
    (tmp_path / "config.yaml").write_text("database:\n  url: sqlite:///zhifa.db\n", encoding="utf-8")
    script = (
        "import sys, cli\n"
        f"sys.argv = ['zhifa', '--config', {str(tmp_path / 'config.yaml')!r}, 'case', 'show', {case.id!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
        "print('alembic' in sys.modules)\n"
    )
    env = {"ZHIFA_KEYS": str(tmp_path / "keys"), "ZHIFA_TODAY": "2026-11-24", "PATH": ""}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=Path(__file__).parents[2], check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "False"
