"""Discretion benchmarks (行政处罚裁量基准) and how a case is matched to one: pure functions.

A benchmark (discretion.yaml, loaded by workflow/discretion.py) belongs to one item of the
权责清单 and one violation; it states the legal range of the article that punishes and splits
it into ordered tiers (不予处罚, 减轻, 从轻, 一般, 从重), each with a condition over the facts
of the case (rules/expr.py) and its share of the range.

Matching (行政处罚法 Arts. 30, 32–34, 37):
1. the benchmark of the case's power item whose `applies` condition holds (or the one the draft
   names), in the version in force on the violation date — or the version in force on the
   decision date where it is lighter (Art. 37: 新的规定处罚较轻的，适用新的规定);
2. statutory grounds first: 不予处罚 (Art. 30 under 14, Art. 33 ¶1 轻微并及时改正没有危害后果,
   Art. 33 ¶2 没有主观过错) decide the tier; 应当从轻或者减轻 (Art. 30 14–18, Art. 32) caps
   it at 从轻;
3. then the benchmark's tiers: the lightest mitigating tier whose condition holds, else 从重
   if its condition holds, else 一般. Mitigating and aggravating grounds at once offset to
   一般 (or 从轻 under a statutory ground) and flag the case for legal review;
4. the suggested range is the tier's share of the legal range (for 减轻, of the span below the
   legal minimum: Art. 32 allows a fine under it), so it always lies within what the law
   allows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from rules.expr import Node, evaluate
from states.fields import DISCRETION_FACTS
from states.vocabulary import DISCRETION_TIERS, HARM_LEVELS, PENALTY_KINDS

#: Tiers from lightest to heaviest; a benchmark lists the ones it has in this order.
TIER_ORDER = tuple(DISCRETION_TIERS)
MITIGATING_TIERS = ("exempt", "reduced", "lighter")
#: Every benchmark has these; 不予处罚 and 减轻 are optional.
REQUIRED_TIERS = ("lighter", "general", "heavier")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

#: The facts a benchmark may weigh: their kind in a condition (rules/expr.py).
FACT_KINDS: dict[str, str] = {
    f.name: {"money": "number", "bool": "bool", "enum": "text"}[f.kind] for f in DISCRETION_FACTS
}
FACT_LABELS: dict[str, str] = {f.name: f.label for f in DISCRETION_FACTS}
#: Names a condition may read besides the facts.
CONTEXT_KINDS: dict[str, str] = {"party_type": "text"}
#: Facts that make a case heavier when present or larger (the rest mitigate).
AGGRAVATING = ("amount_involved", "illegal_gain", "harm", "repeat_2y", "obstruction",
               "refused_correction")  # fmt: skip
HARM_ORDER = tuple(HARM_LEVELS)


def tier_rank(tier: str) -> int:
    return TIER_ORDER.index(tier)


@dataclass(frozen=True)
class FineRange:
    """A fine the law allows one kind of party: yuan, or a multiple (rate) of a fact
    (违法所得1倍以上5倍以下: base illegal_gain, 1 to 5; 骗取资金10%以上50%以下: 0.1 to 0.5)."""

    max: Decimal
    min: Decimal = Decimal(0)
    base: str | None = None

    def bounds(self, facts: Mapping[str, Any]) -> tuple[Decimal, Decimal]:
        scale = Decimal(facts.get(self.base) or 0) if self.base else Decimal(1)
        low = (scale * self.min).quantize(CENT, ROUND_CEILING)
        high = (scale * self.max).quantize(CENT, ROUND_FLOOR)
        return low, max(low, high)


@dataclass(frozen=True)
class LegalRange:
    """法定处罚幅度 of the article that punishes."""

    kinds: tuple[str, ...]
    #: party type (unit, individual) → the fine the law allows
    fine: Mapping[str, FineRange] = field(default_factory=dict)
    #: 并处罚款: the law requires a fine with the other kinds (else 可以处)
    fine_required: bool = False
    text: str = ""


@dataclass(frozen=True)
class Tier:
    id: str
    #: the condition (parsed), None for 一般 (it applies when no other tier does)
    when: Node | None = None
    when_text: str = ""
    #: the tier's share of its frame: the legal range (减轻: from nothing to the legal minimum)
    share: tuple[Decimal, Decimal] = (Decimal(0), Decimal(1))
    #: the kinds this tier gives; empty: the legal kinds
    kinds: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True)
class Benchmark:
    """One version of one benchmark (a row of discretion.yaml)."""

    id: str
    document: str
    valid_from: date
    power: str
    violation: str
    forbids: str
    punishes: str
    legal: LegalRange
    tiers: tuple[Tier, ...]
    facts: tuple[str, ...] = ()
    valid_until: date | None = None
    applies: Node | None = None
    applies_text: str = ""

    def in_force(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def tier(self, tier_id: str) -> Tier | None:
        return next((t for t in self.tiers if t.id == tier_id), None)


@dataclass(frozen=True)
class Ground:
    """A reason the tier is what it is: a statutory ground or a benchmark's tier condition."""

    code: str
    effect: str  # exempt, may_exempt, mitigate, aggravate
    text: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "effect": self.effect, "text": self.text, "source": self.source}


