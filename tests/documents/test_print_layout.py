"""The printed notice, measured on the PDF (GB/T 9704-2012): a 行政处罚决定书 and a 送达回证 are
exported, turned into PNGs for people to look at (tmp/artefacts/print-layout/), and their text
positions read back with pdfplumber, which gives each glyph's box (pypdf gives only where a
run of text starts) and the drawn lines of the form.

What is checked: the text block (left 28 mm, top 37 mm, 156 × 225 mm), 28 characters a line
at a 225/22 mm pitch, the title centred, the 落款 (date 右空四字, organ centred on it, the
seal's place over both), page numbers, the hash in the metadata and never on the page, lists
numbered, the 送达回证 a bordered form on one page, and the fonts export reports.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from documents import pdf
from states.penalty import PENALTY
from tests.conftest import artefact_dir, make_office, run_steps
from workflow.scenarios import PENALTY_WITH_HEARING, Scenario, Step
from workflow.service import Office

MM = 25.4 / 72  # PDF points to millimetres
LEFT, TOP, WIDTH, HEIGHT = 28.0, 37.0, 156.0, 225.0
RIGHT, BOTTOM = LEFT + WIDTH, TOP + HEIGHT
PITCH = HEIGHT / 22  # 22 lines a page
CHAR = 16 * MM  # one character of the 3号 body
TOLERANCE = 0.35


@dataclass(frozen=True)
class Line:
    """One printed line: its text and, in mm from the page's top left, its glyphs' extent
    and its line box (from the baseline and the font's ascent and descent)."""

    page: int
    text: str
    x0: float
    x1: float
    top: float  # top of the line box
    bottom: float  # bottom of the glyphs
    size: float  # font size in pt


def _metrics(path: Path) -> dict[str, tuple[float, float]]:
    """Each embedded font's ascent and descent (in em) from its font descriptor."""
    from pypdf import PdfReader

    found = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            holder = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = holder["/FontDescriptor"].get_object()
            name = str(font["/BaseFont"]).lstrip("/")
            found[name] = (
                float(descriptor["/Ascent"]) / 1000,
                float(descriptor["/Descent"]) / 1000,
            )
    return found


def read_lines(path: Path, pitch: float = PITCH) -> list[Line]:
    import pdfplumber

    metrics = _metrics(path)
    lines = []
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            rows: dict[int, list[dict[str, Any]]] = {}
            for ch in page.chars:
                rows.setdefault(round(ch["top"]), []).append(ch)
            for chars in sorted(rows.values(), key=lambda cs: cs[0]["top"]):
                first = chars[0]
                size = first["size"] * MM
                ascent, descent = metrics[first["fontname"]]
                baseline = (float(page.height) - first["matrix"][5]) * MM
                # CSS: half the leading above the content area (ascent + descent)
                top = baseline - pitch / 2 - (ascent + descent) * size / 2
                lines.append(Line(page.page_number, "".join(c["text"] for c in chars),
                                  min(c["x0"] for c in chars) * MM, max(c["x1"] for c in chars) * MM,
                                  top, max(c["bottom"] for c in chars) * MM, round(first["size"], 1)))  # fmt: skip
    return lines


def find(lines: list[Line], text: str) -> Line:
    return next(line for line in lines if line.text == text)


@pytest.fixture(scope="module")
def cjk() -> None:
    if not pdf.cjk_fonts():
        if os.environ.get("ZHIFA_REQUIRE_CJK") == "1":
            pytest.fail("ZHIFA_REQUIRE_CJK=1 but fontconfig knows no font for Chinese")
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk)")


def _left_at_address(step: Step) -> Step:
    if step.action == "serve":
        return replace(step, data={"method": "left_at_address", "recipient": "铁锋某建设有限公司",
                                   "witness": "刘某（工业路社区居委会）"})  # fmt: skip
    if step.action == "open":  # another violation of the same party (行政处罚法 Art. 29)
        return replace(step, data={**step.data, "violation_on": "2025-12-01"})
    return step


_SERVE = next(i for i, s in enumerate(PENALTY_WITH_HEARING.steps) if s.action == "serve")
LEFT_AT_ADDRESS = Scenario(PENALTY.id, "留置送达", tuple(
    _left_at_address(s) for s in PENALTY_WITH_HEARING.steps[: _SERVE + 1]))  # fmt: skip


