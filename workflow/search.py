"""Case search (案件检索): an inverted index in the database, ranked with BM25.

`search_docs` holds one row per case (and per imported 典型案例): its filters (procedure, state,
year, power item, tier, fine) and its text; `search_terms` the postings (term, document, term
frequency) of workflow/textindex.py's terms; `file_texts` the text extracted once per stored
evidence file. The index follows the cases incrementally: before a search, the cases whose
version differs from the version indexed (one indexed query) are indexed again, in batches,
each batch one transaction — nothing else writes it, and it can be dropped and rebuilt.

A query's required terms must all be in a hit; BM25 (k1 1.2, b 0.75) is summed in SQL over
the postings of the query's terms only, so no query reads every case; the best candidates are
then put in order with exact phrase hits first.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from rules.model import Case
from states.vocabulary import Outcome
from workflow.errors import ConflictError
from workflow.textindex import MAX_TERM, Query, document_terms, normal, query_terms

META = sa.MetaData()
DOCS = sa.Table(
    "search_docs", META,
    sa.Column("doc_id", sa.String(80), primary_key=True),
    sa.Column("origin", sa.String(10), nullable=False),  # office | typical (典型案例)
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("procedure", sa.String(20)),
    sa.Column("state", sa.String(20)),
    sa.Column("year", sa.Integer),
    sa.Column("power", sa.String(40)),
    sa.Column("benchmark", sa.String(40)),
    sa.Column("tier", sa.String(20)),
    sa.Column("decided", sa.Boolean, nullable=False),
    sa.Column("decided_on", sa.Date),
    sa.Column("amount_cents", sa.BigInteger),
    sa.Column("base_cents", sa.BigInteger),
    sa.Column("length", sa.Integer, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("facts", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("digest", sa.Text, nullable=False),
)  # fmt: skip
TERMS = sa.Table(
    "search_terms", META,
    sa.Column("term", sa.String(MAX_TERM), primary_key=True),
    sa.Column("doc_id", sa.String(80), primary_key=True),
    sa.Column("tf", sa.Integer, nullable=False),
)  # fmt: skip
FILE_TEXTS = sa.Table(
    "file_texts", META,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("text", sa.Text, nullable=False),
)  # fmt: skip
K1, B = 1.2, 0.75
BATCH = 500
TYPICAL = "typical"


def cents(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int((Decimal(str(value)) * 100).to_integral_value())


# -- what a case is indexed under ---------------------------------------------------------
def _standing(case: Case) -> dict[str, Any] | None:
    """The decision that stands (a revoked or void one does not)."""
    decision = case.decision or {}
    revoked = (decision.get("revoked") or {}).get("kind") in ("revoked", "confirmed_void")
    return decision if decision and not revoked else None


def _decision_number(case: Case) -> str:
    seq = (case.decision or {}).get("seq")
    return next((n.get("number", "") for n in case.notices if n.get("seq") == seq), "")


def case_doc(case: Case, file_text: Mapping[str, str]) -> dict[str, Any]:
    """The search row of a case: filters, the text indexed, and what a hit shows."""
    decision = _standing(case)
    draft = (decision or {}).get("draft") or case.draft or {}
    record = draft.get("discretion") or {}
    fine = draft.get("amount") if "fine" in (draft.get("penalty_kinds") or []) else None
    base = (record.get("legal") or {}).get("base")
    base_amount = (record.get("facts") or {}).get(base) if base else None
    number = _decision_number(case)
    evidence = [e.get("title", "") for e in case.evidence]
    files = [file_text.get(f.get("sha256", ""), "") for e in case.evidence
             for f in e.get("files") or [] if isinstance(f, dict)]  # fmt: skip
    facts = " ".join(str(draft.get(k) or "") for k in ("facts", "mitigation")).strip()
    parts = [case.id, case.title, case.party.get("name", ""), case.party.get("id", ""),
             *(str(case.details.get(k) or "") for k in ("source", "violation", "scope")),
             facts, str(draft.get("basis") or ""),
             str((decision or {}).get("statement_response") or ""),
             *(n.get("number", "") for n in case.notices), *evidence, *files]  # fmt: skip
    body = "\n".join(p for p in parts if p)
    decided = bool(decision) and draft.get("outcome") == Outcome.PENALTY
    summary = {
        "id": case.id, "title": case.title, "party": case.party.get("name", ""),
        "procedure": case.procedure, "state": case.state, "power": case.details.get("power"),
        "benchmark": record.get("benchmark"), "tier": record.get("tier"),
        "tier_label": record.get("tier_label"), "amount": fine, "base_amount": base_amount,
        "decision_number": number, "decided_on": (decision or {}).get("on"),
        "origin": "office", "source": "",
    }  # fmt: skip
    return {
        "doc_id": case.id, "origin": "office", "version": case.version,
        "procedure": case.procedure, "state": case.state,
        "year": int(case.opened_on[:4]) if case.opened_on else None,
        "power": case.details.get("power"), "benchmark": record.get("benchmark"),
        "tier": record.get("tier"), "decided": decided,
        "decided_on": date.fromisoformat(decision["on"]) if decided and decision else None,
        "amount_cents": cents(fine), "base_cents": cents(base_amount),
        "title": case.title, "facts": facts, "body": body,
        "digest": json.dumps(summary, ensure_ascii=False, sort_keys=True),
    }  # fmt: skip


# -- keeping the index ----------------------------------------------------------------------
def _upsert(conn: Connection, table: sa.Table, rows: list[dict[str, Any]], keys: list[str]) -> None:
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        insert: Any = pg_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        insert = sqlite_insert(table)
    columns = {c: insert.excluded[c] for c in rows[0] if c not in keys}
    statement = insert.on_conflict_do_update(index_elements=keys, set_=columns) if columns else \
        insert.on_conflict_do_nothing(index_elements=keys)  # fmt: skip
    conn.execute(statement, rows)


def write_docs(conn: Connection, docs: Sequence[dict[str, Any]]) -> None:
    """Replace the rows and postings of these documents."""
    ids = [d["doc_id"] for d in docs]
    conn.execute(sa.delete(TERMS).where(TERMS.c.doc_id.in_(ids)))
    postings: list[dict[str, Any]] = []
    rows = []
    for doc in docs:
        terms = document_terms(f"{doc['title']}\n{doc['body']}")
        postings += [{"term": t, "doc_id": doc["doc_id"], "tf": n} for t, n in terms.items()]
        rows.append({**doc, "length": sum(terms.values())})
    _upsert(conn, DOCS, rows, ["doc_id"])
    if postings:
        conn.execute(sa.insert(TERMS), postings)


@dataclass
class SearchIndex:
    """The search index of one office's database; `files` reads evidence text (or None)."""

    engine: Engine
    files: Any = None

    def stale(self, conn: Connection, limit: int) -> list[tuple[str, str]]:
        """Cases not indexed at their current version: (id, snapshot), at most `limit`."""
        cases = sa.table("cases", sa.column("id"), sa.column("version"), sa.column("snapshot"))
        query = (
            sa.select(cases.c.id, cases.c.snapshot)
            .select_from(cases.outerjoin(DOCS, DOCS.c.doc_id == cases.c.id))
            .where(sa.or_(DOCS.c.doc_id.is_(None), DOCS.c.version != cases.c.version))
            .order_by(cases.c.id).limit(limit)
        )  # fmt: skip
        return [(r[0], r[1]) for r in conn.execute(query)]

    def refresh(self) -> int:
        """Index every case changed since it was last indexed; how many were."""
        done, clashes = 0, 0
        while True:
            try:
                with self.engine.begin() as conn:
                    stale = self.stale(conn, BATCH)
                    if not stale:
                        return done
                    cases = [Case.from_dict(json.loads(snapshot)) for _, snapshot in stale]
                    texts = self._file_texts(conn, cases)
                    write_docs(conn, [case_doc(c, texts) for c in cases])
                    done += len(cases)
            except sa.exc.IntegrityError:
                # another clerk's search indexed the same cases first: look again
                clashes += 1
                if clashes > 5:
                    raise ConflictError("search index", 0) from None

    def _file_texts(self, conn: Connection, cases: Iterable[Case]) -> dict[str, str]:
        """The text of every evidence file of these cases, extracted once per file."""
        wanted = {f["sha256"]: f for c in cases for e in c.evidence for f in e.get("files") or []
                  if isinstance(f, dict) and f.get("sha256")}  # fmt: skip
        if not wanted:
            return {}
        known = {r.sha256: r.text for r in conn.execute(
            sa.select(FILE_TEXTS).where(FILE_TEXTS.c.sha256.in_(list(wanted))))}  # fmt: skip
        fresh = []
        for sha, record in wanted.items():
            if sha not in known and self.files is not None and self.files.has(sha):
                from workflow.extract import extract_text

                known[sha] = extract_text(self.files.path(sha), str(record.get("name", "")),
                                          str(record.get("media_type", "")))  # fmt: skip
                fresh.append({"sha256": sha, "text": known[sha]})
        _upsert(conn, FILE_TEXTS, fresh, ["sha256"])
        return known

    # -- asking -------------------------------------------------------------------------------
    def search(self, text: str, filters: Filters | None = None, limit: int = 10) -> list[Hit]:
        """The cases (and 典型案例) best matching `text`, exact phrase hits first."""
        self.refresh()
        query = query_terms(text)
        if not query.required:
            return []
        with self.engine.connect() as conn:
            rows = _ranked(conn, query, filters or Filters(), max(limit * 5, 50))
        phrase = normal(text).strip()
        hits = [Hit.of(r, phrase) for r in rows]
        hits.sort(key=lambda h: (not h.exact, -h.score, h.id))
        return hits[:limit]


