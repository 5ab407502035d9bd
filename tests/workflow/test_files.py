"""Evidence and audio-visual files: stored by content, atomically, deduplicated, streamed;
bad paths refused with nothing stored; verify re-hashes every stored file."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rules.record import av_missing
from tests.conftest import TODAY, make_office, office_settings, run_steps
from workflow.errors import BadInputError, RefusedError
from workflow.files import FileStore
from workflow.keys import Keyring
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office
from workflow.store import Store

EVIDENCE_TYPES = ("documentary", "physical", "audiovisual", "electronic", "witness",
                  "party_statement", "expert_opinion", "inspection_record")  # fmt: skip
ON = date(2026, 3, 6)


@pytest.fixture
def investigating(office: Office) -> tuple[Office, str]:
    return office, run_steps(office, PENALTY_WITH_HEARING, until="draft_decision").id


def blobs(office: Office) -> list[Path]:
    assert office.files is not None
    return sorted(p for p in office.files.blobs.rglob("*") if p.is_file())


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", EVIDENCE_TYPES)
def test_evidence_of_each_type_is_stored_and_recorded(
    investigating: tuple[Office, str], tmp_path: Path, kind: str
) -> None:
    """行政处罚法 Art. 46: eight kinds; who collected it, when and where, with its files."""
    office, case_id = investigating
    data = f"{kind} 证据内容".encode() * 1000
    scan = write(tmp_path, f"{kind}.jpg", data)
    event, case = office.act_with_files(
        case_id, "add_evidence", "李华", [str(scan)], {"type": kind, "title": "现场照片",
        "place": "工业路88号"}, ON)  # fmt: skip
    [record] = event.data["files"]
    assert record == {"name": f"{kind}.jpg", "size": len(data), "media_type": "image/jpeg",
                      "sha256": hashlib.sha256(data).hexdigest()}  # fmt: skip
    assert (event.actor, event.occurred_on, event.data["place"]) == (
        "李华",
        ON.isoformat(),
        "工业路88号",
    )
    assert case.evidence[-1]["files"] == [record]
    assert office.files is not None
    stored = office.files.path(record["sha256"])
    assert stored.read_bytes() == data
    assert not os.access(stored, os.W_OK) or os.geteuid() == 0  # read-only (root may write)
    assert stored.stat().st_mode & 0o222 == 0
    assert office.verify(case_id) == []


def test_the_same_content_is_stored_once(investigating: tuple[Office, str], tmp_path: Path) -> None:
    office, case_id = investigating
    a = write(tmp_path, "a.pdf", b"same bytes" * 100)
    b = write(tmp_path, "b.pdf", b"same bytes" * 100)
    office.act_with_files(case_id, "add_evidence", "王明", [str(a)], {"type": "documentary",
                          "title": "一"}, ON)  # fmt: skip
    office.act_with_files(case_id, "add_evidence", "王明", [str(b), str(a)],
                          {"type": "documentary", "title": "二"}, ON)  # fmt: skip
    assert len(blobs(office)) == 1
    assert [len(e["files"]) for e in office.case(case_id).evidence[-2:]] == [1, 2]


def _bad_paths(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = write(outside, "secret.pdf", b"not named by the clerk")
    named = tmp_path / "named"
    named.mkdir()
    (named / "link.pdf").symlink_to(secret)
    (tmp_path / "linked-dir").symlink_to(outside, target_is_directory=True)
    write(tmp_path, "empty.pdf", b"")
    good = write(tmp_path, "good.pdf", b"fine")
    return {
        "missing": ([str(tmp_path / "nope.pdf")], "no such file"),
        "directory": ([str(named)], "is a directory"),
        "symlink": ([str(named / "link.pdf")], "symbolic link"),
        "through a symlinked folder": (
            [str(tmp_path / "linked-dir" / "secret.pdf")],
            "symbolic link",
        ),
        "zero bytes": ([str(tmp_path / "empty.pdf")], "is empty"),
        "one bad among good": ([str(good), str(tmp_path / "nope.pdf")], "no such file"),
    }


@pytest.mark.parametrize(
    "case_name",
    [
        "missing",
        "directory",
        "symlink",
        "through a symlinked folder",
        "zero bytes",
        "one bad among good",
    ],
)
def test_bad_paths_store_nothing_and_append_nothing(
    investigating: tuple[Office, str], tmp_path: Path, case_name: str
) -> None:
    office, case_id = investigating
    paths, message = _bad_paths(tmp_path)[case_name]
    version = office.case(case_id).version
    with pytest.raises(BadInputError, match=message):
        office.act_with_files(case_id, "add_evidence", "王明", paths,
                              {"type": "documentary", "title": "x"}, ON)  # fmt: skip
    assert blobs(office) == []
    assert office.case(case_id).version == version


def test_an_unreadable_file_is_refused(
    investigating: tuple[Office, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office, case_id = investigating
    locked = write(tmp_path, "locked.pdf", b"secret")
    real_open = Path.open

    def guarded(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)
    with pytest.raises(BadInputError, match="cannot be read"):
        office.act_with_files(case_id, "add_evidence", "王明", [str(locked)],
                              {"type": "documentary", "title": "x"}, ON)  # fmt: skip
    assert blobs(office) == []


def test_a_refused_act_stores_no_file(investigating: tuple[Office, str], tmp_path: Path) -> None:
    """An unknown type (or any refusal) is judged before a byte is copied."""
    office, case_id = investigating
    scan = write(tmp_path, "scan.pdf", b"content")
    with pytest.raises(BadInputError, match="must be one of: 书证（documentary）"):
        office.act_with_files(case_id, "add_evidence", "王明", [str(scan)],
                              {"type": "rumour", "title": "x"}, ON)  # fmt: skip
    with pytest.raises(RefusedError):  # 赵刚 is no officer of the case
        office.act_with_files(case_id, "add_evidence", "赵刚", [str(scan)],
                              {"type": "documentary", "title": "x"}, ON)  # fmt: skip
    assert blobs(office) == []


def test_files_cannot_be_named_by_hand(investigating: tuple[Office, str]) -> None:
    office, case_id = investigating
    with pytest.raises(BadInputError, match="evidence add"):
        office.do(case_id, "add_evidence", "王明", {"type": "documentary", "title": "x",
                  "files": "scan.pdf"}, ON)  # fmt: skip
    forged = {"name": "x.pdf", "size": 3, "media_type": "application/pdf", "sha256": "a" * 64}
    with pytest.raises(BadInputError, match="not in the office's file store"):
        office.do(case_id, "add_evidence", "王明", {"type": "documentary", "title": "x",
                  "files": [forged]}, ON)  # fmt: skip


def test_a_large_file_streams_through_small_memory(tmp_path: Path) -> None:
    """1 GiB (sparse) is copied in 1 MiB chunks: memory stays far below the file's size."""
    big = tmp_path / "video.mp4"
    with big.open("wb") as handle:
        handle.truncate(1 << 30)
    store = FileStore(tmp_path / "store")
    seen: list[int] = []
    tracemalloc.start()
    stored = store.put(big, seen.append)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert stored.size == 1 << 30
    assert sum(seen) == 1 << 30
    assert len(seen) == 1024
    assert peak < 16 << 20, f"peak {peak:,} bytes"
    zeros = hashlib.sha256()
    block = bytes(1 << 20)
    for _ in range(1024):
        zeros.update(block)
    assert stored.sha256 == zeros.hexdigest()
    assert store.problem(stored.sha256, stored.size) is None


