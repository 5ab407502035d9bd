"""PDF from the print-ready HTML (WeasyPrint), only on a machine with a CJK font.

Without a font that covers Chinese, a PDF would show empty boxes in a legal document; we
refuse and say which package to install instead (Debian: fonts-noto-cjk).

The PDF knows how many pages it has and which fonts it embeds: `html_to_pdf` hands both back
with the bytes, and `count_pages` lays a page out without writing it, so the 卷宗目录 numbers
pages as they are printed, never by an estimate.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import warnings
from importlib import metadata
from typing import Any

FONT_HINT = (
    "no font with Chinese glyphs is installed, so a PDF would show empty boxes; "
    "install one (Debian/Ubuntu: apt-get install fonts-noto-cjk) or export --format html"
)


class FontMissingError(RuntimeError):
    """No CJK font: the PDF is not produced."""


class PdfBytes(bytes):
    """A PDF's bytes, with the number of its pages and the font families it embeds."""

    pages: int
    fonts: tuple[str, ...]

    def __new__(cls, data: bytes, pages: int, fonts: tuple[str, ...]) -> PdfBytes:
        made = super().__new__(cls, data)
        made.pages = pages
        made.fonts = fonts
        return made


def cjk_fonts() -> list[str]:
    """Font families fontconfig offers for Chinese text (empty when there is none)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    done = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False, timeout=30
    )
    return sorted({line.split(",")[0].strip() for line in done.stdout.splitlines() if line.strip()})


def _layout(html: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # WeasyPrint's notes on unsupported CSS are not errors
        from weasyprint import HTML

        return HTML(string=html).render()


def html_to_pdf(html: str, fonts: list[str] | None = None) -> PdfBytes:
    """The PDF of one HTML page, or FontMissingError."""
    if not (cjk_fonts() if fonts is None else fonts):
        raise FontMissingError(FONT_HINT)
    document = _layout(html)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data: bytes = document.write_pdf(custom_metadata=True)  # the text's hash, by name
    used = tuple(sorted({font.family for font in document.fonts.values()}))
    pages = len(document.pages)
    _PAGES[_key(html)] = pages
    return PdfBytes(data, pages, used)


_PAGES: dict[str, int] = {}


def _key(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def count_pages(html: str) -> int | None:
    """How many pages the page takes when printed (None without a CJK font: nothing would be
    printed). Laid out once per distinct page in a process."""
    key = _key(html)
    if key not in _PAGES:
        if not cjk_fonts():
            return None
        if len(_PAGES) > 4096:
            _PAGES.clear()
        _PAGES[key] = len(_layout(html).pages)
    return _PAGES[key]


def renderer() -> dict[str, str]:
    """What a PDF's bytes depend on besides its HTML: the engine's versions and the CJK fonts
    installed (their file names and sizes). The same renderer makes the same bytes again."""
    versions = {}
    for package in ("weasyprint", "pydyf"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "?"
    fonts: list[str] = []
    fc_list = shutil.which("fc-list")
    if fc_list is not None:
        done = subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True, text=True,
                              check=False, timeout=30)  # fmt: skip
        for line in done.stdout.splitlines():
            path = line.split(":", 1)[0].strip()
            if path and os.path.isfile(path):
                fonts.append(f"{os.path.basename(path)}:{os.path.getsize(path)}")
    digest = hashlib.sha256(json.dumps(sorted(set(fonts))).encode()).hexdigest()
    return {**versions, "fonts": digest}