@dataclass(frozen=True)
class Applied:
    """The benchmark applied to a case and what it suggests."""

    benchmark: Benchmark
    tier: str
    grounds: tuple[Ground, ...]
    conflict: bool
    #: (min, max) the law allows this party, as applied (减轻: from 0)
    legal: tuple[Decimal, Decimal] | None
    suggested: tuple[Decimal, Decimal] | None
    kinds: tuple[str, ...]
    facts: Mapping[str, Any]
    version_note: str = ""
    #: the fact the legal fine is a multiple of, for this party (None: yuan)
    base: str | None = None

    def record(self) -> dict[str, Any]:
        """The JSON record a draft carries (stable English keys, money as text)."""
        b = self.benchmark

        def pair(span: tuple[Decimal, Decimal] | None) -> dict[str, str] | None:
            return {"min": str(span[0]), "max": str(span[1])} if span else None

        return {
            "benchmark": b.id, "document": b.document, "valid_from": b.valid_from.isoformat(),
            "valid_until": b.valid_until.isoformat() if b.valid_until else None,
            "power": b.power, "violation": b.violation, "forbids": b.forbids,
            "punishes": b.punishes, "tier": self.tier, "tier_label": DISCRETION_TIERS[self.tier],
            "grounds": [g.as_dict() for g in self.grounds], "conflict": self.conflict,
            "legal": {"kinds": list(b.legal.kinds), "text": b.legal.text,
                      "fine": pair(self.legal), "base": self.base},
            "suggested": {"kinds": list(self.kinds), "fine": pair(self.suggested)},
            "facts": {k: _plain(v) for k, v in sorted(self.facts.items())},
            "version_note": self.version_note,
        }  # fmt: skip


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


# -- facts --------------------------------------------------------------------------------
def facts_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """The facts a draft records, typed: money as Decimal, flags as bool (not given: false)."""
    facts: dict[str, Any] = {}
    for name, kind in FACT_KINDS.items():
        value = data.get(name)
        if kind == "bool":
            facts[name] = value is True
        elif value not in (None, ""):
            facts[name] = Decimal(str(value)) if kind == "number" else str(value)
    return facts


def missing_facts(benchmark: Benchmark, facts: Mapping[str, Any]) -> list[str]:
    """The amounts and levels a benchmark weighs that the draft does not record."""
    return [f for f in benchmark.facts if FACT_KINDS.get(f) != "bool" and f not in facts]


