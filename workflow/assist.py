"""智能辅助 for the officer: like cases (类案推送), a proposed draft, and the library of 典型案例.

Nothing here records an act: `zhifa assist` reads the case, the benchmarks and the search index
(kept by the acts themselves) and proposes; the officer edits and records the draft with
`zhifa case do CASE draft_decision`.

Like cases are decided cases that stand with a fine (the office's, and imported 典型案例, marked
as such). The five nearest: same power item and tier first, then same power item, each by the
BM25 similarity of their facts to this case's. Where the draft falls is measured against the
like cases of the same power item and tier: the fine itself, or — where the benchmark's legal
range is a multiple of an amount (违法所得, 涉案金额) — the fine as a share of that amount, so a
case of ¥150万 is compared with others by rate, not by size. A fine more than 50% from the
median is flagged for review.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rules.discretion import FACT_KINDS, Applied, for_power
from rules.guards_discretion import discretion_record, match_draft
from rules.model import Case
from rules.policy import Policy
from states.definition import Procedure
from states.vocabulary import DISCRETION_TIERS, Outcome
from workflow.errors import BadInputError
from workflow.search import (
    DOCS,
    TERMS,
    TYPICAL,
    Filters,
    SearchIndex,
    bm25,
    cents,
    corpus,
    rate,
    term_counts,
    write_docs,
)
from workflow.textindex import grams, normal

NEAREST = 5
#: A fine further than this from the median of like cases is flagged (the issue's 50%).
DEVIATION = Decimal("0.5")
SIMILAR_TERMS = 24
#: Below this many documents every shared term counts (the sums are small anyway).
SMALL_INDEX = 200


# -- like cases -----------------------------------------------------------------------------
def _current(case: Case) -> dict[str, Any]:
    """The power item, tier, fine and legal base of the case's draft (or its opening)."""
    draft = case.draft or {}
    record = draft.get("discretion") if isinstance(draft.get("discretion"), dict) else {}
    base = ((record or {}).get("legal") or {}).get("base")
    fine = draft.get("amount") if "fine" in (draft.get("penalty_kinds") or []) else None
    return {
        "power": case.details.get("power"), "tier": (record or {}).get("tier"),
        "benchmark": (record or {}).get("benchmark"), "amount": fine,
        "base": base, "base_amount": ((record or {}).get("facts") or {}).get(base) if base else None,
    }  # fmt: skip


