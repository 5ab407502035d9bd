"""Every command, its exit codes and its JSON shapes, through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import app
from tests.cli.conftest import Invoke
from workflow.scenarios import ALL_PASS, PENALTY_WITH_HEARING

CASE_KEYS = {"id", "procedure", "state", "title", "party", "version", "review_required",
             "deadlines", "draft", "officers", "assignments"}  # fmt: skip
EVENT_KEYS = {"seq", "action", "from_state", "to_state", "actor", "role", "occurred_on",
              "recorded_at", "data", "prev_hash", "hash"}  # fmt: skip


def open_case(zhifa: Invoke) -> str:
    code, doc = zhifa(
        "case", "open", "--procedure", "penalty", "--title", "某公司案", "--party", "铁锋某建设有限公司",
        "--party-id", "91230200MA1B2C3D4E", "--party-address", "铁锋区工业路88号", "--on", "2026-03-02", "--data", "source=专项审计线索",
        "--data", "power=SJ-CF-003", "--data", "violation=以虚假材料申领补助", "--data", "violation_on=2025-11-10",
        "--data", "discovered_on=2026-02-26", "--json", actor="王明",
    )  # fmt: skip
    assert code == 0, doc
    return str(doc["case"]["id"])


def do(
    zhifa: Invoke, case_id: str, actor: str, action: str, on: str, **data: Any
) -> tuple[int, Any]:
    args = ["case", "do", case_id, action, "--on", on, "--json"]
    for key, value in data.items():
        args += [
            "--data",
            f"{key}={value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}",
        ]
    return zhifa(*args, actor=actor)  # type: ignore[no-any-return]


def drive(zhifa: Invoke, case_id: str, until: str) -> None:
    for step in PENALTY_WITH_HEARING.steps[1:]:
        if step.action == until:
            return
        code, doc = do(zhifa, case_id, step.actor, step.action, step.on.isoformat(), **step.data)
        assert code == 0, doc


def test_init_refuses_to_overwrite(runner: CliRunner, office_dir: Path) -> None:
    result = runner.invoke(app, ["init", str(office_dir)])
    assert result.exit_code == 2
    assert "already exists" in result.output
    assert (office_dir / "zhifa.db").exists()


def test_staff_register_needs_an_admin_and_shows_the_reviewer_share(zhifa: Invoke) -> None:
    code, _ = zhifa("staff", "add", "新人", "--role", "officer", actor="王明")
    assert code == 3
    code, _ = zhifa("staff", "add", "新人", "--role", "wizard", actor="管理员")
    assert code == 2
    code, doc = zhifa("staff", "list", "--json")
    assert code == 0
    names = {p["name"] for p in doc["staff"]}
    assert {"王明", "陈静", "管理员"} <= names
    assert doc["reviewer_share"]["reviewers"] == 2
    assert doc["reviewer_share"]["enforcement_staff"] == 2
    assert doc["reviewer_share"]["meets_floor"] is True
    assert "118号" in doc["reviewer_share"]["source"]
    code, _ = zhifa("staff", "deactivate", "李华", actor="管理员")
    assert code == 0
    _, doc = zhifa("staff", "list", "--json")
    assert {p["name"]: p["active"] for p in doc["staff"]}["李华"] is False


def test_open_show_list_and_json_shapes(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    assert case_id == "P-2026-0001"
    code, doc = zhifa("case", "show", case_id, "--json")
    assert code == 0
    assert CASE_KEYS <= set(doc["case"])
    assert doc["case"]["state"] == "initiation"
    assert doc["case"]["deadlines"][0]["id"] == "decision_limit"
    assert set(doc["case"]["deadlines"][0]) >= {"id", "due", "status", "provisional", "source"}
    code, doc = zhifa("case", "list", "--state", "initiation", "--json")
    assert [c["id"] for c in doc["cases"]] == [case_id]
    code, text = zhifa("case", "open", "--procedure", "audit", "--title", "t", "--party", "p",
                       "--party-id", "11230200MB1X5Y6T78", "--party-address", "a",
                       "--data", "scope=s", "--data", "period=2025", actor="王明")  # fmt: skip
    assert code == 0
    assert text.strip() == "A-2026-0001"


def test_actions_checklist_and_do(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    code, doc = zhifa("case", "actions", case_id, "--on", "2026-03-02", "--json", actor="赵刚")
    assert code == 0
    verdicts = {a["action"]: a for a in doc["actions"]}
    assert verdicts["assign"]["allowed"] is True
    assert verdicts["investigate"]["allowed"] is False
    assert verdicts["investigate"]["reasons"][0]["code"] == "two_officers"
    code, doc = do(zhifa, case_id, "赵刚", "assign", "2026-03-02", person="李华", role="officer")
    assert code == 0
    assert EVENT_KEYS <= set(doc["event"])
    assert doc["event"]["seq"] == 2
    assert doc["case"]["officers"] == ["王明", "李华"]


def test_actions_explain_prints_the_article_a_refusal_cites(zhifa: Invoke) -> None:
    """Issue 17: a refusal's source resolves to the law's text (行政处罚法 Art. 42: two officers)."""
    case_id = open_case(zhifa)
    code, text = zhifa("case", "actions", case_id, "--on", "2026-03-02", "--explain", actor="赵刚")
    assert code == 0
    assert "执法人员不得少于两人" in text.replace("\n", "").replace("│", "").replace(" ", "")
    code, doc = zhifa("case", "actions", case_id, "--on", "2026-03-02", "--explain", "--json",
                      actor="赵刚")  # fmt: skip
    source = next(r["source"] for a in doc["actions"] if a["action"] == "investigate"
                  for r in a["reasons"] if r["code"] == "two_officers")  # fmt: skip
    assert any("执法人员不得少于两人" in part["text"] for part in doc["law"][source])


def test_refusal_exit_code_and_json_reasons(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    code, doc = do(zhifa, case_id, "王明", "investigate", "2026-03-03")
    assert code == 3
    codes = {r["code"] for r in doc["error"]["reasons"]}
    assert codes == {"role_not_permitted", "two_officers"}
    assert all(r["source"] for r in doc["error"]["reasons"])
    code, text = zhifa("case", "do", case_id, "investigate", "--on", "2026-03-03", actor="王明")
    assert code == 3
    assert "行政处罚法第四十二条" in text
    assert "Traceback" not in text


def test_bad_input_exit_code_two(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    assert zhifa("case", "show", "P-2099-0001", "--json")[0] == 2
    assert zhifa("case", "do", case_id, "bribe", "--json", actor="王明")[0] == 2
    assert (
        zhifa("case", "do", case_id, "assign", "--on", "2026-13-01", "--json", actor="赵刚")[0] == 2
    )
    code, doc = zhifa("case", "do", case_id, "assign", "--data", "nokey", "--json", actor="赵刚")
    assert code == 2
    assert "KEY=VALUE" in doc["error"]["message"]
    code, doc = zhifa(
        "case", "do", case_id, "assign", "--data", "person=李华", "--json", actor="赵刚"
    )
    assert code == 2
    assert any("role" in r for r in doc["error"]["reasons"])
    assert zhifa("case", "replay", case_id, "--until", "9", "--json")[0] == 2


def test_write_without_a_known_actor_is_refused(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    code, doc = zhifa(
        "case", "do", case_id, "assign", "--data", "person=李华", "--data", "role=officer", "--json"
    )
    assert code == 2  # bad input: the command says how to give one (--as, ZHIFA_USER)
    assert doc["error"]["message"].startswith("未指明办理人")
    code, doc = zhifa("case", "do", case_id, "assign", "--json", actor="冒名者")
    assert code == 3
    assert doc["error"]["reasons"][0]["code"] == "unknown_actor"


def test_conflict_exit_code_four(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    code, doc = zhifa("case", "do", case_id, "assign", "--data", "person=李华", "--data", "role=officer",
                      "--on", "2026-03-02", "--expect-version", "7", "--json", actor="赵刚")  # fmt: skip
    assert code == 4
    assert doc["error"]["code"] == "conflict"


def test_data_file_and_note(zhifa: Invoke, tmp_path: Path) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "submit_review")
    payload = tmp_path / "review.json"
    payload.write_text(
        json.dumps({"materials": ["调查终结报告"]}, ensure_ascii=False), encoding="utf-8"
    )
    code, doc = zhifa("case", "do", case_id, "submit_review", "--on", "2026-03-27", "--data-file",
                      str(payload), "--note", "按期报送", "--json", actor="王明")  # fmt: skip
    assert code == 0, doc
    assert doc["event"]["data"] == {"materials": ["调查终结报告"], "note": "按期报送"}
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    code, _ = zhifa("case", "do", case_id, "approve_review", "--data-file", str(bad), actor="陈静")
    assert code == 2


def test_history_replay_and_verify(zhifa: Invoke, office_dir: Path) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "decide")
    code, doc = zhifa("case", "history", case_id, "--json")
    assert code == 0
    assert [e["seq"] for e in doc["events"]] == list(range(1, 14))
    assert all(EVENT_KEYS <= set(e) for e in doc["events"])
    assert doc["events"][1]["prev_hash"] == doc["events"][0]["hash"]
    code, doc = zhifa("case", "replay", case_id, "--until", "7", "--json")
    assert (code, doc["until"], doc["case"]["state"]) == (0, 7, "notice")
    # an auditor sees the deadlines as they stood at event 7 (2026-03-10), not as of today
    limit = {d["id"]: d["status"] for d in doc["case"]["deadlines"]}["decision_limit"]
    code, shown = zhifa("case", "show", case_id, "--json")
    now = {d["id"]: d["status"] for d in shown["case"]["deadlines"]}["decision_limit"]
    assert (limit, now) == ("open", "overdue")
    code, doc = zhifa("verify", "--json")
    assert (doc["ok"], doc["problems"], doc["trust_root"]["admin"]) == (True, [], "管理员")
    import sqlite3

    db = sqlite3.connect(office_dir / "zhifa.db")
    db.execute("DROP TRIGGER events_append_only_update")
    db.execute("UPDATE events SET actor = '伪造' WHERE seq = 3")
    db.commit()
    db.close()
    code, doc = zhifa("verify", case_id, "--json")
    assert code == 5
    assert doc["ok"] is False
    assert {"case": case_id, "seq": 3, "problem": "记录内容与其哈希不符 event content does not match its hash"} in doc[
        "problems"
    ]
    code, text = zhifa("verify")
    assert code == 5
    assert "记录内容与其哈希不符" in "".join(text.split())  # the table may fold the line


def test_full_case_through_the_terminal_with_review(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "approve_review")
    code, doc = do(
        zhifa,
        case_id,
        "赵刚",
        "decide",
        "2026-04-01",
        collective_discussion="局务会",
        statement_response="采纳从轻意见",
    )
    assert code == 3
    assert "review_not_passed" in {r["code"] for r in doc["error"]["reasons"]}
    code, doc = do(
        zhifa, case_id, "陈静", "approve_review", "2026-03-31", checklist=ALL_PASS, opinion="同意"
    )
    assert code == 0
    code, doc = do(
        zhifa,
        case_id,
        "赵刚",
        "decide",
        "2026-04-01",
        collective_discussion="局务会",
        statement_response="采纳从轻意见",
    )
    assert code == 0
    assert doc["case"]["state"] == "decision"
    [decision] = doc["event"]["documents"]
    assert (decision["kind"], decision["title"]) == ("penalty_decision", "行政处罚决定书")
    assert decision["number"] == "铁审罚〔2026〕1号"
    assert "铁审罚〔2026〕1号" in decision["text"]


def test_explain_alerts_and_calendar(zhifa: Invoke) -> None:
    code, doc = zhifa("case", "explain", "draft_decision", "--json")
    assert code == 0
    assert {k["key"] for k in doc["keys"]} >= {
        "outcome",
        "penalty_kinds",
        "amount",
        "facts",
        "basis",
    }
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "approve_review")
    code, doc = zhifa("alerts", "--within", "3", "--json")
    assert code == 0
    overdue = {(a["case"], a["id"]) for a in doc["alerts"]}
    assert (case_id, "review_limit") in overdue  # submitted 28 Aug, no opinion by 24 Nov
    assert all(a["days_left"] < 0 for a in doc["alerts"])
    code, doc = zhifa("calendar", "check", "--json")
    assert code == 0
    assert 2027 in doc["missing"]
    assert 2026 not in doc["missing"]


def test_interactive_prompt_refused_without_a_terminal(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    code, text = zhifa("case", "do", case_id, actor="王明")
    assert code == 2
    assert "not a terminal" in text


def test_missing_and_bad_config(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--config", str(tmp_path / "nope.yaml"), "case", "list"])
    assert result.exit_code == 2
    assert "no config file" in result.output
    bad = tmp_path / "config.yaml"
    bad.write_text("periods:\n  statement_window_days: -4\n", encoding="utf-8")
    result = runner.invoke(app, ["--config", str(bad), "case", "list", "--json"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["error"]["location"] == "periods.statement_window_days"
    bad.write_text("agency: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["--config", str(bad), "case", "list"])
    assert result.exit_code == 2
    assert "not valid YAML" in result.output


def test_database_url_from_the_environment(runner: CliRunner, office_dir: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("ZHIFA_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = runner.invoke(app, ["--config", str(office_dir / "config.yaml"), "case", "list"])
    assert result.exit_code == 2
    assert "zhifa db upgrade" in result.output
    result = runner.invoke(app, ["--config", str(office_dir / "config.yaml"), "db", "upgrade"])
    assert result.exit_code == 0
    result = runner.invoke(
        app, ["--config", str(office_dir / "config.yaml"), "case", "list", "--json"]
    )
    assert json.loads(result.stdout)["cases"] == []


def test_every_command_has_help_with_an_example(runner: CliRunner) -> None:
    for path in (["init"], ["demo"], ["verify"], ["alerts"], ["case", "open"], ["case", "do"],
                 ["case", "actions"], ["case", "history"], ["case", "replay"], ["case", "show"],
                 ["case", "list"], ["staff", "add"], ["staff", "list"], ["staff", "deactivate"],
                 ["calendar", "check"], ["db", "upgrade"]):  # fmt: skip
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.output, path


def test_case_show_gives_the_limit_the_minors_mitigation_and_the_measures(zhifa: Invoke) -> None:
    """Shown on the terminal, not only in --json (audit): 时效 (行政处罚法 Art. 36), a party of
    14 to 18 (Art. 30: 应当从轻或者减轻) and the 行政强制措施 taken in the case."""
    code, doc = zhifa(
        "case", "open", "--procedure", "penalty", "--title", "某少年案", "--party", "王某",
        "--party-type", "individual", "--party-id", "230202201001011236",
        "--party-address", "铁锋区工业路1号", "--on", "2026-03-02", "--data", "source=举报",
        "--data", "power=SJ-CF-003", "--data", "violation=虚报冒领补助",
        "--data", "violation_on=2026-01-10", "--data", "discovered_on=2026-02-26", "--json",
        actor="王明",
    )  # fmt: skip
    assert code == 0, doc
    case_id = doc["case"]["id"]
    code, text = zhifa("case", "show", case_id)
    flat = " ".join(text.split())
    assert "时效 limit" in flat
    assert "2026-01-10 起 2 年，至 2028-01-10" in flat
    assert "16周岁" in flat
    assert "从轻" in flat
    code, doc = zhifa(
        "case", "open", "--procedure", "measure", "--title", "先行登记保存发票", "--party", "王某",
        "--on", "2026-03-03", "--data", f"parent={case_id}", "--data", "kind=registration",
        "--data", "partner=李华", "--data", "items=发票12张", "--data", "reasons=证据可能灭失",
        "--data", "basis=《中华人民共和国行政处罚法》第五十六条", "--json", actor="王明",
    )  # fmt: skip
    assert code == 0, doc
    code, text = zhifa("case", "show", case_id)
    assert f"强制措施 measure  {doc['case']['id']} 先行登记保存发票" in text
