"""`zhifa publish case|withdraw|site`, `zhifa report annual`, and the annual report alert."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.conftest import Invoke
from tests.cli.test_cli import do, drive, open_case


def test_publish_withdraw_and_the_site(zhifa: Invoke, office_dir: Path, tmp_path: Path) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "serve")
    code, doc = zhifa("publish", "case", case_id, "--on", "2026-04-02", "--json", actor="刘洋")
    assert code == 0, doc
    assert doc["event"]["data"]["content"]["decision_number"] == "铁审罚〔2026〕1号"
    code, doc = zhifa("publish", "case", case_id, "--on", "2026-04-02", "--json", actor="王明")
    assert code == 3
    code, _ = do(zhifa, case_id, "赵刚", "revoke_decision", "2026-04-07", kind="changed",
                 reason="复议变更")  # fmt: skip
    assert code == 0
    code, doc = zhifa("publish", "withdraw", case_id, "--reason", "决定已变更", "--on", "2026-04-08",
                      "--json", actor="刘洋")  # fmt: skip
    assert code == 0, doc
    site = tmp_path / "site"
    code, doc = zhifa("publish", "site", "--out", str(site), "--json")
    assert code == 0, doc
    assert "index.html" in doc["files"]
    page = (site / "results" / f"{case_id}.html").read_text(encoding="utf-8")
    assert "决定已变更" in page
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    code, doc = zhifa("publish", "site", "--out", str(tmp_path / "other"), "--json")
    assert code == 2
    assert "holds other files" in doc["error"]["message"]
    (office_dir / "powers.yaml").write_text(
        "- id: X\n  name: 缺依据\n  kind: 行政处罚\n", encoding="utf-8"
    )
    code, doc = zhifa("publish", "site", "--out", str(site), "--json")
    assert code == 2
    assert doc["error"]["location"] == "publicity.powers[0].basis"


def test_annual_report(zhifa: Invoke, tmp_path: Path) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "serve")
    html = tmp_path / "2026.html"
    code, doc = zhifa("report", "annual", "2026", "--html", str(html), "--json")
    assert code == 0
    assert doc["report"]["decided"]["total"] == 1
    assert doc["report"]["hearings"] == 1
    page = html.read_text(encoding="utf-8")
    assert 'class="chart"' in page  # bar charts with their tables
    assert "&#34;" not in page.split("</style>")[0]  # the inline style sheet is not escaped
    assert "统计期间：2026年1月1日至2026年12月31日" in page
    assert "2026年度执法统计年报" in page
    assert "<script" not in page
    code, text = zhifa("report", "annual", "2026")
    assert code == 0
    assert "执法统计年报" in text
    code, _ = zhifa("report", "annual", "2026", "--publish", actor="王明")
    assert code == 3
    code, doc = zhifa("report", "annual", "1800", "--json")
    assert code == 2


def test_the_annual_report_is_alerted_in_january(
    zhifa: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """118号（六）: last year's statistics published by 31 January — for a year the office
    worked in: a new office is not told about a year before it existed."""
    monkeypatch.setenv("ZHIFA_TODAY", "2027-01-25")
    code, doc = zhifa("alerts", "--json")
    assert code == 0
    assert not [a for a in doc["alerts"] if a["id"] == "annual_report"]  # no case yet
    open_case(zhifa)  # opened in 2026
    code, doc = zhifa("alerts", "--json")
    due = [a for a in doc["alerts"] if a["id"] == "annual_report"]
    assert due
    assert due[0]["due"] == "2027-01-31"
    assert "2026" in due[0]["label"]
    monkeypatch.setenv("ZHIFA_TODAY", "2027-03-01")
    code, doc = zhifa("alerts", "--json")
    [late] = [a for a in doc["alerts"] if a["id"] == "annual_report"]
    assert (late["due"], late["status"]) == ("2027-01-31", "overdue")
    assert late["days_left"] < 0
    code, _ = zhifa("report", "annual", "2026", "--publish", actor="刘洋")
    assert code == 0
    code, doc = zhifa("alerts", "--json")
    assert not [a for a in doc["alerts"] if a["id"] == "annual_report"]
    monkeypatch.setenv("ZHIFA_TODAY", "2026-06-01")  # no 2025 report: the office began in 2026
    code, doc = zhifa("alerts", "--json")
    assert not [a for a in doc["alerts"] if a["id"] == "annual_report"]


def test_publish_with_redactions(zhifa: Invoke) -> None:
    """`--redact TEXT=REASON` (repeatable): recorded in the event, withheld from the record."""
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "serve")
    code, doc = zhifa("case", "show", case_id, "--json")
    facts = doc["case"]["draft"]["facts"]
    span = facts[:4]
    code, doc = zhifa("publish", "case", case_id, "--on", "2026-09-03", "--redact",
                      f"{span}=商业秘密", "--json", actor="刘洋")  # fmt: skip
    assert code == 0, doc
    assert doc["event"]["data"]["redactions"] == [{"text": span, "reason": "trade_secret"}]
    assert doc["event"]["data"]["content"]["facts"].startswith("[依法不予公开：商业秘密]")
    for bad in ("no-equals-sign", f"{span}=不喜欢", "=商业秘密"):
        code, doc = zhifa("publish", "case", case_id, "--redact", bad, "--json", actor="刘洋")
        assert code == 2, doc
        assert doc["error"]["message"].startswith("不予公开的内容有误 bad --redact")