def nearest(
    index: SearchIndex, case: Case, limit: int = NEAREST
) -> list[dict[str, Any]]:
    """The decided cases nearest this one: same power item and tier, same power item, then
    the others — within each, by the similarity of their facts, then by id. Each group is read
    by its own query that stops at `limit`: the scored (postings of the distinctive terms
    only), then the unscored in the order of an index."""
    now = _current(case)
    terms = index.facts_terms(case)
    rows: list[Any] = []
    with index.engine.connect() as conn:
        total, average = corpus(conn)
        counts = term_counts(conn, terms, total // 10 + 1 if total > SMALL_INDEX else None)
        terms = distinctive(total, counts, terms)
        scored = None
        if terms:
            weight = bm25(conn, terms, (total, average, counts))
            scored = (sa.select(TERMS.c.doc_id, sa.func.sum(weight).label("score"))
                      .join(DOCS, DOCS.c.doc_id == TERMS.c.doc_id)
                      .where(TERMS.c.term.in_(terms)).group_by(TERMS.c.doc_id)).subquery()  # fmt: skip
        for group in nearest_groups(case.id, now):
            if scored is not None and len(rows) < limit:
                rows += conn.execute(scored_in(group, scored).limit(limit - len(rows))).all()
            if len(rows) < limit:
                rows += conn.execute(unscored_in(group, terms).limit(limit - len(rows))).all()
    found = []
    for row in rows:
        summary = json.loads(row.digest)
        summary.update(same_power=bool(now["power"]) and row.power == now["power"],
                       same_tier=bool(now["tier"]) and row.power == now["power"]
                       and row.tier == now["tier"],
                       similarity=round(float(row.score or 0.0), 4))  # fmt: skip
        found.append(summary)
    return found


def nearest_groups(case_id: str, now: Mapping[str, Any]) -> list[list[Any]]:
    """The decided cases but this one: same power item and tier, same power item, the others."""
    like = [DOCS.c.decided == sa.true(), DOCS.c.doc_id != case_id]
    same_power = DOCS.c.power == now["power"] if now["power"] else sa.false()
    same_tier = sa.and_(same_power, DOCS.c.tier == now["tier"]) if now["tier"] else sa.false()
    return [[*like, same_power, DOCS.c.tier == now["tier"]] if now["power"] and now["tier"]
            else [*like, same_tier],
            [*like, same_power, sa.not_(same_tier)],
            [*like, sa.or_(DOCS.c.power.is_(None), sa.not_(same_power))]]  # fmt: skip


def scored_in(group: list[Any], scored: Any) -> Any:
    """A group's cases holding a term of the query, the most similar first."""
    return (sa.select(DOCS, scored.c.score).join(scored, scored.c.doc_id == DOCS.c.doc_id)
            .where(*group).order_by(scored.c.score.desc(), DOCS.c.doc_id))  # fmt: skip


def unscored_in(group: list[Any], terms: Sequence[str]) -> Any:
    """A group's cases holding none of the query's terms, in id order (an index's)."""
    unscored = sa.select(DOCS, sa.literal(0.0).label("score")).where(*group)
    if terms:
        unscored = unscored.where(~sa.exists().where(
            TERMS.c.doc_id == DOCS.c.doc_id, TERMS.c.term.in_(terms)))  # fmt: skip
    return unscored.order_by(DOCS.c.doc_id)


def distinctive(total: int, counts: Mapping[str, int], terms: list[str]) -> list[str]:
    """The terms that tell cases apart: in a larger index, those held by at most a tenth of the
    documents, the rarest first, at most SIMILAR_TERMS — summing the postings of common terms
    would read most of the index for a share of the score near nothing (so a term's postings
    are counted no further than a tenth of the documents)."""
    held = [t for t in terms if counts.get(t)]
    if total > SMALL_INDEX:
        held = [t for t in held if counts[t] * 10 <= total]
    return sorted(held, key=lambda t: (counts[t], t))[:SIMILAR_TERMS]


def _measure(amount: Any, base: Any, relative: bool) -> Decimal | None:
    if amount in (None, ""):
        return None
    value = Decimal(str(amount))
    if not relative:
        return value
    if base in (None, "", 0) or Decimal(str(base)) <= 0:
        return None
    return value / Decimal(str(base))


def _like(case: Case, now: Mapping[str, Any], column: Any) -> list[Any]:
    """Like cases: decided, with a fine (or a share of one), same power item and tier — the
    prefix of an index whose next column is `column` (ix_search_docs_like_*)."""
    return [DOCS.c.power == now["power"], DOCS.c.tier == now["tier"], DOCS.c.decided == sa.true(),
            column.is_not(None), DOCS.c.doc_id != case.id]  # fmt: skip


def _at(conn: Any, like: list[Any], column: Any, first: int, count: int, relative: bool,
        descending: bool = False) -> list[Decimal]:  # fmt: skip
    """The measures of the like cases at places first … first+count-1 in their order: the
    places found in the index, then those rows read by key."""
    order = (column.desc(), DOCS.c.doc_id.desc()) if descending else (column, DOCS.c.doc_id)
    ids = sa.select(DOCS.c.doc_id).where(*like).order_by(*order).limit(count).offset(first)
    rows = conn.execute(sa.select(DOCS.c.amount_cents, DOCS.c.base_cents)
                        .where(DOCS.c.doc_id.in_(ids))).all()  # fmt: skip
    found = [_measure(Decimal(a) / 100, Decimal(b) / 100 if b else None, relative) for a, b in rows]
    return sorted(m for m in found if m is not None)


def _stored_measure(mine: Decimal, now: Mapping[str, Any], relative: bool) -> Any:
    """The draft's measure as the index's column holds it: the share as the same double, or
    the fine in cents."""
    if relative:
        return rate(cents(now["amount"]), cents(now["base_amount"]))
    value = mine * 100
    return int(value) if value == value.to_integral_value() else float(value)


def distribution(index: SearchIndex, case: Case) -> dict[str, Any] | None:
    """Where the draft's fine falls among the like cases (same power item and tier): counts,
    the median's rows and the ends read from an index, never every like case."""
    now = _current(case)
    if not now["power"] or not now["tier"]:
        return None
    relative = bool(now["base"])
    column = DOCS.c.rate if relative else DOCS.c.amount_cents
    like = _like(case, now, column)
    mine = _measure(now["amount"], now["base_amount"], relative)
    with index.engine.connect() as conn:
        count = int(conn.execute(sa.select(sa.func.count()).where(*like)).scalar_one())
        result: dict[str, Any] = {"power": now["power"], "tier": now["tier"],
                                  "tier_label": DISCRETION_TIERS.get(now["tier"], now["tier"]),
                                  "scale": "rate" if relative else "amount", "count": count,
                                  "draft": _show(mine, relative)}  # fmt: skip
        if not count:
            return {**result, "flagged": False}
        middle = _at(conn, like, column, (count - 1) // 2, 2 - count % 2, relative)
        lowest = _at(conn, like, column, 0, 1, relative)
        highest = _at(conn, like, column, 0, 1, relative, descending=True)
        if mine is not None:
            stored = _stored_measure(mine, now, relative)
            below = int(conn.execute(sa.select(sa.func.count()).where(*like, column < stored)).scalar_one())
            equal = int(conn.execute(sa.select(sa.func.count()).where(*like, column == stored)).scalar_one())
    median = Decimal(str(statistics.median(middle)))
    result.update(median=_show(median, relative), min=_show(lowest[0], relative),
                  max=_show(highest[0], relative))  # fmt: skip
    if mine is None:
        return {**result, "flagged": False}
    half = below + Decimal(equal) / 2
    deviation = (mine - median) / median if median else Decimal(0)
    result.update(percentile=int((half * 100 / count).to_integral_value(ROUND_HALF_UP)),
                  deviation=str(deviation.quantize(Decimal("0.01"))),
                  flagged=abs(deviation) > DEVIATION)  # fmt: skip
    return result


def like_cases(index: SearchIndex, case: Case, draft: Mapping[str, Any]) -> dict[str, Any] | None:
    """Where a draft's fine falls among like decided cases, as the draft records it (a derived
    key): a fine more than half away from their median goes to legal review (国办发〔2022〕27号:
    类案同罚). None without like cases to compare with."""
    from dataclasses import replace

    spread = distribution(index, replace(case, draft=dict(draft)))
    if not spread or not spread.get("count") or spread.get("deviation") is None:
        return None
    return {k: spread.get(k) for k in ("count", "scale", "median", "draft", "deviation", "flagged")}


def _show(value: Decimal | None, relative: bool) -> str | None:
    if value is None:
        return None
    return str(value.quantize(Decimal("0.0001") if relative else Decimal("0.01")))


# -- the proposed draft ---------------------------------------------------------------------
def _similarity(a: str, b: str) -> float:
    x, y = set(grams(normal(a))), set(grams(normal(b)))
    return len(x & y) / len(x | y) if x | y else 0.0


def _benchmark_for(case: Case, policy: Policy, data: Mapping[str, Any]) -> str | None:
    """The benchmark named, or the one of the power item whose violation reads most like the
    case's (the officer confirms it)."""
    named = data.get("benchmark") or (case.draft or {}).get("benchmark")
    if named:
        return str(named)
    by_id = for_power(policy.benchmarks, str(case.details.get("power") or ""))
    if len(by_id) < 2:
        return None
    said = " ".join(str(case.details.get(k) or "") for k in ("violation", "source")) + case.title
    return max(by_id, key=lambda i: (_similarity(said, by_id[i][-1].violation), i))


def _assembled_facts(case: Case) -> str:
    """违法事实 assembled from the case: what was found and the evidence recorded."""
    what = case.details.get("violation") or case.details.get("source") or case.title
    evidence = "、".join(f"{e.get('title')}" for e in case.evidence if e.get("title"))
    proved = f"。以上事实有{evidence}等证据证明" if evidence else ""
    return f"{case.party.get('name', '当事人')}{what}{proved}".strip()


def _amount(applied: Applied) -> str | None:
    """The middle of the suggested range, to the hundred yuan, kept inside it."""
    if applied.suggested is None or "fine" not in applied.kinds:
        return None
    low, high = applied.suggested
    middle = ((low + high) / 2 / 100).to_integral_value(ROUND_HALF_UP) * 100
    return str(min(max(middle, low), high).quantize(Decimal("0.01")))


def _penalty(applied: Applied, facts: Mapping[str, Any]) -> dict[str, Any]:
    kinds = [k for k in applied.kinds if k != "confiscation"]
    data: dict[str, Any] = {"outcome": Outcome.PENALTY.value}
    gain = facts.get("illegal_gain")
    if "confiscation" in applied.kinds and gain not in (None, "") and Decimal(str(gain)) > 0:
        kinds.insert(1 if kinds[:1] == ["warning"] else 0, "confiscation")
        data["confiscation"] = str(Decimal(str(gain)).quantize(Decimal("0.01")))
    data["penalty_kinds"] = kinds
    amount = _amount(applied)
    if amount is not None:
        data["amount"] = amount
    return data


def propose(
    case: Case, policy: Policy, proc: Procedure, given: Mapping[str, Any], on: date
) -> dict[str, Any]:
    """The draft_decision data a case's recorded facts suggest, and what is still missing."""
    draft = case.draft or {}
    facts = {k: given.get(k, draft.get(k)) for k in FACT_KINDS}
    data: dict[str, Any] = {k: v for k, v in facts.items() if v not in (None, "")}
    benchmark = _benchmark_for(case, policy, given)
    if benchmark:
        data["benchmark"] = benchmark
    trial = {**data, "outcome": Outcome.PENALTY.value, "power": case.details.get("power")}
    found = match_draft(case, policy, trial, on)
    proposal: dict[str, Any] = {"facts": draft.get("facts") or _assembled_facts(case)}
    notes = [text for _, text in found.problems]
    applied = found.applied
    if applied is None:
        return {"data": {**proposal, **data}, "benchmark": None, "missing": notes,
                "candidates": list(found.candidates)}  # fmt: skip
    if applied.tier == "exempt":
        ground = next(g for g in applied.grounds if g.effect == "exempt")
        proposal.update(outcome=Outcome.NO_PENALTY.value, ground=ground.code,
                        education="已对当事人进行教育（行政处罚法第三十三条第三款）",
                        basis=ground.source)  # fmt: skip
    else:
        proposal.update(_penalty(applied, facts))
        mitigating = [g for g in applied.grounds if g.effect == "mitigate" and g.code.startswith("art")]
        basis = [applied.benchmark.punishes, *dict.fromkeys(g.source for g in mitigating)]
        proposal["basis"] = "；".join(basis)
        if mitigating:
            proposal["mitigation"] = "；".join(g.text for g in mitigating)
    record = discretion_record(applied, {**data, **proposal})
    return {"data": {**proposal, **data}, "benchmark": record, "missing": [],
            "candidates": list(found.candidates)}  # fmt: skip


# -- the library of 典型案例 ----------------------------------------------------------------
class TypicalCase(BaseModel):
    """One 典型案例 of an imported library (JSON or YAML list; see README)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1, max_length=60)
    source: str = Field(min_length=1)
    title: str = Field(min_length=1)
    party: str = ""
    power: str | None = None
    benchmark: str | None = None
    tier: str | None = None
    facts: str = Field(min_length=1)
    basis: str = ""
    amount: Decimal | None = Field(None, ge=0)
    base_amount: Decimal | None = Field(None, ge=0)
    decision_number: str = ""
    decided_on: date | None = None


def _typical_doc(item: TypicalCase) -> dict[str, Any]:
    doc_id = f"{TYPICAL}:{item.id}"
    summary = {
        "id": doc_id, "title": item.title, "party": item.party, "procedure": None,
        "state": None, "power": item.power, "benchmark": item.benchmark, "tier": item.tier,
        "tier_label": DISCRETION_TIERS.get(item.tier or "", item.tier),
        "amount": str(item.amount) if item.amount is not None else None,
        "base_amount": str(item.base_amount) if item.base_amount is not None else None,
        "decision_number": item.decision_number,
        "decided_on": item.decided_on.isoformat() if item.decided_on else None,
        "origin": TYPICAL, "source": item.source,
    }  # fmt: skip
    body = "\n".join(p for p in (item.party, item.facts, item.basis, item.decision_number,
                                 item.source) if p)  # fmt: skip
    return {
        "doc_id": doc_id, "origin": TYPICAL, "version": 0, "procedure": None, "state": None,
        "year": item.decided_on.year if item.decided_on else None, "power": item.power,
        "benchmark": item.benchmark, "tier": item.tier, "decided": item.amount is not None,
        "decided_on": item.decided_on, "amount_cents": cents(item.amount),
        "base_cents": cents(item.base_amount),
        "rate": rate(cents(item.amount), cents(item.base_amount)), "title": item.title, "facts": item.facts,
        "body": body, "digest": json.dumps(summary, ensure_ascii=False, sort_keys=True),
    }  # fmt: skip


def parse_library(raw: Any, origin: str) -> list[TypicalCase]:
    """The 典型案例 of a library file; every bad entry reported with its place."""
    if isinstance(raw, dict) and isinstance(raw.get("cases"), list):
        raw = raw["cases"]
    if not isinstance(raw, list):
        raise BadInputError(f"{origin}: 须为典型案例列表 must hold a list of cases (or {{\"cases\": [...]}})")
    items, problems = [], []
    for i, entry in enumerate(raw):
        try:
            items.append(TypicalCase(**entry) if isinstance(entry, dict) else TypicalCase.model_validate(entry))
        except ValidationError as exc:
            problems += [f"[{i}].{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    ids = [item.id for item in items]
    problems += [f"id {d} is listed twice" for d in sorted({i for i in ids if ids.count(i) > 1})]
    tiers = [f"[{ids.index(t.id)}].tier: unknown tier {t.tier!r}" for t in items
             if t.tier is not None and t.tier not in DISCRETION_TIERS]  # fmt: skip
    problems += tiers
    if problems:
        raise BadInputError(f"{origin}: 典型案例有误 bad cases: " + "; ".join(problems), problems)
    return items


def read_library(path: Path) -> list[TypicalCase]:
    """A JSON or YAML file of 典型案例 (at most 1 MB, UTF-8, no YAML aliases)."""
    from workflow.config import load_yaml
    from workflow.errors import ConfigError

    if not path.is_file():
        raise BadInputError(f"没有典型案例文件 no such file: {path}")
    try:
        raw = load_yaml(path, location=str(path))  # JSON is YAML
    except ConfigError as exc:
        raise BadInputError(exc.message) from None
    return parse_library(raw, str(path))


def import_library(index: SearchIndex, items: Sequence[TypicalCase]) -> int:
    """Add (or replace, by id) the 典型案例 in the index; they join the like cases."""
    with index.engine.begin() as conn:
        for start in range(0, len(items), 500):
            write_docs(conn, [_typical_doc(i) for i in items[start : start + 500]])
    return len(items)


@dataclass
class Assistant:
    """What `zhifa assist`, `case search`, `cases import` and `case show` ask of an office."""

    index: SearchIndex
    policy: Policy

    @classmethod
    def of(cls, office: Any) -> Assistant:
        return cls(SearchIndex(office.store.engine, office.files), office.policy)

    def search(self, text: str, filters: Filters, limit: int = 10) -> list[dict[str, Any]]:
        if not text.strip():
            raise BadInputError("检索词为空 empty query")
        return [hit.as_dict() for hit in self.index.search(text, filters, limit)]

    def similar(self, case: Case) -> dict[str, Any]:
        """类案推送: the five nearest decided cases and where the draft falls among like cases."""
        return {"cases": nearest(self.index, case), "distribution": distribution(self.index, case)}

    def propose(
        self, case: Case, proc: Procedure, given: Mapping[str, Any], on: date
    ) -> dict[str, Any]:
        """The draft_decision data proposed for the officer to edit and record."""
        from workflow.inputs import normalise

        spec = proc.action("draft_decision")
        if spec is None:
            raise BadInputError(f"{proc.id} has no draft_decision")
        typed = normalise(spec, {"outcome": Outcome.PENALTY.value, **given})
        typed.pop("outcome", None)
        return propose(case, self.policy, proc, typed, on)

    def import_file(self, path: Path) -> int:
        return import_library(self.index, read_library(path))
