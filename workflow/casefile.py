"""The case file (卷宗): its index (卷宗目录) — every notice and record in the order the
history holds them, with numbers, dates and page or file references (domain.md §8).

A notice's pages are counted on the printed page, never estimated: by default its HTML in the
built-in GB/T 9704 layout is laid out by WeasyPrint; an archive bundle passes the page counts
of the very PDFs it holds. Without a font for Chinese nothing can be printed, so nothing is
counted and the reference says so."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from states.vocabulary import EVIDENCE_TYPES
from workflow.events import Event


@dataclass(frozen=True)
class Entry:
    no: int
    kind: str  # notice, evidence, av
    title: str
    number: str
    on: str
    seq: int
    reference: str
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"no": self.no, "kind": self.kind, "title": self.title, "number": self.number,
                "on": self.on, "seq": self.seq, "reference": self.reference,
                "sha256": self.sha256}  # fmt: skip


def file_member(record: dict[str, Any]) -> str:
    """Where a stored file sits in an archive bundle: by hash, with its own (base) name."""
    name = PurePosixPath(str(record["name"]).replace("\\", "/")).name or "file"
    return f"files/{record['sha256']}/{name}"


def notice_member(seq: int, kind: str, suffix: str) -> str:
    return f"notices/{seq:03d}_{kind}.{suffix}"


PageCounter = Callable[[Mapping[str, Any]], int | None]
NO_FONT = "（未计页：无中文字体或未附打印件 pages not counted: no CJK font or no printed copy）"


@cache
def _builtin_page() -> Any:
    from documents.render import Templates

    return Templates().page()


def printed_pages(doc: Mapping[str, Any]) -> int | None:
    """The pages a recorded notice takes in the built-in layout (None without a CJK font)."""
    from documents.layout import to_html
    from documents.pdf import count_pages

    return count_pages(to_html(doc, _builtin_page()))


def index(events: list[Event], pages: PageCounter | None = None) -> list[Entry]:
    """Notices numbered by printed page (第1–2页), files by where the bundle keeps them."""
    count = pages or printed_pages
    entries: list[Entry] = []
    page: int | None = 1
    for e in events:
        for doc in e.documents:
            if "text" not in doc:
                ref = "（未制作文本）"
            elif page is None or (n := count(doc)) is None:
                page, ref = None, NO_FONT
            else:
                ref = f"第{page}页" if n == 1 else f"第{page}–{page + n - 1}页"
                page += n
            entries.append(Entry(len(entries) + 1, "notice", doc["title"], doc.get("number", ""),
                                 e.occurred_on, e.seq, ref, doc.get("sha256", "")))  # fmt: skip
        if e.action in ("add_evidence", "record_av"):
            entries += _record_entries(e, len(entries))
    return entries


def _record_entries(e: Event, before: int) -> list[Entry]:
    data = e.data
    if e.action == "add_evidence":
        kind, title = (
            "evidence",
            f"{data.get('title', '')}（{EVIDENCE_TYPES.get(data.get('type', ''), '')}）",
        )
    else:
        label = data.get("title") or f"第{data.get('for_seq')}号记录"
        kind, title = "av", f"音像记录：{label}"
    files = data.get("files") or []
    if not files:
        return [Entry(before + 1, kind, title, "", e.occurred_on, e.seq, "（无电子文件）", "")]
    return [
        Entry(before + i + 1, kind, title if len(files) == 1 else f"{title} {f['name']}", "",
              e.occurred_on, e.seq, f"{file_member(f)}（{f['size']:,} 字节）", f["sha256"])
        for i, f in enumerate(files)
    ]  # fmt: skip
