"""config.yaml: loaded once, typed, every bad value reported with its key path."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from workflow.config import find_config, load_settings, parse_settings, render_config
from workflow.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_the_repositorys_config_is_a_valid_office_config() -> None:
    settings = load_settings(ROOT / "config.yaml")
    assert settings.agency.short_name == "铁审"
    policy = settings.policy()
    assert [c.name for c in policy.catalog] == [
        "罚款、没收合计十万元以上",
        "吊销许可证件、责令关闭",
    ]
    assert policy.hearing.unit_fine == Decimal("100000")


def test_a_new_offices_config_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(render_config("某区审计局", "某审"), encoding="utf-8")
    settings = load_settings(path)
    assert settings.agency.name == "某区审计局"
    assert settings.database_url() == f"sqlite:///{(tmp_path / 'zhifa.db').resolve()}"


@pytest.mark.parametrize(
    ("yaml_text", "location"),
    [
        ("periods:\n  statement_window_days: zero\n", "periods.statement_window_days"),
        ("hearing_thresholds:\n  unit_fine: -1\n", "hearing_thresholds.unit_fine"),
        ("agency:\n  short_name: ''\n", "agency.short_name"),
        ("agncy:\n  name: typo\n", "agncy"),
        ("calendar:\n  extra_holidays: [2027-02-30]\n", "calendar.extra_holidays.0"),
        ("review_catalog:\n  - procedures: [penalty]\n", "review_catalog.0.name"),
        ("- just\n- a list\n", "(top)"),
    ],
)
def test_bad_values_name_their_key_path(tmp_path: Path, yaml_text: str, location: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert info.value.location == location


def test_config_is_found_here_or_in_a_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ZHIFA_CONFIG", raising=False)
    (tmp_path / "config.yaml").write_text("{}", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(None, deep) == tmp_path / "config.yaml"
    monkeypatch.setenv("ZHIFA_CONFIG", str(tmp_path))
    assert find_config(None, Path("/")) == tmp_path / "config.yaml"
    with pytest.raises(ConfigError):
        find_config(str(tmp_path / "missing.yaml"))


def test_environment_overrides_the_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHIFA_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
    assert (
        parse_settings({}, Path("/x")).database_url()
        == "postgresql+psycopg://postgres@127.0.0.1/test"
    )


def test_extra_holidays_make_a_year_official() -> None:
    raw = {"calendar": {"extra_holidays": ["2027-01-01"], "official_years": [2027]}}
    cal = parse_settings(raw, Path(".")).policy().calendar
    assert not cal.is_working_day(date(2027, 1, 1))
    assert cal.has_official_data(2027)
