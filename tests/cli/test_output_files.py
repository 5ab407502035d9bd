"""Files a command writes where the user says (`--html`, `--out`): never over an existing file
without `--force`, never through a symlink, never over a checkpoint (the evidence `verify
--against` needs) — a typo must not replace /etc/passwd or yesterday's checkpoint."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Invoke


def test_an_existing_file_is_replaced_only_with_force(zhifa: Invoke, tmp_path: Path) -> None:
    page = tmp_path / "年报.html"
    page.write_text("someone else's file", encoding="utf-8")
    code, text = zhifa("report", "annual", "2026", "--html", str(page))
    assert code == 2
    assert "文件已存在，不予覆盖" in text
    assert "--force" in text
    assert page.read_text(encoding="utf-8") == "someone else's file"
    code, _ = zhifa("report", "annual", "2026", "--html", str(page), "--force")
    assert code == 0
    assert "执法统计年报" in page.read_text(encoding="utf-8")


def test_a_symlink_is_never_written_through_even_with_force(zhifa: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "passwd"
    target.write_text("root:x:0:0", encoding="utf-8")
    link = tmp_path / "report.html"
    link.symlink_to(target)
    code, text = zhifa("report", "annual", "2026", "--html", str(link), "--force")
    assert code == 2
    assert "不是普通文件" in text
    assert target.read_text(encoding="utf-8") == "root:x:0:0"
    assert link.is_symlink()


def test_a_checkpoint_never_replaces_an_earlier_one(zhifa: Invoke, tmp_path: Path) -> None:
    kept = tmp_path / "检查点.json"
    code, _ = zhifa("checkpoint", "--out", str(kept), actor="管理员")
    assert code == 0
    before = kept.read_bytes()
    code, text = zhifa("checkpoint", "--out", str(kept), actor="管理员")
    assert code == 2
    assert "文件已存在" in text
    assert kept.read_bytes() == before
    code, _ = zhifa("verify", "--against", str(kept))
    assert code == 0
