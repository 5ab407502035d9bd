"""A bulk loader for the scale benchmark: an office of N cases with real, verifiable histories.

A dozen template cases are driven through the office like any case (the scenarios of
workflow/scenarios.py, stopped at different states, some published). Every other case is a
clone of one of them under a new case number: its events rewritten with the new id, a new
party name and new notice numbers (each notice's text, its hash, every event hash and every
signature recomputed, as the engine would have recorded them), its rows in every table keyed
by case copied likewise, and the counters set to the numbers issued — so `zhifa verify` passes
on the loaded office. The search index gets each clone's row and postings as its acts would
have written them (workflow/search.py: a document's terms are the sum of its lines', so only
the lines a clone changed are segmented again). Rows go in with executemany (SQLite) or COPY
(PostgreSQL).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa

from documents.render import sha256_text
from rules.model import Case
from workflow.events import event_hash, genesis_hash
from workflow.keys import SigningKey
from workflow.scenarios import (
    AUDIT_WITH_SUPPLEMENT,
    PENALTY_WITH_HEARING,
    SUMMARY_ON_THE_SPOT,
    Scenario,
)
from workflow.search import (
    DOCS,
    case_doc,
    document_terms,
    facts_terms,
    file_texts,
    term_delta,
    text_lines,
)
from workflow.service import Office
from workflow.signing import signing_key

NUMBER = re.compile(r"〔(\d{4})〕(\d+)号$")
CASE_ID = re.compile(r"^(.+)-(\d{4})-(\d+)$")
#: (scenario, how many of its steps, published after its decision): a mix of states, as an
#: office has them — open, noticed, in a hearing, in review, decided, served, archived.
TEMPLATES: tuple[tuple[Scenario, int, bool], ...] = (
    (PENALTY_WITH_HEARING, 1, False),
    (PENALTY_WITH_HEARING, 5, False),
    (PENALTY_WITH_HEARING, 7, False),
    (PENALTY_WITH_HEARING, 9, False),
    (PENALTY_WITH_HEARING, 12, False),
    (PENALTY_WITH_HEARING, 14, False),
    (PENALTY_WITH_HEARING, 14, True),
    (PENALTY_WITH_HEARING, 16, True),
    (PENALTY_WITH_HEARING, 21, True),
    (AUDIT_WITH_SUPPLEMENT, 7, False),
    (AUDIT_WITH_SUPPLEMENT, 10, False),
    (AUDIT_WITH_SUPPLEMENT, 21, True),
    (SUMMARY_ON_THE_SPOT, 8, False),
)
#: the template whose clones are decided but not yet published (the benchmark publishes one)
UNPUBLISHED_DECIDED = 5
#: a template whose clones wait in legal review (法制审核): `case list --state review`
IN_REVIEW = 4
PUBLISHER = "刘洋"


@dataclass
class Template:
    case_id: str
    procedure: str
    events: list[Any]
    #: table -> the template's rows in it (the cases row, and any table with a case_id column)
    rows: dict[str, list[dict[str, Any]]]
    party: str | None
    party_id: str | None
    #: notice numbers the template issued, in order: (number, counter kind, year)
    numbers: list[tuple[str, str, int]]
    #: the text of its evidence files, its indexed lines and their terms (the search index)
    texts: dict[str, str] = field(default_factory=dict)
    lines: Counter[str] = field(default_factory=Counter)
    terms: Counter[str] = field(default_factory=Counter)


def other_party(party: str, n: int) -> str:
    """A party of the same kind under another name (铁锋某建设有限公司 → 铁锋某建设7号有限公司)."""
    return party.replace("有限公司", f"{n}号有限公司") if party.endswith("有限公司") else f"{party}{n}"


def other_credit_code(code: str, n: int) -> str:
    """Another valid 统一社会信用代码 (GB 32100-2015 check character) in the same region."""
    from stdnum.cn import uscc

    first = f"{code[:10]}{n:07d}"
    return first + uscc.calc_check_digit(first)


def drive(office: Office, scenario: Scenario, steps: int, publish: bool, n: int) -> str:
    """One template case through the office, as clerks would make it (a unit party of its own:
    the same party fined twice for one violation is refused, 行政处罚法 Art. 29)."""
    case_id = ""
    for step in scenario.steps[:steps]:
        if step.action == "open":
            data = dict(step.data)
            if data.get("party_type") == "unit":
                data["party"] = other_party(step.data["party"], n)
                data["title"] = step.data["title"].replace(step.data["party"], data["party"])
                data["party_id"] = other_credit_code(step.data["party_id"], n)
            case_id = office.open_case(scenario.procedure, step.actor, data, step.on)[1].id
        else:
            office.do(case_id, step.action, step.actor, step.data, step.on)
        if publish and step.action == "decide":
            office.publish(case_id, PUBLISHER, step.on)
    return case_id


def case_tables(engine: sa.Engine) -> dict[str, sa.Table]:
    """Every table holding rows of a case: `cases` (by id) and any with a case_id column."""
    meta = sa.MetaData()
    meta.reflect(bind=engine)
    found = {"cases": meta.tables["cases"]}
    for name, table in meta.tables.items():
        # events (and its partitions, if the DBA partitioned it) are cloned as chains
        if "case_id" in table.c and not name.startswith("events") and name != "search_docs":
            found[name] = table
    return found


def capture(office: Office, case_id: str, tables: dict[str, sa.Table]) -> Template:
    """A template as stored: its events, its rows, and what a clone must change."""
    events = office.store.events(case_id)
    rows: dict[str, list[dict[str, Any]]] = {}
    with office.store.engine.connect() as conn:
        for name, table in tables.items():
            column = table.c.id if name == "cases" else table.c.case_id
            rows[name] = [dict(r._mapping) for r in conn.execute(sa.select(table).where(column == case_id))]
    opening = events[0].data
    unit = opening.get("party_type") == "unit"
    party, party_id = (opening.get("party"), opening.get("party_id")) if unit else (None, None)
    numbers = []
    for e in events:
        for doc in e.documents:
            found = NUMBER.search(str(doc.get("number", "")))
            if found:
                numbers.append((doc["number"], f"doc:{doc['kind']}", int(found.group(1))))
    case = Case.from_dict(json.loads(rows["cases"][0]["snapshot"]))
    with office.store.engine.connect() as conn:
        texts = file_texts(conn, [case])
    doc = case_doc(case, texts)
    lines = text_lines(doc["title"], doc["body"])
    terms = document_terms(f"{doc['title']}\n{doc['body']}")
    return Template(case_id, str(opening["procedure"]), events, rows, party, party_id, numbers,
                    texts, lines, terms)  # fmt: skip


def search_rows(template: Template, clone: Clone) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """A clone's search row (in DOCS's column order) and postings, as its acts would have
    written them: the template's terms moved by the lines the clone changed."""
    case = Case.from_dict(json.loads(clone.rows["cases"][0]["snapshot"]))
    doc = case_doc(case, template.texts)
    terms = template.terms + term_delta(template.lines, text_lines(doc["title"], doc["body"]))
    doc["length"] = sum(terms.values())
    doc["facts_terms"] = facts_terms(doc["facts_text"])
    return tuple(doc[c.name] for c in DOCS.c), [(t, clone.case_id, n) for t, n in terms.items()]


