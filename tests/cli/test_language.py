"""The office's language first: actions, procedures, states, roles and every choice taken by
the Chinese label as well as the id; errors Chinese first, English after, printed once; a
malformed identifier is bad input; the habits of a modern CLI (--version, completion, flags
shown as flags, --out folders made when missing)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import KEYS, ZHIFA, Invoke, env
from tests.cli.test_cli import do, drive, open_case
from workflow.keys import Keyring


def test_an_action_a_state_and_a_procedure_by_their_labels(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "request_hearing")  # notified on 2026-03-10
    code, doc = do(zhifa, case_id, "王明", "放弃陈述申辩", "2026-03-11", text="当事人书面放弃陈述申辩")
    assert code == 0, doc
    assert doc["event"]["action"] == "waive"  # the id is what is recorded
    code, doc = zhifa("case", "list", "--state", "告知", "--procedure", "行政处罚", "--json")
    assert [c["id"] for c in doc["cases"]] == [case_id]
    code, doc = zhifa("case", "list", "--state", "法制审核", "--json")
    assert doc["cases"] == []
    code, text = zhifa("case", "list", "--state", "审理中")
    assert code == 2
    assert text.startswith("✗ 输入有误 bad input：没有此状态 unknown state '审理中'")
    assert "法制审核（review）" in text.replace("\n", "")  # what is known, label first
    code, text = zhifa("case", "explain", "放弃陈述申辩")
    assert code == 0
    assert "放弃陈述申辩 waive" in text


def test_choices_by_label(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "draft_decision")
    code, doc = do(zhifa, case_id, "王明", "draft_decision", "2026-03-09", outcome="给予行政处罚",
                   penalty_kinds="警告、罚款", amount="¥150,000", facts="以虚假材料申领补助",
                   basis="《财政违法行为处罚处分条例》第十四条", amount_involved="1,500,000",
                   harm="危害后果轻微", first_offence="是", benchmark="SJ-CF-003-01")  # fmt: skip
    assert code == 0, doc
    draft = doc["case"]["draft"]
    assert (draft["outcome"], draft["penalty_kinds"]) == ("penalty", ["warning", "fine"])
    assert (draft["harm"], draft["first_offence"]) == ("slight", True)
    code, doc = do(zhifa, case_id, "王明", "notify", "2026-03-10", method="直接送达",
                   recipient="张经理")  # fmt: skip
    assert code == 0, doc


def test_an_unknown_action_and_bad_keys_are_said_once_chinese_first(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    code, text = zhifa("case", "do", case_id, "批准立案", "--on", "2026-03-02", actor="赵刚")
    assert code == 2
    assert text.startswith("✗ 未找到 not found：没有此操作 unknown action '批准立案'")
    assert "批准调查（investigate）" in text.replace("\n", "")
    code, text = zhifa("case", "do", case_id, "assign", "--on", "2026-03-02", "--data",
                       "persn=李华", actor="赵刚")  # fmt: skip
    assert code == 2
    lines = text.splitlines()
    assert lines[0] == "✗ 输入有误 bad input for 指派人员（assign）"
    assert any(line.startswith("  • 指派人员没有此项 unknown key 'persn'") for line in lines)
    assert "  • 未填写被指派人员 missing person" in lines
    assert text.count("missing person") == 1  # each reason once, not in the headline too


def test_a_malformed_credit_code_is_bad_input(zhifa: Invoke) -> None:
    code, doc = zhifa("case", "open", "--procedure", "penalty", "--title", "某案", "--party", "某公司",
                      "--party-id", "91230200MA1B2C3D4X", "--party-address", "x", "--on",
                      "2026-03-02", "--data", "source=x", "--json", actor="王明")  # fmt: skip
    assert code == 2
    assert doc["error"]["code"] == "bad_input"
    assert doc["error"]["message"].startswith("统一社会信用代码 91230200MA1B2C3D4X 有误")
    code, doc = zhifa("case", "list", "--json")
    assert doc["cases"] == []


def test_archive_and_notice_export_make_their_out_folder(zhifa: Invoke, tmp_path: Path) -> None:
    case_id = open_case(zhifa)
    code, doc = zhifa("notice", "export", case_id, "--format", "txt", "--out",
                      str(tmp_path / "文书"), "--json")  # fmt: skip
    assert code == 0, doc
    assert (tmp_path / "文书" / f"{case_id}_001_filing_approval.txt").is_file()
    code, doc = zhifa("notice", "export", case_id, "--format", "txt", "--out",
                      str(tmp_path / "无此文件夹" / "文书"), "--json")  # fmt: skip
    assert code == 2  # as `publish site --out`: a mistyped path does not grow a tree
    assert "上级文件夹不存在" in doc["error"]["message"]
    code, doc = zhifa("archive", "export", case_id, "--out", str(tmp_path / "卷宗"), "--json",
                      actor="王明")  # fmt: skip
    assert code == 2  # not archived yet; nothing made
    assert doc["error"]["message"].startswith(f"{case_id} 尚未归档")
    assert not (tmp_path / "卷宗").exists()


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    assert ZHIFA is not None
    return subprocess.run([ZHIFA, *args], capture_output=True, text=True, env=env(),
                          input=stdin, timeout=60, check=False)  # fmt: skip


@pytest.mark.skipif(ZHIFA is None, reason="zhifa is not installed (pip install -e .)")
def test_version_completion_flags_and_usage_errors() -> None:
    from importlib.metadata import version

    assert run("--version").stdout == f"zhifa {version('zhifa')}\n"
    completion = run("--show-completion", "bash")
    assert completion.returncode == 0
    assert "_ZHIFA_COMPLETE" in completion.stdout
    help_text = run("case", "do", "--help").stdout
    assert "  --json  " in help_text  # a flag, shown as a flag
    assert "<bool>" not in help_text
    assert "--on YYYY-MM-DD" in help_text or "--on <str>" in help_text
    missing = run("case", "open")
    assert missing.returncode == 2
    assert missing.stderr.startswith("✗ 缺少参数 Missing option '--procedure'")
    assert missing.stderr.count("Missing option") == 1
    assert "帮助 help: zhifa case open --help" in missing.stderr
    unknown = run("case", "list", "--nope")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("✗ 没有此选项 No such option: --nope")


@pytest.mark.skipif(ZHIFA is None, reason="zhifa is not installed (pip install -e .)")
def test_init_asks_nothing_without_a_terminal_and_says_what_next(tmp_path: Path) -> None:
    Keyring(KEYS).generate("张主任")  # the first admin's own key (电子签名法 Art. 13)
    done = run("init", str(tmp_path / "office"), "--admin", "张主任")
    assert done.returncode == 0, done.stderr
    assert "下一步 next steps:" in done.stdout
    assert f"cd {tmp_path / 'office'}" in done.stdout
    assert "⚠ 待填写 to fill in" in done.stderr  # the agency block was not given
    assert "agency.court" in done.stderr


def test_a_bug_is_one_line_and_the_traceback_only_with_debug(
    zhifa: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terminal import output

    case_id = open_case(zhifa)

    def broken(view: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(output, "show_case", broken)
    code, text = zhifa("case", "show", case_id)
    assert code == 1
    assert text.startswith("✗ 内部错误 internal error：RuntimeError: a bug")
    assert "Traceback" not in text
    assert "--debug" in text
    code, text = zhifa("--debug", "case", "show", case_id)
    assert code == 1  # the exception itself reaches the caller (CliRunner keeps it)
    assert "内部错误" not in text
