"""The case file (卷宗): its index, the archive bundle verified offline, tampering of each
kind found, and the archived case read-only."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import shutil
import struct
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import app
from documents.pdf import cjk_fonts
from tests.conftest import TODAY, make_office, run_steps
from workflow.archive import MANIFEST, SIGNATURE, manifest_text, verify_bundle
from workflow.archive_verify import check_bundle
from workflow.config import Settings
from workflow.errors import BadInputError, RefusedError
from workflow.events import Event, canonical, event_hash, genesis_hash
from workflow.files import FileStore
from workflow.keys import Keyring
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office
from workflow.store import Store


def require_cjk() -> None:
    if not cjk_fonts():
        if os.environ.get("ZHIFA_REQUIRE_CJK") == "1":
            pytest.fail("ZHIFA_REQUIRE_CJK=1 but no CJK font is installed")
        pytest.skip("needs a CJK font (apt-get install fonts-noto-cjk)")


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Office, str, Path]]:
    """A heard penalty case with a scanned document and the hearing's video, archived."""
    folder = tmp_path_factory.mktemp("archive")
    office = make_office(f"sqlite:///{folder}/office.db", files=folder / "files",
                         keyring=Keyring(folder / "keys"))  # fmt: skip
    case = run_steps(office, PENALTY_WITH_HEARING, until="draft_decision")
    scan = folder / "凭证.pdf"
    scan.write_bytes(b"%PDF scanned voucher" * 500)
    office.act_with_files(case.id, "add_evidence", "王明", [str(scan)],
                          {"type": "documentary", "title": "拨付凭证扫描件"}, date(2026, 3, 6))  # fmt: skip
    steps = PENALTY_WITH_HEARING.steps
    start = next(i for i, s in enumerate(steps) if s.action == "draft_decision")
    for step in steps[start:]:
        office.do(case.id, step.action, step.actor, step.data, step.on)
        if step.action == "conclude_hearing":
            video = folder / "听证.mp4"
            video.write_bytes(b"\x00\x00\x00\x18ftypmp42" * 4000)
            seq = office.case(case.id).version
            office.act_with_files(case.id, "record_av", "周平", [str(video)], {"for_seq": seq},
                                  step.on)  # fmt: skip
    bundle = office.export_archive(case.id, folder / "bundle.zip", pdf=bool(cjk_fonts()),
                                   by="王明").path  # fmt: skip
    yield office, case.id, bundle
    office.store.dispose()


def test_case_file_index_lists_every_notice_and_record_in_order(
    archived: tuple[Office, str, Path],
) -> None:
    office, case_id, _ = archived
    entries = office.case_file(case_id)
    assert [e["no"] for e in entries] == list(range(1, len(entries) + 1))
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    notices = [e for e in entries if e["kind"] == "notice"]
    assert [n["number"] for n in notices] == [n["number"] for n in office.notices(case_id)]
    assert notices[0]["reference"].startswith("第1")
    pages = [n["reference"] for n in notices]
    assert all(p.startswith("第") and p.endswith("页") for p in pages)
    scan = next(e for e in entries if e["title"].startswith("拨付凭证扫描件"))
    assert scan["reference"].startswith(f"files/{scan['sha256']}/凭证.pdf")
    assert any(e["kind"] == "av" for e in entries)


def test_the_bundle_holds_the_whole_case_file_and_verifies(
    archived: tuple[Office, str, Path],
) -> None:
    office, case_id, bundle = archived
    manifest, problems = verify_bundle(bundle)
    assert problems == []
    assert manifest["case"] == case_id
    assert manifest["head_hash"] == office.case(case_id).last_hash
    names = set(zipfile.ZipFile(bundle).namelist())
    assert {"manifest.json", "index.json", "index.txt", "history.jsonl"} <= names
    # every notice of the path: 立案审批表 … 催告书, 强制执行申请书, 结案报告, 卷宗目录
    recorded = office.notices(case_id)
    assert len(recorded) == 10
    assert sum(n.startswith("notices/") and n.endswith(".txt") for n in names) == len(recorded)
    if cjk_fonts():
        assert sum(n.endswith(".pdf") and n.startswith("notices/") for n in names) == len(recorded)
    assert sum(n.startswith("files/") for n in names) == 2
    assert sum(n.startswith("templates/") for n in names) == len({n["kind"] for n in recorded})
    history = zipfile.ZipFile(bundle).read("history.jsonl").decode().splitlines()
    assert len(history) == office.case(case_id).version