@dataclass(frozen=True)
class Filters:
    """检索条件: procedure, state, the year opened, power item, and a fine band in yuan."""

    procedure: str | None = None
    state: str | None = None
    year: int | None = None
    power: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    origin: str | None = None

    def clauses(self) -> list[Any]:
        c = DOCS.c
        equal = {c.procedure: self.procedure, c.state: self.state, c.year: self.year,
                 c.power: self.power, c.origin: self.origin}  # fmt: skip
        found: list[Any] = [column == value for column, value in equal.items() if value is not None]
        if self.min_amount is not None:
            found.append(c.amount_cents >= cents(self.min_amount))
        if self.max_amount is not None:
            found.append(c.amount_cents <= cents(self.max_amount))
        return found


def document_counts(conn: Connection, terms: Sequence[str]) -> tuple[int, float, dict[str, int]]:
    """How many documents there are, their average length, and how many hold each term."""
    total, average = conn.execute(sa.select(sa.func.count(), sa.func.avg(DOCS.c.length))).one()
    rows = conn.execute(sa.select(TERMS.c.term, sa.func.count()).where(TERMS.c.term.in_(terms))
                        .group_by(TERMS.c.term))  # fmt: skip
    return int(total or 0), float(average or 1.0), {str(term): int(n) for term, n in rows}


