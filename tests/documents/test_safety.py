"""Templates are code the office controls; what parties say is data.

Sandbox (no unsafe calls, no changing the case), StrictUndefined (a missing field is an
error naming the field and line, never a blank), escaping in HTML, overrides checked at load.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from documents.layout import blocks
from documents.render import TEMPLATE_DIR, TemplateError, Templates
from states.penalty import PENALTY
from tests.conftest import TODAY, TRAINING_BACKDATE, register_staff, run_steps
from workflow.config import parse_settings
from workflow.errors import ConfigError, RefusedError
from workflow.keys import Keyring
from workflow.notices import NoticeDesk
from workflow.scenarios import PENALTY_WITH_HEARING, Scenario
from workflow.service import Office
from workflow.store import Store

HOSTILE = "{{ 7*7 }}<script>alert(1)</script>&"


def office_with(url: str, desk: NoticeDesk) -> Office:
    store = Store(url)
    store.migrate()
    policy = parse_settings({"periods": {"backdate_working_days": TRAINING_BACKDATE}}, Path("."))
    keyring = Keyring()
    office = Office(store, policy.policy(), clock=lambda: TODAY, desk=desk, signer=keyring)
    register_staff(office, keyring)
    return office


@pytest.fixture
def overrides(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    return folder


def hostile_scenario() -> Scenario:
    opening, *rest = PENALTY_WITH_HEARING.steps
    statement = "第一段\n# 假标题\n- 假条目\n| 假表格 | 假值 |\n　　　　　　　　　　假署名"
    return Scenario(PENALTY.id, "hostile", (
        type(opening)(opening.actor, "open", opening.on, {**opening.data, "party": HOSTILE}),
        *rest[: rest.index(next(s for s in rest if s.action == "request_hearing"))],
        type(opening)("王明", "record_statement", date(2026, 3, 12), {"text": statement}),
    ))  # fmt: skip


def test_party_text_is_data_in_text_and_escaped_in_html(sqlite_url: str) -> None:
    office = office_with(sqlite_url, NoticeDesk())
    case = run_steps(office, hostile_scenario())
    notice = office.notice(case.id, "penalty_notice")
    assert f"当事人：{HOSTILE}" in notice["text"]  # literally: never evaluated
    assert "49" not in notice["text"]
    html = office.desk.html(notice)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&amp;" in html
    assert "<script>" not in html
    assert "{{ 7*7 }}" in html


def test_a_partys_line_breaks_cannot_make_headings(sqlite_url: str) -> None:
    """A statement with '# …' lines stays inside its paragraph in the decision."""
    office = office_with(sqlite_url, NoticeDesk())
    case = run_steps(office, hostile_scenario())
    # no review catalog here and no hearing asked: the head decides once the 5 working days
    # to ask for one have run (行政处罚法 Art. 64(一)), after the statement
    office.do(case.id, "decide", "赵刚", {"collective_discussion": "讨论",
              "statement_response": "不予采纳"}, date(2026, 3, 18))  # fmt: skip
    text = office.notice(case.id, "penalty_decision")["text"]
    assert "\n　　# 假标题" in text
    layout = blocks(text)
    assert [b.text for b in layout if b.kind == "title"] == ["行政处罚决定书"]
    assert not any("假条目" in i.text for b in layout if b.kind == "list" for i in b.items)
    assert not any("假署名" in line for b in layout if b.kind == "signature" for line in b.lines)
    assert "table" not in {b.kind for b in layout}


def test_a_missing_field_refuses_the_act_naming_field_and_line(
    sqlite_url: str, overrides: Path
) -> None:
    (overrides / "filing_approval.md.j2").write_text(
        '{% extends "_notice.md.j2" %}\n{% block body %}\n当事人：{{ party.name }}\n'
        "昵称：{{ party.nickname }}\n{% endblock %}\n",
        encoding="utf-8",
    )
    office = office_with(sqlite_url, NoticeDesk(Templates(overrides)))
    step = PENALTY_WITH_HEARING.steps[0]
    with pytest.raises(RefusedError) as info:
        office.open_case(PENALTY.id, step.actor, step.data, step.on)
    [reason] = info.value.reasons
    assert reason.code == "notice_incomplete"
    assert "nickname" in reason.message
    assert "filing_approval.md.j2:4" in reason.message
    assert office.cases() == []  # nothing recorded, no case number used
    office.desk = NoticeDesk()
    _, case = office.open_case(PENALTY.id, step.actor, step.data, step.on)
    assert case.id == "P-2026-0001"
    assert office.notice(case.id, "filing_approval")["number"] == "铁审立〔2026〕1号"


@pytest.mark.parametrize(
    "expression",
    ["{{ ''.__class__.__mro__ }}", "{{ case.evidence.append(1) }}", "{{ party.update(name='x') }}"],
)
def test_the_sandbox_refuses_unsafe_or_mutating_templates(
    sqlite_url: str, overrides: Path, expression: str
) -> None:
    (overrides / "filing_approval.md.j2").write_text(
        '{% extends "_notice.md.j2" %}{% block body %}' + expression + "{% endblock %}",
        encoding="utf-8",
    )
    office = office_with(sqlite_url, NoticeDesk(Templates(overrides)))
    step = PENALTY_WITH_HEARING.steps[0]
    with pytest.raises(RefusedError, match="open refused") as info:
        office.open_case(PENALTY.id, step.actor, step.data, step.on)
    assert info.value.reasons[0].code == "notice_incomplete"


def test_an_office_override_is_used_and_recorded(sqlite_url: str, overrides: Path) -> None:
    source = (TEMPLATE_DIR / "filing_approval.md.j2").read_text(encoding="utf-8")
    (overrides / "filing_approval.md.j2").write_text(
        source.replace("## 承办人意见", "## 承办人意见（本局格式）"), encoding="utf-8"
    )
    office = office_with(sqlite_url, NoticeDesk(Templates(overrides)))
    step = PENALTY_WITH_HEARING.steps[0]
    _, case = office.open_case(PENALTY.id, step.actor, step.data, step.on)
    notice = office.notice(case.id, "filing_approval")
    assert "## 承办人意见（本局格式）" in notice["text"]
    assert notice["template_sha256"] != Templates().bundle("filing_approval").sha256


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("penalty_decision.md.j2", "第一行\n第二行\n{% if %}\n", r"penalty_decision\.md\.j2:3: "),
        ("penalty_decison.md.j2", "拼错的文件名", "unknown template"),
        (
            "review_opinion.md.j2",
            '{% extends "_missing.md.j2" %}',
            "_missing.md.j2: template not found",
        ),
    ],
)
def test_a_broken_override_is_reported_at_load_with_file_and_line(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    folder = tmp_path / "office" / "templates"
    folder.mkdir(parents=True)
    (folder / name).write_text(content, encoding="utf-8")
    settings = parse_settings({"documents": {"templates": "templates"}}, tmp_path / "office")
    with pytest.raises(ConfigError, match=expected) as info:
        NoticeDesk.from_settings(settings)
    assert info.value.location == "documents.templates"


def test_a_missing_templates_directory_is_a_config_error(tmp_path: Path) -> None:
    settings = parse_settings({"documents": {"templates": "nowhere"}}, tmp_path)
    with pytest.raises(ConfigError, match="does not exist"):
        NoticeDesk.from_settings(settings)


def test_template_error_names_template_and_line() -> None:
    err = TemplateError("missing field: x", "a.md.j2", 7)
    assert str(err) == "a.md.j2:7: missing field: x"


def test_a_wrong_credit_code_never_reaches_a_notice_to_the_party() -> None:
    """GB 32100-2015: the check character is verified again before a notice is made."""
    from documents.context import notice_context

    case = {"party": {"name": "某公司", "type": "unit", "id": "91230200MA1B2C3D4F"}}
    act = {"action": "decide", "on": "2026-09-02", "data": {}}
    inputs = {"agency": {"review_organ": "区政府", "court": "区法院"}}
    with pytest.raises(TemplateError, match="校验位不正确"):
        notice_context("penalty_decision", "铁审罚〔2026〕1号", case, act, inputs)
    good = {"party": {**case["party"], "id": "91230200MA1B2C3D4E"}}
    assert notice_context("penalty_decision", "n", good, act, inputs)["party"]["id"].endswith("E")
