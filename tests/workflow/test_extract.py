"""The text of evidence files for the search: PDF, DOCX, plain text; anything else gives none."""

from __future__ import annotations

from pathlib import Path

import docx

from tests.workflow.search_corpus import minimal_pdf
from workflow.extract import extract_text, kind_of


def test_text_is_read_from_pdf_docx_and_plain_text(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(minimal_pdf("Invoice 2026-0417"))
    assert "Invoice 2026-0417" in extract_text(pdf, "a.pdf", "application/pdf")
    document = docx.Document()
    document.add_paragraph("现场检查笔录")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[1].text = "冷库租赁合同"
    document.save(str(tmp_path / "b.docx"))
    text = extract_text(tmp_path / "b.docx", "b.docx")
    assert "现场检查笔录" in text
    assert "冷库租赁合同" in text
    (tmp_path / "c.txt").write_bytes("询问笔录：当事人承认虚报".encode("gb18030"))
    assert extract_text(tmp_path / "c.txt", "c.txt", "text/plain") == "询问笔录：当事人承认虚报"


def test_a_broken_or_unknown_file_gives_no_text(tmp_path: Path) -> None:
    broken = tmp_path / "scan.pdf"
    broken.write_bytes(b"%PDF-1.4 not really" * 50)
    assert extract_text(broken, "scan.pdf") == ""
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04 broken zip")
    assert extract_text(tmp_path / "x.docx", "x.docx") == ""
    assert kind_of("photo.jpg", "image/jpeg") is None
    assert extract_text(tmp_path / "photo.jpg", "photo.jpg", "image/jpeg") == ""
