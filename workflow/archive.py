"""The archive bundle: one zip with everything the case file holds, verifiable offline.

Members: `manifest.json` (every other member with its SHA-256 and size, the case, the head
hash of its history), `index.json` / `index.txt` (卷宗目录), `history.jsonl` (every event with
its stored fields, so each hash can be recomputed), `notices/NNN_kind.txt` (+ `.pdf`),
`files/SHA256/NAME` (evidence and audio-visual records), `templates/SHA256.json` (the bundles
the notices were rendered from).

`verify_bundle` needs no database: it checks the manifest against the members, the hash chain
of the history, every recorded file and notice against the hashes the events hold, and renders
each notice again from the replayed history and its kept templates.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from workflow.casefile import file_member, index, notice_member
from workflow.events import Event, canonical, utc_now
from workflow.verify import check_chain

FORMAT = "zhifa-archive-v1"
MANIFEST = "manifest.json"
HISTORY = "history.jsonl"
_FIELDS = Event._fields


@dataclass(frozen=True)
class Exported:
    path: Path
    case: str
    head_hash: str
    members: int


def event_line(e: Event) -> str:
    """One history line: the event's stored fields, data and documents as their exact text."""
    return canonical(dict(zip(_FIELDS, e, strict=True)))


def _sha_of(handle: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


class _Writer:
    """Adds members to the zip and remembers their hashes for the manifest."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.members: list[dict[str, Any]] = []

    def text(self, name: str, text: str) -> None:
        self.data(name, text.encode())

    def data(self, name: str, data: bytes) -> None:
        self.zf.writestr(name, data)
        self.members.append({"path": name, "sha256": hashlib.sha256(data).hexdigest(),
                             "size": len(data)})  # fmt: skip

    def file(self, name: str, source: Path) -> None:
        self.zf.write(source, name)
        with source.open("rb") as handle:
            sha, size = _sha_of(handle)
        self.members.append({"path": name, "sha256": sha, "size": size})


def write_bundle(
    out: Path,
    case: dict[str, Any],
    events: list[Event],
    notice_pdf: Any,
    file_path: Any,
    bundles: dict[str, tuple[str, dict[str, str]]],
) -> Exported:
    """Write the bundle atomically (a temporary file renamed into place)."""
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        # the PDFs first: the index numbers pages as the bundled PDFs print them
        pdfs = {(e.seq, i): notice_pdf(doc) for e in events
                for i, doc in enumerate(e.documents) if "text" in doc}  # fmt: skip
        printed = {d["sha256"]: getattr(pdfs[(e.seq, i)], "pages", None) for e in events
                   for i, d in enumerate(e.documents) if (e.seq, i) in pdfs}  # fmt: skip
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            writer = _Writer(zf)
            entries = [e.as_dict() for e in index(events, _counter(printed))]
            writer.text("index.json", canonical(entries))
            writer.text("index.txt", _index_text(case, entries))
            writer.text(HISTORY, "".join(event_line(e) + "\n" for e in events))
            templates: set[str] = set()
            for e in events:
                for i, doc in enumerate(e.documents):
                    if "text" not in doc:
                        continue
                    writer.text(notice_member(e.seq, doc["kind"], "txt"), doc["text"])
                    pdf = pdfs[(e.seq, i)]
                    if pdf is not None:
                        writer.data(notice_member(e.seq, doc["kind"], "pdf"), pdf)
                    templates.add(doc["template_sha256"])
                for f in _files_of(e):
                    name = file_member(f)
                    if name not in {m["path"] for m in writer.members}:
                        writer.file(name, file_path(f["sha256"]))
            for sha in sorted(templates):
                name, sources = bundles[sha]
                writer.text(f"templates/{sha}.json", canonical({"name": name, "sources": sources}))
            manifest = {
                "format": FORMAT, "case": case["id"], "procedure": case["procedure"],
                "title": case["title"], "state": case["state"], "exported_at": utc_now(),
                "events": len(events), "head_hash": events[-1].hash if events else "",
                "members": writer.members,
            }  # fmt: skip
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        temp.replace(out)
    finally:
        temp.unlink(missing_ok=True)
    return Exported(out, case["id"], manifest["head_hash"], len(writer.members) + 1)


def _counter(printed: dict[str, int | None]) -> Any:
    """Pages as the bundled PDF has them; the built-in layout's count where none is bundled."""
    from workflow.casefile import printed_pages

    def pages(doc: Any) -> int | None:
        known = printed.get(doc.get("sha256", ""))
        return known if known is not None else printed_pages(doc)

    return pages


def _index_text(case: dict[str, Any], entries: list[dict[str, Any]]) -> str:
    lines = [f"卷宗目录 {case['id']} {case['title']}", ""]
    for e in entries:
        number = f" {e['number']}" if e["number"] else ""
        lines.append(f"{e['no']:>3}. {e['on']} {e['title']}{number}  {e['reference']}")
    return "\n".join(lines) + "\n"


def _files_of(e: Event) -> Iterator[dict[str, Any]]:
    if '"files"' not in e.data_json:
        return
    files = e.data.get("files")
    for f in files if isinstance(files, list) else []:
        if isinstance(f, dict) and "sha256" in f and "name" in f:
            yield f


# -- verify, offline -------------------------------------------------------------------------
def verify_bundle(path: Path) -> tuple[dict[str, Any], list[str]]:
    """(manifest, problems) for a bundle file; no database needed."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        return {}, [f"{path}: not a readable archive bundle ({exc})"]
    with zf:
        try:
            manifest = json.loads(zf.read(MANIFEST))
        except (KeyError, json.JSONDecodeError, UnicodeDecodeError):
            return {}, [f"{MANIFEST}: missing or not valid JSON"]
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            return {}, [f"{MANIFEST}: not a {FORMAT} manifest"]
        problems = _check_members(zf, manifest)
        events, history_problems = _read_history(zf)
        problems += history_problems
        if events:
            problems += _check_history(manifest, events)
            problems += _check_records(zf, events)
            problems += _check_notices(zf, manifest, events)
    return manifest, problems


def _check_members(zf: zipfile.ZipFile, manifest: dict[str, Any]) -> list[str]:
    problems = []
    listed: dict[str, dict[str, Any]] = {
        str(m.get("path")): m for m in manifest.get("members", []) if isinstance(m, dict)
    }
    present = {n for n in zf.namelist() if n != MANIFEST}
    for name in sorted(set(listed) - present):
        problems.append(f"{name}: listed in the manifest but missing from the bundle (removed)")
    for name in sorted(present - set(listed)):
        problems.append(f"{name}: in the bundle but not in the manifest (added)")
    for name in sorted(present & set(listed)):
        with zf.open(name) as handle:
            sha, size = _sha_of(handle)
        if sha != listed[name].get("sha256") or size != listed[name].get("size"):
            problems.append(f"{name}: content differs from the manifest (altered)")
    return problems


def _read_history(zf: zipfile.ZipFile) -> tuple[list[Event], list[str]]:
    try:
        text = zf.read(HISTORY).decode()
    except (KeyError, UnicodeDecodeError):
        return [], [f"{HISTORY}: missing or not UTF-8 text"]
    events, problems = [], []
    for no, line in enumerate(text.splitlines(), 1):
        try:
            raw = json.loads(line)
            events.append(Event(**{k: raw[k] for k in _FIELDS}))
        except (json.JSONDecodeError, KeyError, TypeError):
            problems.append(f"{HISTORY} line {no}: not a recorded event")
    return events, problems


def _check_history(manifest: dict[str, Any], events: list[Event]) -> list[str]:
    case_id = manifest.get("case", "")
    problems = [f"{HISTORY} #{p.seq}: {p.problem}" for p in check_chain(case_id, events)]
    if any(e.case_id != case_id for e in events):
        problems.append(f"{HISTORY}: holds events of another case than {case_id}")
    if events[-1].hash != manifest.get("head_hash") or len(events) != manifest.get("events"):
        problems.append(f"{HISTORY}: its last hash or length is not the manifest's head")
    return problems


def _member_sha(zf: zipfile.ZipFile, name: str) -> str | None:
    with suppress(KeyError), zf.open(name) as handle:
        return _sha_of(handle)[0]
    return None


def _check_records(zf: zipfile.ZipFile, events: list[Event]) -> list[str]:
    """Every file an event recorded is in the bundle with the hash the event holds."""
    problems = []
    for e in events:
        for f in _files_of(e):
            found = _member_sha(zf, file_member(f))
            if found is None:
                problems.append(f"{file_member(f)}: recorded by event #{e.seq} but missing")
            elif found != f["sha256"]:
                problems.append(f"{file_member(f)}: differs from the hash event #{e.seq} recorded")
    return problems


def _check_notices(zf: zipfile.ZipFile, manifest: dict[str, Any], events: list[Event]) -> list[str]:
    """Notice texts match their events, and render again from the kept templates."""
    from workflow.notices import NoticeChecker

    problems, bundles = [], {}
    for e in events:
        for doc in (d for d in e.documents if "text" in d):
            name = notice_member(e.seq, doc["kind"], "txt")
            found = _member_sha(zf, name)
            if found is None:
                problems.append(f"{name}: notice of event #{e.seq} missing")
            elif found != doc["sha256"]:
                problems.append(f"{name}: differs from the notice event #{e.seq} recorded")
            sha = doc.get("template_sha256", "")
            with suppress(KeyError, json.JSONDecodeError):
                kept = json.loads(zf.read(f"templates/{sha}.json"))
                bundles[sha] = (kept["name"], kept["sources"])
    checker = NoticeChecker(bundles)
    rendered = checker.check_case(manifest["case"], manifest.get("procedure", ""), events)
    return problems + [f"{HISTORY} #{p.seq}: {p.problem}" for p in rendered]
