"""The case file (卷宗): its index (卷宗目录) — every notice and record in the order the
history holds them, with numbers, dates and page or file references (domain.md §8)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from documents.layout import page_count
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


def index(events: list[Event]) -> list[Entry]:
    """Notices numbered by page (第1–2页), files by where the bundle keeps them."""
    entries: list[Entry] = []
    page = 1
    for e in events:
        for doc in e.documents:
            if "text" in doc:
                pages = page_count(doc["text"])
                ref = f"第{page}页" if pages == 1 else f"第{page}–{page + pages - 1}页"
                page += pages
            else:
                ref = "（未制作文本）"
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
