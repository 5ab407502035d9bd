"""PDF from the print-ready HTML (WeasyPrint), only on a machine with a CJK font.

Without a font that covers Chinese, a PDF would show empty boxes in a legal document; we
refuse and say which package to install instead (Debian: fonts-noto-cjk).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import warnings
from importlib import metadata

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
