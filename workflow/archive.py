"""The archive bundle: one zip with everything the case file holds, verifiable offline.

Members, by what binds them (what `archive verify` checks, see workflow/archive_verify.py):

* **the history** `history.jsonl` — every event with its stored fields; each hash is
  recomputed and the chain must end at the manifest's head hash (compare it with `zhifa case
  show` or, later, a checkpoint);
* **derived from the history** — `index.json` / `index.txt` (卷宗目录) are derived again from
  the history and must be byte-identical; `notices/NNN_kind.txt` and `files/SHA256/NAME` must
  have the hashes the events hold; `templates/SHA256.json` must hash to the name the events
  cite, and every notice is rendered again from them;
* **renditions made at export** — `notices/NNN_kind.pdf` are not in the history (a PDF is made
  from the recorded text when the bundle is written). `renditions.json` binds each PDF to its
  notice (seq, kind, the text's hash) and keeps the print layout and the renderer it was made
  with; the verifier makes each PDF again from the recorded text when it has the same renderer
  and the built-in layout, and compares the bytes;
* **the manifest** `manifest.json` — every other member with its SHA-256 and size (the size
  caps what the verifier decompresses), the case, its procedure, title and state, the number
  of events and the head hash. It is written as canonical JSON (sorted keys, no spaces), and
  the verifier refuses any other spelling of it, so its bytes are one exact text that the
  exporting officer's signature covers: `manifest.sig` (the signer, the algorithm, the public
  key and the signature), checked against the public key it carries and, for trust, against
  the office's register history carried in `register.jsonl` (the signer's key registered
  for them on the export's date; every event's signature is checked against it too);
* **the checkpoint** `checkpoint.json` (when exported with one) — the office checkpoint's
  signed statement, this case's leaf and its audit path (RFC 6962): the verifier proves the
  leaf is in the signed tree and that it is an event of the bundled history.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from workflow.casefile import file_member, index, notice_member
from workflow.errors import BadInputError
from workflow.events import Event, canonical, utc_now
from workflow.files import private_file, sweep_leftovers, temp_name

FORMAT = "zhifa-archive-v2"
MANIFEST = "manifest.json"
HISTORY = "history.jsonl"
INDEX_JSON = "index.json"
INDEX_TEXT = "index.txt"
RENDITIONS = "renditions.json"
RENDITIONS_FORMAT = "zhifa-renditions-v1"
REGISTER_MEMBER = "register.jsonl"
CHECKPOINT_MEMBER = "checkpoint.json"
SIGNATURE = "manifest.sig"
SIGNATURE_FORMAT = "zhifa-manifest-signature-v1"
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


def manifest_text(manifest: dict[str, Any]) -> bytes:
    """The manifest's one spelling (canonical JSON): what the exporter's signature covers."""
    return canonical(manifest).encode()


def manifest_signed_text(data: bytes) -> bytes:
    return b"zhifa-manifest-v1|" + data


@dataclass(frozen=True)
class Extras:
    """What binds a bundle to the office: its register history, the exporter's key, and the
    checkpoint's proof for this case (workflow/checkpoint.py `inclusion`), if given."""

    register: list[Event]
    key: Any  # workflow.keys.SigningKey
    signer: str
    checkpoint: dict[str, Any] | None = None


def index_text(case_id: str, title: str, entries: list[dict[str, Any]]) -> str:
    """卷宗目录 as plain text, from the index entries."""
    lines = [f"卷宗目录 {case_id} {title}", ""]
    for e in entries:
        number = f" {e['number']}" if e["number"] else ""
        lines.append(f"{e['no']:>3}. {e['on']} {e['title']}{number}  {e['reference']}")
    return "\n".join(lines) + "\n"


def index_members(
    case_id: str, title: str, events: list[Event], pages: dict[tuple[int, str], int] | None = None
) -> dict[str, str]:
    """The 卷宗目录 members as the history and the bundled PDFs determine them: each notice
    numbered by the pages its bundled PDF has ((seq, kind) -> pages); without PDFs, not
    counted. The verifier derives them again from the same two."""
    counts = pages or {}
    seqs = {d.get("sha256"): (e.seq, d["kind"]) for e in events for d in e.documents}

    def count(doc: Any) -> int | None:
        return counts.get(seqs.get(doc.get("sha256"), (0, "")))

    entries = [e.as_dict() for e in index(events, count)]
    return {INDEX_JSON: canonical(entries), INDEX_TEXT: index_text(case_id, title, entries)}


@dataclass
class Renditions:
    """How an export makes notice PDFs: the print layout, the renderer, and what it made."""

    page_source: str
    renderer: dict[str, str]
    made: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, desk: Any) -> Renditions:
        from documents.pdf import renderer

        return cls(desk.templates.page_source(), renderer())

    def pdf(self, doc: dict[str, Any]) -> bytes:
        return render_pdf(self.page_source, doc)

    def record(self, e: Event, doc: dict[str, Any], member: str, pdf: bytes) -> None:
        self.made.append({"member": member, "notice": notice_member(e.seq, doc["kind"], "txt"),
                          "seq": e.seq, "kind": doc["kind"], "text_sha256": doc["sha256"],
                          "pdf_sha256": hashlib.sha256(pdf).hexdigest(), "size": len(pdf),
                          "pages": getattr(pdf, "pages", None)})  # fmt: skip

    def document(self) -> str:
        return canonical({"format": RENDITIONS_FORMAT, "renderer": self.renderer,
                          "page": self.page_source, "pdfs": self.made})  # fmt: skip