def test_the_bundle_index_numbers_pages_as_its_pdfs_print(
    archived: tuple[Office, str, Path],
) -> None:
    """卷宗目录 page numbers are the bundled PDFs' own pages, one after another."""
    import io

    from pypdf import PdfReader

    _, _, bundle = archived
    if not cjk_fonts():
        pytest.skip("no CJK font: the bundle holds no PDF")
    zf = zipfile.ZipFile(bundle)
    entries = [e for e in json.loads(zf.read("index.json")) if e["kind"] == "notice"]
    pdfs = sorted(n for n in zf.namelist() if n.startswith("notices/") and n.endswith(".pdf"))
    page = 1
    for entry, member in zip(entries, pdfs, strict=True):
        count = len(PdfReader(io.BytesIO(zf.read(member))).pages)
        last = page + count - 1
        assert entry["reference"] == (f"第{page}页" if count == 1 else f"第{page}–{last}页")
        page = last + 1


SIG_BROKEN = ("manifest.sig: 签名无效 the manifest's signature does not verify (the manifest or "
              "the signature was altered)")


def rewrite(src: Path, dst: Path, change: Callable[[str, bytes], bytes | None]) -> Path:
    """Copy a bundle, passing each member through `change` (None drops it)."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for name in old.namelist():
            data = change(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
    return dst


def _scan_member(bundle: Path) -> str:
    return next(n for n in zipfile.ZipFile(bundle).namelist() if n.endswith("凭证.pdf"))


def test_a_changed_file_is_found(archived: tuple[Office, str, Path], tmp_path: Path) -> None:
    _, _, bundle = archived
    scan = _scan_member(bundle)
    bad = rewrite(bundle, tmp_path / "b.zip",
                  lambda n, d: d.replace(b"voucher", b"vouchex") if n == scan else d)  # fmt: skip
    _, problems = verify_bundle(bad)
    assert f"{scan}: 内容与清单不符 content differs from the manifest (altered)" in problems
    assert any(p.startswith(f"{scan}: 与事件 #") and "differs from the hash event" in p for p in problems)


def test_a_removed_file_is_found(archived: tuple[Office, str, Path], tmp_path: Path) -> None:
    _, _, bundle = archived
    scan = _scan_member(bundle)
    bad = rewrite(bundle, tmp_path / "b.zip", lambda n, d: None if n == scan else d)
    _, problems = verify_bundle(bad)
    assert f"{scan}: 清单所列成员缺失 listed in the manifest but missing from the bundle (removed)" in problems
    assert any(p.startswith(f"{scan}: 事件 #") and "but missing" in p for p in problems)


def test_an_edited_history_line_is_found(
    archived: tuple[Office, str, Path], tmp_path: Path
) -> None:
    _, _, bundle = archived

    def edit(name: str, data: bytes) -> bytes:
        if name != "history.jsonl":
            return data
        lines = data.decode().splitlines()
        event = json.loads(lines[5])
        event["actor"] = "赵刚"
        lines[5] = json.dumps(event, ensure_ascii=False)
        return ("\n".join(lines) + "\n").encode()

    _, problems = verify_bundle(rewrite(bundle, tmp_path / "b.zip", edit))
    assert "history.jsonl: 内容与清单不符 content differs from the manifest (altered)" in problems
    assert "history.jsonl #6: 记录内容与其哈希不符 event content does not match its hash" in problems


def test_an_edited_manifest_is_found(archived: tuple[Office, str, Path], tmp_path: Path) -> None:
    _, _, bundle = archived

    def edit(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["members"][0]["sha256"] = "0" * 64
        dropped = manifest["members"].pop()
        manifest["dropped"] = dropped["path"]
        return manifest_text(manifest)

    bad = rewrite(bundle, tmp_path / "b.zip", edit)
    manifest, problems = verify_bundle(bad)
    first = json.loads(zipfile.ZipFile(bundle).read(MANIFEST))["members"][0]["path"]
    assert f"{first}: 内容与清单不符 content differs from the manifest (altered)" in problems
    assert f"{manifest['dropped']}: 清单未列的成员 in the bundle but not in the manifest (added)" in problems


def test_a_notice_rewritten_with_a_consistent_manifest_is_still_found(
    archived: tuple[Office, str, Path], tmp_path: Path
) -> None:
    """The events hold each notice's hash: a forger who also fixes the manifest is caught."""
    _, _, bundle = archived
    member = next(
        n for n in zipfile.ZipFile(bundle).namelist() if n.endswith("penalty_decision.txt")
    )
    forged = (
        zipfile.ZipFile(bundle).read(member).decode().replace("¥120,000.00", "¥12,000.00").encode()
    )
    import hashlib

    def edit(name: str, data: bytes) -> bytes:
        if name == member:
            return forged
        if name == MANIFEST:
            manifest = json.loads(data)
            for m in manifest["members"]:
                if m["path"] == member:
                    m.update(sha256=hashlib.sha256(forged).hexdigest(), size=len(forged))
            return manifest_text(manifest)
        return data

    _, problems = verify_bundle(rewrite(bundle, tmp_path / "b.zip", edit))
    # the exporter's signature no longer covers the manifest, and the events still hold the hash
    assert problems == [SIG_BROKEN, f"{member}: 与事件 #16 记录的文书不符 differs from the notice event #16 recorded"]