def idf_weights(conn: Connection, terms: Sequence[str]) -> tuple[dict[str, float], float]:
    """BM25 idf of each term, and the average document length."""
    total, average, counts = document_counts(conn, terms)
    n = float(total)
    weights = {t: math.log(1 + (n - counts.get(t, 0) + 0.5) / (counts.get(t, 0) + 0.5)) for t in terms}
    return weights, average


def bm25(conn: Connection, terms: Sequence[str]) -> Any:
    """The BM25 contribution of one posting, as a SQL expression over TERMS and DOCS."""
    weights, average = idf_weights(conn, terms)
    weight = sa.case(*[(TERMS.c.term == t, w) for t, w in weights.items()], else_=0.0)
    tf = sa.cast(TERMS.c.tf, sa.Float)
    norm = K1 * (1 - B + B * sa.cast(DOCS.c.length, sa.Float) / average)
    return weight * tf * (K1 + 1) / (tf + norm)


def _ranked(conn: Connection, query: Query, filters: Filters, limit: int) -> list[Any]:
    required = list(query.required)
    matched = sa.func.sum(sa.case((TERMS.c.term.in_(required), 1), else_=0))
    scored = (
        sa.select(TERMS.c.doc_id, sa.func.sum(bm25(conn, query.terms)).label("score"))
        .join(DOCS, DOCS.c.doc_id == TERMS.c.doc_id)
        .where(TERMS.c.term.in_(query.terms), *filters.clauses())
        .group_by(TERMS.c.doc_id)
        .having(matched == len(required))
        .order_by(sa.desc("score"), TERMS.c.doc_id).limit(limit)
    ).subquery()  # fmt: skip
    rows = sa.select(DOCS, scored.c.score).join(scored, scored.c.doc_id == DOCS.c.doc_id)
    return list(conn.execute(rows.order_by(sa.desc(scored.c.score), DOCS.c.doc_id)))


@dataclass(frozen=True)
class Hit:
    id: str
    origin: str
    score: float
    exact: bool
    summary: dict[str, Any]
    snippet: str

    @classmethod
    def of(cls, row: Any, phrase: str) -> Hit:
        body = normal(row.body)
        at = body.find(phrase)
        snippet = " ".join(row.body[max(0, at - 24) : at + len(phrase) + 36].split()) if at >= 0 else ""
        return cls(row.doc_id, row.origin, float(row.score or 0.0), at >= 0,
                   json.loads(row.digest), snippet)  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        return {**self.summary, "id": self.id, "origin": self.origin,
                "score": round(self.score, 4), "exact": self.exact, "snippet": self.snippet}  # fmt: skip
