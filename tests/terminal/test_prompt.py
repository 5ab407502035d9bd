"""The prompts and the guided act, in process: answers by number, label or id; a wrong answer
asked again with the reason; an audit draft asks only what applies to an audit, and walks its
处理措施 one by one. (tests/cli/test_guided.py drives the installed zhifa under a pty.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from terminal import guided, prompt
from tests.conftest import make_office, run_steps
from workflow.scenarios import AUDIT_WITH_SUPPLEMENT
from workflow.service import Office

KINDS = [("warning", "警告"), ("fine", "罚款"), ("confiscation", "没收违法所得")]


def test_a_choice_by_number_label_or_id() -> None:
    assert prompt.choose_one(KINDS, "2") == "fine"
    assert prompt.choose_one(KINDS, "罚款") == "fine"
    assert prompt.choose_one(KINDS, "FINE") == "fine"
    with pytest.raises(ValueError, match="须为 1 至 3 的序号"):
        prompt.choose_one(KINDS, "4")
    with pytest.raises(ValueError, match="没有「罚金」这一项"):
        prompt.choose_one(KINDS, "罚金")
    assert prompt.choose_many(KINDS, "警告、罚款") == ["warning", "fine"]
    assert prompt.choose_many(KINDS, "1，3, 1") == ["warning", "confiscation"]
    with pytest.raises(ValueError, match="至少选一项"):
        prompt.choose_many(KINDS, " , ")


class Typist:
    """Types the reply whose key the prompt contains (a list: one reply per time asked)."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.replies: dict[str, Any] = {}

    def type(self, text: Any) -> str:
        plain = text.plain if hasattr(text, "plain") else str(text)
        self.asked.append(plain)
        for key, reply in self.replies.items():
            if key in plain:
                return str(reply.pop(0) if isinstance(reply, list) else reply)
        return ""


@pytest.fixture
def typist(monkeypatch: pytest.MonkeyPatch) -> Typist:
    typing = Typist()
    monkeypatch.setattr(prompt.Answer, "get_input",
                        classmethod(lambda cls, console, text, password, stream=None:
                                    typing.type(text)))  # fmt: skip
    monkeypatch.setattr(prompt, "on_terminal", lambda: True)
    return typing


def test_a_wrong_answer_is_asked_again_with_the_reason(
    typist: Typist, capsys: pytest.CaptureFixture[str]
) -> None:
    typist.replies["金额"] = ["", "十五万", "150000"]
    from states.definition import Field

    field = Field(name="amount", kind="money", label="罚款金额（元）", required=True)
    assert prompt.ask("罚款金额（元）", guided._checker(field)) == "150000.00"
    shown = capsys.readouterr().out
    assert "必填 required" in shown
    assert "须为金额" in shown
    assert "请重新输入 try again" in shown
    assert len([a for a in typist.asked if "金额" in a]) == 3


@pytest.fixture
def audit_office(sqlite_url: str) -> Iterator[tuple[Office, str]]:
    office = make_office(sqlite_url)
    case = run_steps(office, AUDIT_WITH_SUPPLEMENT, until="draft_decision")
    yield office, case.id
    office.store.dispose()


def test_an_audit_draft_asks_what_applies_and_walks_the_measures(
    typist: Typist, audit_office: tuple[Office, str]
) -> None:
    office, case_id = audit_office
    typist.replies.update({
        "which action": "拟定审计处理意见",
        "处理结果 outcome": "责令采取处理措施",
        "违法事实 facts": "2025年度违反规定发放津贴补贴50000元",
        "法律依据 basis": "《中华人民共和国审计法》第四十九条第（一）项",
        "审计决定事项 audit_subject": "1",
        "种类 kind": ["1", ""],
        "金额（元）amount": "50000",
        "执行期限（日）days": ["0", "30"],
        "说明 text": "收回违规发放的津贴补贴并上缴财政",
        "确认办理": "y",
    })  # fmt: skip
    action, data, day = guided.guided_act(office, case_id, "王明", date(2026, 9, 15), {})
    assert (action, day) == ("draft_decision", date(2026, 9, 15))
    assert data["outcome"] == "measures_only"
    assert data["audit_subject"] == "fiscal"
    assert data["measures"] == [{"kind": "pay_in", "amount": "50000.00", "days": 30,
                                 "text": "收回违规发放的津贴补贴并上缴财政"}]  # fmt: skip
    asked = "\n".join(typist.asked)
    for never in ("penalty_kinds", "罚款金额", "ground", "refer_to"):
        assert never not in asked  # a penalty's keys: not for 处理措施 only
    assert len([a for a in typist.asked if "days" in a]) == 2  # 0 days asked again
    event, case = office.do(case_id, action, "王明", data, day)
    assert case.draft is not None
    assert case.draft["measures"][0]["kind"] == "pay_in"
