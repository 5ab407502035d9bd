"""PDF from the print-ready HTML (WeasyPrint), only on a machine with a CJK font.

Without a font that covers Chinese, a PDF would show empty boxes in a legal document; we
refuse and say which package to install instead (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import shutil
import subprocess
import warnings

FONT_HINT = (
    "no font with Chinese glyphs is installed, so a PDF would show empty boxes; "
    "install one (Debian/Ubuntu: apt-get install fonts-noto-cjk) or export --format html"
)


class FontMissingError(RuntimeError):
    """No CJK font: the PDF is not produced."""


def cjk_fonts() -> list[str]:
    """Font families fontconfig offers for Chinese text (empty when there is none)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    done = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False, timeout=30
    )
    return sorted({line.split(",")[0].strip() for line in done.stdout.splitlines() if line.strip()})


def html_to_pdf(html: str, fonts: list[str] | None = None) -> bytes:
    """The PDF of one HTML page, or FontMissingError."""
    if not (cjk_fonts() if fonts is None else fonts):
        raise FontMissingError(FONT_HINT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # WeasyPrint's notes on unsupported CSS are not errors
        from weasyprint import HTML

        pdf: bytes = HTML(string=html).write_pdf()
    return pdf
