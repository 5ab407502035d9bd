"""类案推送 and case search at a province's scale (issue 16): where a draft's fine falls among
like cases is read from an index and says what reading every like case said; the search index
is kept by the acts themselves (a read indexes nothing), after an upgrade from an office
indexed on read too, and the bulk loader writes it as the acts would have."""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from rules.model import Case
from states.vocabulary import DISCRETION_TIERS
from tests.workflow.scale import STANDALONE, index_names, run_prefix
from workflow import search
from workflow.assist import (
    DEVIATION,
    Assistant,
    TypicalCase,
    _measure,
    distribution,
    import_library,
)
from workflow.search import DOCS, TERMS, Filters, SearchIndex, case_doc, document_terms, write_docs
from workflow.service import Office

POWERS = ("SJ-CF-001", "SJ-CF-003")
TIERS = ("lighter", "general", "heavier")


# -- the distribution, as it was computed before issue 16: every like case read ----------------
def full_read_distribution(index: SearchIndex, case: Case) -> dict[str, Any] | None:
    from workflow.assist import _current, _show

    now = _current(case)
    if not now["power"] or not now["tier"]:
        return None
    relative = bool(now["base"])
    query = sa.select(DOCS.c.amount_cents, DOCS.c.base_cents).where(
        DOCS.c.decided.is_(True), DOCS.c.doc_id != case.id, DOCS.c.power == now["power"],
        DOCS.c.tier == now["tier"], DOCS.c.amount_cents.is_not(None))  # fmt: skip
    with index.engine.connect() as conn:
        rows = conn.execute(query).all()
    values = sorted(m for a, b in rows
                    if (m := _measure(Decimal(a) / 100, Decimal(b) / 100 if b else None, relative))
                    is not None)  # fmt: skip
    mine = _measure(now["amount"], now["base_amount"], relative)
    result: dict[str, Any] = {"power": now["power"], "tier": now["tier"],
                              "tier_label": DISCRETION_TIERS.get(now["tier"], now["tier"]),
                              "scale": "rate" if relative else "amount", "count": len(values),
                              "draft": _show(mine, relative)}  # fmt: skip
    if not values:
        return {**result, "flagged": False}
    median = Decimal(str(statistics.median(values)))
    result.update(median=_show(median, relative), min=_show(values[0], relative),
                  max=_show(values[-1], relative))  # fmt: skip
    if mine is None:
        return {**result, "flagged": False}
    below = sum(v < mine for v in values) + Decimal(sum(v == mine for v in values)) / 2
    deviation = (mine - median) / median if median else Decimal(0)
    result.update(percentile=int((below * 100 / len(values)).to_integral_value(ROUND_HALF_UP)),
                  deviation=str(deviation.quantize(Decimal("0.01"))),
                  flagged=abs(deviation) > DEVIATION)  # fmt: skip
    return result


def _generated_doc(rng: random.Random, i: int) -> dict[str, Any]:
    amount = rng.choice([None, rng.randrange(1, 40) * 500_00, rng.randrange(1, 10**8)])
    base = rng.choice([None, 0, rng.randrange(1, 20) * 1_000_000_00, rng.randrange(1, 10**10)])
    return {
        "doc_id": f"G-{i:04d}", "origin": "typical", "version": 0, "procedure": None,
        "state": None, "year": 2026, "power": rng.choice(POWERS), "benchmark": None,
        "tier": rng.choice(TIERS), "decided": rng.random() < 0.8, "decided_on": None,
        "amount_cents": amount, "base_cents": base, "rate": search.rate(amount, base),
        "title": f"典型案例{i}", "facts": "", "body": "", "digest": json.dumps({"id": f"G-{i:04d}"}),
    }  # fmt: skip


def _drafting(rng: random.Random, ids: list[str]) -> Case:
    """A case drafting a decision: a fine (or none), on a base (or none), maybe one of the docs."""
    amount = rng.choice([None, str(rng.randrange(1, 40) * 500), f"{rng.randrange(1, 10**6)}.{rng.randrange(100):02d}"])
    base = rng.choice([None, "illegal_gain"])
    record = {"tier": rng.choice([*TIERS, None]),
              "legal": {"base": base} if base else {},
              "facts": {"illegal_gain": rng.choice(["0", "2000000", str(rng.randrange(1, 10**8))])}}  # fmt: skip
    draft = {"penalty_kinds": ["warning", "fine"] if amount else ["warning"], "amount": amount,
             "discretion": record}  # fmt: skip
    return Case(id=rng.choice([*ids[:20], "P-2026-9999"]), procedure="penalty",
                details={"power": rng.choice([*POWERS, None])}, draft=draft)  # fmt: skip