def _killed_writer(url: str, root: str, case_id: str, path: str, started: Any, never: Any) -> None:
    office = Office(
        Store(url), office_settings().policy(), clock=lambda: TODAY, files=FileStore(Path(root)),
        signer=Keyring(Path(root).parent / "keys"),
    )

    def progress(_n: int) -> None:
        started.set()
        never.wait()  # hold the copy half-done until the parent kills this process

    office.act_with_files(case_id, "add_evidence", "王明", [path],
                          {"type": "audiovisual", "title": "录像"}, ON, progress)  # fmt: skip


def test_a_writer_killed_mid_copy_leaves_no_file_and_no_event(db_url: str, tmp_path: Path) -> None:
    root = tmp_path / "files"
    office = make_office(db_url, files=root, keyring=Keyring(tmp_path / "keys"))
    case_id = run_steps(office, PENALTY_WITH_HEARING, until="draft_decision").id
    version = office.case(case_id).version
    video = write(tmp_path, "video.mp4", os.urandom(3 << 20))
    ctx = mp.get_context("spawn")
    started, never = ctx.Event(), ctx.Event()
    child = ctx.Process(target=_killed_writer,
                        args=(db_url, str(root), case_id, str(video), started, never))  # fmt: skip
    child.start()
    assert started.wait(timeout=120), "the writer never started copying"
    child.kill()
    child.join(timeout=60)
    assert blobs(office) == []  # no partial file under any hash
    assert office.case(case_id).version == version  # no event
    assert office.files is not None
    [leftover] = list(office.files.tmp.iterdir())
    assert leftover.name.endswith(".part")
    office.act_with_files(case_id, "add_evidence", "王明", [str(video)],
                          {"type": "audiovisual", "title": "录像"}, ON)  # fmt: skip
    assert list(office.files.tmp.iterdir()) == []  # the next run swept the dead writer's file
    assert office.verify(case_id) == []
    office.store.dispose()


