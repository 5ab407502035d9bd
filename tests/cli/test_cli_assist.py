"""`zhifa assist`, `zhifa case search`, `zhifa cases import` and the benchmarks in a new office."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from terminal.office import STARTER_DISCRETION
from tests.cli.conftest import Invoke
from tests.cli.test_cli import do, drive, open_case
from workflow.config import load_settings

LIBRARY = STARTER_DISCRETION.with_name("typical_cases.yaml")


def test_init_writes_the_starter_benchmarks_owner_only(office_dir: Path) -> None:
    written = office_dir / "discretion.yaml"
    assert written.read_bytes() == STARTER_DISCRETION.read_bytes()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    settings = load_settings(office_dir / "config.yaml")
    assert settings.publicity.discretion == "discretion.yaml"
    assert len(settings.policy().benchmarks) >= 10


def test_assist_proposes_a_draft_the_officer_records(zhifa: Invoke, tmp_path: Path) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "draft_decision")
    code, doc = zhifa("cases", "import", str(LIBRARY), "--json")
    assert (code, doc["imported"]) == (0, 7)
    _, before = zhifa("case", "show", case_id, "--json")
    proposal_file = tmp_path / "草案.json"
    code, doc = zhifa("assist", case_id, "--draft", "--data", "amount_involved=1500000", "--data",
                      "harm=slight", "--data", "first_offence=是", "--out", str(proposal_file),
                      "--on", "2026-03-09", "--json", actor="王明")  # fmt: skip
    assert code == 0, doc
    similar = doc["similar"]["cases"]
    assert len(similar) == 5
    assert all(c["origin"] == "typical" and c["power"] == "SJ-CF-003" for c in similar)
    proposal = doc["proposal"]
    assert proposal["benchmark"]["benchmark"] == "SJ-CF-003-01"  # read from the violation
    assert proposal["benchmark"]["tier"] == "lighter"
    data = json.loads(proposal_file.read_text(encoding="utf-8"))
    assert data["amount"] == "240000.00"  # the middle of ¥150,000–¥330,000
    assert data["basis"] == "《财政违法行为处罚处分条例》第十四条第一款"
    assert "补助资金申请材料及拨付凭证" in data["facts"]  # assembled from the evidence
    code, later = zhifa("assist", case_id, "--draft", "--data", "amount_involved=1500000",
                        "--data", "harm=slight", "--data", "first_offence=true", "--json")  # fmt: skip
    assert later["proposal"]["benchmark"]["document"].startswith("铁审发〔2026〕8号")  # Art. 37
    assert later["proposal"]["data"]["amount"] == "225000.00"
    _, after = zhifa("case", "show", case_id, "--json")
    assert after["case"]["version"] == before["case"]["version"]  # assist records nothing
    code, doc = zhifa("case", "do", case_id, "draft_decision", "--on", "2026-03-09",
                      "--data-file", str(proposal_file), "--json", actor="王明")  # fmt: skip
    assert code == 0, doc
    assert doc["case"]["discretion"]["tier_label"] == "从轻处罚"
    assert doc["case"]["discretion"]["position"] == "within"
    code, doc = zhifa("case", "show", case_id, "--json")
    nearest = doc["case"]["similar"]["cases"]
    assert [c["same_tier"] for c in nearest] == [True, True, False, False, False]  # 从轻 first
    assert {c["tier"] for c in nearest[:2]} == {"lighter"}
    spread = doc["case"]["similar"]["distribution"]
    assert (spread["scale"], spread["count"]) == ("rate", 2)  # the library's 从轻 cases
    assert (spread["draft"], spread["median"], spread["deviation"]) == ("0.1600", "0.1150", "0.39")
    assert spread["flagged"] is False  # within 50% of the median of like cases
    data["amount"] = "330000"  # the top of 从轻: 22% of the funds, 91% above the median
    proposal_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, doc = zhifa("case", "do", case_id, "draft_decision", "--on", "2026-03-09",
                      "--data-file", str(proposal_file), "--json", actor="王明")  # fmt: skip
    assert code == 0, doc
    code, doc = zhifa("case", "show", case_id, "--json")
    assert doc["case"]["similar"]["distribution"]["flagged"] is True
    code, text = zhifa("case", "show", case_id)
    assert "裁量基准运用" in text
    assert "类案推送" in text
    assert "flagged" in text


def test_a_draft_outside_the_benchmark_is_refused_with_the_ranges(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    drive(zhifa, case_id, "draft_decision")
    code, doc = do(zhifa, case_id, "王明", "draft_decision", "2026-03-09", outcome="penalty",
                   penalty_kinds="warning,fine", amount="900000", facts="骗取补助资金",
                   basis="条例第十四条", amount_involved="1500000", harm="slight",
                   benchmark="SJ-CF-003-01")  # fmt: skip
    assert code == 3
    messages = " ".join(r["message"] for r in doc["error"]["reasons"])
    assert "超出法定幅度" in messages
    assert "750,000" in messages


def test_case_search_with_filters_and_bad_input(zhifa: Invoke) -> None:
    case_id = open_case(zhifa)
    code, doc = zhifa("case", "search", "虚假材料", "--json")
    assert code == 0
    assert [h["id"] for h in doc["hits"]] == [case_id]
    assert doc["hits"][0]["exact"] is True
    code, doc = zhifa("case", "search", "补助", "--procedure", "audit", "--json")
    assert (code, doc["hits"]) == (0, [])
    code, doc = zhifa("case", "search", "补助", "--min-amount", "abc", "--json")
    assert code == 2
    code, doc = zhifa("case", "search", "补助", "--procedure", "nope", "--json")
    assert code == 2
    code, text = zhifa("case", "search", "铁锋某建设")
    assert code == 0
    assert case_id in text


def test_a_bad_library_is_refused_with_each_place(zhifa: Invoke, tmp_path: Path) -> None:
    bad = tmp_path / "lib.json"
    bad.write_text(json.dumps([{"id": "A", "source": "x", "title": "t", "facts": "f", "tier": "lenient"},
                               {"id": "B", "title": "", "facts": "f", "source": "s", "amount": -1},
                               {"id": "A", "source": "x", "title": "t", "facts": "f"}]),
                   encoding="utf-8")  # fmt: skip
    code, doc = zhifa("cases", "import", str(bad), "--json")
    assert code == 2
    message = doc["error"]["message"]
    assert "[1].title" in message
    assert "[1].amount" in message
    assert "lenient" in message
    assert "listed twice" in message
    code, doc = zhifa("cases", "import", str(tmp_path / "none.yaml"), "--json")
    assert code == 2


def test_a_citation_broken_after_a_command_refuses_the_next_one(zhifa: Invoke, office_dir: Path) -> None:
    """The citations are remembered as resolving only for the file as it was: the clerk who
    breaks one after a first command is refused at the next, with its key, as at the first."""
    case_id = open_case(zhifa)
    code, _ = zhifa("case", "show", case_id, "--json")
    assert code == 0
    path = office_dir / "discretion.yaml"
    text = path.read_text(encoding="utf-8")
    cited = "《中华人民共和国审计法实施条例》第四十九条"
    assert cited in text
    path.write_text(text.replace(cited, "《中华人民共和国审计法实施条例》第九十九条", 1), encoding="utf-8")
    code, doc = zhifa("case", "show", case_id, "--json")
    assert code == 2, doc
    assert ".basis." in doc["error"]["location"]
    assert "第九十九条" in doc["error"]["message"]