def test_the_distribution_read_from_the_index_is_the_full_reads(office: Office) -> None:
    rng = random.Random(16)
    docs = [_generated_doc(rng, i) for i in range(400)]
    with office.store.engine.begin() as conn:
        write_docs(conn, docs)
    index = SearchIndex(office.store.engine)
    seen = set()
    for _ in range(150):
        case = _drafting(rng, [d["doc_id"] for d in docs])
        expected = full_read_distribution(index, case)
        assert distribution(index, case) == expected, case
        if expected:
            seen.add((expected["scale"], expected["count"] % 2, "percentile" in expected))
    # both scales, odd and even counts, with and without a draft fine were compared
    assert seen >= {(s, p, m) for s in ("amount", "rate") for p in (0, 1) for m in (True, False)}


# -- the nearest cases, as found before issue 16: every decided case ordered ------------------
def full_read_nearest(index: SearchIndex, case: Case, limit: int = 5) -> list[dict[str, Any]]:
    from workflow.assist import SIMILAR_TERMS, SMALL_INDEX, _current
    from workflow.search import bm25, document_counts
    from workflow.textindex import query_terms

    now = _current(case)
    terms = list(query_terms(search.facts_text(case)).terms)[:60]
    with index.engine.connect() as conn:
        total, _, counts = document_counts(conn, terms)
        held = [t for t in terms if counts.get(t)]
        if total > SMALL_INDEX:
            held = [t for t in held if counts[t] * 10 <= total]
        terms = sorted(held, key=lambda t: (counts[t], t))[:SIMILAR_TERMS]
        score: Any = sa.literal(0.0)
        query = sa.select(DOCS)
        if terms:
            scored = (sa.select(TERMS.c.doc_id, sa.func.sum(bm25(conn, terms)).label("score"))
                      .join(DOCS, DOCS.c.doc_id == TERMS.c.doc_id)
                      .where(TERMS.c.term.in_(terms)).group_by(TERMS.c.doc_id)).subquery()  # fmt: skip
            score = sa.func.coalesce(scored.c.score, 0.0)
            query = sa.select(DOCS, score.label("score")).outerjoin(
                scored, scored.c.doc_id == DOCS.c.doc_id)  # fmt: skip
        same_power = DOCS.c.power == now["power"] if now["power"] else sa.false()
        same_tier = sa.and_(same_power, DOCS.c.tier == now["tier"]) if now["tier"] else sa.false()
        query = query.where(DOCS.c.decided.is_(True), DOCS.c.doc_id != case.id).order_by(
            sa.case((same_tier, 1), else_=0).desc(), sa.case((same_power, 1), else_=0).desc(),
            score.desc(), DOCS.c.doc_id).limit(limit)  # fmt: skip
        rows = conn.execute(query).all()
    return [(r.doc_id, round(float(getattr(r, "score", 0.0) or 0.0), 4)) for r in rows]


PHRASES = ("虚报冒领", "财政补助资金", "挤占挪用", "专项资金", "骗取", "拖延提供", "审计资料",
           "违规发放", "津贴补贴", "工程款", "建设有限公司", "会计账簿", "虚假材料", "2025", "2026")  # fmt: skip


def test_the_nearest_cases_are_the_ones_found_before(office: Office) -> None:
    rng = random.Random(7)
    docs = []
    for i in range(420):  # past SMALL_INDEX: only the distinctive terms count
        doc = _generated_doc(rng, i)
        doc["body"] = "\n".join(rng.sample(PHRASES, rng.randrange(1, 6)) + [f"编号{rng.randrange(50)}"])
        docs.append(doc)
    with office.store.engine.begin() as conn:
        write_docs(conn, docs)
    index = SearchIndex(office.store.engine)
    from workflow.assist import nearest

    for _ in range(60):
        case = _drafting(rng, [d["doc_id"] for d in docs])
        case.title = "".join(rng.sample(PHRASES, 3)) + f"编号{rng.randrange(50)}"
        case.details["violation"] = rng.choice(PHRASES)
        found = [(c["id"], c["similarity"]) for c in nearest(index, case)]
        assert found == full_read_nearest(index, case), case


# -- the index kept by the acts ---------------------------------------------------------------
def _as_indexed(office: Office) -> dict[str, tuple[dict[str, Any], dict[str, int]]]:
    """Every case's search row and postings as stored."""
    with office.store.engine.connect() as conn:
        rows = {r.doc_id: dict(r._mapping) for r in conn.execute(sa.select(DOCS))}
        terms: dict[str, dict[str, int]] = {}
        for r in conn.execute(sa.select(TERMS)):
            terms.setdefault(r.doc_id, {})[r.term] = r.tf
    return {doc_id: (row, terms.get(doc_id, {})) for doc_id, row in rows.items()}


def _as_rebuilt(case: Case) -> tuple[dict[str, Any], dict[str, int]]:
    """A case's search row and postings written afresh from its current state."""
    doc = case_doc(case, {})
    terms = document_terms(f"{doc['title']}\n{doc['body']}")
    doc.update(length=sum(terms.values()), facts_terms=search.facts_terms(doc["facts_text"]))
    return doc, dict(terms)


