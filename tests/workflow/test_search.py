"""Case search: a labelled set of queries reaches recall ≥ 0.95 in the top 10, on SQLite and on
PostgreSQL; filters, document numbers, case ids, evidence text, and the index following the
cases."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PgSchema, make_office, pg_base_url, with_benchmarks
from tests.workflow.search_corpus import build
from workflow.assist import Assistant
from workflow.search import Filters
from workflow.service import Office


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def corpus(request: pytest.FixtureRequest) -> Iterator[tuple[Office, list[tuple[str, set[str]]]]]:
    folder = Path(tempfile.mkdtemp(prefix="zhifa-search-"))
    schema = None
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'zhifa.db'}"
    else:
        schema = PgSchema(pg_base_url())
        url = schema.url
    office = make_office(url, with_benchmarks(), files=folder / "files")
    labelled, _ = build(office, folder)
    yield office, labelled
    office.store.dispose()
    if schema is not None:
        schema.drop()


def test_the_labelled_queries_find_their_cases_in_the_top_ten(corpus: Any) -> None:
    office, labelled = corpus
    assert len(labelled) >= 40
    assert len(office.cases()) >= 200
    assert {len(q) for q, _ in labelled} >= {2, 3, 4, 5, 6}
    helper = Assistant.of(office)
    found = expected = 0
    missed = []
    for query, wanted in labelled:
        top = {h["id"] for h in helper.search(query, Filters(), limit=10)}
        found += len(top & wanted)
        expected += len(wanted)
        if wanted - top:
            missed.append((query, sorted(wanted - top)))
    recall = found / expected
    assert recall >= 0.95, (recall, missed)


def test_filters_numbers_ids_and_the_index_following_the_cases(corpus: Any) -> None:
    office, _ = corpus
    helper = Assistant.of(office)
    decided = [c for c in office.cases() if c.decision]
    number = next(n["number"] for n in decided[0].notices if n["kind"] == "penalty_decision")
    for spelling in (number, number.replace("〔", "(").replace("〕", ")"), number.replace("〔", "").replace("〕", "")):
        hits = helper.search(spelling, Filters(), limit=3)
        assert hits[0]["id"] == decided[0].id, spelling
        assert hits[0]["decision_number"] == number
    assert helper.search(decided[1].id.lower(), Filters(), limit=1)[0]["id"] == decided[1].id
    fined = helper.search("有限公司", Filters(min_amount=Decimal("100000"), max_amount=Decimal("130000")), 50)
    assert {h["id"] for h in fined} == {c.id for c in decided}  # ¥120,000 each
    assert all(h["tier"] == "reduced" for h in fined)
    assert helper.search("有限公司", Filters(state="archive", year=2026), 50)
    assert not helper.search("有限公司", Filters(year=2019), 50)
    assert not helper.search("冷链", Filters(power="SJ-CF-001"), 10)
    assert not helper.search("没有这样的词语", Filters(), 10)
    opened = next(c for c in office.cases() if c.state == "initiation")
    assert not helper.search("独角兽", Filters(), 10)
    office.do(opened.id, "assign", "赵刚", {"person": "李华", "role": "officer"})
    office.do(opened.id, "investigate", "赵刚", {})
    office.do(opened.id, "add_evidence", "王明", {"type": "documentary", "title": "独角兽项目拨款单"})
    assert [h["id"] for h in helper.search("独角兽", Filters(), 10)] == [opened.id]