def test_not_a_bundle_is_reported(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    _, problems = verify_bundle(junk)
    assert "not a readable archive bundle" in problems[0]


def test_an_archived_case_is_read_only(archived: tuple[Office, str, Path], tmp_path: Path) -> None:
    office, case_id, _ = archived
    version = office.case(case_id).version
    scan = tmp_path / "late.pdf"
    scan.write_bytes(b"too late")
    with pytest.raises(RefusedError) as info:
        office.act_with_files(case_id, "add_evidence", "王明", [str(scan)],
                              {"type": "documentary", "title": "补充"}, date(2026, 11, 3))  # fmt: skip
    assert "archived" in {r.code for r in info.value.reasons}
    for action, actor in (("record_execution", "王明"), ("assign", "赵刚"), ("archive", "王明")):
        with pytest.raises(RefusedError) as info:
            office.do(case_id, action, actor, {}, date(2026, 11, 3))
        assert "archived" in {r.code for r in info.value.reasons}
    assert office.case(case_id).version == version
    assert office.files is not None
    assert not office.files.has(__import__("hashlib").sha256(b"too late").hexdigest())


def test_only_an_archived_case_is_exported(office: Office, tmp_path: Path) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="archive")
    with pytest.raises(BadInputError, match="not archived yet"):
        office.export_archive(case.id, tmp_path, by="王明")


# -- a bundle from anyone: hostile input ------------------------------------------------------
ZHIFA = shutil.which("zhifa", path=str(Path(sys.executable).parent)) or shutil.which("zhifa")
needs_zhifa = pytest.mark.skipif(ZHIFA is None, reason="zhifa is not installed (pip install -e .)")