def render_pdf(page_source: str, doc: dict[str, Any]) -> bytes:
    """A notice's PDF from its recorded text and a print layout (its source)."""
    from documents.layout import to_html
    from documents.pdf import FontMissingError, html_to_pdf
    from documents.render import page_from_source

    try:
        return html_to_pdf(to_html(doc, page_from_source(page_source)))
    except FontMissingError as exc:
        raise BadInputError(f"未生成 PDF not produced: {exc}") from None


class _Writer:
    """Adds members to the zip and remembers their hashes for the manifest."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.members: list[dict[str, Any]] = []
        self.names: set[str] = set()

    def text(self, name: str, text: str) -> None:
        self.data(name, text.encode())

    def data(self, name: str, data: bytes) -> None:
        self.zf.writestr(name, data)
        self._add(name, hashlib.sha256(data).hexdigest(), len(data))

    def file(self, name: str, source: Path) -> None:
        self.zf.write(source, name)
        with source.open("rb") as handle:
            sha, size = _sha_of(handle)
        self._add(name, sha, size)

    def _add(self, name: str, sha: str, size: int) -> None:
        self.members.append({"path": name, "sha256": sha, "size": size})
        self.names.add(name)


def _sha_of(handle: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(1 << 20):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def write_bundle(
    out: Path,
    case: dict[str, Any],
    events: list[Event],
    renditions: Renditions | None,
    file_path: Callable[[str], Path],
    bundles: dict[str, tuple[str, dict[str, str]]],
    extras: Extras,
) -> Exported:
    """Write the bundle atomically and owner-only: a 0600 temporary file, fsynced, renamed into
    place. What a killed export left beside `out` is swept first."""
    sweep_leftovers(out.parent, out.name)
    temp = temp_name(out)
    try:
        with private_file(temp) as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                manifest = _write_members(zf, case, events, renditions, file_path, bundles,
                                          extras)  # fmt: skip
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(out)
    finally:
        temp.unlink(missing_ok=True)
    return Exported(out, case["id"], manifest["head_hash"], len(manifest["members"]) + 2)


def _write_members(
    zf: zipfile.ZipFile,
    case: dict[str, Any],
    events: list[Event],
    renditions: Renditions | None,
    file_path: Callable[[str], Path],
    bundles: dict[str, tuple[str, dict[str, str]]],
    extras: Extras,
) -> dict[str, Any]:
    writer = _Writer(zf)
    # the PDFs first: the index numbers each notice's pages as its bundled PDF prints them
    pdfs = {(e.seq, d["kind"]): renditions.pdf(d) for e in events for d in e.documents
            if "text" in d and renditions is not None}  # fmt: skip
    pages = {key: int(getattr(pdf, "pages", 0)) for key, pdf in pdfs.items()}
    for name, text in index_members(case["id"], case["title"], events, pages).items():
        writer.text(name, text)
    writer.text(HISTORY, "".join(event_line(e) + "\n" for e in events))
    templates: set[str] = set()
    for e in events:
        for doc in (d for d in e.documents if "text" in d):
            writer.text(notice_member(e.seq, doc["kind"], "txt"), doc["text"])
            if renditions is not None:
                pdf, member = pdfs[(e.seq, doc["kind"])], notice_member(e.seq, doc["kind"], "pdf")
                writer.data(member, pdf)
                renditions.record(e, doc, member, pdf)
            templates.add(doc["template_sha256"])
        for f in files_of(e):
            if file_member(f) not in writer.names:
                writer.file(file_member(f), file_path(f["sha256"]))
    for sha in sorted(templates):
        name, sources = bundles[sha]
        writer.text(f"templates/{sha}.json", canonical({"name": name, "sources": sources}))
    if renditions is not None and renditions.made:
        writer.text(RENDITIONS, renditions.document())
    writer.text(REGISTER_MEMBER, "".join(event_line(e) + "\n" for e in extras.register))
    if extras.checkpoint is not None:
        writer.text(CHECKPOINT_MEMBER, canonical(extras.checkpoint))
    manifest = {
        "format": FORMAT, "case": case["id"], "procedure": case["procedure"],
        "title": case["title"], "state": case["state"], "exported_at": utc_now(),
        "events": len(events), "head_hash": events[-1].hash if events else "",
        "members": writer.members,
    }  # fmt: skip
    signed = manifest_text(manifest)
    zf.writestr(MANIFEST, signed)
    key = extras.key
    zf.writestr(SIGNATURE, canonical({
        "format": SIGNATURE_FORMAT, "signer": extras.signer, "alg": key.alg, "key": key.id,
        "public_key": key.info.public_key, "signature": key.sign(manifest_signed_text(signed)),
    }))  # fmt: skip
    return manifest


def files_of(e: Event) -> Iterator[dict[str, Any]]:
    """The stored-file records an event holds (evidence, audio-visual records)."""
    if '"files"' not in e.data_json:
        return
    files = e.data.get("files")
    for f in files if isinstance(files, list) else []:
        if isinstance(f, dict) and "sha256" in f and "name" in f:
            yield f


def verify_bundle(path: Path, render: bool = True) -> tuple[dict[str, Any], list[str]]:
    """(manifest, problems) for a bundle file; no database needed (see archive_verify)."""
    from workflow.archive_verify import check_bundle

    report = check_bundle(path, render=render)
    return report.manifest, report.problems
