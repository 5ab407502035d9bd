"""`zhifa notice list|show|export`, and the office's own templates from config.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml

from documents.render import TEMPLATE_DIR
from tests.cli.conftest import Invoke
from tests.cli.test_cli import do, drive, open_case


def test_notice_list_show_and_export(zhifa: Invoke, tmp_path: Path) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "request_hearing")
    code, doc = zhifa("notice", "list", case_id, "--json")
    assert code == 0
    assert [(n["kind"], n["number"]) for n in doc["notices"]] == [
        ("filing_approval", "铁审立〔2026〕1号"), ("penalty_notice", "铁审罚告〔2026〕1号")
    ]  # fmt: skip
    assert "text" not in doc["notices"][0]
    code, text = zhifa("notice", "list", case_id)
    assert code == 0
    assert "行政处罚事先告知书" in text
    code, text = zhifa("notice", "show", case_id, "铁审罚告〔2026〕1号")
    assert code == 0
    assert text.startswith("铁锋区审计局\n铁审罚告〔2026〕1号\n\n# 行政处罚事先告知书\n")
    code, doc = zhifa("notice", "show", case_id, "filing_approval", "--json")
    assert code == 0
    assert doc["notice"]["number"] == "铁审立〔2026〕1号"
    assert doc["notice"]["text"]
    code, doc = zhifa(
        "notice", "export", case_id, "--format", "txt", "--out", str(tmp_path), "--json"
    )
    assert code == 0
    assert [Path(p).name for p in doc["files"]] == [
        f"{case_id}_001_filing_approval.txt", f"{case_id}_007_penalty_notice.txt"
    ]  # fmt: skip
    code, text = zhifa("notice", "export", case_id, "--format", "html", "--out", str(tmp_path),
                       "--notice", "penalty_notice")  # fmt: skip
    assert code == 0
    assert (tmp_path / f"{case_id}_007_penalty_notice.html").is_file()


def test_notice_errors_exit_2_with_the_reason(zhifa: Invoke, tmp_path: Path) -> None:
    case_id = open_case(zhifa)
    code, doc = zhifa("notice", "show", case_id, "penalty_decision", "--json")
    assert code == 2
    assert "has no notice 'penalty_decision'" in doc["error"]["message"]
    code, doc = zhifa("notice", "list", "P-2099-0001", "--json")
    assert code == 2
    code, doc = zhifa("notice", "export", case_id, "--format", "doc", "--json")
    assert code == 2
    assert "unknown format" in doc["error"]["message"]
    (tmp_path / "f").write_text("x")
    code, doc = zhifa(
        "notice", "export", case_id, "--format", "txt", "--out", str(tmp_path / "f"), "--json"
    )
    assert code == 2
    assert "is a file" in doc["error"]["message"]


def test_office_templates_from_config(zhifa: Invoke, office_dir: Path) -> None:
    config = office_dir / "config.yaml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["documents"] = {"templates": "templates", "codes": {"filing_approval": "案立"}}
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    (office_dir / "templates").mkdir()
    source = (TEMPLATE_DIR / "filing_approval.md.j2").read_text(encoding="utf-8")
    (office_dir / "templates" / "filing_approval.md.j2").write_text(
        source.replace("## 承办人意见", "## 承办部门意见"), encoding="utf-8"
    )
    case_id = open_case(zhifa)
    code, text = zhifa("notice", "show", case_id, "filing_approval")
    assert code == 0
    assert "## 承办部门意见" in text
    assert "铁审案立〔2026〕1号" in text
    # a broken override stops every command at load, naming file and line
    (office_dir / "templates" / "closing_report.md.j2").write_text("{% if %}", encoding="utf-8")
    code, doc = zhifa("case", "list", "--json")
    assert code == 2
    assert "closing_report.md.j2:1" in doc["error"]["message"]
    assert doc["error"]["location"] == "documents.templates"


def test_a_decision_without_the_statement_answer_is_refused(zhifa: Invoke) -> None:
    """行政处罚法 Art. 45: after a hearing the decision must answer what the party said."""
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "decide")
    code, doc = do(zhifa, case_id, "赵刚", "decide", "2026-04-01", collective_discussion="局务会")
    assert code == 3
    assert "statement_response" in {r["code"] for r in doc["error"]["reasons"]}