def zhifa_verify(target: Path | str) -> subprocess.CompletedProcess[str]:
    """`zhifa archive verify` as a real process; a hang fails the test after 60 s."""
    assert ZHIFA is not None
    return subprocess.run([ZHIFA, "archive", "verify", str(target)], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip


def cli_verify(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["archive", "verify", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def members_of(bundle: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(bundle) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def forge(
    src: Path,
    dst: Path,
    change: Callable[[str, bytes], bytes | None] = lambda n, d: d,
    manifest_change: Callable[[dict[str, Any]], None] = lambda m: None,
    extra: tuple[tuple[str, bytes], ...] = (),
) -> Path:
    """Rewrite members and write a manifest consistent with them, as a forger with the
    exporter's tools but not the exporter's key would (hashes and sizes recomputed, canonical;
    the exporter's signature kept as it was)."""
    old = members_of(src)
    manifest = json.loads(old.pop(MANIFEST))
    signature = old.pop(SIGNATURE)
    new = {n: d for n, d in ((n, change(n, d)) for n, d in old.items()) if d is not None}
    listed = [*new.items(), *extra]
    manifest["members"] = [{"path": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
                           for n, d in listed]  # fmt: skip
    manifest_change(manifest)
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in listed:
            zf.writestr(name, data)
        zf.writestr(MANIFEST, manifest_text(manifest))
        zf.writestr(SIGNATURE, signature)
    return dst


def history_lines(bundle: Path) -> list[dict[str, Any]]:
    text = members_of(bundle)["history.jsonl"].decode()
    return [json.loads(line) for line in text.split("\n") if line]


def jsonl(lines: list[Any]) -> bytes:
    return "".join(json.dumps(x) + "\n" for x in lines).encode()


@needs_zhifa
def test_a_fifo_a_device_and_a_folder_are_refused_at_once(tmp_path: Path) -> None:
    """Before: `archive verify FIFO` blocked forever and `/dev/zero` read until killed."""
    fifo = tmp_path / "bundle.zip"
    os.mkfifo(fifo)
    for target, kind in ((fifo, "a FIFO"), ("/dev/zero", "a device"), (tmp_path, "a folder")):
        done = zhifa_verify(target)
        assert done.returncode == 5, done.stderr
        assert f"refused: {kind}, not a regular file" in done.stdout
        assert "Traceback" not in done.stdout + done.stderr


def _bomb_bundle(bundle: Path, dst: Path) -> tuple[Path, str]:
    """The bundle with its scanned document replaced by 1 GiB of zeros (about 1 MB zipped);
    the manifest still lists the real scan."""
    scan = _scan_member(bundle)
    with zipfile.ZipFile(bundle) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED,
                                                         compresslevel=9) as new:  # fmt: skip
        for name in old.namelist():
            if name == scan:
                with new.open(name, "w") as handle:
                    for _ in range(1024):
                        handle.write(bytes(1 << 20))
            else:
                new.writestr(name, old.read(name))
    return dst, scan


def _lie_about_size(src: Path, dst: Path, member: str, size: int) -> Path:
    """The zip's headers claim `member` is `size` bytes (its data still inflates to 1 GiB)."""
    data = bytearray(src.read_bytes())
    name = member.encode()
    # (signature, offset of the name length, of the uncompressed size, of the name)
    for signature, length_at, size_at, name_at in ((b"PK\x01\x02", 28, 24, 46),
                                                   (b"PK\x03\x04", 26, 22, 30)):  # fmt: skip
        at = data.find(signature)
        while at >= 0:
            length = struct.unpack("<H", data[at + length_at : at + length_at + 2])[0]
            if bytes(data[at + name_at : at + name_at + length]) == name:
                data[at + size_at : at + size_at + 4] = struct.pack("<I", size)
            at = data.find(signature, at + 4)
    return _write(dst, bytes(data))


#: the verifier in a fresh process; its peak resident memory is its own mm's high-water mark
#: (VmHWM: getrusage's ru_maxrss would include what the forking parent held before exec)
PEAK = """
import json, resource, sys
from workflow.archive_verify import check_bundle
report = check_bundle(sys.argv[1], render=False)
try:
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"problems": report.problems, "peak_kib": peak}))
"""


def test_a_decompression_bomb_is_refused_and_memory_stays_flat(
    archived: tuple[Office, str, Path], tmp_path: Path
) -> None:
    """Before: a 1 GiB member of a 1 MB zip was read whole (2.1 GB resident)."""
    _, _, bundle = archived
    bomb, scan = _bomb_bundle(bundle, tmp_path / "bomb.zip")
    assert bomb.stat().st_size < 4 << 20
    listed = next(m["size"] for m in json.loads(members_of(bundle)[MANIFEST])["members"]
                  if m["path"] == scan)  # fmt: skip
    liar = _lie_about_size(bomb, tmp_path / "liar.zip", scan, listed)
    expected = {bomb: f"{scan}: 内容与清单不符 content differs from the manifest (altered): 1,073,741,824 bytes",
                liar: f"{scan}: 无法读取 cannot be read"}  # fmt: skip
    for path, problem in expected.items():
        done = subprocess.run([sys.executable, "-c", PEAK, str(path)], capture_output=True,
                              text=True, timeout=120, check=True)  # fmt: skip
        result = json.loads(done.stdout)
        assert any(p.startswith(problem) for p in result["problems"]), result["problems"]
        assert result["peak_kib"] < 150 * 1024, f"peak {result['peak_kib']:,} KiB"
        print(f"{path.name}: peak {result['peak_kib']:,} KiB")


def _set(lines: list[dict[str, Any]], no: int, **values: Any) -> list[dict[str, Any]]:
    lines[no].update(values)
    return lines


MALFORMED: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "bit flip": (lambda b, d: _flip(b, d, "history.jsonl"), "history.jsonl: 无法读取 cannot be read"),
    "truncated": (lambda b, d: _write(d, b.read_bytes()[: b.stat().st_size // 2]),
                  "不是可读的归档包 not a readable archive bundle"),
    "empty file": (lambda b, d: _write(d, b""), "不是可读的归档包 not a readable archive bundle"),
    "manifest members is an object": (
        lambda b, d: forge(b, d, manifest_change=lambda m: m.update(members={})),
        "manifest.json: 缺少或类型错误的键 missing or wrong keys: members"),
    "manifest events is text": (
        lambda b, d: forge(b, d, manifest_change=lambda m: m.update(events="21")),
        "manifest.json: 缺少或类型错误的键 missing or wrong keys: events"),
    "manifest without head hash": (
        lambda b, d: forge(b, d, manifest_change=lambda m: m.pop("head_hash")),
        "manifest.json: 缺少或类型错误的键 missing or wrong keys: head_hash"),
    "manifest member entry of wrong types": (
        lambda b, d: forge(b, d, manifest_change=lambda m: m["members"][0].update(size="12")),
        "manifest.json: 第 1 项成员记录有误 member entry 1 is malformed"),
    "manifest nested 100,000 deep": (
        lambda b, d: _replace(b, d, MANIFEST, b"[" * 100_000 + b"]" * 100_000),
        "manifest.json: 不是有效的 JSON not valid JSON"),
    "manifest not text": (lambda b, d: _replace(b, d, MANIFEST, bytes(range(256))),
                          "manifest.json: 不是有效的 JSON not valid JSON"),
    "history seq as text": (
        lambda b, d: _history(b, d, lambda ls: _set(ls, 2, seq="3")),
        "history.jsonl line 3: 不是有效的办案记录 not a recorded event (类型错误 wrong type of seq)"),
    "history data as an object": (
        lambda b, d: _history(b, d, lambda ls: _set(ls, 1, data_json={"x": 1})),
        "history.jsonl line 2: 不是有效的办案记录 not a recorded event (类型错误 wrong type of data_json)"),
    "history line without its hash": (
        lambda b, d: _history(b, d, lambda ls: [ls[0], {k: v for k, v in ls[1].items()
                                                          if k != "hash"}, *ls[2:]]),
        "history.jsonl line 2: 不是有效的办案记录 not a recorded event (缺少或多余的键 missing ['hash']"),
    "history line is a list": (
        lambda b, d: _history(b, d, lambda ls: [ls[0], [1, 2], *ls[2:]]),
        "history.jsonl line 2: 不是有效的办案记录 not a recorded event (不是 JSON 对象"),
    "history notice record of wrong types": (
        lambda b, d: _history(b, d, lambda ls: _set(ls, 0, documents_json='[{"kind": 7}]')),
        "history.jsonl line 1: 不是有效的办案记录 not a recorded event (文书记录有误"),
    "history with a lone surrogate": (
        lambda b, d: _history(b, d, lambda ls: _set(ls, 0, actor="\ud800")),
        "history.jsonl line 1: 不是有效的办案记录 not a recorded event ("),
    "duplicate member names": (lambda b, d: _duplicate(b, d, "index.txt"),
                               "index.txt: 成员名重复 appears 2 times in the bundle"),
    "path traversal name": (lambda b, d: forge(b, d, extra=(("../x", b"evil"),)),
                            "'../x': 成员名不安全 unsafe member name"),
    "absolute name": (lambda b, d: forge(b, d, extra=(("/etc/cron.d/x", b"evil"),)),
                      "'/etc/cron.d/x': 成员名不安全 unsafe member name"),
    "listed member that is no part of the case": (
        lambda b, d: forge(b, d, extra=(("files/x/payload.exe", b"MZ"),)),
        "files/x/payload.exe: 不属于本案卷宗 not part of this case file"),
    "member outside the manifest": (lambda b, d: _add_unlisted(b, d, "notes.txt"),
                                    "notes.txt: 清单未列的成员 in the bundle but not in the manifest (added)"),
}  # fmt: skip


def _write(dst: Path, data: bytes) -> Path:
    dst.write_bytes(data)
    return dst


def _flip(bundle: Path, dst: Path, member: str) -> Path:
    """Flip one bit in the middle of a member's compressed data."""
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as zf:
        info = zf.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x10
    return _write(dst, bytes(data))


def _replace(bundle: Path, dst: Path, member: str, data: bytes) -> Path:
    return rewrite(bundle, dst, lambda n, d: data if n == member else d)


def _history(bundle: Path, dst: Path, edit: Callable[[list[Any]], list[Any]]) -> Path:
    lines = jsonl(edit(history_lines(bundle)))
    return forge(bundle, dst, lambda n, d: lines if n == "history.jsonl" else d)


def _duplicate(bundle: Path, dst: Path, member: str) -> Path:
    data = members_of(bundle)
    with zipfile.ZipFile(dst, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name we want
        for name, content in data.items():
            zf.writestr(name, content)
        zf.writestr(member, data[member])
    return dst


def _add_unlisted(bundle: Path, dst: Path, name: str) -> Path:
    data = members_of(bundle)
    with zipfile.ZipFile(dst, "w") as zf:
        for member, content in [*data.items(), (name, b"extra")]:
            zf.writestr(member, content)
    return dst


@pytest.mark.parametrize("attack", sorted(MALFORMED))
def test_malformed_bundles_give_exit_five_with_the_member_named(
    archived: tuple[Office, str, Path], tmp_path: Path, attack: str
) -> None:
    """Before: eight malformed bundles crashed `archive verify` with a traceback."""
    _, _, bundle = archived
    make, problem = MALFORMED[attack]
    code, output = cli_verify(make(bundle, tmp_path / "bad.zip"))
    assert code == 5, output
    assert problem in " ".join(output.split()), output
    assert "Traceback" not in output


def test_a_replaced_index_is_found_with_its_manifest_entry(
    archived: tuple[Office, str, Path], tmp_path: Path
) -> None:
    """The 卷宗目录 is derived again from the history: replacing it (and fixing the manifest)
    is found."""
    _, _, bundle = archived
    for member, old, new in (("index.txt", "拨付凭证扫描件", "拨付凭证复印件"),
                             ("index.json", "拨付凭证扫描件", "拨付凭证复印件")):  # fmt: skip
        bad = forge(bundle, tmp_path / f"{member}.zip",
                    lambda n, d, m=member, o=old, w=new: d.decode().replace(o, w).encode()
                    if n == m else d)  # fmt: skip
        _, problems = verify_bundle(bad, render=False)
        assert problems == [
            SIG_BROKEN,
            f"{member}: 卷宗目录与办案记录不符 differs from the index the history gives (replaced?)",
        ]


def _pdf_members(bundle: Path) -> list[str]:
    return sorted(n for n in members_of(bundle) if n.endswith(".pdf") and "notices/" in n)


def test_a_pdf_replaced_with_its_manifest_entry_is_found(
    archived: tuple[Office, str, Path], tmp_path: Path
) -> None:
    """A decision PDF swapped for another notice's PDF, manifest fixed: its binding in
    renditions.json no longer holds."""
    _, _, bundle = archived
    pdfs = _pdf_members(bundle)
    if not pdfs:
        pytest.skip("the bundle has no PDFs (no CJK font here)")
    decision = next(n for n in pdfs if n.endswith("penalty_decision.pdf"))
    other = members_of(bundle)[pdfs[0]]
    bad = forge(bundle, tmp_path / "b.zip", lambda n, d: other if n == decision else d)
    _, problems = verify_bundle(bad, render=False)
    seq = int(decision.split("/")[1][:3])
    assert problems == [
        SIG_BROKEN,
        f"{decision}: 与事件 #{seq} 的文书绑定不一致 its binding to the notice of event #{seq} "
        "is inconsistent",
        f"{decision}: 未与文书绑定 not bound to a notice in renditions.json",
    ]


def _rebind(renditions: bytes, member: str, pdf: bytes) -> bytes:
    doc = json.loads(renditions)
    for entry in doc["pdfs"]:
        if entry["member"] == member:
            entry.update(pdf_sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf))
    return json.dumps(doc, ensure_ascii=False).encode()


def test_a_pdf_replaced_with_every_binding_fixed_is_found_by_making_it_again(
    archived: tuple[Office, str, Path], tmp_path: Path
) -> None:
    """The forger fixes the manifest and renditions.json too: the verifier makes the PDF again
    from the recorded text (same renderer here) and the bytes differ."""
    require_cjk()
    _, _, bundle = archived
    decision = next(n for n in _pdf_members(bundle) if n.endswith("penalty_decision.pdf"))
    from documents.pdf import html_to_pdf

    forged = html_to_pdf("<p>行政处罚决定书 罚款¥1.00</p>")

    def edit(name: str, data: bytes) -> bytes:
        if name == decision:
            return forged
        return _rebind(data, decision, forged) if name == "renditions.json" else data

    _, problems = verify_bundle(forge(bundle, tmp_path / "b.zip", edit))
    seq = int(decision.split("/")[1][:3])
    assert problems == [
        SIG_BROKEN,
        f"{decision}: 与事件 #{seq} 所记录的文书不符 does not show the notice event #{seq} "
        "recorded (made again from the recorded text, it differs)",
    ]
    report = check_bundle(bundle)
    assert report.problems == []  # the genuine PDFs are made again alike
    assert not [n for n in report.notes if n.startswith("PDF")]


def test_another_renderer_is_a_note_not_a_problem(
    archived: tuple[Office, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, bundle = archived
    if not _pdf_members(bundle):
        pytest.skip("the bundle has no PDFs (no CJK font here)")
    import documents.pdf

    monkeypatch.setattr(documents.pdf, "renderer", lambda: {"weasyprint": "99"})
    report = check_bundle(bundle)
    assert report.problems == []
    [note] = [n for n in report.notes if n.startswith("PDF")]
    assert note.startswith("PDF 未重新生成比对 PDFs not made again: 本机的 PDF 渲染环境不同")


def _rechain(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    prev = genesis_hash(lines[0]["case_id"])
    for line in lines:
        line["prev_hash"] = prev
        line["hash"] = event_hash(*(line[k] for k in Event._fields[:12]))
        prev = line["hash"]
    return lines


def test_a_history_rechained_after_an_edit_is_found_by_rendering_the_notices_again(
    archived: tuple[Office, str, Path], tmp_path: Path
) -> None:
    """The forger lowers the fine in the draft, recomputes every hash, the head and the
    manifest: the chain verifies, but the notices recorded with the old draft no longer come
    out of it — and the head no longer matches the database's."""
    office, case_id, bundle = archived
    lines = history_lines(bundle)
    for line in lines:
        if line["action"] == "draft_decision":
            data = json.loads(line["data_json"])
            data["amount"] = "12000.00"
            line["data_json"] = canonical(data)
    lines = _rechain(lines)
    text = jsonl([{k: line[k] for k in Event._fields} for line in lines])
    bad = forge(bundle, tmp_path / "b.zip", lambda n, d: text if n == "history.jsonl" else d,
                lambda m: m.update(head_hash=lines[-1]["hash"]))  # fmt: skip
    manifest, problems = verify_bundle(bad, render=False)
    assert problems, "a re-chained history must not verify"
    # each re-hashed event no longer carries its actor's signature (the forger has no key) ...
    draft = next(line["seq"] for line in lines if line["action"] == "draft_decision")
    assert f"history.jsonl #{draft}: 签名无效 the signature does not verify: the event or its " \
           "signature was altered" in problems
    assert SIG_BROKEN in problems
    # ... and the notices recorded with the old draft no longer come out of it
    assert any("re-rendered text differs" in p and "¥120,000.00" in p for p in problems)
    assert manifest["head_hash"] != office.case(case_id).last_hash


def test_the_manifest_is_canonical_text(archived: tuple[Office, str, Path], tmp_path: Path) -> None:
    """One exact spelling, so that a signature over its bytes can be added."""
    _, _, bundle = archived
    raw = members_of(bundle)[MANIFEST]
    assert raw == manifest_text(json.loads(raw))
    spaced = rewrite(bundle, tmp_path / "b.zip", lambda n, d: json.dumps(json.loads(d), indent=1)
                     .encode() if n == MANIFEST else d)  # fmt: skip
    _, problems = verify_bundle(spaced, render=False)
    assert problems == ["manifest.json: 不是规范格式 not in canonical form (sorted keys, no spaces): "
                        "a signature could not cover it", SIG_BROKEN]  # fmt: skip


def _killed_export(url: str, root: str, case_id: str, out: str, started: Any, never: Any) -> None:
    import workflow.archive

    office = Office(Store(url), Settings().policy(), clock=lambda: TODAY,
                    files=FileStore(Path(root)), signer=Keyring(Path(root).parent / "keys"))  # fmt: skip
    original = workflow.archive._Writer.file

    def stall(self: Any, name: str, source: Path) -> None:
        original(self, name, source)
        started.set()
        never.wait()  # hold the export half-written until the parent kills this process

    workflow.archive._Writer.file = stall  # type: ignore[method-assign]
    office.export_archive(case_id, Path(out), pdf=False, by="王明")


def test_a_killed_export_leaves_no_bundle_and_its_leftover_is_swept_next_time(
    archived: tuple[Office, str, Path], tmp_path: Path
) -> None:
    office, case_id, _ = archived
    assert office.files is not None
    out = tmp_path / "out"
    out.mkdir()
    ctx = mp.get_context("spawn")
    started, never = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_killed_export, args=(str(office.store.engine.url), str(
        office.files.root), case_id, str(out), started, never))  # fmt: skip
    child.start()
    assert started.wait(timeout=120), "the export never started writing"
    child.kill()
    child.join(timeout=60)
    [leftover] = list(out.iterdir())
    assert leftover.name.startswith(f".{case_id}.zip.zhifa-")
    assert leftover.name.endswith(".tmp")
    done = office.export_archive(case_id, out, pdf=False, by="王明")
    assert sorted(p.name for p in out.iterdir()) == [f"{case_id}.zip"]  # swept
    assert done.path.stat().st_mode & 0o777 == 0o600  # a case file: owner-only
    assert verify_bundle(done.path)[1] == []