@pytest.fixture(scope="module")
def printed(
    tmp_path_factory: pytest.TempPathFactory, cjk: None
) -> Iterator[tuple[Office, str, dict[str, Path]]]:
    """The decision and both receipts as PDF, and as PNG in the artefacts folder."""
    office = make_office(f"sqlite:///{tmp_path_factory.mktemp('print')}/office.db")
    heard = run_steps(office, PENALTY_WITH_HEARING).id
    left = run_steps(office, LEFT_AT_ADDRESS).id
    out = artefact_dir("print-layout")
    files = {
        "decision": office.export_notices(heard, "pdf", out, "penalty_decision")[0],
        "receipt": office.export_notices(heard, "pdf", out, "service_receipt")[0],
        "receipt_left": office.export_notices(left, "pdf", out, "service_receipt")[0],
    }
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        for path in files.values():
            subprocess.run([pdftoppm, "-png", "-r", "60", str(path), str(path.with_suffix(""))],
                           check=True, timeout=60)  # fmt: skip
    elif os.environ.get("ZHIFA_REQUIRE_CJK") == "1":
        pytest.fail("ZHIFA_REQUIRE_CJK=1 but pdftoppm (Debian: poppler-utils) is missing")
    yield office, heard, files
    office.store.dispose()


def test_the_decision_keeps_to_the_text_block(printed: tuple[Office, str, dict[str, Path]]) -> None:
    lines = read_lines(printed[2]["decision"])
    body = [line for line in lines if not line.text.startswith("—")]
    assert min(line.x0 for line in body) == pytest.approx(LEFT, abs=TOLERANCE)
    assert max(line.x1 for line in body) <= RIGHT + TOLERANCE
    # justified lines end at the right edge of the block, 28 characters of 3号 a full line
    full = [line for line in body if line.x1 > RIGHT - TOLERANCE]
    assert full
    assert any(len(line.text) == 28 and all(ord(c) > 0x2E80 for c in line.text) for line in full)
    # every page begins at the top of the block, and nothing runs below it
    for page in sorted({line.page for line in body}):
        first = next(line for line in body if line.page == page and line.size == 16)
        if page > 1:
            assert first.top == pytest.approx(TOP, abs=TOLERANCE), first
        assert all(line.bottom <= BOTTOM + TOLERANCE for line in body if line.page == page)
    # body lines follow the 22-lines-a-page pitch
    page2 = [line for line in body if line.page == 2 and line.size == 16]
    steps = [b.top - a.top for a, b in zip(page2, page2[1:], strict=False)]
    assert min(steps) == pytest.approx(PITCH, abs=0.05)


def test_the_title_is_centred_and_the_mark_leads(
    printed: tuple[Office, str, dict[str, Path]],
) -> None:
    lines = read_lines(printed[2]["decision"])
    mark, title = find(lines, "铁锋区审计局"), find(lines, "行政处罚决定书")
    assert lines[0] == mark
    assert mark.top >= TOP - TOLERANCE
    for line in (mark, title, find(lines, "铁审罚〔2026〕1号")):
        assert (line.x0 + line.x1) / 2 == pytest.approx(LEFT + WIDTH / 2, abs=TOLERANCE), line
    assert title.size == 22  # 2号


def test_the_signature_follows_gb_t_9704(printed: tuple[Office, str, dict[str, Path]]) -> None:
    lines = read_lines(printed[2]["decision"])
    date = find(lines, "2026年4月1日")
    organ = [line for line in lines if line.text == "铁锋区审计局"][-1]
    assert date.x1 == pytest.approx(RIGHT - 4 * CHAR, abs=TOLERANCE)  # 右空四字
    assert (organ.x0 + organ.x1) / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=TOLERANCE)
    assert date.page == organ.page
    assert date.top - organ.top == pytest.approx(PITCH, abs=0.05)
    # the signature never stands alone on a page: body text goes with it
    assert any(line.page == date.page and line.top < organ.top and line.x0 < LEFT + 1
               for line in lines)  # fmt: skip
    text = "".join(line.text for line in lines)
    assert "印章" not in text
    assert "SHA-256" not in text
    assert "sha256" not in text


def test_the_seal_place_presses_on_organ_and_date(
    printed: tuple[Office, str, dict[str, Path]],
) -> None:
    """The seal is applied to the printout; its place (42 mm, not drawn in print) covers the
    organ and the date, the date a little below its centre (GB/T 9704 §7.3.5.1)."""
    from weasyprint import HTML

    office, case_id, _ = printed
    document = HTML(string=office.desk.html(office.notice(case_id, "penalty_decision"))).render()
    boxes: dict[str, Any] = {}

    def walk(box: Any) -> None:
        element_class = (box.element.get("class") if box.element is not None else None) or ""
        if element_class in ("seal", "organ", "date") and element_class not in boxes:
            boxes[element_class] = box
        for child in getattr(box, "children", []):
            walk(child)

    walk(document.pages[-1]._page_box)
    px = 25.4 / 96  # CSS px to mm

    def extent(box: Any) -> tuple[float, float, float, float]:
        x, y = box.border_box_x() * px, box.border_box_y() * px
        return x, y, x + box.border_width() * px, y + box.border_height() * px

    seal, organ, date = (extent(boxes[k]) for k in ("seal", "organ", "date"))
    assert seal[2] - seal[0] == pytest.approx(42, abs=0.5)
    assert seal[1] < organ[1]
    assert date[3] < seal[3]
    assert (seal[0] + seal[2]) / 2 == pytest.approx((date[0] + date[2]) / 2, abs=0.5)
    assert (seal[1] + seal[3]) / 2 < (organ[1] + date[3]) / 2  # organ and date 居印章中心偏下


