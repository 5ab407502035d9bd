"""`zhifa notice export --format pdf` says which fonts the PDF is printed in, and warns when
one stands in for the fonts the office set (`documents.fonts` in config.yaml)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from documents import pdf
from documents.fonts import installed_cjk
from tests.cli.conftest import Invoke
from tests.cli.test_cli import open_case


@pytest.fixture
def cjk() -> None:
    if not pdf.cjk_fonts():
        if os.environ.get("ZHIFA_REQUIRE_CJK") == "1":
            pytest.fail("ZHIFA_REQUIRE_CJK=1 but fontconfig knows no font for Chinese")
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")


def _set_fonts(office_dir: Path, fonts: dict[str, list[str]]) -> None:
    path = office_dir / "config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["documents"]["fonts"] = fonts
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def test_export_names_the_fonts_and_warns_on_a_stand_in(
    zhifa: Invoke, office_dir: Path, tmp_path: Path, cjk: None
) -> None:
    case_id = open_case(zhifa)
    missing = "某某不存在的仿宋字体"
    installed = installed_cjk()[0][0]
    _set_fonts(office_dir, {"body": [missing], "title": [installed], "heading": [installed]})
    code, doc = zhifa("notice", "export", case_id, "--out", str(tmp_path), "--json")
    assert code == 0
    assert doc["fonts"]["body"]["fell_back"] is True
    assert doc["fonts"]["body"]["wanted"] == [missing]
    assert doc["fonts"]["body"]["used"]
    assert doc["fonts"]["title"] == {"used": installed, "wanted": [installed], "fell_back": False}
    code, text = zhifa("notice", "export", case_id, "--out", str(tmp_path))
    assert code == 0
    text = text.replace("\n", "")  # wrapped at the terminal's width, nothing cut off
    assert "⚠ 字体 font 正文 body" in text
    assert f"未安装 {missing}" in text
    assert f"字体 font 标题 title: {installed}" in text
    # the text export has no fonts to speak of
    code, doc = zhifa("notice", "export", case_id, "--format", "txt", "--out", str(tmp_path),
                      "--json")  # fmt: skip
    assert code == 0
    assert "fonts" not in doc


def test_an_empty_font_list_is_bad_config(zhifa: Invoke, office_dir: Path) -> None:
    _set_fonts(office_dir, {"body": []})
    code, doc = zhifa("notice", "list", "P-2026-0001", "--json")
    assert code == 2
    assert doc["error"]["location"] == "documents.fonts.body"
