"""discretion.yaml as data, and the benchmark bound to every penalty draft (行政处罚法 Art. 34)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules.review import review_grounds
from tests.conftest import STARTER_DISCRETION, make_office, run_steps, with_benchmarks
from workflow.config import Settings
from workflow.discretion import load_benchmarks, parse_benchmarks
from workflow.errors import ConfigError, RefusedError
from workflow.powers import powers_by_id
from workflow.scenarios import ALL_PASS, PENALTY_WITH_HEARING
from workflow.service import Office

POWERS = powers_by_id(STARTER_DISCRETION.with_name("powers.yaml"))
STARTER = yaml.safe_load(STARTER_DISCRETION.read_text(encoding="utf-8"))
DRAFT = next(s for s in PENALTY_WITH_HEARING.steps if s.action == "draft_decision")


def test_every_problem_of_discretion_yaml_is_reported_with_its_place() -> None:
    rows = copy.deepcopy(STARTER)
    rows[0]["power"] = "SJ-XX-999"  # not in powers.yaml
    rows[1]["basis"]["punishes"] = "《中华人民共和国审计法实施条例》第九十九条"  # no such article
    rows[2]["tiers"][0]["when"] = "first_offence and wealth > 3"  # undeclared fact
    rows[3]["tiers"] = list(reversed(rows[3]["tiers"]))  # out of order
    rows[4]["legal"]["kinds"] = ["warning", "licence_revocation"]  # beyond the power item
    rows[5]["valid_from"] = "2025-01-01"  # overlaps the version before it
    rows[6]["tiers"][1]["share"] = [0.8, 0.2]
    rows[7]["legal"]["fine"]["unit"]["base"] = "first_offence"  # not an amount
    rows.append({"id": "X"})
    with pytest.raises(ConfigError) as caught:
        parse_benchmarks(rows, POWERS)
    message = str(caught.value)
    for place in ("[0].power", "[1].basis.punishes", "[2].tiers[0].when", "[3].tiers",
                  "[4].legal.kinds", "[5].valid_from", "[6].tiers[1].share",
                  "[7].legal.fine.unit", "[10].document"):  # fmt: skip
        assert f"publicity.discretion{place}" in message, place
    assert "第九十九条" in message
    assert "wealth" in message
    assert caught.value.location == "publicity.discretion[0].power"


def test_a_broken_discretion_file_stops_every_command_with_its_key(tmp_path: Path) -> None:
    bad = tmp_path / "discretion.yaml"
    bad.write_text("- id: [unclosed\n", encoding="utf-8")
    settings = Settings(base_dir=tmp_path)
    with pytest.raises(ConfigError) as caught:
        settings.policy()
    assert caught.value.location == "publicity.discretion"
    assert load_benchmarks(tmp_path / "none.yaml", POWERS) == ()


@pytest.fixture
def bound(sqlite_url: str) -> Iterator[Office]:
    made = make_office(sqlite_url, with_benchmarks())
    yield made
    made.store.dispose()


def _draft(office: Office, **changes: Any) -> Any:
    case = run_steps(office, PENALTY_WITH_HEARING, until="draft_decision")
    data = {k: v for k, v in {**DRAFT.data, **changes}.items() if v is not None}
    return case.id, data


def test_a_draft_carries_the_benchmark_and_tier_its_facts_match(bound: Office) -> None:
    case_id, data = _draft(bound)
    event, case = bound.do(case_id, "draft_decision", "王明", data, DRAFT.on)
    record = case.draft["discretion"]
    assert (record["benchmark"], record["tier"], record["position"]) == ("SJ-CF-003-01", "lighter", "within")
    assert record["suggested"]["fine"] == {"min": "150000.00", "max": "330000.00"}
    assert event.data["discretion"] == record  # recorded with the act, not recomputed later
    assert not bound.verify(case_id)


def test_outside_the_legal_range_is_refused_and_outside_the_suggested_needs_a_reason(bound: Office) -> None:
    case_id, data = _draft(bound, amount="800000")
    with pytest.raises(RefusedError) as caught:
        bound.do(case_id, "draft_decision", "王明", data, DRAFT.on)
    codes = {r.code for r in caught.value.reasons}
    assert "discretion_outside_legal" in codes  # above 50% of ¥1.5m (条例 Art. 14)
    data = {**data, "amount": "400000"}  # in the law's range, above 从轻's 22%
    with pytest.raises(RefusedError) as caught:
        bound.do(case_id, "draft_decision", "王明", data, DRAFT.on)
    assert [r.code for r in caught.value.reasons] == ["discretion_reason"]
    data["discretion_reason"] = "涉案资金用于高风险投资，危害较大"
    _, case = bound.do(case_id, "draft_decision", "王明", data, DRAFT.on)
    assert case.draft["discretion"]["position"] == "above"
    grounds = review_grounds(case, bound.policy, bound.engine.procedure(case.procedure))
    assert any("高于裁量基准SJ-CF-003-01" in g and "危害较大" in g for g in grounds)


def test_a_fine_the_law_requires_and_facts_that_exempt(bound: Office) -> None:
    case_id, data = _draft(bound, penalty_kinds=["warning"], amount=None)
    with pytest.raises(RefusedError) as caught:
        bound.do(case_id, "draft_decision", "王明", data, DRAFT.on)
    assert "discretion_fine_required" in {r.code for r in caught.value.reasons}
    data = {**DRAFT.data, "harm": "none", "slight": True, "corrected": True}
    with pytest.raises(RefusedError) as caught:
        bound.do(case_id, "draft_decision", "王明", data, DRAFT.on)
    assert [r.code for r in caught.value.reasons] == ["discretion_exempt"]
    assert "第三十三条第一款" in caught.value.reasons[0].message


def test_aggravating_and_mitigating_facts_at_once_go_to_legal_review(bound: Office) -> None:
    """行政处罚法 Art. 34: where 从重 and 从轻 both apply, the benchmark's use is the reviewer's
    to check (audit: the rule's flag was tested, never the review ground it raises)."""
    case_id, data = _draft(bound, first_offence=True, repeat_2y=True, amount="400000")
    _, case = bound.do(case_id, "draft_decision", "王明", data, DRAFT.on)  # in 一般处罚's range
    assert case.draft["discretion"]["conflict"] is True
    grounds = review_grounds(case, bound.policy, bound.engine.procedure(case.procedure))
    assert any("同时具有从重和从轻" in g and "第三十四条" in g for g in grounds)
    case_id, data = _draft(bound)
    _, plain = bound.do(case_id, "draft_decision", "王明", data, DRAFT.on)
    plain_grounds = review_grounds(plain, bound.policy, bound.engine.procedure(plain.procedure))
    assert not any("同时具有从重和从轻" in g for g in plain_grounds)


def test_the_match_cannot_be_typed_by_hand(bound: Office) -> None:
    case_id, data = _draft(bound)
    _, case = bound.do(case_id, "draft_decision", "王明", data, DRAFT.on)
    forged = {**case.draft["discretion"], "tier": "reduced"}
    officer = bound.staff()["王明"]
    context = bound._context(officer, "draft_decision", None, case)
    with pytest.raises(RefusedError) as caught:  # the engine, bypassing the office's match
        bound.engine.fire(case, "draft_decision", officer, DRAFT.on, context,
                          {**data, "discretion": forged})  # fmt: skip
    assert "discretion_record" in {r.code for r in caught.value.reasons}


def test_the_decision_and_the_review_opinion_state_the_benchmark_and_tier(bound: Office) -> None:
    case = run_steps(bound, PENALTY_WITH_HEARING)
    decision = bound.notice(case.id, "penalty_decision")["text"]
    assert "裁量基准SJ-CF-003-01" in decision
    assert "裁量阶次为减轻处罚" in decision
    assert "¥75,000.00至¥150,000.00" in decision
    opinion = bound.notice(case.id, "review_opinion")["text"]
    assert "## 裁量基准运用" in opinion
    assert "| 建议幅度 | ¥75,000.00至¥150,000.00 |" in opinion
    assert "| 草案罚款 | ¥120,000.00（在建议幅度内） |" in opinion
    assert not bound.verify(case.id)  # both render again byte for byte


def test_the_reviewers_checklist_point_shows_the_range_beside_the_draft(bound: Office) -> None:
    from workflow.views import case_view

    case = run_steps(bound, PENALTY_WITH_HEARING, until="approve_review")
    view = case_view(case, bound.engine.procedure(case.procedure), bound.policy,
                     date.fromisoformat(case.last_on))  # fmt: skip
    point = view["discretion"]
    assert point["point"] == "law_discretion"
    assert point["tier"] == "reduced"
    assert point["amount"] == "120000.00"
    assert point["position"] == "within"
    assert point["suggested"]["fine"] == {"min": "75000.00", "max": "150000.00"}
    assert ALL_PASS["law_discretion"]["result"] == "pass"


def test_a_newer_lighter_benchmark_at_the_decision_asks_for_a_new_draft(bound: Office) -> None:
    from rules.act import Act
    from rules.guards_discretion import discretion_current

    case_id, data = _draft(bound, first_offence=None)  # 一般: 22%–34% under the 2024 version
    _, case = bound.do(case_id, "draft_decision", "王明", {**data, "amount": "400000"}, DRAFT.on)
    proc = bound.engine.procedure(case.procedure)

    def judged(on: date) -> list[str]:
        act = Act(proc=proc, action="decide", case=case, actor=bound.staff()["赵刚"],
                  role="head", on=on, today=on, policy=bound.policy)  # fmt: skip
        return [r.message for r in discretion_current(act)]

    assert judged(date(2026, 6, 30)) == []
    reasons = judged(date(2026, 7, 1))  # 铁审发〔2026〕8号: 一般 is 20%–32%
    assert len(reasons) == 1
    assert "铁审发〔2026〕8号" in reasons[0]
    assert "重新拟定草案" in reasons[0]


def _like(number: int, rate: str) -> Any:
    from decimal import Decimal

    from workflow.assist import TypicalCase

    base = Decimal(1_000_000)
    return TypicalCase(id=f"T-{number}", source="测试", title=f"虚报冒领补助案{number}",
                       power="SJ-CF-003", benchmark="SJ-CF-003-01", tier="lighter",
                       facts="虚报冒领财政补助资金", amount=base * Decimal(rate), base_amount=base,
                       decided_on=date(2025, 5, number))  # fmt: skip


def test_a_fine_far_from_like_cases_goes_to_legal_review(bound: Office) -> None:
    """国办发〔2022〕27号 (类案同罚): like decided cases fined 12% of the funds; a 从轻 draft of
    20% is within the benchmark's range (10%–22%) but 67% above their median — reviewed."""
    from workflow.assist import Assistant, import_library

    import_library(Assistant.of(bound).index, [_like(n, "0.12") for n in range(1, 4)])
    case_id, data = _draft(bound, amount="300000")
    _, case = bound.do(case_id, "draft_decision", "王明", {**data, "like_cases": {"flagged": False}},
                       DRAFT.on)  # fmt: skip
    like = case.draft["like_cases"]  # derived by zhifa: what was typed is not kept
    assert (like["count"], like["median"], like["deviation"], like["flagged"]) == (3, "0.1200", "0.67", True)
    grounds = review_grounds(case, bound.policy, bound.engine.procedure(case.procedure))
    assert any("类案同罚" in g and "0.67" in g for g in grounds)
    _, case = bound.do(case_id, "draft_decision", "王明", {**data, "amount": "180000"}, DRAFT.on)
    assert case.draft["like_cases"]["flagged"] is False  # 12% exactly: no flag
    grounds = review_grounds(case, bound.policy, bound.engine.procedure(case.procedure))
    assert not any("类案同罚" in g for g in grounds)
