"""Shared fixtures: an office on SQLite or PostgreSQL, the demo staff, a fixed clock.

PostgreSQL tests read the server URL from ZHIFA_TEST_PG_URL. Without it (or with the server
down) they skip with the reason shown; with ZHIFA_REQUIRE_PG=1 (CI) they fail instead.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings

from rules.model import Case, Person
from workflow.config import Settings
from workflow.events import Event
from workflow.files import FileStore
from workflow.keys import Keyring
from workflow.scenarios import STAFF, Scenario
from workflow.service import Office
from workflow.signing import signing_key
from workflow.store import Store

settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

TODAY = date(2026, 11, 24)
#: Pictures tests keep for people to look at (rendered notices, screenshots); not in git.
ARTEFACTS = Path(
    os.environ.get("ZHIFA_ARTEFACTS") or Path(__file__).parent.parent / "tmp" / "artefacts"
)


def artefact_dir(name: str) -> Path:
    """A fresh folder under tmp/artefacts (or $ZHIFA_ARTEFACTS) for one test's pictures."""
    folder = ARTEFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    return folder


PG_ENV = "ZHIFA_TEST_PG_URL"
#: The starter 权责清单 every new office gets: tests hold drafts to it as offices do.
STARTER_POWERS = Path(__file__).resolve().parents[1] / "terminal" / "starter" / "powers.yaml"
#: The starter 裁量基准 (`with_benchmarks`).
STARTER_DISCRETION = STARTER_POWERS.with_name("discretion.yaml")


def office_settings(**changes: Any) -> Settings:
    """Settings as a new office has them, with the starter 权责清单 (the starter 裁量基准 are
    added where a test holds drafts to them: `with_benchmarks`) — a training office that
    replays past cases: its acts may be dated back without a head's approval (the bound of
    `periods.backdate_working_days` is tested with it set, tests/workflow/test_signing.py)."""
    from workflow.config import PeriodSettings, PublicitySettings

    changes.setdefault("periods", PeriodSettings(backdate_working_days=TRAINING_BACKDATE))  # type: ignore[call-arg]
    return Settings(publicity=PublicitySettings(powers=str(STARTER_POWERS)), **changes)


def with_benchmarks(**changes: Any) -> Settings:
    """A new office's settings with the starter 权责清单 and 裁量基准 (discretion.yaml)."""
    from workflow.config import PeriodSettings, PublicitySettings

    changes.setdefault("periods", PeriodSettings(backdate_working_days=TRAINING_BACKDATE))  # type: ignore[call-arg]
    return Settings(publicity=PublicitySettings(powers=str(STARTER_POWERS),
                                                discretion=str(STARTER_DISCRETION)), **changes)


#: a training office's back-dating bound: its scenarios run months before the test's today
TRAINING_BACKDATE = 3650
#: the test offices' register opens on this day, before any scenario's first act
REGISTER_START = date(2020, 1, 2)
ADMIN = "管理员"


def enrol(office: Office, person: Person, on: date = REGISTER_START) -> None:
    """Register one more person, with a key generated in the office's own keyring."""
    assert isinstance(office.signer, Keyring)
    office.add_staff(ADMIN, person, office.signer.generate(person.name).public_key, on)


def register_staff(office: Office, keyring: Keyring, on: date = REGISTER_START) -> None:
    """Open the register with the admin's generated key and register the demo staff, each
    with their own generated key (the test keyring holds them all, as training does)."""
    keyring.generate(ADMIN)
    office.open_register(ADMIN, on)
    for person in STAFF:
        office.add_staff(ADMIN, person, keyring.generate(person.name).public_key, on)


