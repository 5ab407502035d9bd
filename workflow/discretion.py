"""The office's discretion benchmarks (裁量基准, discretion.yaml): loaded once, validated with
every problem's place, turned into the pure values of rules/discretion.py.

Checked when any command starts: each row's keys and types, its conditions (parsed and
type-checked against the facts it declares), its citations (they must resolve in the law
library), its power item (in powers.yaml, allowing the kinds it names), its tiers (in order,
shares within 0–1 and rising from 从轻 to 从重) and its versions (one id, one power item, no
two in force on the same day).

Resolving the citations means parsing the whole law library, the one costly check: it is
remembered (workflow/checked.py) under the digest of the file's citations and the library's
fingerprint, and done again whenever either changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rules.discretion import (
    CONTEXT_KINDS,
    FACT_KINDS,
    REQUIRED_TIERS,
    TIER_ORDER,
    Benchmark,
    FineRange,
    LegalRange,
    Tier,
)
from rules.expr import ExpressionError, Node, check, parse
from rules.model import Case
from rules.policy import Policy, Power
from states.definition import Action
from states.vocabulary import PENALTY_KINDS
from workflow.errors import ConfigError

if TYPE_CHECKING:
    from workflow.checked import Checked

LOCATION = "publicity.discretion"
Problems = list[tuple[str, str]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FineEntry(_Strict):
    """罚款幅度: yuan (max, min), or a multiple of a fact (base: illegal_gain, min 1, max 5)."""

    max: Decimal = Field(ge=0)
    min: Decimal = Field(Decimal(0), ge=0)
    base: str | None = None


class LegalEntry(_Strict):
    text: str = Field(min_length=1)
    kinds: list[str] = Field(min_length=1)
    fine_required: bool = False
    fine: dict[Literal["unit", "individual"], FineEntry] = {}


class BasisEntry(_Strict):
    forbids: str = Field(min_length=1)
    punishes: str = Field(min_length=1)


class TierEntry(_Strict):
    tier: Literal["exempt", "reduced", "lighter", "general", "heavier"]
    when: str | None = None
    share: tuple[Decimal, Decimal] = (Decimal(0), Decimal(1))
    kinds: list[str] = []
    text: str = ""


class BenchmarkEntry(_Strict):
    """One row of discretion.yaml: one version of one benchmark."""

    id: str = Field(min_length=1, max_length=40)
    document: str = Field(min_length=1)
    valid_from: date
    valid_until: date | None = None
    power: str = Field(min_length=1)
    violation: str = Field(min_length=1)
    basis: BasisEntry
    applies: str | None = None
    facts: list[str] = []
    legal: LegalEntry
    tiers: list[TierEntry] = Field(min_length=3)


def _condition(text: str | None, facts: list[str], where: str, problems: Problems) -> Node | None:
    if text is None:
        return None
    kinds = {**CONTEXT_KINDS, **{f: FACT_KINDS[f] for f in facts if f in FACT_KINDS}}
    try:
        node = parse(text)
        if check(node, kinds) != "bool":
            raise ExpressionError("条件须为真假值 a condition is true or false")
    except ExpressionError as exc:
        problems.append((where, f"{text!r}: {exc}"))
        return None
    return node


CITATIONS_CHECK = "discretion-citations"
BASIS_KEYS = ("forbids", "punishes")


def _citations(entry: BenchmarkEntry, where: str, problems: Problems, known: set[str]) -> None:
    """The articles that forbid and punish resolve to text of the law library (`known`: texts
    found to resolve before, with this very library)."""
    unknown = [(k, t) for k in BASIS_KEYS if (t := getattr(entry.basis, k)) not in known]
    if not unknown:
        return
    from law.citations import parse_citation
    from law.resolve import UnresolvedCitation, resolve
    from workflow.errors import BadInputError

    for key, text in unknown:
        try:
            for citation in parse_citation(text):
                resolve(citation)
        except (BadInputError, UnresolvedCitation) as exc:
            problems.append((f"{where}.basis.{key}", f"{text}: {exc.message}"))


def _facts(entry: BenchmarkEntry, where: str, problems: Problems) -> None:
    unknown = [f for f in entry.facts if f not in FACT_KINDS]
    if unknown:
        problems.append((f"{where}.facts", f"unknown fact(s) {', '.join(unknown)}; known: {', '.join(FACT_KINDS)}"))
    for party, fine in entry.legal.fine.items():
        at = f"{where}.legal.fine.{party}"
        if fine.min > fine.max:
            problems.append((at, f"min {fine.min} is above max {fine.max}"))
        if fine.base is not None and (fine.base not in entry.facts or FACT_KINDS.get(fine.base) != "number"):
            problems.append((at, f"base {fine.base!r} must be an amount listed in facts"))


def _kinds(entry: BenchmarkEntry, power: Power | None, where: str, problems: Problems) -> None:
    named = [*entry.legal.kinds, *(k for t in entry.tiers for k in t.kinds)]
    unknown = sorted({k for k in named if k not in PENALTY_KINDS})
    if unknown:
        problems.append((f"{where}.legal.kinds", f"unknown penalty kind(s) {', '.join(unknown)}"))
    beyond = sorted({k for t in entry.tiers for k in t.kinds if k not in entry.legal.kinds})
    if beyond:
        problems.append((f"{where}.tiers", f"kinds outside the legal range: {', '.join(beyond)}"))
    if "fine" in entry.legal.kinds and set(entry.legal.fine) != {"unit", "individual"}:
        problems.append((f"{where}.legal.fine", "a fine needs its range for unit and individual"))
    if power is not None:
        outside = [k for k in entry.legal.kinds if k not in power.penalty_kinds]
        if outside:
            problems.append((f"{where}.legal.kinds", f"{power.id} does not allow {', '.join(outside)}"))


def _tiers(entry: BenchmarkEntry, where: str, problems: Problems) -> tuple[Tier, ...]:
    order = [t.tier for t in entry.tiers]
    if order != sorted(order, key=TIER_ORDER.index) or len(set(order)) != len(order):
        problems.append((f"{where}.tiers", f"tiers must be listed once each in the order {', '.join(TIER_ORDER)}"))
    lacking = [t for t in REQUIRED_TIERS if t not in order]
    if lacking:
        problems.append((f"{where}.tiers", f"missing tier(s) {', '.join(lacking)}"))
    tiers = []
    for i, t in enumerate(entry.tiers):
        at = f"{where}.tiers[{i}]"
        if (t.tier == "general") != (t.when is None):
            problems.append((at, "一般 (general) applies when no other tier does: it has no `when`; every other tier needs one"))
        low, high = t.share
        if not Decimal(0) <= low <= high <= Decimal(1):
            problems.append((f"{at}.share", f"share [{low}, {high}] must satisfy 0 ≤ low ≤ high ≤ 1"))
        when = _condition(t.when, entry.facts, f"{at}.when", problems)
        tiers.append(Tier(id=t.tier, when=when, when_text=t.when or "", share=t.share,
                          kinds=tuple(t.kinds), text=t.text))  # fmt: skip
    ranked = [t.share for t in entry.tiers if t.tier in ("lighter", "general", "heavier")]
    if any(a[0] > b[0] or a[1] > b[1] for a, b in zip(ranked, ranked[1:], strict=False)):
        problems.append((f"{where}.tiers", "shares must rise from 从轻 to 一般 to 从重"))
    return tuple(tiers)


def _benchmark(
    entry: BenchmarkEntry,
    powers: Mapping[str, Power],
    where: str,
    problems: Problems,
    known: set[str],
) -> Benchmark:
    power = powers.get(entry.power)
    if powers and power is None:
        problems.append((f"{where}.power", f"{entry.power} is not in the 权责清单 (powers.yaml)"))
    if entry.valid_until is not None and entry.valid_until < entry.valid_from:
        problems.append((f"{where}.valid_until", "ends before it begins"))
    _facts(entry, where, problems)
    _kinds(entry, power, where, problems)
    _citations(entry, where, problems, known)
    legal = LegalRange(
        kinds=tuple(entry.legal.kinds), fine_required=entry.legal.fine_required,
        fine={p: FineRange(max=f.max, min=f.min, base=f.base) for p, f in entry.legal.fine.items()},
        text=entry.legal.text,
    )  # fmt: skip
    return Benchmark(
        id=entry.id, document=entry.document, valid_from=entry.valid_from,
        valid_until=entry.valid_until, power=entry.power, violation=entry.violation,
        forbids=entry.basis.forbids, punishes=entry.basis.punishes, legal=legal,
        tiers=_tiers(entry, where, problems), facts=tuple(entry.facts),
        applies=_condition(entry.applies, entry.facts, f"{where}.applies", problems),
        applies_text=entry.applies or "",
    )  # fmt: skip


def _versions(found: list[tuple[str, Benchmark]], problems: Problems) -> None:
    """One id names one benchmark: the same power item, no two versions in force at once."""
    by_id: dict[str, list[tuple[str, Benchmark]]] = {}
    for where, b in found:
        by_id.setdefault(b.id, []).append((where, b))
    for versions in by_id.values():
        versions.sort(key=lambda wb: wb[1].valid_from)
        for (_, a), (where, b) in zip(versions, versions[1:], strict=False):
            if b.power != a.power:
                problems.append((f"{where}.power", f"{b.id} belongs to {a.power} in its other versions"))
            if a.valid_until is None or a.valid_until >= b.valid_from:
                problems.append((f"{where}.valid_from", f"{b.id} of {b.valid_from} overlaps the version of {a.valid_from} (give it valid_until)"))


def _cited(raw: list[Any]) -> list[str]:
    """Every text a row gives as its basis, sorted, once each."""
    basis = [item.get("basis") for item in raw if isinstance(item, dict)]
    texts = {b.get(k) for b in basis if isinstance(b, dict) for k in BASIS_KEYS}
    return sorted(t for t in texts if isinstance(t, str))


def parse_benchmarks(
    raw: Any, powers: Mapping[str, Power], checked: Checked | None = None
) -> tuple[Benchmark, ...]:
    """Every row as a Benchmark; every problem of every row reported at once. With `checked`,
    citations that all resolved before against the same library are not resolved again."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError("discretion.yaml must hold a list of benchmarks", location=LOCATION)
    cited, inputs = _cited(raw), ""
    if checked is not None and cited:
        from law.fingerprint import fingerprint
        from workflow.checked import digest

        inputs = digest(fingerprint(), cited)
    known = set(cited) if inputs and checked and checked.passed(CITATIONS_CHECK, inputs) else set()
    problems: Problems = []
    found: list[tuple[str, Benchmark]] = []
    for i, item in enumerate(raw):
        where = f"{LOCATION}[{i}]"
        if not isinstance(item, dict):
            problems.append((where, f"entry {i + 1} is not a mapping"))
            continue
        try:
            entry = BenchmarkEntry(**item)
        except ValidationError as exc:
            problems += [(f"{where}.{'.'.join(str(p) for p in e['loc'])}", e["msg"]) for e in exc.errors()]
            continue
        found.append((where, _benchmark(entry, powers, where, problems, known)))
    _versions(found, problems)
    if problems:
        listed = "; ".join(f"{w}: {m}" for w, m in problems)
        raise ConfigError(f"discretion.yaml: {listed}", location=problems[0][0])
    if checked is not None and inputs and not known:
        checked.record(CITATIONS_CHECK, inputs)
    return tuple(b for _, b in found)


def load_benchmarks(
    path: Path, powers: Mapping[str, Power], checked: Checked | None = None
) -> tuple[Benchmark, ...]:
    """The office's benchmarks; an office without the file has none yet."""
    if not path.is_file():
        return ()
    from workflow.config import load_yaml

    return parse_benchmarks(load_yaml(path, LOCATION), powers, checked)


def with_discretion(
    action: Action, case: Case, policy: Policy, raw: Mapping[str, Any], on: date
) -> Mapping[str, Any]:
    """A draft's input with the benchmark and tier its facts match (`discretion`), computed
    here so that nobody types it; the guard `discretion_bound` checks it again. Other acts,
    and drafts no benchmark binds, pass unchanged."""
    from rules.guards_discretion import bound, discretion_record, match_draft
    from workflow.inputs import normalise

    if action.id != "draft_decision" or not any(f.name == "discretion" for f in action.fields):
        return raw
    given = {k: v for k, v in raw.items() if k != "discretion"}
    typed = normalise(action, given)
    if not bound(case, policy, typed):
        return given
    found = match_draft(case, policy, typed, on)
    if found.applied is None:
        return given
    return {**given, "discretion": discretion_record(found.applied, typed)}