class Clone(NamedTuple):
    case_id: str
    events: list[tuple[Any, ...]]
    #: table -> rows (`cases`, and any table with a case_id column)
    rows: dict[str, list[dict[str, Any]]]


class Serials:
    """The next free number of each counter (kind, year), starting after what is issued."""

    def __init__(self, counters: list[tuple[str, int, int]]) -> None:
        self.values = {(k, y): v for k, y, v in counters}

    def take(self, kind: str, year: int) -> int:
        value = self.values.get((kind, year), 0) + 1
        self.values[(kind, year)] = value
        return value


def _substituted(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def _renumbered(number: str, serial: int) -> str:
    return NUMBER.sub(lambda m: f"〔{m.group(1)}〕{serial}号", number)


class Cloner:
    """Clones of the templates under new numbers, every hash and signature recomputed."""

    def __init__(self, templates: list[Template], serials: Serials,
                 keys: Callable[[str], SigningKey]) -> None:  # fmt: skip
        self.templates = templates
        self.serials = serials
        self.keys = keys

    def clone(self, template: Template, n: int) -> Clone:
        """Clone number `n` of `template`: its id, event rows (in column order), other rows."""
        prefix, year, _ = CASE_ID.match(template.case_id).groups()  # type: ignore[union-attr]
        serial = self.serials.take(f"case:{template.procedure}", int(year))
        new_id = f"{prefix}-{year}-{serial:04d}"
        pairs = [(template.case_id, new_id)]
        if template.party:
            pairs.append((template.party, other_party(template.party, 1000 + n)))
        if template.party_id:
            pairs.append((template.party_id, other_credit_code(template.party_id, 1000 + n)))
        for number, kind, at in template.numbers:
            pairs.append((number, _renumbered(number, self.serials.take(kind, at))))
        events: list[tuple[Any, ...]] = []
        prev = genesis_hash(new_id)
        for e in template.events:
            data = _substituted(e.data_json, pairs)
            docs = _substituted(e.documents_json, pairs)
            if '"text":' in docs:
                docs = self._rehashed(docs, pairs)
            digest = event_hash(new_id, e.seq, e.action, e.from_state, e.to_state, e.actor, e.role,
                                e.occurred_on, e.recorded_at, data, docs, prev)  # fmt: skip
            pairs.append((e.hash, digest))
            key = self.keys(e.actor)
            signature = key.sign(f"zhifa-signature-v1|{digest}".encode())
            events.append((new_id, e.seq, e.action, e.from_state, e.to_state, e.actor, e.role,
                           date.fromisoformat(e.occurred_on), e.recorded_at, data, docs, prev,
                           digest, key.alg, key.id, signature))  # fmt: skip
            prev = digest
        rows = {name: [{k: _substituted(v, pairs) if isinstance(v, str) else v for k, v in r.items()}
                       for r in found] for name, found in template.rows.items()}  # fmt: skip
        return Clone(new_id, events, rows)

    @staticmethod
    def _rehashed(docs_json: str, pairs: list[tuple[str, str]]) -> str:
        """The notices' text hashes after their text changed (and the hash map extended)."""
        docs = json.loads(docs_json)
        for doc in docs:
            if "text" in doc:
                fresh = sha256_text(doc["text"])
                if fresh != doc.get("sha256"):
                    pairs.append((doc["sha256"], fresh))
                    doc["sha256"] = fresh
        return json.dumps(docs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def build_templates(office: Office) -> list[Template]:
    tables = case_tables(office.store.engine)
    ids = [drive(office, scenario, steps, publish, n)
           for n, (scenario, steps, publish) in enumerate(TEMPLATES, start=1)]
    return [capture(office, case_id, tables) for case_id in ids]


def signer_of(office: Office) -> Callable[[str], SigningKey]:
    state = office.register_history().current
    cache: dict[str, SigningKey] = {}

    def key(name: str) -> SigningKey:
        if name not in cache:
            found = signing_key(office.signer, state, name)
            assert found is not None, name
            cache[name] = found
        return cache[name]

    return key


def load(office: Office, cases: int, batch: int = 2000) -> dict[int, str]:
    """An office of `cases` cases: the templates through the office, the rest cloned in bulk.
    Returns the newest case of each template (by its index in TEMPLATES)."""
    templates = build_templates(office)
    newest = {i: t.case_id for i, t in enumerate(templates)}
    engine = office.store.engine
    tables = case_tables(engine)
    events_table = sa.Table("events", sa.MetaData(), autoload_with=engine)
    columns = [c.name for c in events_table.c]
    cloner = Cloner(templates, Serials(office.store.counters()), signer_of(office))
    remaining = max(0, cases - len(templates))
    with engine.begin() as conn:
        done = 0
        while done < remaining:
            chunk = min(batch, remaining - done)
            event_rows: list[tuple[Any, ...]] = []
            other: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
            docs: list[tuple[Any, ...]] = []
            postings: list[tuple[Any, ...]] = []
            for n in range(done, done + chunk):
                made = cloner.clone(templates[n % len(templates)], n + 1)
                newest[n % len(templates)] = made.case_id
                event_rows += made.events
                doc, terms = search_rows(templates[n % len(templates)], made)
                docs.append(doc)
                postings += terms
                for name, found in made.rows.items():
                    other[name] += found
            _insert(conn, "cases", list(tables["cases"].c.keys()), [tuple(r.values()) for r in other["cases"]])
            _insert(conn, "events", columns, event_rows)
            for name, found in other.items():
                if name != "cases" and found:
                    _insert(conn, name, list(found[0]), [tuple(r.values()) for r in found])
            _insert(conn, "search_docs", [c.name for c in DOCS.c], docs)
            postings.sort()  # in the primary key's order: each page of it written once
            _insert(conn, "search_terms", ["term", "doc_id", "tf"], postings)
            done += chunk
        _set_counters(conn, cloner.serials.values)
    return newest


def _insert(conn: sa.Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    quoted = ", ".join(f'"{c}"' for c in columns)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    if table != "search_terms":  # postings hold no dates: passed as they are
        rows = [tuple(v.isoformat() if isinstance(v, date) else v for v in row) for row in rows]
    conn.connection.driver_connection.executemany(  # type: ignore[union-attr]
        f"INSERT INTO {table} ({quoted}) VALUES ({marks})", rows)


def _set_counters(conn: sa.Connection, values: dict[tuple[str, int], int]) -> None:
    conn.execute(sa.text("DELETE FROM counters"))
    conn.execute(
        sa.text("INSERT INTO counters (kind, year, value) VALUES (:k, :y, :v)"),
        [{"k": k, "y": y, "v": v} for (k, y), v in sorted(values.items())],
    )


