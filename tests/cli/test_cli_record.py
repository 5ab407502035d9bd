"""`zhifa evidence add|av`, `zhifa case file`, `zhifa archive export|verify` from the terminal."""

from __future__ import annotations

import zipfile
from pathlib import Path

from typer.testing import CliRunner

from cli import app
from tests.cli.conftest import Invoke
from tests.cli.test_cli import drive, open_case


def test_evidence_add_av_and_the_case_file(zhifa: Invoke, tmp_path: Path) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "draft_decision")
    scan = tmp_path / "凭证.pdf"
    scan.write_bytes(b"%PDF voucher" * 100)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8 photo" * 100)
    code, doc = zhifa("evidence", "add", case_id, str(scan), str(photo), "--type", "inspection_record",
                      "--place", "工业路88号", "--on", "2026-03-06", "--json", actor="王明")  # fmt: skip
    assert code == 0, doc
    files = doc["event"]["data"]["files"]
    assert [(f["name"], f["media_type"]) for f in files] == [
        ("凭证.pdf", "application/pdf"), ("现场.jpg", "image/jpeg")
    ]  # fmt: skip
    assert doc["event"]["data"]["title"] == "凭证.pdf"
    seq = doc["event"]["seq"]
    # the scenario's 现场检查笔录 (#5) and this inspection record both call for video
    assert [g["seq"] for g in doc["case"]["av_missing"]] == [5, seq]
    code, text = zhifa("case", "show", case_id)
    assert code == 0
    assert "音像记录" in text
    video = tmp_path / "现场.mp4"
    video.write_bytes(b"video" * 1000)
    code, doc = zhifa("evidence", "av", case_id, str(video), "--for", str(seq), "--on", "2026-03-06",
                      "--json", actor="王明")  # fmt: skip
    assert code == 0, doc
    assert [g["seq"] for g in doc["case"]["av_missing"]] == [5]
    code, doc = zhifa("case", "file", case_id, "--json")
    assert code == 0
    assert [e["kind"] for e in doc["index"]] == ["notice", "evidence", "evidence", "evidence",
                                                 "evidence", "av"]  # fmt: skip
    code, text = zhifa("case", "file", case_id)
    assert code == 0
    assert "卷宗目录" in text


def test_evidence_errors(zhifa: Invoke, tmp_path: Path) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "draft_decision")
    code, doc = zhifa("evidence", "add", case_id, str(tmp_path), "--type", "documentary", "--json",
                      actor="王明")  # fmt: skip
    assert code == 2
    assert "is a directory" in doc["error"]["message"]
    empty = tmp_path / "empty.pdf"
    empty.touch()
    code, doc = zhifa("evidence", "add", case_id, str(empty), str(tmp_path / "nope.pdf"),
                      "--type", "documentary", "--json", actor="王明")  # fmt: skip
    assert code == 2
    assert "is empty" in doc["error"]["message"]
    assert "no such file" in doc["error"]["message"]
    code, doc = zhifa("case", "do", case_id, "add_evidence", "--data", "type=documentary",
                      "--data", "title=t", "--data", "files=scan.pdf", "--json", actor="王明")  # fmt: skip
    assert code == 2
    assert "evidence add" in doc["error"]["message"]


def test_archive_export_and_verify(
    zhifa: Invoke, office_dir: Path, runner: CliRunner, tmp_path: Path
) -> None:
    case_id = open_case(zhifa)
    code, doc = zhifa("archive", "export", case_id, "--out", str(tmp_path), "--json")
    assert code == 2  # who signs the manifest? (--as)
    assert doc["error"]["message"].startswith("未指明办理人")
    code, doc = zhifa("archive", "export", case_id, "--out", str(tmp_path), "--json", actor="王明")
    assert code == 2
    assert "not archived yet" in doc["error"]["message"]
    code, _ = zhifa("case", "do", case_id, "withdraw", "--data", "reason=不属本机关管辖",
                    "--on", "2026-03-03", actor="赵刚")  # fmt: skip
    assert code == 0
    code, _ = zhifa("case", "do", case_id, "archive", "--on", "2026-03-04", actor="王明")
    assert code == 0
    code, doc = zhifa("archive", "export", case_id, "--out", str(tmp_path), "--no-pdf", "--json",
                      actor="王明")  # the manifest is signed by the exporting officer
    assert code == 0, doc
    bundle = Path(doc["file"])
    assert bundle == tmp_path / f"{case_id}.zip"
    # verify needs no office: run it from an empty folder without config
    result = runner.invoke(app, ["archive", "verify", str(bundle), "--json"])
    assert result.exit_code == 0, result.output
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as old, zipfile.ZipFile(tampered, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            new.writestr(
                name,
                data.replace("不属本机关管辖".encode(), "不属本局管辖".encode())
                if name == "history.jsonl"
                else data,
            )
    result = runner.invoke(app, ["archive", "verify", str(tampered)])
    assert result.exit_code == 5
    assert "history.jsonl" in result.output
    code, _ = zhifa("case", "do", case_id, "assign", "--data", "person=李华", "--data", "role=officer",
                    actor="赵刚")  # fmt: skip
    assert code == 3
