"""`archive verify`: check a bundle offline, whatever it holds (see workflow/archive.py).

Safe on any input: only a regular file is opened (workflow/bundlefile.py); a member is read
only if the manifest lists it, and never decompressed past the size the manifest gives (nor,
for what is parsed in memory, past a fixed cap); every zip, zlib, JSON or type error becomes
a problem naming its member. Then, from the history alone: the chain and its head; the
replayed case against the manifest; the 卷宗目录 derived again; every notice, file, template
and PDF against what the events hold; every notice rendered again.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from workflow.archive import (
    CHECKPOINT_MEMBER,
    FORMAT,
    HISTORY,
    INDEX_JSON,
    INDEX_TEXT,
    MANIFEST,
    REGISTER_MEMBER,
    RENDITIONS,
    RENDITIONS_FORMAT,
    SIGNATURE,
    files_of,
    index_members,
    manifest_text,
    render_pdf,
)  # fmt: skip
from workflow.bundlefile import MemberError, Members, open_zip, unsafe_name
from workflow.casefile import file_member, notice_member
from workflow.events import Event

MIB = 1 << 20
#: a member up to this size is hashed even when its size differs from the manifest's
SMALL = 16 * MIB
#: what is parsed in memory is capped besides the manifest's size
CAPS = {MANIFEST: 16 * MIB, HISTORY: 64 * MIB, INDEX_JSON: 16 * MIB, INDEX_TEXT: 16 * MIB,
        RENDITIONS: 16 * MIB, "templates/": 4 * MIB, SIGNATURE: 64 * 1024,
        REGISTER_MEMBER: 16 * MIB, CHECKPOINT_MEMBER: 1 * MIB}  # fmt: skip
#: members a bundle holds outside its manifest: the manifest and the exporter's signature of it
UNLISTED = {MANIFEST, SIGNATURE}
SHA256 = re.compile(r"^[0-9a-f]{64}$")
KIND = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_TEXT_FIELDS = tuple(f for f in Event._fields if f != "seq")


@dataclass
class BundleReport:
    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    #: what could not be checked here, and why (not a problem: e.g. another PDF renderer)
    notes: list[str] = field(default_factory=list)
    #: who opened the register the bundle carries, with which key, and whether that key was
    #: checked against one the auditor trusts (`--trust-key`): every signature rests on it
    trust_root: dict[str, Any] = field(default_factory=dict)


def check_bundle(path: Any, render: bool = True, trust: str | None = None) -> BundleReport:
    """Every problem of the bundle at `path` (a regular zip file), none raised. `trust`: the
    id of the key that must have opened the office's register (the auditor's trust root)."""
    try:
        with open_zip(path) as zf:
            check = _Check(Members(zf), render, trust)
            check.run()
            return check.report
    except MemberError as exc:
        return BundleReport({}, [str(exc)])


def _typed(value: Any, kind: type) -> bool:
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


# -- the history, line by line, every type checked ------------------------------------------
def parse_event(line: str) -> Event:
    """One history line as an Event, or ValueError saying what is wrong with it."""
    raw = json.loads(line)
    if not isinstance(raw, dict):
        raise ValueError("不是 JSON 对象 not a JSON object")
    missing = [k for k in Event._fields if k not in raw]
    extra = sorted(set(raw) - set(Event._fields))
    if missing or extra:
        raise ValueError(f"缺少或多余的键 missing {missing} / unknown {extra}")
    wrong = [k for k in _TEXT_FIELDS if not _typed(raw[k], str)]
    if not _typed(raw["seq"], int) or not 1 <= raw["seq"] < 2**31:
        wrong.insert(0, "seq")
    if wrong:
        raise ValueError(f"类型错误 wrong type of {', '.join(wrong)}")
    for k in _TEXT_FIELDS:
        raw[k].encode()  # a lone surrogate cannot be hashed: UnicodeEncodeError (a ValueError)
    event = Event(**{k: raw[k] for k in Event._fields})
    _check_data(json.loads(event.data_json))
    _check_documents(json.loads(event.documents_json))
    return event


def _check_data(data: Any) -> None:
    if not isinstance(data, dict):
        raise ValueError("data_json 不是对象 is not a JSON object")
    files = data.get("files")
    if files is None:
        return
    if not isinstance(files, list):
        raise ValueError("files 不是列表 is not a list")
    for f in files:
        ok = (isinstance(f, dict) and _typed(f.get("name"), str) and _typed(f.get("size"), int)
              and isinstance(f.get("sha256"), str) and SHA256.match(f["sha256"]) is not None)  # fmt: skip
        if not ok:
            raise ValueError(f"文件记录有误 bad file record {f!r:.80}")


def _check_documents(documents: Any) -> None:
    if not isinstance(documents, list):
        raise ValueError("documents_json 不是列表 is not a JSON list")
    for doc in documents:
        if not isinstance(doc, dict) or not _typed(doc.get("kind"), str):
            raise ValueError("文书记录有误 a notice record is not an object with a kind")
        if not KIND.match(doc["kind"]) or not _typed(doc.get("title"), str):
            raise ValueError(f"文书记录有误 bad notice kind or title {doc.get('kind')!r:.40}")
        texts = ("number", "text", "sha256", "template", "template_sha256")
        if any(k in doc and not _typed(doc[k], str) for k in texts):
            raise ValueError(f"文书记录类型错误 wrong types in notice {doc['kind']}")
        if "text" in doc and not all(k in doc for k in ("sha256", "template_sha256", "number")):
            raise ValueError(f"文书记录缺少哈希 notice {doc['kind']} lacks its hashes")
        if "inputs" in doc and not isinstance(doc["inputs"], dict):
            raise ValueError(f"文书记录类型错误 notice {doc['kind']}: inputs is not an object")


def read_history(text: str) -> tuple[list[Event], list[str]]:
    events, problems = [], []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for no, line in enumerate(lines, 1):
        try:
            events.append(parse_event(line))
        except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeError are ValueErrors
            problems.append(f"{HISTORY} line {no}: 不是有效的办案记录 not a recorded event ({exc})")
    return events, problems


def _manifest_problems(manifest: Any) -> list[str]:
    if not isinstance(manifest, dict):
        return [f"{MANIFEST}: 不是 JSON 对象 not a JSON object"]
    if manifest.get("format") != FORMAT:
        found = manifest.get("format")
        return [f"{MANIFEST}: 不是 {FORMAT} 清单 not a {FORMAT} manifest (format {found!r:.40}); "
                "older bundles: export the case again"]  # fmt: skip
    types = {"case": str, "procedure": str, "title": str, "state": str, "exported_at": str,
             "events": int, "head_hash": str, "members": list}  # fmt: skip
    wrong = [k for k, t in types.items() if not _typed(manifest.get(k), t)]
    if wrong:
        return [f"{MANIFEST}: 缺少或类型错误的键 missing or wrong keys: {', '.join(wrong)}"]
    return []


def _listed(members: Any) -> tuple[dict[str, tuple[str, int]], list[str]]:
    """The manifest's member list: path -> (sha256, size), and what is wrong with it."""
    listed: dict[str, tuple[str, int]] = {}
    problems = []
    for i, m in enumerate(members):
        ok = (isinstance(m, dict) and set(m) == {"path", "sha256", "size"}
              and _typed(m["path"], str) and isinstance(m["sha256"], str)
              and SHA256.match(m["sha256"]) is not None and _typed(m["size"], int)
              and m["size"] >= 0)  # fmt: skip
        if not ok:
            problems.append(
                f"{MANIFEST}: 第 {i + 1} 项成员记录有误 member entry {i + 1} is malformed"
            )
        elif m["path"] in listed or m["path"] in UNLISTED:
            problems.append(f"{m['path']}: 在清单中重复 listed twice in the manifest")
        else:
            listed[m["path"]] = (m["sha256"], m["size"])
    return listed, problems