def test_verify_finds_an_altered_or_missing_file(
    investigating: tuple[Office, str], tmp_path: Path
) -> None:
    office, case_id = investigating
    scan = write(tmp_path, "scan.pdf", b"original scan" * 50)
    event, _ = office.act_with_files(case_id, "add_evidence", "王明", [str(scan)],
                                     {"type": "documentary", "title": "账簿"}, ON)  # fmt: skip
    [stored] = blobs(office)
    stored.chmod(0o644)
    stored.write_bytes(b"original scam" * 50)
    [problem] = office.verify()
    assert (problem.case, problem.seq) == (case_id, event.seq)
    assert "scan.pdf" in problem.problem
    assert "altered" in problem.problem
    stored.unlink()
    [problem] = office.verify()
    assert "is missing from the file store" in problem.problem


# -- audio-visual records -------------------------------------------------------------------
def test_acts_that_call_for_an_av_record_are_flagged_until_one_is_attached(
    office: Office, tmp_path: Path
) -> None:
    """118号（八）: on-site evidence and the hearing are recorded on video."""
    case = run_steps(office, PENALTY_WITH_HEARING, until="submit_review")
    assert [(g["seq"], g["action"]) for g in av_missing(case)] == [
        (5, "add_evidence"), (10, "conclude_hearing")
    ]  # fmt: skip
    video = write(tmp_path, "hearing.mp4", b"video" * 1000)
    on = date(2026, 3, 26)
    with pytest.raises(RefusedError) as info:  # #4 (a documentary scan) needs no video
        office.act_with_files(case.id, "record_av", "周平", [str(video)], {"for_seq": 4}, on)
    assert info.value.reasons[0].code == "av_target"
    with pytest.raises(RefusedError) as info:  # 赵刚 is neither officer nor hearing officer
        office.act_with_files(case.id, "record_av", "赵刚", [str(video)], {"for_seq": 10}, on)
    _, after = office.act_with_files(case.id, "record_av", "周平", [str(video)],
                                     {"for_seq": 10, "title": "听证全程录像"}, on)  # fmt: skip
    assert [g["seq"] for g in av_missing(after)] == [5]
    from workflow.views import case_view

    view = case_view(after, office.engine.procedure("penalty"), office.policy, TODAY)
    assert [g["seq"] for g in view["av_missing"]] == [5]


def test_service_by_leaving_the_document_calls_for_video(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="serve")
    _, after = office.do(case.id, "serve", "王明", {"method": "left_at_address",
                         "recipient": "张经理", "witness": "社区主任刘某"}, date(2026, 4, 2))  # fmt: skip
    assert ("serve", "留置送达") in {(g["action"], g["label"]) for g in av_missing(after)}
