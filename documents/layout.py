"""From a notice's recorded text to print-ready HTML (GB/T 9704-2012 layout).

The recorded text is the notice; HTML and PDF are only its presentation, so what is
printed is exactly what was recorded. The text's conventions, which the templates follow:

- lines before the first `# ` line are the 版头: the agency mark, then the document number;
- `# ` is the title, `## ` a level-one heading;
- `- ` is a list item; the items of a run (blank lines between them allowed) form one list.
  An item that carries its own number (`1.`, `1、`, `（1）`, `一、`) keeps it; a run of two or
  more items without numbers is numbered 1. 2. … in print, as a document numbers its lists;
- `| label | value |` is a row of a bordered form (送达回证); the rows of a run form one table.
  The first column is the label; a row has as many cells as the table's first row, so a `|`
  inside the last cell's text stays text. A cell that starts with four ideographic spaces is
  a space to sign in (tall, its text at the bottom right: `　　　　年　月　日`);
- a line starting with two ideographic spaces is an indented paragraph (首行缩进二字);
- lines starting with eight or more are the 落款 (GB/T 9704 §7.3.5): the issuing organ, then
  the date on the last line; in print the date stands 右空四字 and the organ is centred on it;
- any other line is a form line (当事人：…), left-aligned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

IDEOGRAPHIC_SPACE = "\u3000"
#: The numbers a list item may carry (GB/T 9704 §7.3.3: 一、（一）1.（1）).
_NUMBERED = re.compile(
    r"^(\d{1,3}[.．、]|[（(]\d{1,3}[)）]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])\s*"
)
_SIGN_CELL = IDEOGRAPHIC_SPACE * 4


@dataclass(frozen=True)
class Item:
    """One list item: its number as printed (recorded, counted, or none) and its text."""

    number: str
    text: str


@dataclass(frozen=True)
class Cell:
    text: str
    sign: bool = False  # a space to sign in


@dataclass(frozen=True)
class Block:
    """kind: mark, number, title, heading, para, line, list (items), table (rows of cells),
    signature (lines: the organ, then the date)."""

    kind: str
    text: str = ""
    items: tuple[Item, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    lines: tuple[str, ...] = ()


def _line_kind(line: str) -> tuple[str, str]:
    if line.startswith("## "):
        return "heading", line[3:]
    if line.startswith("# "):
        return "title", line[2:]
    if line.startswith("- "):
        return "item", line[2:]
    if line.startswith("|") and line.rstrip().endswith("|") and len(line.strip()) > 1:
        return "row", line.strip()[1:-1]
    if line.startswith(IDEOGRAPHIC_SPACE * 8):
        return "sign", line.strip(IDEOGRAPHIC_SPACE)
    if line.startswith(IDEOGRAPHIC_SPACE * 2):
        return "para", line[2:]
    return "line", line


def _list(texts: list[str]) -> Block:
    numbered = [_NUMBERED.match(t) for t in texts]
    count = len(texts) >= 2 and not any(numbered)
    items = []
    for i, (text, match) in enumerate(zip(texts, numbered, strict=True), start=1):
        if match:
            items.append(Item(match.group(1), text[match.end() :]))
        else:
            items.append(Item(f"{i}." if count else "", text))
    return Block("list", items=tuple(items))


def _cell(text: str) -> Cell:
    sign = text.strip(" ").startswith(_SIGN_CELL)
    return Cell(text.strip(" ").strip(IDEOGRAPHIC_SPACE) if sign else text.strip(" "), sign)


def _table(rows: list[str]) -> Block:
    width = len(rows[0].split("|"))
    return Block("table", rows=tuple(
        tuple(_cell(c) for c in row.split("|", width - 1)) for row in rows
    ))  # fmt: skip


def _grouped(kind: str, texts: list[str]) -> Block:
    if kind == "item":
        return _list(texts)
    if kind == "row":
        return _table(texts)
    return Block("signature", lines=tuple(texts))


def _body(lines: list[str]) -> list[Block]:
    """Body lines as blocks; runs of items, rows and signature lines become one block each."""
    out: list[Block] = []
    run_kind, run = "", list[str]()
    for line in lines:
        if not line.strip():
            continue  # blank lines only separate; a list may have them between its items
        kind, text = _line_kind(line)
        if run and kind != run_kind:
            out.append(_grouped(run_kind, run))
            run = []
        if kind in ("item", "row", "sign"):
            run_kind = kind
            run.append(text)
        else:
            out.append(Block(kind, text))
    if run:
        out.append(_grouped(run_kind, run))
    return out


def blocks(text: str) -> list[Block]:
    """The notice's text as layout blocks, in order."""
    lines = text.splitlines()
    if not any(line.startswith("# ") for line in lines):
        return _body(lines)
    head: list[Block] = []
    start = next(i for i, line in enumerate(lines) if line.startswith("# "))
    for line in (x for x in lines[:start] if x.strip()):
        head.append(Block("number" if head else "mark", line))
    return head + _body(lines[start:])


def to_html(
    record: Mapping[str, Any], page: jinja2.Template, fonts: Mapping[str, Markup] | None = None
) -> str:
    """One notice as a standalone HTML page; the page template escapes every text.

    `fonts` are the CSS font stacks by role (body, title, heading; documents/fonts.py). The
    text's hash goes into the page's metadata (and so the PDF's), never onto the printed page.
    """
    from documents.fonts import css_stacks

    parsed = blocks(record["text"])
    return page.render(
        title=record["title"],
        number=record.get("number", ""),
        agency=next((b.text for b in parsed if b.kind == "mark"), ""),
        blocks=parsed,
        sha256=record.get("sha256", ""),
        fonts=fonts or css_stacks(),
    )