def pg_base_url() -> str:
    """The PostgreSQL URL, or skip (fail in CI) with the reason."""
    url = os.environ.get(PG_ENV)
    required = os.environ.get("ZHIFA_REQUIRE_PG") == "1"
    if not url:
        if required:
            pytest.fail(f"ZHIFA_REQUIRE_PG=1 but {PG_ENV} is not set")
        pytest.skip(
            f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    try:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError as exc:
        if required:
            pytest.fail(f"PostgreSQL at {url} is required but unreachable: {exc.orig}")
        pytest.skip(f"PostgreSQL at {url} unreachable: {exc.orig}")
    return url


class PgSchema:
    """A fresh schema on the PostgreSQL server; `url` points a store at it."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.name = f"t_{uuid.uuid4().hex[:12]}"
        self._run(f"CREATE SCHEMA {self.name}")
        sep = "&" if "?" in base else "?"
        self.url = f"{base}{sep}options=-csearch_path%3D{self.name}"

    def _run(self, statement: str) -> None:
        admin = sa.create_engine(self.base, poolclass=sa.pool.NullPool)
        with admin.begin() as conn:
            conn.execute(sa.text(statement))
        admin.dispose()

    def drop(self) -> None:
        self._run(f"DROP SCHEMA {self.name} CASCADE")


@pytest.fixture
def pg_base() -> str:
    return pg_base_url()


@pytest.fixture
def pg_url(pg_base: str) -> Iterator[str]:
    """A fresh schema on the PostgreSQL server, dropped afterwards."""
    schema = PgSchema(pg_base)
    yield schema.url
    schema.drop()


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    return f"sqlite:///{tmp_path / 'zhifa.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Run a test against every store: the contract suite (style.md §3)."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


def signed(office: Office, event: Event) -> Event:
    """An event built by the pure engine, signed with its actor's key (as the office signs)."""
    state = office.register_history().as_of(event.occurred_on)
    key = signing_key(office.signer, state, event.actor)
    assert key is not None
    return event.signed_by(key)


def make_office(
    url: str,
    policy_settings: Settings | None = None,
    today: date = TODAY,
    files: Path | None = None,
    keyring: Keyring | None = None,
) -> Office:
    """An office on `url` with the demo staff, each signing with a generated key held in
    `keyring` (a new one in memory by default); its file store in `files` (or a new folder)."""
    store = Store(url)
    store.migrate()
    folder = files or Path(tempfile.mkdtemp(prefix="zhifa-files-"))
    office = Office(
        store,
        (policy_settings or office_settings()).policy(),
        clock=lambda: today,
        files=FileStore(folder),
        signer=keyring or Keyring(),
    )
    assert isinstance(office.signer, Keyring)
    register_staff(office, office.signer)
    return office


@pytest.fixture
def office(db_url: str) -> Iterator[Office]:
    made = make_office(db_url)
    yield made
    made.store.dispose()


@pytest.fixture
def lite(sqlite_url: str) -> Iterator[Office]:
    """An office on SQLite only, for tests of rules that do not depend on the store."""
    made = make_office(sqlite_url)
    yield made
    made.store.dispose()


def drop_append_only_guard(engine: Any) -> None:
    """Play an administrator with the database's keys: the triggers that refuse UPDATE and
    DELETE on events (migration 0001) are removed, so a test can forge what verify must find."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
        else:
            conn.execute(sa.text("DROP TRIGGER events_append_only_update"))
            conn.execute(sa.text("DROP TRIGGER events_append_only_delete"))


def run_steps(
    office: Office,
    scenario: Scenario,
    until: str | None = None,
    occurrence: int = 1,
    parent: str | None = None,
) -> Case:
    """Drive a scenario up to (not including) the `occurrence`-th step with action `until`.

    A scenario attached to another (a 行政强制措施) opens in `parent`, or — when none is given —
    in a case of its parent scenario driven up to the point it attaches at."""
    if scenario.attach and parent is None:
        from workflow.scenarios import SCENARIOS

        title, before = scenario.attach
        host = next(s for s in SCENARIOS if s.title == title)
        parent = run_steps(office, host, until=before).id
    case_id = ""
    seen = 0
    case: Case | None = None
    for step in scenario.steps:
        if step.action == until:
            seen += 1
            if seen == occurrence:
                break
        if step.action == "open":
            data = {**step.data, "parent": parent} if parent else step.data
            _, case = office.open_case(scenario.procedure, step.actor, data, step.on)
            case_id = case.id
        else:
            _, case = office.do(case_id, step.action, step.actor, step.data, step.on)
    assert case is not None
    return case


Runner = Callable[..., Case]