def _assert_index_is_current(office: Office, upgraded: bool = False) -> None:
    """Every case's row and postings are what indexing it afresh gives (after an upgrade, a
    row indexed before it has its facts' terms segmented by the case's next act)."""
    stored = _as_indexed(office)
    for case in office.cases():
        row, terms = stored[case.id]
        want_row, want_terms = _as_rebuilt(case)
        if upgraded and row["facts_text"] is None:
            want_row.update(facts_text=None, facts_terms=None)
        assert {k: row[k] for k in want_row} == want_row, case.id
        assert terms == want_terms, case.id
    with office.store.engine.connect() as conn:
        assert search.stale(conn, 10) == []


def test_each_act_keeps_the_index_a_search_finds_it_at_once(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    for scenario, steps in zip(STANDALONE, (9, 14, 6), strict=False):
        run_prefix(office, scenario, steps)
    run_prefix(office, STANDALONE[0], 1)  # 立案 only
    _assert_index_is_current(office)  # every act wrote its own lines' postings, nothing more

    def never(*_args: Any) -> int:
        raise AssertionError("a read indexed cases")

    monkeypatch.setattr(search, "catch_up", never)
    monkeypatch.setattr(SearchIndex, "refresh", never)
    helper = Assistant.of(office)
    case = next(c for c in office.cases() if c.state == "initiation")
    assert not helper.search("独角兽", Filters(), 10)
    office.do(case.id, "assign", "赵刚", {"person": "李华", "role": "officer"})
    office.do(case.id, "investigate", "赵刚", {})
    office.do(case.id, "add_evidence", "王明", {"type": "documentary", "title": "独角兽项目拨款单"})
    assert [h["id"] for h in helper.search("独角兽", Filters(), 10)] == [case.id]
    hit = helper.search(case.id, Filters(), 1)[0]
    assert hit["state"] == office.case(case.id).state
    helper.similar(office.case(case.id))  # 类案推送 reads the index as the acts left it
    _assert_index_is_current(office)


def test_an_office_indexed_on_read_is_indexed_by_the_upgrade(office: Office) -> None:
    """An office of the old version: some cases never searched, some acted on since the last
    search, 典型案例 imported — after `zhifa db upgrade` (0009) the index is whole and current,
    the like cases' shares computed, and no read has anything left to index."""
    for scenario, steps in zip(STANDALONE, (9, 14, 6), strict=False):
        run_prefix(office, scenario, steps)
    import_library(SearchIndex(office.store.engine), [
        TypicalCase(id=f"T{i}", source="典型案例", title=f"案例{i}", facts="骗取补助资金",
                    power="SJ-CF-003", tier="lighter", amount=Decimal(50000 * i),
                    base_amount=Decimal(300000 * i + 7))
        for i in range(1, 6)])  # fmt: skip
    with office.store.engine.begin() as conn:
        command.downgrade(office.store._alembic(conn), "0008")
    cases = office.cases()
    with office.store.engine.begin() as conn:
        assert "rate" not in {c["name"] for c in sa.inspect(conn).get_columns("search_docs")}
        never_searched = cases[0].id
        conn.execute(sa.delete(TERMS).where(TERMS.c.doc_id == never_searched))
        conn.execute(sa.delete(DOCS).where(DOCS.c.doc_id == never_searched))
        conn.execute(sa.text("UPDATE search_docs SET version = version - 1, state = 'old' "
                             "WHERE doc_id = :id"), {"id": cases[1].id})  # fmt: skip
    office.store.migrate()  # what `zhifa db upgrade` does
    _assert_index_is_current(office, upgraded=True)
    with office.store.engine.connect() as conn:
        assert {"ix_search_docs_like_amount", "ix_search_docs_like_rate"} <= index_names(conn, "search_docs")
        shares = conn.execute(sa.select(DOCS.c.amount_cents, DOCS.c.base_cents, DOCS.c.rate)
                              .where(DOCS.c.origin == "typical")).all()  # fmt: skip
    assert shares
    assert all(r.rate == search.rate(r.amount_cents, r.base_cents) for r in shares)


def test_the_bulk_loader_writes_the_index_the_acts_would_have(tmp_path: Path) -> None:
    benchmarks = Path(__file__).parents[2] / "benchmarks"
    sys.path.insert(0, str(benchmarks))
    try:
        import bench_scale
        from scale_loader import load
    finally:
        sys.path.remove(str(benchmarks))
    url = f"sqlite:///{tmp_path / 'scale.db'}"
    office = bench_scale.staffed_office(bench_scale.write_config(tmp_path, url), url)
    try:
        load(office, 40)
        assert len(office.cases()) == 40
        _assert_index_is_current(office)
        stored = _as_indexed(office)
        parties = [json.loads(row["digest"])["party"] for row, _ in stored.values()]
        assert any(re.search(r"10[0-9]{2}号有限公司$", p) for p in parties)  # clones' own names
    finally:
        office.store.dispose()
