"""The text of a stored evidence file, for the case search: PDF, DOCX and plain text.

PDF through pypdf (pure Python; a scan without a text layer gives no text), DOCX through
python-docx (paragraphs and table cells), plain text as UTF-8 (or GB18030, the other encoding
Chinese offices write). Any other file, or one that cannot be read, gives no text — extraction
never stops the search. What is kept is capped (MAX_TEXT characters).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

MAX_TEXT = 200_000  # characters kept per file
MAX_BYTES = 64 << 20  # files larger than this are not read for text
TEXT_SUFFIXES = frozenset({".txt", ".md", ".csv"})


def _pdf(path: Path) -> str:
    from pypdf import PdfReader

    # a damaged PDF is reported by pypdf's logger; here it only means "no text"
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(str(path))
        parts: list[str] = []
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            if sum(map(len, parts)) > MAX_TEXT:
                break
    return "\n".join(parts)


def _docx(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _plain(path: Path) -> str:
    raw = path.read_bytes()[: MAX_TEXT * 4]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def kind_of(name: str, media_type: str = "") -> str | None:
    """pdf, docx or text for a file name or media type; None for anything else."""
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf" or media_type == "application/pdf":
        return "pdf"
    if suffix == ".docx" or media_type.endswith("wordprocessingml.document"):
        return "docx"
    if suffix in TEXT_SUFFIXES or media_type.startswith("text/"):
        return "text"
    return None


def extract_text(path: Path, name: str, media_type: str = "") -> str:
    """The file's text (capped), or "" when it has none zhifa can read."""
    kind = kind_of(name, media_type)
    try:
        if kind is None or not path.is_file() or path.stat().st_size > MAX_BYTES:
            return ""
        reader = {"pdf": _pdf, "docx": _docx, "text": _plain}[kind]
        text = reader(path)
    except Exception:  # noqa: BLE001 - a broken or hostile file gives no text, never a crash
        return ""
    return "".join(c for c in text if c.isprintable() or c in "\n\t")[:MAX_TEXT]
