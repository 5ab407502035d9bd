"""From a notice's recorded text to print-ready HTML (GB/T 9704-2012 layout).

The recorded text is the notice; HTML and PDF are only its presentation, so what is
printed is exactly what was recorded. The text's conventions, which the templates follow:

- lines before the first `# ` line are the 版头: the agency mark, then the document number;
- `# ` is the title, `## ` a level-one heading, `- ` a list item;
- a line starting with two ideographic spaces is an indented paragraph (首行缩进二字);
- a line starting with eight or more is the signature block (right-aligned);
- any other line is a form line (当事人：…), left-aligned.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

IDEOGRAPHIC_SPACE = "\u3000"


@dataclass(frozen=True)
class Block:
    kind: str  # mark, number, title, heading, item, para, sign, line
    text: str


def _body_block(line: str) -> Block:
    if line.startswith("## "):
        return Block("heading", line[3:])
    if line.startswith("# "):
        return Block("title", line[2:])
    if line.startswith("- "):
        return Block("item", line[2:])
    if line.startswith(IDEOGRAPHIC_SPACE * 8):
        return Block("sign", line.strip(IDEOGRAPHIC_SPACE))
    if line.startswith(IDEOGRAPHIC_SPACE * 2):
        return Block("para", line[2:])
    return Block("line", line)


def blocks(text: str) -> list[Block]:
    """The notice's text as layout blocks, in order (blank lines only separate)."""
    out: list[Block] = []
    in_header = any(line.startswith("# ") for line in text.splitlines())
    for line in text.splitlines():
        if not line.strip():
            continue
        if in_header and line.startswith("# "):
            in_header = False
        if in_header:
            out.append(Block("number" if any(b.kind == "mark" for b in out) else "mark", line))
        else:
            out.append(_body_block(line))
    return out


def to_html(record: Mapping[str, Any], page: jinja2.Template) -> str:
    """One notice as a standalone HTML page; the page template escapes every text."""
    return page.render(
        title=record["title"],
        number=record.get("number", ""),
        blocks=blocks(record["text"]),
        sha256=record.get("sha256", ""),
    )


#: GB/T 9704-2012 §5.2.1: 22 lines of 28 characters on a page.
LINE_CHARS, PAGE_LINES = 28, 22
#: Lines a block takes besides its wrapped text (the title is 2号 with space around it).
_EXTRA_LINES = {"mark": 2, "number": 1, "title": 2, "sign": 0}


def _width(text: str) -> float:
    """Characters as a line counts them: CJK and full-width 1, ASCII ½."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def page_count(text: str) -> int:
    """How many pages the notice takes in the GB/T 9704 layout (for the case file index)."""
    lines = 0
    for block in blocks(text):
        wrapped = max(1, -(-int(_width(block.text) + 0.5) // LINE_CHARS))
        lines += wrapped + _EXTRA_LINES.get(block.kind, 0)
    return max(1, -(-lines // PAGE_LINES))
