"""The guided `zhifa case do CASE` on a real terminal (a pty): the installed `zhifa`, driven as
a clerk types. Choices by number, label or id; wrong answers asked again; keys that do not
apply never asked; the reviewer's checklist point by point; a summary and a confirmation
before anything is recorded; Ctrl-C and "no" record nothing."""

from __future__ import annotations

import json
import re
import signal
import subprocess
from pathlib import Path

import pexpect
import pytest

from tests.cli.conftest import ZHIFA, env, staffed_office
from tests.conftest import run_steps
from workflow.keys import Keyring
from workflow.scenarios import PENALTY_WITH_HEARING

pytestmark = pytest.mark.skipif(ZHIFA is None, reason="zhifa is not installed (pip install -e .)")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """An office with the demo staff: P-2026-0001 ready for a draft (evidence collected),
    P-2026-0002 submitted for legal review."""
    office_dir = tmp_path / "office"
    office = staffed_office(office_dir)
    run_steps(office, PENALTY_WITH_HEARING, until="draft_decision")
    run_steps(office, PENALTY_WITH_HEARING, until="approve_review")
    office.store.dispose()
    return office_dir


def spawn(folder: Path, actor: str, *args: str) -> pexpect.spawn:
    assert ZHIFA is not None
    argv = ["--config", str(folder / "config.yaml"), "--as", actor, "case", "do", *args]
    # a clerk's shell runs the command in the foreground with Ctrl-C's default action; a test
    # run started in the background (CI) has SIGINT ignored, and a child would inherit that
    return pexpect.spawn(ZHIFA, argv, env=env(TERM="dumb"), encoding="utf-8", timeout=30,
                         dimensions=(50, 200), preexec_fn=_default_sigint)  # fmt: skip


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def answer(child: pexpect.spawn, prompt: str, text: str) -> str:
    """Wait for a prompt (its label, literally), type the answer; return what came before."""
    child.expect(re.escape(prompt) + r"[^：]*：")  # a long prompt may wrap (TERM=dumb: 80 columns)
    before = str(child.before)
    child.sendline(text)
    return before


def case_json(folder: Path, case_id: str) -> dict[str, object]:
    assert ZHIFA is not None
    done = subprocess.run([ZHIFA, "--config", str(folder / "config.yaml"), "case", "show",
                           case_id, "--json"], capture_output=True, text=True, env=env(),
                          timeout=60, check=True)  # fmt: skip
    case: dict[str, object] = json.loads(done.stdout)["case"]
    return case


def finish(child: pexpect.spawn) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    output = str(child.before)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1), output


def test_an_officer_drafts_a_penalty_guided_key_by_key(folder: Path) -> None:
    child = spawn(folder, "王明", "P-2026-0001")
    listing = answer(child, "办理哪一项 which action", "拟定处理意见")  # by label
    assert re.search(r"\d+\. 拟定处理意见\s+draft_decision", listing)
    assert "收集证据" in listing  # what else is allowed now
    assert "事先告知" in listing
    assert "尚未拟定处理决定草案" in listing
    assert "作出决定" not in listing  # not this stage, not an officer's act
    answer(child, "办理日期 date of the act", "2026-03-09")
    answer(child, "处理结果 outcome", "1")  # by number: 给予行政处罚
    answer(child, "处罚种类（可并处） penalty_kinds", "警告、fine")  # a label and an id
    answer(child, "罚款金额（元） amount", "十五万")
    child.expect(r"请重新输入\s+try again")  # checked as typed, asked again
    answer(child, "罚款金额（元） amount", "150000")
    child.expect(re.escape("¥150,000.00（壹拾伍万元整）"))
    answer(child, "违法事实 facts", "以虚假材料申领财政补助资金150万元")
    before = answer(child, "法律依据 basis", "《财政违法行为处罚处分条例》第十四条")
    for skipped in ("没收违法所得金额", "不予处罚的法定情形", "受移送机关"):
        assert skipped not in before  # keys that do not apply to a fine are never asked
    for key in ("triggers", "mitigation"):
        answer(child, f" {key}", "")
    # the case's 权责清单 item has 裁量基准 (discretion.yaml): its facts are asked, the
    # discretion record zhifa derives from them is not
    answer(child, " amount_involved", "1500000")
    answer(child, " illegal_gain", "")
    child.expect(r"(?<![\w])harm（[^：]*：")
    child.sendline("危害后果轻微")  # the benchmark weighs it: asked by its label
    for key in ("slight", "corrected"):
        answer(child, f" {key}", "")
    answer(child, " first_offence", "是")  # 从轻: ¥150,000 is within the tier's range
    for key in ("mitigated_harm",
                "coerced", "confessed", "meritorious", "no_fault", "repeat_2y", "obstruction",
                "refused_correction"):
        child.expect(rf"(?<![\w]){key}（[^：]*：")  # the label before it may wrap the line
        child.sendline("")
    child.expect(r"(?<![\w])benchmark（[^：]*：")
    child.sendline("SJ-CF-003-01")  # the item has five: the draft names its own
    for key in ("discretion_reason", "violation_ended_on", "note"):  # the rest is on the case
        child.expect(rf"(?<![\w]){key}（[^：]*：")  # the label before it may wrap the line
        assert not re.search(r"(?<![\w])discretion（", str(child.before))
        child.sendline("")
    child.expect("请核对 please check")
    summary = answer(child, "确认办理？记录后不可撤销", "y")
    assert "给予行政处罚（penalty）" in summary
    assert "是 yes" in summary  # first_offence, as the office says it
    assert "警告（warning）、罚款（fine）" in summary
    code, output = finish(child)
    assert code == 0, output
    assert "✓ P-2026-0001 #6 拟定处理意见" in output
    draft = case_json(folder, "P-2026-0001")["draft"]
    assert isinstance(draft, dict)
    assert draft["penalty_kinds"] == ["warning", "fine"]
    assert draft["amount"] == "150000.00"


