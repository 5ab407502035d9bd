"""Case search (案件检索): an inverted index in the database, ranked with BM25.

`search_docs` holds one row per case (and per imported 典型案例): its filters (procedure, state,
year, power item, tier, fine) and its text; `search_terms` the postings (term, document, term
frequency) of workflow/textindex.py's terms; `file_texts` the text extracted once per stored
evidence file. The index follows the cases in the act's own transaction (`follow`, set on
the store by the office): the row's filters always, and the postings of the lines of text the
act added or removed — a read never indexes. `catch_up` indexes the cases whose version differs
from the version indexed (migration 0009 runs it once for an office indexed on read before);
the bulk loader writes the rows as the acts would have.

A query's required terms must all be in a hit; BM25 (k1 1.2, b 0.75) is summed in SQL over
the postings of the query's terms only, so no query reads every case; the best candidates are
then put in order with exact phrase hits first.
"""

from __future__ import annotations

import json
import math
from collections import Counter
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
from workflow.textindex import MAX_TERM, Query, document_terms, line_terms, normal, query_terms

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
    #: the fine as a share of its base (amount_cents / base_cents), where there is a base
    sa.Column("rate", sa.Float),
    sa.Column("length", sa.Integer, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("facts", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("digest", sa.Text, nullable=False),
    #: the text 类案推送 looks for similar facts with, and its terms in order (segmented once,
    #: by the act that changed the text, not by every `case show`)
    sa.Column("facts_text", sa.Text),
    sa.Column("facts_terms", sa.Text),
    # like cases (类案) in the order of their id, of their fine, or of their fine's share, and
    # the decided cases of a power item in id order (migration 0009)
    sa.Index("ix_search_docs_like", "power", "tier", "decided", "doc_id"),
    sa.Index("ix_search_docs_decided_power", "decided", "power", "doc_id"),
    sa.Index("ix_search_docs_like_amount", "power", "tier", "decided", "amount_cents", "doc_id"),
    sa.Index("ix_search_docs_like_rate", "power", "tier", "decided", "rate", "doc_id"),
    # the number of documents and their average length, without reading their text
    sa.Index("ix_search_docs_length", "length"),
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


def rate(amount_cents: int | None, base_cents: int | None) -> float | None:
    """The fine as a share of its base, as stored (a correctly rounded double, as SQL's
    CAST(amount AS FLOAT) / base gives); None without a positive base."""
    if amount_cents is None or not base_cents or base_cents <= 0:
        return None
    return amount_cents / base_cents


#: Terms of a case's facts used to find similar facts (the most distinctive are kept).
MAX_QUERY_TERMS = 60


# -- what a case is indexed under ---------------------------------------------------------
def facts_text(case: Case) -> str:
    """What 类案推送 compares: the draft's facts, the violation, the source and the title."""
    draft = case.draft or {}
    parts = [draft.get("facts"), case.details.get("violation"), case.details.get("source"),
             case.title]  # fmt: skip
    return " ".join(str(p) for p in parts if p)


def facts_terms(text: str) -> str:
    """The terms of a case's facts text, in order, as stored (one a line)."""
    return "\n".join(list(query_terms(text).terms)[:MAX_QUERY_TERMS])


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
        "rate": rate(cents(fine), cents(base_amount)), "title": case.title, "facts": facts,
        "body": body, "digest": json.dumps(summary, ensure_ascii=False, sort_keys=True),
        "facts_text": facts_text(case), "facts_terms": None,  # segmented when written
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
        row = {"facts_text": None, "facts_terms": None, **doc, "length": sum(terms.values())}
        if row["facts_text"] is not None and row["facts_terms"] is None:
            row["facts_terms"] = facts_terms(row["facts_text"])
        rows.append(row)
    _upsert(conn, DOCS, rows, ["doc_id"])
    if postings:
        conn.execute(sa.insert(TERMS), postings)


#: the columns `follow` rewrites in place (all but the key and the length, which moves by the
#: terms added and removed)
_FOLLOWED = tuple(c.name for c in DOCS.c if c.name not in ("doc_id", "length"))


@dataclass
class FollowSQL:
    """`follow`'s statements in the driver's own SQL, written once per dialect (an UPDATE once
    per set of columns it changes): an act binds values and nothing else."""

    mark: str
    quote: Any
    read: str
    bump: str
    drop: str
    iso_dates: bool
    updates: dict[tuple[str, ...], str]

    @classmethod
    def of(cls, dialect: sa.Dialect) -> FollowSQL:
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        quote = dialect.identifier_preparer.quote
        return cls(
            mark=mark, quote=quote,
            read=f"SELECT {', '.join(quote(n) for n in _FOLLOWED)} FROM search_docs "
            f"WHERE doc_id = {mark}",
            bump=f"INSERT INTO search_terms (term, doc_id, tf) VALUES ({mark}, {mark}, {mark}) "
            "ON CONFLICT (term, doc_id) DO UPDATE SET tf = search_terms.tf + excluded.tf",
            drop=f"DELETE FROM search_terms WHERE doc_id = {mark} AND tf <= 0",
            iso_dates=dialect.name == "sqlite", updates={},
        )  # fmt: skip

    def update(self, columns: tuple[str, ...]) -> str:
        """UPDATE of these columns only (an index over none of them is left alone); `length`
        moves by the terms added and removed."""
        if columns not in self.updates:
            sets = [f"{self.quote(n)} = {self.mark}" for n in columns if n != "length"]
            if "length" in columns:
                sets.append(f"length = length + {self.mark}")
            self.updates[columns] = f"UPDATE search_docs SET {', '.join(sets)} WHERE doc_id = {self.mark}"
        return self.updates[columns]


_FOLLOW_SQL: dict[str, FollowSQL] = {}


def text_lines(title: str, body: str) -> Counter[str]:
    """The lines a document's terms come from (with how often each occurs)."""
    return Counter(f"{title}\n{body}".split("\n"))


def _changed_lines(old: tuple[str, str], new: tuple[str, str]) -> tuple[Counter[str], Counter[str]]:
    """The lines added and removed between two texts (title, body): none when equal, the tail
    when only lines were appended (an evidence title), else the difference of the lines."""
    if old == new:
        return Counter(), Counter()
    if old[0] == new[0] and new[1].startswith(old[1]) and new[1][len(old[1]) : len(old[1]) + 1] == "\n":
        return Counter(new[1][len(old[1]) + 1 :].split("\n")), Counter()
    before, after = text_lines(*old), text_lines(*new)
    return after - before, before - after


def term_delta(old: Counter[str], new: Counter[str]) -> Counter[str]:
    """How the postings move when a document's lines go from `old` to `new`."""
    return _moved(new - old, old - new)


def _moved(added: Counter[str], removed: Counter[str]) -> Counter[str]:
    delta: Counter[str] = Counter()
    for lines, sign in ((added, 1), (removed, -1)):
        for line, times in lines.items():
            for term, n in line_terms(line).items():
                delta[term] += sign * n * times
    return delta


def follow(conn: Connection, case: Case, files: Any = None) -> None:
    """Bring a case's search row up to date in the act's own transaction: its filters and
    what a hit shows always; its postings by the lines of text the act added or removed (terms
    never span a line), so an act that adds one evidence title indexes that title alone."""
    texts = file_texts(conn, [case], files)
    doc = case_doc(case, texts)
    sql = _FOLLOW_SQL.get(conn.dialect.name) or _FOLLOW_SQL.setdefault(
        conn.dialect.name, FollowSQL.of(conn.dialect))  # fmt: skip
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql.read, (case.id,))
        row = cursor.fetchone()
        if row is None:
            write_docs(conn, [doc])
            return
        stored = dict(zip(_FOLLOWED, row, strict=True))
        delta = _moved(*_changed_lines((stored["title"], stored["body"]), (doc["title"], doc["body"])))
        same = stored["facts_text"] == doc["facts_text"] and stored["facts_terms"] is not None
        doc["facts_terms"] = stored["facts_terms"] if same else facts_terms(doc["facts_text"])
        if sql.iso_dates and doc["decided_on"] is not None:
            doc["decided_on"] = doc["decided_on"].isoformat()
        changed = [n for n in _FOLLOWED if doc[n] != stored[n]]
        grown = sum(delta.values())
        if grown:
            changed.append("length")
        if changed:
            values = [doc[n] for n in changed if n != "length"] + ([grown] if grown else [])
            cursor.execute(sql.update(tuple(changed)), (*values, case.id))
        moved = [(term, case.id, n) for term, n in delta.items() if n]
        if moved:
            cursor.executemany(sql.bump, moved)
        if any(n < 0 for _, _, n in moved):
            cursor.execute(sql.drop, (case.id,))
    except conn.dialect.loaded_dbapi.Error as exc:
        raise sa.exc.DBAPIError.instance("follow", (), exc, conn.dialect.loaded_dbapi.Error) from exc
    finally:
        cursor.close()


def stale(conn: Connection, limit: int) -> list[tuple[str, str]]:
    """Cases not indexed at their current version: (id, snapshot), at most `limit` (a pass
    over every case: for `catch_up`, never a read)."""
    cases = sa.table("cases", sa.column("id"), sa.column("version"), sa.column("snapshot"))
    query = (
        sa.select(cases.c.id, cases.c.snapshot)
        .select_from(cases.outerjoin(DOCS, DOCS.c.doc_id == cases.c.id))
        .where(sa.or_(DOCS.c.doc_id.is_(None), DOCS.c.version != cases.c.version))
        .order_by(cases.c.id).limit(limit)
    )  # fmt: skip
    return [(r[0], r[1]) for r in conn.execute(query)]


def catch_up(conn: Connection, files: Any = None) -> int:
    """Index every case not indexed at its current version, a batch at a time on `conn`; how
    many were. What an office indexed on read (before migration 0009) needs once."""
    done = 0
    while batch := stale(conn, BATCH):
        cases = [Case.from_dict(json.loads(snapshot)) for _, snapshot in batch]
        texts = file_texts(conn, cases, files)
        write_docs(conn, [case_doc(c, texts) for c in cases])
        done += len(cases)
    return done


def file_texts(conn: Connection, cases: Iterable[Case], files: Any = None) -> dict[str, str]:
    """The text of every evidence file of these cases, extracted once per file (`files`, the
    office's file store, reads a file not extracted yet; without it such a file reads as none)."""
    wanted = {f["sha256"]: f for c in cases for e in c.evidence for f in e.get("files") or []
              if isinstance(f, dict) and f.get("sha256")}  # fmt: skip
    if not wanted:
        return {}
    known = {r.sha256: r.text for r in conn.execute(
        sa.select(FILE_TEXTS).where(FILE_TEXTS.c.sha256.in_(list(wanted))))}  # fmt: skip
    fresh = []
    for sha, record in wanted.items():
        if sha not in known and files is not None and files.has(sha):
            from workflow.extract import extract_text

            known[sha] = extract_text(files.path(sha), str(record.get("name", "")),
                                      str(record.get("media_type", "")))  # fmt: skip
            fresh.append({"sha256": sha, "text": known[sha]})
    _upsert(conn, FILE_TEXTS, fresh, ["sha256"])
    return known


@dataclass
class SearchIndex:
    """The search index of one office's database; `files` reads evidence text (or None)."""

    engine: Engine
    files: Any = None

    def facts_terms(self, case: Case) -> list[str]:
        """The terms of a case's facts text as its last act stored them (segmented now only
        for a case not indexed at this version)."""
        query = sa.select(DOCS.c.version, DOCS.c.facts_text, DOCS.c.facts_terms).where(
            DOCS.c.doc_id == case.id)  # fmt: skip
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        text = facts_text(case)
        if row is not None and row.version == case.version and row.facts_text == text \
                and row.facts_terms is not None:  # fmt: skip
            stored = str(row.facts_terms)
        else:
            stored = facts_terms(text)
        return stored.split("\n") if stored else []

    def refresh(self) -> int:
        """Index every case not indexed at its current version (a maintenance pass: the acts
        keep the index; see `catch_up`), in one transaction; how many were."""
        try:
            with self.engine.begin() as conn:
                return catch_up(conn, self.files)
        except sa.exc.IntegrityError:
            raise ConflictError("search index", 0) from None

    # -- asking -------------------------------------------------------------------------------
    def search(self, text: str, filters: Filters | None = None, limit: int = 10) -> list[Hit]:
        """The cases (and 典型案例) best matching `text`, exact phrase hits first."""
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


def corpus(conn: Connection) -> tuple[int, float]:
    """How many documents there are and their average length (from the index on length)."""
    total, average = conn.execute(sa.select(sa.func.count(), sa.func.avg(DOCS.c.length))).one()
    return int(total or 0), float(average or 1.0)


def term_counts(conn: Connection, terms: Sequence[str], cap: int | None = None) -> dict[str, int]:
    """How many documents hold each term — counted up to `cap` when given (a term held by more
    is known to be common without counting every posting)."""
    if not terms:
        return {}
    if cap is None:
        rows = conn.execute(sa.select(TERMS.c.term, sa.func.count()).where(TERMS.c.term.in_(terms))
                            .group_by(TERMS.c.term)).all()  # fmt: skip
    else:
        held = [sa.select(sa.literal(t).label("term"), sa.func.count().label("n")).select_from(
                    sa.select(TERMS.c.doc_id).where(TERMS.c.term == t).limit(cap).subquery())
                for t in dict.fromkeys(terms)]  # fmt: skip
        rows = conn.execute(sa.union_all(*held)).all()
    return {str(term): int(n) for term, n in rows if n}


def document_counts(conn: Connection, terms: Sequence[str]) -> tuple[int, float, dict[str, int]]:
    """How many documents there are, their average length, and how many hold each term."""
    return (*corpus(conn), term_counts(conn, terms))


Counts = tuple[int, float, dict[str, int]]


def idf_weights(
    conn: Connection, terms: Sequence[str], known: Counts | None = None
) -> tuple[dict[str, float], float]:
    """BM25 idf of each term, and the average document length (`known`: the counts already
    read, exact for these terms)."""
    total, average, counts = known or document_counts(conn, terms)
    n = float(total)
    weights = {t: math.log(1 + (n - counts.get(t, 0) + 0.5) / (counts.get(t, 0) + 0.5)) for t in terms}
    return weights, average


def bm25(conn: Connection, terms: Sequence[str], known: Counts | None = None) -> Any:
    """The BM25 contribution of one posting, as a SQL expression over TERMS and DOCS."""
    weights, average = idf_weights(conn, terms, known)
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