def test_page_numbers_sit_below_the_block_outside_edge(
    printed: tuple[Office, str, dict[str, Path]],
) -> None:
    lines = read_lines(printed[2]["decision"])
    numbers = [line for line in lines if line.text.startswith("—")]
    assert [n.text.replace(" ", "") for n in numbers] == ["—1—", "—2—", "—3—"]
    for n in numbers:
        assert BOTTOM + 5 < n.bottom < BOTTOM + 14
        if n.page % 2:
            assert n.x1 == pytest.approx(RIGHT - CHAR, abs=TOLERANCE)  # 单页码居右空一字
        else:
            assert n.x0 == pytest.approx(LEFT + CHAR, abs=TOLERANCE)  # 双页码居左空一字


def test_the_hash_is_in_the_metadata(printed: tuple[Office, str, dict[str, Path]]) -> None:
    from pypdf import PdfReader

    office, case_id, files = printed
    notice = office.notice(case_id, "penalty_decision")
    meta = PdfReader(files["decision"]).metadata
    assert meta is not None
    assert meta["/sha256"] == notice["sha256"]
    assert notice["sha256"] in str(meta["/Subject"])
    assert meta["/Title"] == "行政处罚决定书 铁审罚〔2026〕1号"
    assert meta["/Author"] == "铁锋区审计局"


def test_evidence_lists_are_numbered(printed: tuple[Office, str, dict[str, Path]]) -> None:
    lines = read_lines(printed[2]["decision"])
    texts = [line.text for line in lines]
    assert "1.补助资金申请材料及拨付凭证（书证）" in texts
    assert "2.现场检查笔录（勘验笔录、现场笔录）" in texts


@pytest.mark.parametrize("which", ["receipt", "receipt_left"])
def test_the_service_receipt_is_a_bordered_form_on_one_page(
    printed: tuple[Office, str, dict[str, Path]], which: str
) -> None:
    import pdfplumber

    path = printed[2][which]
    with pdfplumber.open(path) as doc:
        assert len(doc.pages) == 1
        page = doc.pages[0]
        edges = page.lines + page.rects
        xs = sorted(
            {round(e["x0"] * MM, 1) for e in edges} | {round(e["x1"] * MM, 1) for e in edges}
        )
        ys = [e["bottom"] * MM for e in edges]
    assert xs[0] == pytest.approx(LEFT, abs=0.5)
    assert xs[-1] == pytest.approx(RIGHT, abs=0.5)
    assert max(ys) <= BOTTOM
    lines = read_lines(path)
    text = "".join(line.text for line in lines)
    for label in ("送达文书名称及文号", "受送达人", "送达地点", "送达方式", "受送达人签名或盖章", "送达人",
                  "见证人", "备注", "行政处罚决定书（铁审罚〔2026〕"):  # fmt: skip
        assert label in text
    # the recipient's signing space: the date is written by hand, at the cell's right
    blank = next(line for line in lines if line.text.replace("\u3000", "") == "年月日")
    assert blank.x1 == pytest.approx(RIGHT - 2.4, abs=0.5)  # inside the border and padding
    if which == "receipt_left":
        assert "刘某（工业路社区居委会）" in text
        assert "第八十九条" in text


def test_export_names_the_fonts_the_pdf_embeds(
    printed: tuple[Office, str, dict[str, Path]],
) -> None:
    office, case_id, _ = printed
    made = pdf.html_to_pdf(office.desk.html(office.notice(case_id, "penalty_decision")))
    chosen = office.desk.font_choice()
    assert set(made.fonts) <= {c.used for c in chosen.values()}
    assert chosen["body"].used in made.fonts
    assert made.pages == 3
    for c in chosen.values():
        installed = {n for names in pdf_names() for n in names}
        assert c.fell_back == (not any(w in installed for w in c.wanted))


def pdf_names() -> tuple[tuple[str, ...], ...]:
    from documents.fonts import installed_cjk

    return installed_cjk()


def test_the_case_file_counts_printed_pages(printed: tuple[Office, str, dict[str, Path]]) -> None:
    office, case_id, _ = printed
    refs = {e["title"]: e["reference"] for e in office.case_file(case_id) if e["kind"] == "notice"}
    assert refs["行政处罚决定书"].endswith("页")
    first, last = refs["行政处罚决定书"].removeprefix("第").removesuffix("页").split("–")
    assert int(last) - int(first) + 1 == 3  # the three pages the PDF has
    after = refs["送达回证"].removeprefix("第").removesuffix("页")
    assert after == str(int(last) + 1)  # one page, right after the decision
