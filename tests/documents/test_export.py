"""Print-ready output: HTML in the GB/T 9704 layout, PDF that shows Chinese (checked by
extracting its text), and a clear refusal where no CJK font is installed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from documents import pdf
from tests.conftest import make_office, run_steps
from workflow.errors import BadInputError, NotFoundError
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office


@pytest.fixture(scope="module")
def decided(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Office, str]]:
    office = make_office(f"sqlite:///{tmp_path_factory.mktemp('export')}/office.db")
    case = run_steps(office, PENALTY_WITH_HEARING)
    yield office, case.id
    office.store.dispose()


@pytest.fixture
def cjk_font() -> None:
    """PDF tests need a CJK font; CI (ZHIFA_REQUIRE_CJK=1) installs one and must run them."""
    if not pdf.cjk_fonts():
        if os.environ.get("ZHIFA_REQUIRE_CJK") == "1":
            pytest.fail("ZHIFA_REQUIRE_CJK=1 but fontconfig knows no font for Chinese")
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")


def test_txt_export_is_the_recorded_text(decided: tuple[Office, str], tmp_path: Path) -> None:
    office, case_id = decided
    paths = office.export_notices(case_id, "txt", tmp_path)
    assert [p.name for p in paths][:2] == [f"{case_id}_001_filing_approval.txt",
                                           f"{case_id}_007_penalty_notice.txt"]  # fmt: skip
    for path, notice in zip(paths, office.notices(case_id), strict=True):
        assert path.read_text(encoding="utf-8") == notice["text"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_html_follows_the_gb_t_9704_layout(decided: tuple[Office, str], tmp_path: Path) -> None:
    office, case_id = decided
    [path] = office.export_notices(case_id, "html", tmp_path, "penalty_decision")
    html = path.read_text(encoding="utf-8")
    assert "size: 210mm 297mm" in html  # A4
    assert "margin: 37mm 26mm 35mm 28mm" in html  # top 37, left 28: a 156 × 225 mm block
    assert "font-size: 16pt" in html
    assert "FangSong" in html
    assert "font-size: 22pt" in html
    assert "text-align: center" in html
    assert '<p class="mark">铁锋区审计局</p>' in html
    assert "color: #c00" in html
    assert '"— " counter(page) " —"' in html  # page numbers — 1 —
    assert "<h1>行政处罚决定书</h1>" in html
    assert '<p class="number">铁审罚〔2026〕1号</p>' in html


def test_pdf_shows_the_notice_in_chinese(
    decided: tuple[Office, str], tmp_path: Path, cjk_font: None
) -> None:
    from pypdf import PdfReader

    office, case_id = decided
    [path] = office.export_notices(case_id, "pdf", tmp_path, "铁审罚〔2026〕1号")
    reader = PdfReader(path)
    first = reader.pages[0].extract_text()
    for expected in ("铁锋区审计局", "铁审罚〔2026〕1号", "行政处罚决定书", "铁锋某建设有限公司",
                     "91230200MA1B2C3D4E"):  # fmt: skip
        assert expected in first.replace(" ", ""), first
    assert "— 1 —" in first or "—1—" in first.replace(" ", "")
    whole = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
    assert "壹拾贰万元整" in whole
    assert "铁锋区人民法院提起行政诉讼" in whole
    page = reader.pages[0].mediabox
    assert (round(float(page.width) * 25.4 / 72), round(float(page.height) * 25.4 / 72)) == (
        210,
        297,
    )


def test_without_a_cjk_font_no_pdf_is_made_and_the_user_is_told(
    decided: tuple[Office, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office, case_id = decided
    monkeypatch.setattr(pdf, "cjk_fonts", lambda: [])
    with pytest.raises(BadInputError, match="fonts-noto-cjk"):
        office.export_notices(case_id, "pdf", tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_export_refuses_bad_requests(decided: tuple[Office, str], tmp_path: Path) -> None:
    office, case_id = decided
    with pytest.raises(BadInputError, match="unknown format"):
        office.export_notices(case_id, "docx", tmp_path)
    with pytest.raises(NotFoundError, match="no notice 'decision'"):
        office.export_notices(case_id, "txt", tmp_path, "decision")
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(BadInputError, match="is a file"):
        office.export_notices(case_id, "txt", afile)
    with pytest.raises(NotFoundError, match="no case"):
        office.export_notices("P-2026-9999", "txt", tmp_path)