def _values(facts: Mapping[str, Any], party_type: str) -> dict[str, Any]:
    values = {n: (False if k == "bool" else Decimal(0) if k == "number" else "")
              for n, k in FACT_KINDS.items()}  # fmt: skip
    values.update(facts)
    values["party_type"] = party_type
    return values


# -- statutory grounds --------------------------------------------------------------------
_ART32 = {
    "mitigated_harm": "主动消除或者减轻违法行为危害后果", "coerced": "受他人胁迫或者诱骗实施违法行为",
    "confessed": "主动供述行政机关尚未掌握的违法行为", "meritorious": "配合行政机关查处违法行为有立功表现",
}  # fmt: skip
_ART32_ITEM = {"mitigated_harm": "一", "coerced": "二", "confessed": "三", "meritorious": "四"}


def statutory_grounds(facts: Mapping[str, Any], age: int | None) -> list[Ground]:
    """The grounds 行政处罚法 itself gives, before any benchmark (Arts. 30, 32, 33)."""
    found: list[Ground] = []
    harm = facts.get("harm")
    if age is not None and age < 14:
        found.append(Ground("art30_minor", "exempt", f"违法行为发生时不满十四周岁（{age}周岁），不予行政处罚",
                            "行政处罚法第三十条"))  # fmt: skip
    if facts.get("no_fault"):
        found.append(Ground("art33_no_fault", "exempt", "当事人有证据足以证明没有主观过错，不予行政处罚",
                            "行政处罚法第三十三条第二款"))  # fmt: skip
    if facts.get("slight") and facts.get("corrected") and harm == "none":
        found.append(Ground("art33_minor", "exempt", "违法行为轻微并及时改正，没有造成危害后果，不予行政处罚",
                            "行政处罚法第三十三条第一款"))  # fmt: skip
    elif facts.get("first_offence") and facts.get("corrected") and harm in ("none", "slight"):
        found.append(Ground("art33_first", "may_exempt", "初次违法且危害后果轻微并及时改正，可以不予行政处罚",
                            "行政处罚法第三十三条第一款"))  # fmt: skip
    if age is not None and 14 <= age < 18:
        found.append(Ground("art30_minor_14_18", "mitigate",
                            f"违法行为发生时{age}周岁（已满十四周岁不满十八周岁），应当从轻或者减轻行政处罚",
                            "行政处罚法第三十条"))  # fmt: skip
    for name, text in _ART32.items():
        if facts.get(name):
            found.append(Ground(f"art32_{name}", "mitigate", f"{text}，应当从轻或者减轻行政处罚",
                                f"行政处罚法第三十二条第（{_ART32_ITEM[name]}）项"))  # fmt: skip
    return found


# -- tiers and ranges ---------------------------------------------------------------------
def _benchmark_tier(b: Benchmark, values: Mapping[str, Any]) -> tuple[str, bool, list[Ground]]:
    """The benchmark's own tier for these facts, whether grounds conflict, and why."""
    holding = [t for t in b.tiers if t.when is not None and evaluate(t.when, values)]
    grounds = [
        Ground(f"tier_{t.id}", "aggravate" if t.id == "heavier" else "mitigate",
               f"{DISCRETION_TIERS[t.id]}：{t.text or t.when_text}", f"裁量基准{b.id}（{b.document}）")
        for t in holding
    ]  # fmt: skip
    lighter = [t.id for t in holding if t.id in MITIGATING_TIERS]
    heavier = any(t.id == "heavier" for t in holding)
    if lighter and heavier:
        return "general", True, grounds
    if lighter:
        return min(lighter, key=tier_rank), False, grounds
    return ("heavier" if heavier else "general"), False, grounds


