"""Matching a case to a discretion benchmark: the law's properties, on the starter benchmarks.

- the suggested range always lies within the legal range (行政处罚法 Art. 34: a benchmark
  only divides the range the law gives; 减轻 goes below the minimum as Art. 32 allows);
- adding an aggravating fact never lowers it;
- the version applied is the one in force on the violation date, or the one in force on the
  decision date where that is lighter (Art. 37).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rules.discretion import (
    AGGRAVATING,
    HARM_ORDER,
    Benchmark,
    apply,
    facts_of,
    lighter,
    match,
    tier_rank,
    version_for,
)
from tests.conftest import STARTER_DISCRETION, STARTER_POWERS
from workflow.discretion import load_benchmarks
from workflow.powers import powers_by_id

BENCHMARKS = load_benchmarks(STARTER_DISCRETION, powers_by_id(STARTER_POWERS))
ZERO = (Decimal(0), Decimal(0))

money = st.decimals(min_value=0, max_value=20_000_000, places=2, allow_nan=False)
FLAGS = ("slight", "corrected", "first_offence", "mitigated_harm", "coerced", "confessed",
         "meritorious", "no_fault", "repeat_2y", "obstruction", "refused_correction")  # fmt: skip
facts_st = st.fixed_dictionaries(
    {"amount_involved": money, "illegal_gain": money, "harm": st.sampled_from(HARM_ORDER),
     **{flag: st.booleans() for flag in FLAGS}})  # fmt: skip
party_st = st.sampled_from(["unit", "individual"])
age_st = st.one_of(st.none(), st.integers(10, 70))


def test_the_starter_benchmarks_load_and_cover_the_starter_powers() -> None:
    assert {b.power for b in BENCHMARKS} == {"SJ-CF-001", "SJ-CF-002", "SJ-CF-003"}
    assert len(BENCHMARKS) >= 10


@given(st.sampled_from(BENCHMARKS), facts_st, party_st, age_st)
def test_the_suggested_range_lies_within_the_legal_range(
    b: Benchmark, facts: dict[str, Any], party: str, age: int | None
) -> None:
    applied = apply(b, facts, party, age)
    if applied.suggested is None:
        assert applied.tier == "exempt" or "fine" not in b.legal.kinds
        return
    assert applied.legal is not None
    low, high = applied.suggested
    assert applied.legal[0] <= low <= high <= applied.legal[1]
    statutory = b.legal.fine[party].bounds(facts)
    assert applied.legal[1] == statutory[1]  # never above what the law allows
    if applied.tier != "reduced":  # only 减轻 (Art. 32) goes below the legal minimum
        assert applied.legal[0] == statutory[0]
    assert set(applied.kinds) <= set(b.legal.kinds)


def _heavier(facts: dict[str, Any], change: str, delta: Decimal) -> dict[str, Any]:
    if change in ("amount_involved", "illegal_gain"):
        return {**facts, change: facts[change] + delta}
    if change == "harm":
        level = HARM_ORDER.index(facts["harm"])
        return {**facts, "harm": HARM_ORDER[min(level + 1, len(HARM_ORDER) - 1)]}
    return {**facts, change: True}


@given(st.sampled_from(BENCHMARKS), facts_st, party_st, age_st, st.sampled_from(AGGRAVATING),
       st.decimals(min_value=Decimal("0.01"), max_value=5_000_000, places=2))  # fmt: skip
def test_an_aggravating_fact_never_lowers_the_suggested_range(
    b: Benchmark, facts: dict[str, Any], party: str, age: int | None, change: str, delta: Decimal
) -> None:
    before = apply(b, facts, party, age)
    after = apply(b, _heavier(facts, change, delta), party, age)
    old, new = before.suggested or ZERO, after.suggested or ZERO
    assert new[0] >= old[0], (before.tier, after.tier, old, new)
    assert new[1] >= old[1], (before.tier, after.tier, old, new)
    assert tier_rank(after.tier) >= tier_rank(before.tier)


def _version(b: Benchmark, start: date, end: date | None, shares: list[Decimal]) -> Benchmark:
    tiers = tuple(replace(t, share=(shares[i], shares[i + 1])) if t.id in ("lighter", "general", "heavier")
                  else t for i, t in enumerate(b.tiers[-3:]))  # fmt: skip
    return replace(b, valid_from=start, valid_until=end, tiers=b.tiers[:-3] + tiers,
                   document=f"第{start.year}号")  # fmt: skip


@given(facts_st, party_st, st.lists(st.integers(0, 100), min_size=4, max_size=4),
       st.lists(st.integers(0, 100), min_size=4, max_size=4),
       st.integers(0, 1500), st.integers(0, 1500), st.integers(0, 700))  # fmt: skip
def test_the_version_applied_is_the_one_in_force_or_the_lighter_newer_one(
    facts: dict[str, Any], party: str, old: list[int], new: list[int], cut: int, v: int, wait: int
) -> None:
    base = next(b for b in BENCHMARKS if b.id == "SJ-CF-003-02")
    start = date(2023, 1, 1)
    switch = start + timedelta(days=cut + 1)
    first = _version(base, start, switch - timedelta(days=1), [Decimal(x) / 100 for x in sorted(old)])
    second = _version(base, switch, None, [Decimal(x) / 100 for x in sorted(new)])
    violated = start + timedelta(days=v)
    decided = violated + timedelta(days=wait)
    chosen = version_for([first, second], facts, party, None, violated, decided)
    assert chosen is not None
    then = first if first.in_force(violated) else second
    now = first if first.in_force(decided) else second
    if chosen.benchmark is then:
        assert then is now or not lighter(apply(now, facts, party, None), chosen)
    else:
        assert chosen.benchmark is now
        assert lighter(chosen, apply(then, facts, party, None))
        assert "第三十七条" in chosen.version_note


def _match(facts: dict[str, Any], age: int | None = None, named: str = "SJ-CF-003-01",
           party: str = "unit", decided: date = date(2026, 3, 9)) -> Any:  # fmt: skip
    return match(BENCHMARKS, "SJ-CF-003", facts_of(facts), party_type=party, age=age,
                 violation_on=date(2025, 11, 10), decided_on=decided, named=named)  # fmt: skip


BASE = {"amount_involved": "1500000", "harm": "slight"}


def test_statutory_grounds_come_first() -> None:
    child = _match({**BASE, "repeat_2y": True}, age=13, party="individual").applied
    assert child.tier == "exempt"
    assert child.suggested is None
    assert child.grounds[0].source == "行政处罚法第三十条"
    minor = _match({**BASE}, age=16, party="individual").applied
    assert minor.tier == "lighter"  # Art. 30: 14 to 18 应当从轻或者减轻
    coerced = _match({**BASE, "coerced": True, "obstruction": True}).applied
    assert coerced.tier == "lighter"
    assert coerced.conflict
    slight = _match({**BASE, "harm": "none", "slight": True, "corrected": True}).applied
    assert slight.tier == "exempt"  # Art. 33 ¶1
    assert any(g.code == "art33_minor" for g in slight.grounds)


def test_the_tiers_of_the_benchmark_and_their_ranges() -> None:
    general = _match(BASE).applied
    assert general.tier == "general"
    assert general.suggested == (Decimal("330000.00"), Decimal("510000.00"))  # 22%–34%
    assert general.legal == (Decimal("150000.00"), Decimal("750000.00"))  # 10%–50% (Art. 14)
    reduced = _match({**BASE, "first_offence": True, "mitigated_harm": True}).applied
    assert reduced.tier == "reduced"
    assert reduced.suggested == (Decimal("75000.00"), Decimal("150000.00"))
    both = _match({**BASE, "first_offence": True, "repeat_2y": True}).applied
    assert both.tier == "general"
    assert both.conflict


def test_a_newer_lighter_benchmark_applies_and_says_why() -> None:
    later = _match(BASE, decided=date(2026, 8, 3)).applied
    assert later.benchmark.document.startswith("铁审发〔2026〕8号")
    assert "第三十七条" in later.version_note
    assert later.suggested == (Decimal("300000.00"), Decimal("480000.00"))


def test_several_benchmarks_of_an_item_need_one_named_and_facts_they_weigh() -> None:
    unclear = _match(BASE, named="")
    assert unclear.applied is None
    assert unclear.problems[0][0] == "benchmark_unclear"
    assert "SJ-CF-003-05" in unclear.problems[0][1]
    lacking = _match({"harm": "slight"})
    assert lacking.problems[0][0] == "facts_missing"
    assert "amount_involved" in lacking.problems[0][1]
    chosen = match(BENCHMARKS, "SJ-CF-001", facts_of({"illegal_gain": "0", "amount_involved": "9",
                                                       "harm": "none"}),
                   party_type="unit", age=None, violation_on=date(2025, 1, 1),
                   decided_on=date(2025, 6, 1))  # fmt: skip
    assert chosen.applied is not None
    assert chosen.applied.benchmark.id == "SJ-CF-001-02"


def test_a_violation_before_any_version_takes_the_one_in_force_at_the_decision() -> None:
    b = next(b for b in BENCHMARKS if b.id == "SJ-CF-003-02")
    applied = version_for([b], facts_of(BASE), "unit", None, date(2020, 1, 1), date(2025, 1, 1))
    assert applied is not None
    assert "尚无该裁量基准" in applied.version_note
