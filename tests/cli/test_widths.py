"""Nothing is cut off: refusals, the actions table, a case and an action's keys wrap at any
width, every word of every reason and its source kept (tested at 60 and 80 columns, as
rendered and as the installed `zhifa` prints them), measured in terminal cells: a Chinese
character takes two."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from rules.model import Reason
from terminal import output
from tests.cli.conftest import ZHIFA, env
from workflow.errors import RefusedError

WIDTHS = (60, 80)
BOX = "│┃║"
REASONS = [
    Reason("statement_window_open", "陈述申辩期（告知送达后3个工作日，至 2026-08-14）未满，且未记录"
           "陈述申辩或放弃（record_statement 或 waive）", "行政处罚法第四十四条、第四十五条；本局规定"
           "（config: periods.statement_window_days）"),
    Reason("hearing_window_open", "听证申请期（告知送达后5个工作日，至 2026-08-18）未满，当事人未书面"
           "放弃听证（waive_hearing）", "行政处罚法第六十三条、第六十四条第（一）项"),
    Reason("two_officers", "执法人员不得少于两人且须持有有效执法证件（2026-08-03 有效：王明）",
           "行政处罚法第四十二条；审计法第四十三条"),
]  # fmt: skip


def render(width: int, draw: object) -> str:
    console = Console(width=width, record=True, highlight=False, force_terminal=False)
    console.print(draw)
    return console.export_text()


def squeeze(text: str) -> str:
    """The text inside the boxes, lines joined: what a reader reads, in order."""
    return re.sub(r"[\s─━┏┓┗┛┡┩└┘├┤┼╇╈┳┻╭╮╯╰" + BOX + "]", "", text)


def column(text: str, index: int) -> str:
    """One table column's cells, line by line joined (the table drawn with │ separators)."""
    cells = [re.split("[" + BOX + "]", line) for line in text.splitlines()]
    return "".join(c[index].strip() for c in cells if len(c) > index + 1)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_refusal_wraps_and_keeps_every_word(width: int) -> None:
    exc = RefusedError("P-2026-0001", "submit_review", "notice", REASONS)
    text = render(width, output.refusal_panel(exc))
    assert max(cell_len(line) for line in text.splitlines()) <= width
    assert "…" not in text
    inside = squeeze(text)
    for reason in REASONS:
        assert squeeze(reason.message) in inside
        assert squeeze(f"依据：{reason.source}") in inside
    assert "提交法制审核" in squeeze(text)  # the action's label, with its id


@pytest.mark.parametrize("width", WIDTHS)
def test_the_actions_table_wraps_and_keeps_every_reason(width: int) -> None:
    verdict = {"action": "submit_review", "label": "提交法制审核", "allowed": False, "role": None,
               "reasons": [r.as_dict() for r in REASONS]}  # fmt: skip
    console = Console(width=width, record=True, highlight=False)
    output.show_verdicts("P-2026-0001", [verdict], console=console)
    text = console.export_text()
    assert max(cell_len(line) for line in text.splitlines()) <= width
    assert "…" not in text
    why = squeeze(column(text, 3))
    for reason in REASONS:
        assert squeeze(f"{reason.message}（{reason.source}）") in why
    assert "提交法制审核submit_review" in column(text, 2)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_installed_zhifa_wraps_at_this_width(
    width: int, bad_office: tuple[Path, str]
) -> None:
    """`case actions --all` and a refused act, as printed at COLUMNS=60 and 80."""
    assert ZHIFA is not None
    folder, case_id = bad_office
    base = [ZHIFA, "--config", str(folder / "config.yaml")]
    shown = subprocess.run([*base, "--as", "赵刚", "case", "actions", case_id, "--all"],
                           capture_output=True, text=True, env=env(COLUMNS=str(width)),
                           timeout=120, check=True)  # fmt: skip
    refused = subprocess.run([*base, "--as", "赵刚", "case", "do", case_id, "decide", "--on",
                              "2026-03-09"], capture_output=True, text=True,
                             env=env(COLUMNS=str(width)), timeout=120, check=False)  # fmt: skip
    assert refused.returncode == 3
    for text in (shown.stdout, refused.stderr):
        assert max(cell_len(line) for line in text.splitlines()) <= width
        assert "…" not in text
    inside = squeeze(refused.stderr)
    assert squeeze("案件处于「调查取证」，不能作出决定（须在：法制审核、告知）") in inside
    assert squeeze("依据：执法流程图") in inside
    assert "作出决定decide" in column(shown.stdout, 2)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_case_and_an_actions_keys_fit(width: int, bad_office: tuple[Path, str]) -> None:
    assert ZHIFA is not None
    folder, case_id = bad_office
    base = [ZHIFA, "--config", str(folder / "config.yaml")]
    for args in (["case", "show", case_id], ["case", "explain", "draft_decision"],
                 ["case", "history", case_id], ["notice", "list", case_id]):  # fmt: skip
        done = subprocess.run([*base, *args], capture_output=True, text=True,
                              env=env(COLUMNS=str(width)), timeout=120, check=True)  # fmt: skip
        assert max(cell_len(line) for line in done.stdout.splitlines()) <= width, args
        if args[1] != "history":  # the history abbreviates long data on purpose
            assert "…" not in done.stdout.replace("…)", ""), args  # (a hash is shortened)


#: Commands a clerk runs, with what they print at the terminal (`--as` where one acts).
CLERK_COMMANDS = [
    ("case", "list"), ("case", "list", "--state", "法制审核"), ("case", "history", "p-2026-1"),
    ("case", "explain", "decide_on_spot"), ("db", "status"), ("key", "list"),
    ("staff", "history", "王明"),
    ("assist", "P-2026-0001", "--draft", "--data", "amount_involved=1500000", "--data", "harm=slight"),
    ("--as", "王明", "case", "do", "P-2026-0001", "add_evidense"),
    ("case", "do", "P-2026-0001", "add_evidence"),
    ("--as", "王明", "case", "open", "--procedure", "penalti", "--title", "某案", "--party",
     "某公司", "--party-id", "123", "--on", "2026-13-01", "--data", "source", "--data", "tittle=x"),
]  # fmt: skip


@pytest.mark.parametrize("args", CLERK_COMMANDS, ids=lambda a: " ".join(a)[:40])
def test_what_a_clerk_runs_fits_80_cells(args: tuple[str, ...], bad_office: tuple[Path, str]) -> None:
    """Measured in terminal cells (a Chinese character takes two), stdout and stderr alike."""
    assert ZHIFA is not None
    folder, _ = bad_office
    done = subprocess.run([ZHIFA, "--config", str(folder / "config.yaml"), *args],
                          capture_output=True, text=True, env=env(COLUMNS="80"), timeout=120,
                          check=False)  # fmt: skip
    assert done.stdout + done.stderr, args
    for line in (done.stdout + done.stderr).splitlines():
        assert cell_len(line) <= 80, line