def choose_tier(
    b: Benchmark, facts: Mapping[str, Any], party_type: str, age: int | None
) -> tuple[str, bool, list[Ground]]:
    """Statutory grounds first, then the benchmark's tiers (see the module's docstring)."""
    statutory = statutory_grounds(facts, age)
    tier, conflict, grounds = _benchmark_tier(b, _values(facts, party_type))
    grounds = statutory + grounds
    if any(g.effect == "exempt" for g in statutory):
        return "exempt", conflict, grounds
    if any(g.effect == "mitigate" for g in statutory):
        conflict = conflict or any(g.effect == "aggravate" for g in grounds)
        if tier_rank(tier) > tier_rank("lighter"):
            tier = "lighter"
    return tier, conflict, grounds


def _span(low: Decimal, high: Decimal, share: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
    """The share of [low, high], in cents, never outside it."""
    width = high - low
    lo = (low + width * share[0]).quantize(CENT, ROUND_CEILING)
    hi = (low + width * share[1]).quantize(CENT, ROUND_FLOOR)
    lo, hi = min(max(lo, low), high), min(max(hi, low), high)
    return lo, max(lo, hi)


def ranges(
    b: Benchmark, tier: str, facts: Mapping[str, Any], party_type: str
) -> tuple[tuple[Decimal, Decimal] | None, tuple[Decimal, Decimal] | None, tuple[str, ...]]:
    """(legal fine range as applied, suggested fine range, suggested kinds) for a tier."""
    if tier == "exempt":
        return None, None, ()
    spec = b.tier(tier)
    kinds = tuple(k for k in (spec.kinds if spec and spec.kinds else b.legal.kinds))
    fine = b.legal.fine.get(party_type)
    if fine is None or "fine" not in b.legal.kinds:
        return None, None, tuple(k for k in kinds if k != "fine")
    low, high = fine.bounds(facts)
    share = spec.share if spec else (Decimal(0), Decimal(1))
    if tier == "reduced":
        legal = (ZERO, high)
        suggested = _span(ZERO, low, share)
    else:
        legal = (low, high)
        suggested = _span(low, high, share)
    if suggested[1] <= 0:
        kinds = tuple(k for k in kinds if k != "fine")
        suggested = (ZERO, ZERO)
    return legal, suggested, kinds


def apply(
    b: Benchmark, facts: Mapping[str, Any], party_type: str, age: int | None, note: str = ""
) -> Applied:
    tier, conflict, grounds = choose_tier(b, facts, party_type, age)
    legal, suggested, kinds = ranges(b, tier, facts, party_type)
    used = {k: v for k, v in facts.items() if k in b.facts or v not in (False, None)}
    fine = b.legal.fine.get(party_type)
    return Applied(b, tier, tuple(grounds), conflict, legal, suggested, kinds, used, note,
                   fine.base if fine else None)


# -- which benchmark, which version -------------------------------------------------------
def lighter(new: Applied, old: Applied) -> bool:
    """行政处罚法 Art. 37: the newer rule punishes less (a lower tier or a lower range)."""

    def weight(a: Applied) -> tuple[Decimal, Decimal, int]:
        top = a.suggested or (Decimal(0), Decimal(0))
        return top[1], top[0], tier_rank(a.tier)

    return weight(new) < weight(old)


def version_for(
    versions: Sequence[Benchmark], facts: Mapping[str, Any], party_type: str, age: int | None,
    violation_on: date, decided_on: date,
) -> Applied | None:  # fmt: skip
    """The version in force on the violation date, or the one in force on the decision date
    where it is lighter (Art. 37); where none was in force then, the one in force now."""
    then = next((v for v in versions if v.in_force(violation_on)), None)
    now = next((v for v in versions if v.in_force(decided_on)), None)
    if then is None and now is None:
        return None
    if then is None:
        assert now is not None
        return apply(now, facts, party_type, age,
                     f"违法行为发生时（{violation_on}）尚无该裁量基准，适用现行基准（{now.document}）")  # fmt: skip
    applied = apply(then, facts, party_type, age,
                    f"适用违法行为发生时施行的裁量基准（{then.document}）")  # fmt: skip
    if now is not None and now is not then:
        newer = apply(now, facts, party_type, age,
                      f"作出决定时施行的裁量基准（{now.document}）处罚较轻，适用新的基准（行政处罚法第三十七条）")  # fmt: skip
        if lighter(newer, applied):
            return newer
    return applied


@dataclass(frozen=True)
class Match:
    """The outcome of matching: what applies, or why nothing can be applied yet."""

    applied: Applied | None = None
    problems: tuple[tuple[str, str], ...] = ()
    #: the benchmark ids of the power item (to name one when several apply)
    candidates: tuple[str, ...] = ()


def for_power(benchmarks: Sequence[Benchmark], power: str) -> dict[str, list[Benchmark]]:
    """The power item's benchmarks by id, each id's versions oldest first."""
    found: dict[str, list[Benchmark]] = {}
    for b in sorted(benchmarks, key=lambda b: (b.id, b.valid_from)):
        if b.power == power:
            found.setdefault(b.id, []).append(b)
    return found


def _applies(versions: Sequence[Benchmark], values: Mapping[str, Any], day: date) -> bool:
    current = next((v for v in versions if v.in_force(day)), versions[-1])
    return current.applies is None or bool(evaluate(current.applies, values))


def match(
    benchmarks: Sequence[Benchmark], power: str, facts: Mapping[str, Any], *, party_type: str,
    age: int | None, violation_on: date, decided_on: date, named: str | None = None,
) -> Match:  # fmt: skip
    """Match a draft's facts to the power item's benchmark (see the module's docstring)."""
    by_id = for_power(benchmarks, power)
    ids = tuple(by_id)
    if not by_id:
        return Match()
    if named:
        if named not in by_id:
            return Match(problems=(("unknown_benchmark", f"事项 {power} 没有裁量基准 {named}（有：{'、'.join(ids)}）"),),
                         candidates=ids)  # fmt: skip
        chosen = named
    else:
        values = _values(facts, party_type)
        fitting = [i for i, vs in by_id.items() if _applies(vs, values, violation_on)]
        if len(fitting) != 1:
            listed = "、".join(f"{i}（{by_id[i][-1].violation}）" for i in (fitting or ids))
            what = "多条裁量基准均可适用" if fitting else "按所录情节没有可适用的裁量基准"
            return Match(problems=(("benchmark_unclear", f"事项 {power} {what}，须写明 benchmark：{listed}"),),
                         candidates=tuple(fitting or ids))  # fmt: skip
        chosen = fitting[0]
    versions = by_id[chosen]
    lacking = missing_facts(versions[-1], facts)
    if lacking:
        names = "、".join(f"{FACT_LABELS[f]}（{f}）" for f in lacking)
        return Match(problems=(("facts_missing", f"裁量基准 {chosen} 须记录：{names}"),), candidates=ids)
    applied = version_for(versions, facts, party_type, age, violation_on, decided_on)
    if applied is None:
        spans = "、".join(f"{v.valid_from}起（{v.document}）" for v in versions)
        return Match(problems=(("benchmark_not_in_force", f"裁量基准 {chosen} 在违法行为发生时和决定时均未施行（{spans}）"),),
                     candidates=ids)  # fmt: skip
    return Match(applied=applied, candidates=ids)


# -- judging a draft against what applies -------------------------------------------------
def position(amount: Decimal, span: tuple[Decimal, Decimal] | None) -> str:
    """below, within or above a range (no range: within only a zero amount)."""
    low, high = span or (Decimal(0), Decimal(0))
    return "below" if amount < low else "above" if amount > high else "within"


def describe(span: tuple[Decimal, Decimal] | None) -> str:
    if span is None:
        return "不予罚款"
    low, high = span
    return f"{low:,}元至{high:,}元" if low != high else f"{low:,}元"


def kinds_outside(applied: Applied, chosen: Sequence[str]) -> list[str]:
    return [PENALTY_KINDS.get(k, k) for k in chosen if k not in applied.benchmark.legal.kinds]
