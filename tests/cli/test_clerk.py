"""What a new clerk sees at an 80-column terminal (the installed `zhifa`, COLUMNS=80): every
line fits, messages are Chinese first with English alongside, and each finding of the trial
(labels by the case's own procedure, every bad input at once, did-you-mean, a missing `--as`,
an empty list, a 简易程序 fine beyond Art. 51) says what to do next."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.cli.conftest import ZHIFA, env, staffed_office
from tests.conftest import run_steps
from workflow.scenarios import PENALTY_WITH_HEARING, SUMMARY_ON_THE_SPOT

pytestmark = pytest.mark.skipif(ZHIFA is None, reason="zhifa is not installed (pip install -e .)")
WIDTH = 80


@dataclass(frozen=True)
class Shown:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """P-2026-0001 ready for a draft; J-2026-0001 decided on the spot; J-2026-0002 opened on
    the spot for a citizen (张某), not yet decided."""
    office_dir = tmp_path_factory.mktemp("clerk") / "office"
    office = staffed_office(office_dir)
    run_steps(office, PENALTY_WITH_HEARING, until="draft_decision")
    run_steps(office, SUMMARY_ON_THE_SPOT, until="collect_on_spot")
    run_steps(office, SUMMARY_ON_THE_SPOT, until="decide_on_spot")
    office.store.dispose()
    return office_dir


def zhifa(folder: Path, *args: str, actor: str | None = None, **extra: str) -> Shown:
    """The installed `zhifa` at 80 columns; every line it prints for people fits."""
    assert ZHIFA is not None
    argv = [ZHIFA, "--config", str(folder / "config.yaml"), *(["--as", actor] if actor else []),
            *args]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False,
                          env=env(COLUMNS=str(WIDTH), **extra))  # fmt: skip
    shown = done.stderr if "--json" in args else done.stdout + done.stderr
    for line in shown.splitlines():  # in terminal cells: a Chinese character takes two
        assert cell_len(line) <= WIDTH, (args, line)
    return Shown(done.returncode, done.stdout, done.stderr)


def test_history_labels_states_by_the_cases_own_procedure(folder: Path) -> None:
    """`decision` is 决定 in the general procedure and 当场决定 in the 简易程序."""
    summary = zhifa(folder, "case", "history", "J-2026-0001")
    assert summary.code == 0
    assert "现场处理→当场决定" in summary.out
    assert "当场作出处罚决定" in summary.out
    general = zhifa(folder, "case", "explain", "decide")
    assert "→ 决定" in general.out
    assert "当场决定" not in general.out
    spot = zhifa(folder, "case", "explain", "decide_on_spot")
    assert "现场处理 → 当场决定" in spot.out


def test_a_lowercase_case_id_is_the_case(folder: Path) -> None:
    """p-2026-1 and p-2026-0001 are P-2026-0001 wherever a case is named."""
    shown = zhifa(folder, "case", "show", "p-2026-1")
    assert shown.code == 0, shown.err
    assert "P-2026-0001" in shown.out
    history = zhifa(folder, "case", "history", "p-2026-0001")
    assert history.code == 0, history.err
    assert "立案 open" in history.out
    actions = zhifa(folder, "case", "actions", "j-2026-0002", actor="王明")
    assert actions.code == 0, actions.err
    assert "当场作出处罚决定" in actions.out


@pytest.mark.parametrize(("typed", "meant"), [("add_evidense", "收集证据 add_evidence"),
                                              ("收集证词", "收集证据 add_evidence"),
                                              ("drafts_decision", "拟定处理意见 draft_decision")])  # fmt: skip
def test_a_mistyped_action_is_answered_with_the_nearest(folder: Path, typed: str, meant: str) -> None:
    shown = zhifa(folder, "case", "do", "P-2026-0001", typed, actor="王明")
    assert shown.code == 2
    said = shown.err.replace("\n", "")
    assert f"没有此操作 unknown action '{typed}'" in said
    assert f"是否要 did you mean：{meant}" in said
    assert said.index("did you mean") < said.index("可选 known")  # the near name first


@pytest.mark.parametrize("args", [("case", "actions", "P-2026-0001"),
                                  ("case", "do", "P-2026-0001", "add_evidence"),
                                  ("staff", "role", "add", "王明", "hearing_officer")])  # fmt: skip
def test_a_command_that_needs_an_actor_says_how_to_give_one(folder: Path, args: tuple[str, ...]) -> None:
    """No --as and no ZHIFA_USER: bad input (exit 2), Chinese first, with the command to type."""
    shown = zhifa(folder, *args)
    assert shown.code == 2
    assert shown.err.startswith("✗ 输入有误 bad input：未指明办理人 who acts? 请用 --as 姓名")
    command = " ".join(args[:3] if args[0] == "staff" else args[:2])
    assert f"例如 e.g.: zhifa --as 王明 {command} …" in shown.err
    assert "export ZHIFA_USER=王明" in shown.err


def test_zhifa_user_is_the_default_actor(folder: Path) -> None:
    shown = zhifa(folder, "case", "actions", "P-2026-0001", ZHIFA_USER="王明")
    assert shown.code == 0, shown.err
    assert "拟定处理意见" in shown.out


def test_case_open_reports_every_bad_input_at_once(folder: Path) -> None:
    """A malformed --data pair, a wrong date, a bad 统一社会信用代码, an unknown key and a
    missing one: five problems, one answer, nothing opened."""
    shown = zhifa(folder, "case", "open", "--procedure", "penalty", "--title", "某案", "--party",
                  "某公司", "--party-id", "123", "--on", "2026-13-01", "--data", "source",
                  "--data", "tittle=某案", "--json", actor="王明")  # fmt: skip
    assert shown.code == 2
    error = json.loads(shown.out)["error"]
    assert error["message"].startswith("立案信息有 5 处问题")
    reasons = "\n".join(error["reasons"])
    assert "--data 须为 KEY=VALUE" in reasons
    assert "日期有误 bad --on '2026-13-01'" in reasons
    assert "统一社会信用代码 123 有误" in reasons
    assert "unknown key 'tittle' for open；是否要 did you mean：案件名称 title？" in reasons
    assert "未填写案件来源及基本事实 missing source" in reasons
    people = zhifa(folder, "case", "open", "--procedure", "penalti", "--title", "某案", "--party",
                   "某公司", "--party-id", "123", "--data", "source=举报", actor="王明")  # fmt: skip
    assert people.code == 2
    said = people.err.replace("\n", "")
    assert said.startswith("✗ 输入有误 bad input：立案信息有 2 处问题")
    assert "• 统一社会信用代码 123 有误" in said
    assert "• 没有此程序 unknown procedure 'penalti'；是否要 did you mean：行政处罚（一般程序） penalty" in said
    assert "P-2026-0002" not in zhifa(folder, "case", "list").out


def test_a_fine_beyond_the_spot_limit_says_how_to_go_on(folder: Path, tmp_path: Path) -> None:
    """行政处罚法 Art. 51: ¥200 for a citizen on the spot. ¥500 is refused with the way on —
    convert this record (an action `case actions` offers) and open the general procedure."""
    import shutil

    office = tmp_path / "office"  # a copy: this test records acts
    shutil.copytree(folder, office)
    decide = ["case", "do", "J-2026-0002", "decide_on_spot", "--on", "2026-11-03", "--data",
              "penalty_kinds=fine", "--data", "amount=500", "--data", "facts=拖延提供资料",
              "--data", "basis=审计法实施条例第四十七条", "--data", "rights_told=true", "--data",
              "statement=无异议", "--data", "time=上午10时"]  # fmt: skip
    refused = zhifa(office, *decide, actor="王明")
    assert refused.code == 3
    said = refused.err.replace("\n", "").replace("│", "").replace(" ", "")
    assert "罚款500.00元超过简易程序对公民的限额200元" in said
    assert "请转为一般程序convert:zhifacasedoJ-2026-0002withdraw--datareason=" in said
    assert "zhifacaseopen--procedurepenalty" in said
    assert "依据：行政处罚法第五十一条" in said
    offered = zhifa(office, "case", "actions", "J-2026-0002", actor="王明")
    assert "转为一般程序" in offered.out
    converted = zhifa(office, "case", "do", "J-2026-0002", "转为一般程序", "--on", "2026-11-03",
                      "--data", "reason=罚款超过简易程序限额", actor="王明")  # fmt: skip
    assert converted.code == 0, converted.err
    assert "现场处理 → 转为一般程序" in converted.out
    archived = zhifa(office, "case", "do", "J-2026-0002", "archive", "--on", "2026-11-04",
                     actor="王明")  # fmt: skip
    assert archived.code == 0, archived.err


def test_assist_shows_the_proposal_in_the_clerks_words(folder: Path) -> None:
    """Each proposed key by its Chinese label (the id beside it), each value as read: a choice
    by its label, an amount in yuan with its capitals."""
    shown = zhifa(folder, "assist", "P-2026-0001", "--draft", "--data", "amount_involved=1500000",
                  "--data", "harm=slight")  # fmt: skip
    assert shown.code == 0, shown.err
    assert "项目 key" in shown.out
    assert "建议 proposed" in shown.out
    assert re.search(r"│ 处理结果 +│ 给予行政处罚（penalty）", shown.out)
    assert re.search(r"│ 处罚种类（可并处） +│ 警告（warning）、罚款（fine）", shown.out)
    assert re.search(r"│ amount +│", shown.out)  # the id under its label
    assert "¥1,500,000.00（壹佰伍拾万元整）" in shown.out
    assert "危害后果轻微（slight）" in shown.out
    assert "['warning', 'fine']" not in shown.out
    assert "适用裁量基准 benchmark SJ-CF-003-01「一般处罚」" in shown.out


def test_an_empty_case_list_says_so(folder: Path) -> None:
    shown = zhifa(folder, "case", "list", "--state", "法制审核")
    assert shown.code == 0, shown.err
    assert shown.out.strip() == "没有符合条件的案件 no cases to show"
