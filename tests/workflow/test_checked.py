"""Checks remembered between commands (workflow/checked.py): discretion.yaml's citations are
resolved against the law library again whenever the file or the library changed, and a memo
that is missing, garbled or not the owner's own is never trusted."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml

import law.fingerprint
import law.resolve
from tests.conftest import STARTER_DISCRETION, STARTER_POWERS
from workflow.checked import NAME, Checked, digest
from workflow.config import load_settings
from workflow.discretion import CITATIONS_CHECK
from workflow.errors import ConfigError

NO_SUCH_ARTICLE = "《中华人民共和国审计法实施条例》第九十九条"


def _office(folder: Path) -> Path:
    """An office folder with the starter 权责清单 and 裁量基准; its config.yaml."""
    shutil.copy(STARTER_POWERS, folder / "powers.yaml")
    shutil.copy(STARTER_DISCRETION, folder / "discretion.yaml")
    config = folder / "config.yaml"
    config.write_text("database:\n  url: sqlite:///zhifa.db\n", encoding="utf-8")
    return config


def _break_a_citation(folder: Path) -> None:
    path = folder / "discretion.yaml"
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows[1]["basis"]["punishes"] = NO_SUCH_ARTICLE
    path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")


def _refused(config: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_settings(config).policy()
    assert caught.value.location == "publicity.discretion[1].basis.punishes"
    assert "第九十九条" in str(caught.value)
    return caught.value


def test_a_citation_broken_after_a_first_check_stops_the_next_command(tmp_path: Path) -> None:
    config = _office(tmp_path)
    assert len(load_settings(config).policy().benchmarks) >= 10
    memo = tmp_path / NAME
    assert stat.S_IMODE(memo.stat().st_mode) == 0o600  # owner-only, like the office's files
    _break_a_citation(tmp_path)
    _refused(config)
    _refused(config)  # a failed check is not remembered as passed


def test_a_memo_deleted_garbled_or_not_private_is_not_trusted(tmp_path: Path) -> None:
    config = _office(tmp_path)
    load_settings(config).policy()
    memo = tmp_path / NAME
    memo.unlink()
    load_settings(config).policy()  # checks again, remembers again
    assert memo.is_file()
    memo.write_bytes(b"\x00{not json")
    load_settings(config).policy()
    # someone writes the digest of a broken file, readable by others: never believed
    _break_a_citation(tmp_path)
    rows = yaml.safe_load((tmp_path / "discretion.yaml").read_text(encoding="utf-8"))
    cited = sorted({r["basis"][k] for r in rows for k in ("forbids", "punishes")})
    memo.unlink()
    Checked(tmp_path).record(CITATIONS_CHECK, digest(law.fingerprint.fingerprint(), cited))
    os.chmod(memo, 0o644)
    _refused(config)


def test_a_changed_law_library_resolves_the_citations_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _office(tmp_path)
    load_settings(config).policy()
    resolved: list[Any] = []
    real = law.resolve.resolve

    def counting(citation: Any) -> Any:
        resolved.append(citation)
        return real(citation)

    monkeypatch.setattr(law.resolve, "resolve", counting)
    load_settings(config).policy()
    assert resolved == []  # same file, same library: remembered
    monkeypatch.setattr(law.fingerprint, "fingerprint", lambda: "another library")
    load_settings(config).policy()
    assert len(resolved) >= 10


def test_settings_made_in_code_remember_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import with_benchmarks

    monkeypatch.chdir(tmp_path)
    assert with_benchmarks().policy().benchmarks
    assert not (tmp_path / NAME).exists()


def test_a_killed_writers_leftover_is_swept_when_the_memo_is_written(tmp_path: Path) -> None:
    config = _office(tmp_path)
    leftover = tmp_path / f".{NAME}.zhifa-999999999-abcd1234.tmp"  # a writer long dead
    leftover.write_bytes(b"{")
    load_settings(config).policy()
    assert (tmp_path / NAME).is_file()
    assert not leftover.exists()