def test_a_reviewer_walks_the_checklist_point_by_point(folder: Path) -> None:
    child = spawn(folder, "陈静", "P-2026-0002", "--on", "2026-03-31")
    answer(child, "办理哪一项 which action", "approve_review")  # by id
    points = 0
    while True:
        index = child.expect([r"结论 result[^：]*：", r"意见 comment[^：]*：", r"审核意见 opinion[^：]*："])
        if index == 0:
            points += 1
            child.sendline("不通过" if points == 3 else "通过")
        elif index == 1:
            child.sendline("")  # a failed point needs its reason: asked again
            if points == 3:
                child.expect("必填 required")
                child.expect(r"意见 comment[^：]*：")
                child.sendline("证据链完整")
        else:
            break
    assert points == 7
    child.sendline("同意")
    answer(child, "备注 note", "")
    child.expect("不予办理 refused")  # 同意 with a failed point: the rules say no, before recording
    child.expect("以下要点未通过")
    answer(child, "修改回答后重新检查", "y")  # answer again: earlier answers are the defaults
    for number in range(1, 8):
        child.expect(r"结论 result[^：]*：")
        child.sendline("pass" if number == 3 else "")
        child.expect(r"意见 comment[^：]*：")
        child.sendline("")
    answer(child, "审核意见 opinion", "")
    answer(child, "备注 note", "")
    answer(child, "确认办理", "是")
    code, output = finish(child)
    assert code == 0, output
    history = subprocess.run([str(ZHIFA), "--config", str(folder / "config.yaml"), "case",
                              "history", "P-2026-0002", "--json"], capture_output=True,
                             text=True, env=env(), timeout=60, check=True)  # fmt: skip
    approval = json.loads(history.stdout)["events"][-1]
    assert approval["action"] == "approve_review"
    assert approval["data"]["opinion"] == "同意"
    checklist = approval["data"]["checklist"]
    assert {p["result"] for p in checklist.values()} == {"pass"}
    assert len(checklist) == 7
    assert checklist["facts_evidence"]["comment"] == "证据链完整"


def test_ctrl_c_records_nothing(folder: Path) -> None:
    before = case_json(folder, "P-2026-0001")["version"]
    child = spawn(folder, "王明", "P-2026-0001", "--on", "2026-03-09")
    answer(child, "办理哪一项 which action", "3")
    child.expect(r"处理结果 outcome[^：]*：")
    child.sendintr()
    code, output = finish(child)
    assert code == 130
    assert "已取消，未记录任何内容" in output
    assert case_json(folder, "P-2026-0001")["version"] == before


def test_no_at_the_confirmation_records_nothing(folder: Path) -> None:
    before = case_json(folder, "P-2026-0001")["version"]
    child = spawn(folder, "王明", "P-2026-0001", "--on", "2026-03-09", "--data", "type=书证")
    answer(child, "办理哪一项 which action", "add_evidence")
    answer(child, "证据名称 title", "补充询问笔录")  # `type` was given with --data: not asked
    answer(child, "取证地点 place", "")
    answer(child, "备注 note", "")
    summary = answer(child, "确认办理", "")  # Enter: the default is no
    assert "书证（documentary）" in summary
    code, output = finish(child)
    assert code == 1
    assert "未记录任何内容" in output
    assert case_json(folder, "P-2026-0001")["version"] == before