# -- the check ------------------------------------------------------------------------------
class _Check:
    def __init__(self, members: Members, render: bool, trust: str | None = None) -> None:
        self.members = members
        self.render = render
        self.trust = trust
        self.report = BundleReport({})
        self.listed: dict[str, tuple[str, int]] = {}
        self.hashes: dict[str, str] = {}  # member -> the SHA-256 its bytes have
        self.events: list[Event] = []
        self.title = ""  # the case's title, as the history gives it
        self.manifest_data = b""
        self.register: Any = None  # the office's register history, as the bundle carries it

    @property
    def problems(self) -> list[str]:
        return self.report.problems

    def stage(self, name: str, check: Callable[[], None]) -> None:
        """Run one check; anything it did not foresee is a problem naming where, not a crash."""
        try:
            check()
        except MemberError as exc:
            self.problems.append(str(exc))
        except Exception as exc:  # noqa: BLE001 - hostile input must never crash the verifier
            self.problems.append(
                f"{name}: 无法校验 cannot be checked ({type(exc).__name__}: {exc})"
            )

    def run(self) -> None:
        self.stage("zip", self.names)
        self.stage(MANIFEST, self.manifest)
        if not self.report.manifest:
            return
        self.stage("members", self.contents)
        self.stage(HISTORY, self.history)
        if not self.events:
            return
        self.stage(HISTORY, self.chain)
        from workflow.archive_signatures import check_checkpoint, check_exporter, check_signatures

        self.stage(REGISTER_MEMBER, lambda: check_signatures(self))
        self.stage(SIGNATURE, lambda: check_exporter(self))
        self.stage(CHECKPOINT_MEMBER, lambda: check_checkpoint(self))
        self.stage(INDEX_JSON, self.index)
        self.stage("files/", self.records)
        self.stage("notices/", self.notices)
        self.stage("members", self.expected)
        self.stage(RENDITIONS, self.renditions)

    def names(self) -> None:
        for name, count in sorted(Counter(self.members.names).items()):
            if count > 1:
                self.problems.append(f"{name}: 成员名重复 appears {count} times in the bundle")
            why = unsafe_name(name)
            if why:
                self.problems.append(f"{name!r}: 成员名不安全 unsafe member name: {why}")

    def manifest(self) -> None:
        if MANIFEST not in self.members.info:
            self.problems.append(f"{MANIFEST}: 缺失 missing")
            return
        data = self.members.read(MANIFEST, CAPS[MANIFEST])
        try:
            manifest = json.loads(data.decode())
        except (ValueError, RecursionError) as exc:
            self.problems.append(f"{MANIFEST}: 不是有效的 JSON not valid JSON ({exc})")
            return
        wrong = _manifest_problems(manifest)
        if wrong:
            self.problems.extend(wrong)
            return
        if data != manifest_text(manifest):
            self.problems.append(f"{MANIFEST}: 不是规范格式 not in canonical form (sorted keys, no "
                                 "spaces): a signature could not cover it")  # fmt: skip
        self.listed, problems = _listed(manifest["members"])
        self.problems.extend(problems)
        self.report.manifest = manifest
        self.manifest_data = data

    def contents(self) -> None:
        """Every member listed and present, with the listed size and hash; nothing else."""
        present = set(self.members.names) - UNLISTED
        for name in sorted(set(self.listed) - present):
            self.problems.append(
                f"{name}: 清单所列成员缺失 listed in the manifest but missing from the bundle (removed)"
            )
        for name in sorted(present - set(self.listed)):
            self.problems.append(f"{name}: 清单未列的成员 in the bundle but not in the manifest (added)")
        for name in sorted(present & set(self.listed)):
            sha, size = self.listed[name]
            actual = self.members.info[name].file_size
            if actual != size and actual > SMALL:
                self.problems.append(f"{name}: 内容与清单不符 content differs from the manifest (altered): "
                                     f"{actual:,} bytes, listed {size:,}; not read")  # fmt: skip
                continue
            try:  # a small member is read even if altered, so that later checks can say how
                found, found_size = self.members.sha256(
                    name, max(size, SMALL) if actual <= SMALL else size
                )
            except MemberError as exc:
                self.problems.append(str(exc))
                continue
            self.hashes[name] = found
            if (found, found_size) != (sha, size):
                self.problems.append(f"{name}: 内容与清单不符 content differs from the manifest (altered)")

    def read(self, name: str, cap: int) -> bytes | None:
        """A listed member's bytes (at most its listed size and `cap`), or None if unusable."""
        if name not in self.listed or name not in self.members.info:
            return None
        size = self.members.info[name].file_size
        if max(size, self.listed[name][1]) > cap:
            self.problems.append(
                f"{name}: 超过 {cap:,} 字节上限 larger than {cap:,} bytes; not read"
            )
            return None
        return self.members.read(name, cap)

    def history(self) -> None:
        data = self.read(HISTORY, CAPS[HISTORY])
        if data is None:
            if HISTORY not in self.listed:
                self.problems.append(f"{HISTORY}: 缺失 missing from the manifest")
            return
        try:
            text = data.decode()
        except UnicodeDecodeError:
            self.problems.append(f"{HISTORY}: 不是 UTF-8 文本 not UTF-8 text")
            return
        events, problems = read_history(text)
        self.problems.extend(problems)
        self.events = [] if problems else events

    def chain(self) -> None:
        from workflow.verify import check_chain, replay_events

        manifest, events = self.report.manifest, self.events
        case_id = manifest["case"]
        self.problems.extend(
            f"{HISTORY} #{p.seq}: {p.problem}" for p in check_chain(case_id, events)
        )
        if any(e.case_id != case_id for e in events):
            self.problems.append(f"{HISTORY}: 含他案记录 holds events of another case than {case_id}")
        if events[-1].hash != manifest["head_hash"] or len(events) != manifest["events"]:
            self.problems.append(f"{HISTORY}: 末条哈希或条数与清单不符 its last hash or length is not the manifest's head")
        recorded = events[0].data.get("procedure") if events else None
        if recorded != manifest["procedure"]:
            self.problems.append(f"{MANIFEST}: procedure {manifest['procedure']!r:.30} 与办案记录不符 "
                                 f"is not the one the opening event records ({recorded!r:.30})")  # fmt: skip
        case, replay_problems = replay_events(case_id, manifest["procedure"], events)
        self.problems.extend(f"{HISTORY} #{p.seq}: {p.problem}" for p in replay_problems)
        for key in ("title", "state"):
            if manifest[key] != getattr(case, key):
                self.problems.append(f"{MANIFEST}: {key} {manifest[key]!r:.60} 与办案记录不符 is "
                                     f"not what the history gives ({getattr(case, key)!r:.60})")  # fmt: skip
        self.title = case.title

    def _pages(self) -> dict[tuple[int, str], int]:
        """The page count of each bundled PDF as renditions.json records it (the PDFs and
        their binding are checked in their own stage)."""
        data = self.read(RENDITIONS, CAPS[RENDITIONS]) if RENDITIONS in self.listed else None
        try:
            entries = json.loads(data.decode()).get("pdfs", []) if data else []
        except (ValueError, AttributeError, RecursionError):
            return {}
        return {(e["seq"], e["kind"]): e["pages"] for e in entries if isinstance(e, dict)
                and _typed(e.get("seq"), int) and _typed(e.get("pages"), int)}  # fmt: skip

    def index(self) -> None:
        """The 卷宗目录 must be exactly what the history (and the bundled PDFs' pages) give."""
        derived = index_members(self.report.manifest["case"], self.title, self.events,
                                self._pages())  # fmt: skip
        for name, text in derived.items():
            data = self.read(name, CAPS[name])
            if data is None:
                if name not in self.listed:
                    self.problems.append(f"{name}: 缺失 missing (卷宗目录)")
            elif data != text.encode():
                self.problems.append(f"{name}: 卷宗目录与办案记录不符 differs from the index the "
                                     "history gives (replaced?)")  # fmt: skip

    def records(self) -> None:
        """Every file an event recorded is in the bundle with the hash the event holds."""
        for e in self.events:
            for f in files_of(e):
                name = file_member(f)
                found = self.hashes.get(name)
                if name not in self.members.info:
                    self.problems.append(f"{name}: 事件 #{e.seq} 记录的文件缺失 recorded by event #{e.seq} but missing")
                elif found is not None and found != f["sha256"]:
                    self.problems.append(f"{name}: 与事件 #{e.seq} 记录的哈希不符 differs from the hash event #{e.seq} recorded")

    def notices(self) -> None:
        """Notice texts match their events, and render again from the kept templates."""
        from workflow.notices import NoticeChecker

        bundles: dict[str, tuple[str, dict[str, str]]] = {}
        for e in self.events:
            for doc in (d for d in e.documents if "text" in d):
                name = notice_member(e.seq, doc["kind"], "txt")
                if name not in self.members.info:
                    self.problems.append(f"{name}: 事件 #{e.seq} 的文书缺失 notice of event #{e.seq} missing")
                elif self.hashes.get(name, doc["sha256"]) != doc["sha256"]:
                    self.problems.append(f"{name}: 与事件 #{e.seq} 记录的文书不符 differs from the notice event #{e.seq} recorded")
                sha = doc["template_sha256"]
                if sha not in bundles:
                    kept = self._template(sha)
                    if kept is not None:
                        bundles[sha] = kept
        manifest = self.report.manifest
        checker = NoticeChecker(bundles)
        rendered = checker.check_case(manifest["case"], manifest["procedure"], self.events)
        self.problems.extend(f"{HISTORY} #{p.seq}: {p.problem}" for p in rendered)

    def _template(self, sha: str) -> tuple[str, dict[str, str]] | None:
        name = f"templates/{sha}.json"
        data = self.read(name, CAPS["templates/"]) if SHA256.match(sha) else None
        if data is None:
            return None
        try:
            kept = json.loads(data.decode())
        except (ValueError, RecursionError):
            self.problems.append(f"{name}: 不是有效的 JSON not valid JSON")
            return None
        sources = kept.get("sources") if isinstance(kept, dict) else None
        if not (isinstance(sources, dict) and _typed(kept.get("name"), str)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in sources.items())):  # fmt: skip
            self.problems.append(f"{name}: 模板包格式有误 not a template bundle {{name, sources}}")
            return None
        return kept["name"], sources

    def expected(self) -> None:
        """Every listed member is part of this case file: nothing rides along unbound."""
        wanted = {HISTORY, INDEX_JSON, INDEX_TEXT, RENDITIONS, REGISTER_MEMBER, CHECKPOINT_MEMBER}
        for e in self.events:
            for doc in (d for d in e.documents if "text" in d):
                wanted.add(notice_member(e.seq, doc["kind"], "txt"))
                wanted.add(notice_member(e.seq, doc["kind"], "pdf"))
                wanted.add(f"templates/{doc['template_sha256']}.json")
            wanted.update(file_member(f) for f in files_of(e))
        for name in sorted(set(self.listed) - wanted):
            self.problems.append(
                f"{name}: 不属于本案卷宗 not part of this case file (unexpected member)"
            )

    def renditions(self) -> None:
        pdfs = sorted(n for n in self.listed if n.startswith("notices/") and n.endswith(".pdf"))
        if not pdfs:
            return
        data = self.read(RENDITIONS, CAPS[RENDITIONS])
        if data is None:
            self.problems.extend(f"{n}: 未与文书绑定 not bound to its notice ({RENDITIONS} missing)"
                                 for n in pdfs)  # fmt: skip
            return
        doc = json.loads(data.decode())
        if not (isinstance(doc, dict) and doc.get("format") == RENDITIONS_FORMAT
                and isinstance(doc.get("pdfs"), list) and _typed(doc.get("page"), str)
                and isinstance(doc.get("renderer"), dict)):  # fmt: skip
            self.problems.append(f"{RENDITIONS}: 格式有误 not a {RENDITIONS_FORMAT} document")
            return
        bound = self._bind_pdfs(doc["pdfs"])
        for name in pdfs:
            if name not in bound:
                self.problems.append(f"{name}: 未与文书绑定 not bound to a notice in {RENDITIONS}")
        if self.render and bound:
            self._render_again(doc, bound)

    def _bind_pdfs(self, entries: list[Any]) -> dict[str, dict[str, Any]]:
        """member -> the recorded notice it shows, for every well-formed, consistent entry."""
        notices = {(e.seq, d["kind"]): d for e in self.events for d in e.documents if "text" in d}
        bound: dict[str, dict[str, Any]] = {}
        for i, entry in enumerate(entries):
            doc = None
            if isinstance(entry, dict) and _typed(entry.get("seq"), int):
                doc = notices.get((entry["seq"], entry.get("kind")))
            if doc is None or not isinstance(entry, dict):
                self.problems.append(f"{RENDITIONS}: 第 {i + 1} 项不对应任何文书 entry {i + 1} "
                                     "names no recorded notice")  # fmt: skip
                continue
            member = notice_member(entry["seq"], entry["kind"], "pdf")
            listed = self.listed.get(member)
            same = (entry.get("member") == member and entry.get("text_sha256") == doc["sha256"]
                    and listed is not None and entry.get("pdf_sha256") == listed[0]
                    and entry.get("size") == listed[1] and member not in bound)  # fmt: skip
            if not same:
                self.problems.append(f"{member}: 与事件 #{entry['seq']} 的文书绑定不一致 its "
                                     f"binding to the notice of event #{entry['seq']} is inconsistent")  # fmt: skip
                continue
            bound[member] = {**doc, "seq": entry["seq"]}
        return bound

    def _render_again(self, doc: Mapping[str, Any], bound: dict[str, dict[str, Any]]) -> None:
        """Make each PDF again from its recorded text; it must be the same bytes."""
        from documents.pdf import cjk_fonts, renderer
        from documents.render import Templates

        why = ""
        if doc["page"] != Templates().page_source():
            why = "它们以本机关自定义的版式制作 they were made with the office's own print layout"
        elif not cjk_fonts():
            why = "本机没有中文字体 no CJK font here"
        elif doc["renderer"] != renderer():
            why = (f"本机的 PDF 渲染环境不同 another renderer here (made with {doc['renderer']}, "
                   f"here {renderer()})")  # fmt: skip
        if why:
            self.report.notes.append(
                f"PDF 未重新生成比对 PDFs not made again: {why}; each is bound to its notice "
                f"by {RENDITIONS} and the manifest only")  # fmt: skip
            return
        import hashlib

        for member, notice in sorted(bound.items()):
            if member not in self.hashes:
                continue
            again = hashlib.sha256(render_pdf(doc["page"], notice)).hexdigest()
            if again != self.hashes[member]:
                self.problems.append(
                    f"{member}: 与事件 #{notice['seq']} 所记录的文书不符 does not show the notice "
                    f"event #{notice['seq']} recorded (made again from the recorded text, it differs)"
                )

