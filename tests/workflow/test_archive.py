"""The case file (卷宗): its index, the archive bundle verified offline, tampering of each
kind found, and the archived case read-only."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from documents.pdf import cjk_fonts
from tests.conftest import make_office, run_steps
from workflow.archive import MANIFEST, verify_bundle
from workflow.errors import BadInputError, RefusedError
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Office, str, Path]]:
    """A heard penalty case with a scanned document and the hearing's video, archived."""
    folder = tmp_path_factory.mktemp("archive")
    office = make_office(f"sqlite:///{folder}/office.db", files=folder / "files")
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
    bundle = office.export_archive(case.id, folder / "bundle.zip", pdf=bool(cjk_fonts())).path
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
    assert f"{scan}: content differs from the manifest (altered)" in problems
    assert any(p.startswith(f"{scan}: differs from the hash event #") for p in problems)


def test_a_removed_file_is_found(archived: tuple[Office, str, Path], tmp_path: Path) -> None:
    _, _, bundle = archived
    scan = _scan_member(bundle)
    bad = rewrite(bundle, tmp_path / "b.zip", lambda n, d: None if n == scan else d)
    _, problems = verify_bundle(bad)
    assert f"{scan}: listed in the manifest but missing from the bundle (removed)" in problems
    assert any(p.startswith(f"{scan}: recorded by event #") for p in problems)


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
    assert "history.jsonl: content differs from the manifest (altered)" in problems
    assert "history.jsonl #6: event content does not match its hash" in problems


def test_an_edited_manifest_is_found(archived: tuple[Office, str, Path], tmp_path: Path) -> None:
    _, _, bundle = archived

    def edit(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["members"][0]["sha256"] = "0" * 64
        dropped = manifest["members"].pop()
        manifest["dropped"] = dropped["path"]
        return json.dumps(manifest).encode()

    bad = rewrite(bundle, tmp_path / "b.zip", edit)
    manifest, problems = verify_bundle(bad)
    first = json.loads(zipfile.ZipFile(bundle).read(MANIFEST))["members"][0]["path"]
    assert f"{first}: content differs from the manifest (altered)" in problems
    assert f"{manifest['dropped']}: in the bundle but not in the manifest (added)" in problems


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
            return json.dumps(manifest).encode()
        return data

    _, problems = verify_bundle(rewrite(bundle, tmp_path / "b.zip", edit))
    assert problems == [f"{member}: differs from the notice event #16 recorded"]  # 2 records added


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
        office.export_archive(case.id, tmp_path)