def test_without_a_terminal_nothing_is_asked(folder: Path) -> None:
    assert ZHIFA is not None
    done = subprocess.run([ZHIFA, "--config", str(folder / "config.yaml"), "--as", "王明", "case",
                           "do", "P-2026-0001"], capture_output=True, text=True, env=env(),
                          stdin=subprocess.DEVNULL, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("✗ 输入有误 bad input：没有终端")


def test_init_asks_for_the_agency_block_not_given(tmp_path: Path) -> None:
    assert ZHIFA is not None
    office = tmp_path / "office"
    argv = ["init", str(office), "--admin", "张主任", "--address", "铁锋区政府路1号"]
    keys = {"TERM": "dumb", "ZHIFA_KEYS": str(tmp_path / "keys")}
    child = pexpect.spawn(ZHIFA, argv, env=env(**keys), encoding="utf-8", timeout=30)
    code, output = finish(child)  # without the admin's key nothing is asked, nothing made
    assert code == 2, output
    assert "zhifa key init 张主任" in output
    assert not office.exists()
    Keyring(tmp_path / "keys").generate("张主任")
    child = pexpect.spawn(ZHIFA, argv, env=env(**keys), encoding="utf-8", timeout=30)
    before = answer(child, "联系电话 phone", "0452-2468100")
    assert "机关地址" not in before  # given as a flag: not asked
    answer(child, "行政复议机关", "铁锋区人民政府")
    answer(child, "管辖法院", "")  # left empty: a placeholder, and said so
    answer(child, "罚没款缴纳银行", "铁锋农村商业银行")
    code, output = finish(child)
    assert code == 0, output
    assert "⚠ 待填写" in output
    assert "agency.court" in output
    assert "下一步 next steps" in output
    config = (office / "config.yaml").read_text(encoding="utf-8")
    for value in ("铁锋区政府路1号", "0452-2468100", "铁锋区人民政府", "铁锋农村商业银行"):
        assert value in config


def test_a_draft_asks_what_the_rules_need_and_again_only_what_they_refused(folder: Path) -> None:
    """The act's date is checked as typed; the violation and its dates, recorded at 立案, are
    not asked again; 违法事实 and 法律依据 are required; the item's 裁量基准 are offered by
    number; a refusal asks again only for the key it names."""
    child = spawn(folder, "王明", "P-2026-0001")
    answer(child, "办理哪一项 which action", "draft_decision")
    answer(child, "办理日期 date of the act", "2026-01-05")
    child.expect(r"早于本案上一环节（2026-03-05）\s+—\s+请重新输入")  # at once, not at the end
    recorded = answer(child, "办理日期 date of the act", "2026-03-09")
    recorded += answer(child, "处理结果 outcome", "1")
    assert "已记录，不再询问" in recorded
    assert "violation_on=2025-11-10" in re.sub(r"\s+", "", recorded)
    answer(child, "处罚种类（可并处） penalty_kinds", "警告、罚款")
    answer(child, "罚款金额（元） amount", "150000")
    answer(child, "违法事实 facts", "")  # required by the rules (行政处罚法 Art. 59)
    child.expect(r"必填 required\s+—\s+请重新输入")
    answer(child, "违法事实 facts", "以虚假材料申领财政补助资金150万元")
    answer(child, "法律依据 basis", "《财政违法行为处罚处分条例》第十四条")
    for key in ("triggers", "mitigation", "amount_involved", "illegal_gain"):
        child.expect(rf"(?<![\w]){key}（[^：]*：")
        child.sendline("")  # 涉案金额 left out: not every benchmark of the item weighs it
    child.expect(r"(?<![\w])harm（序号")  # every benchmark of SJ-CF-003 weighs the harm: required
    child.sendline("2")
    for key in ("slight", "corrected", "first_offence", "mitigated_harm", "coerced", "confessed",
                "meritorious", "no_fault", "repeat_2y", "obstruction", "refused_correction"):
        child.expect(rf"(?<![\w]){key}（[^：]*：")
        child.sendline("是" if key == "first_offence" else "")
    offered = answer(child, "benchmark", "1")  # by number
    assert re.search(r"1\. 以虚报、冒领等手段骗取财政资金\s+SJ-CF-003-01", offered)
    for key in ("discretion_reason", "violation_ended_on", "note"):
        child.expect(rf"(?<![\w]){key}（[^：]*：")
        child.sendline("")
    child.expect("不予办理 refused")
    again = answer(child, "修改回答后重新检查", "y")
    assert "须记录：涉案金额" in re.sub(r"[\s│]+", "", again)
    asked = answer(child, "amount_involved", "1500000")  # only the key the refusal named
    summary = answer(child, "确认办理", "y")
    assert "outcome" not in asked + summary.split("请核对")[0]
    assert "¥1,500,000.00" in summary
    code, output = finish(child)
    assert code == 0, output
    draft = case_json(folder, "P-2026-0001")["draft"]
    assert isinstance(draft, dict)
    assert draft["amount_involved"] == "1500000.00"
    assert draft["benchmark"] == "SJ-CF-003-01"
    assert "violation_on" not in draft  # recorded at 立案, not asked, not restated
