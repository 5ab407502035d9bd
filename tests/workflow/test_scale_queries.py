"""The database answers the questions (issue 16): alerts from the open obligations kept as
rows, `case list` a page at a time, the first-review guard one probe — each query read from
an index on SQLite and on PostgreSQL, and the same answers the full scans gave."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from rules.deadlines import basis
from rules.model import Case
from rules.policy import Policy
from tests.workflow.scale import (
    STANDALONE,
    full_scan_alerts,
    index_names,
    indexed_alerts,
    plan,
    run_prefix,
    scans_a_table,
    sorts,
)
from workflow import deadline_rows
from workflow.assist import _like, nearest_groups, unscored_in
from workflow.search import DOCS
from workflow.service import Office
from workflow.store import CASE_ORDERS, CASES, HAS_REVIEWED, PUBLISHED_HEADS, Store

PENALTY, AUDIT, SUMMARY = STANDALONE


def _busy(office: Office) -> None:
    """Three cases mid-way, each with open obligations (a decision, a review, a filing due)."""
    run_prefix(office, PENALTY, 12)
    run_prefix(office, AUDIT, 15)
    run_prefix(office, SUMMARY, 3)


def test_alerts_come_from_the_rows_and_agree_with_the_full_computation(office: Office) -> None:
    _busy(office)
    expected = full_scan_alerts(office, 250)
    assert expected  # the office has open obligations to alert on
    assert indexed_alerts(office, 250) == expected
    with office.store.engine.connect() as conn:
        stored = deadline_rows.due_by(conn, date.max)
    assert {r.case_id for r in stored} == {e[0] for e in expected}


def test_an_act_rewrites_its_case_rows_in_its_own_transaction(office: Office) -> None:
    run_prefix(office, SUMMARY, 3)  # decided on the spot: the filing is due
    case = office.cases()[0]
    before = [(a["id"], a["due"]) for a in office.alerts(250) if a["case"] == case.id]
    assert "summary_filing" in {i for i, _ in before}
    for step in SUMMARY.steps[3:]:  # the case runs to its end: filed, archived
        office.do(case.id, step.action, step.actor, step.data, step.on)
    assert [a for a in office.alerts(250) if a["case"] == case.id] == []
    with office.store.engine.connect() as conn:
        assert deadline_rows.due_by(conn, date.max) == []


def test_a_changed_policy_has_the_rows_computed_again(office: Office) -> None:
    _busy(office)
    longer = dataclasses.replace(office.policy.periods, review_limit_days=15, archive_limit_days=60)
    policy = dataclasses.replace(office.policy, periods=longer)
    other = Office(office.store, policy, clock=office.clock)
    assert basis(policy) != office.store.deadline_basis()
    assert indexed_alerts(other, 250) == full_scan_alerts(other, 250)
    assert office.store.deadline_basis() == basis(policy)


def test_0008_backfills_an_office_built_before_it(office: Office) -> None:
    _busy(office)
    with office.store.engine.connect() as conn:
        kept = [tuple(r[:7]) for r in deadline_rows.due_by(conn, date.max)]
    assert kept
    with office.store.engine.begin() as conn:
        command.downgrade(office.store._alembic(conn), "0007")
    with office.store.engine.connect() as conn:
        assert "open_deadlines" not in sa.inspect(conn).get_table_names()
    office.store.migrate()  # what `zhifa db upgrade` does
    with office.store.engine.connect() as conn:
        assert [tuple(r[:7]) for r in deadline_rows.due_by(conn, date.max)] == kept
        assert "ix_open_deadlines_due" in index_names(conn, "open_deadlines")
    assert office.store.deadline_basis() == basis(Policy())
    assert indexed_alerts(office, 250) == full_scan_alerts(office, 250)


def test_the_schema_keeps_one_index_per_purpose(office: Office) -> None:
    with office.store.engine.connect() as conn:
        names = index_names(conn, "cases")
    assert not [n for n in names if n.startswith("ix__alembic_tmp")]  # 0003's stray copy
    assert "ix_cases_published_on" in names  # publications are found by their date


# -- every query of these commands reads an index -------------------------------------------
def _like_case_queries() -> dict[str, Any]:
    """类案推送's queries for a draft of SJ-CF-001 at the general tier (workflow/assist.py)."""
    drafting = Case(id="P-2026-0001", procedure="penalty")
    now = {"power": "SJ-CF-001", "tier": "general"}
    found: dict[str, Any] = {}
    for scale, column, mine in (("fine", DOCS.c.amount_cents, 5_000_000), ("share", DOCS.c.rate, 0.1)):
        like = _like(drafting, now, column)
        found[f"like cases, how many ({scale})"] = sa.select(sa.func.count()).where(*like)
        found[f"like cases, in order: the median's place ({scale})"] = (
            sa.select(DOCS.c.doc_id).where(*like).order_by(column, DOCS.c.doc_id).limit(2).offset(7))
        found[f"like cases, in order: the highest ({scale})"] = (
            sa.select(DOCS.c.doc_id).where(*like).order_by(column.desc(), DOCS.c.doc_id.desc()).limit(1))
        found[f"like cases, below the draft ({scale})"] = sa.select(sa.func.count()).where(*like, column < mine)
    groups = nearest_groups(drafting.id, now)
    for label, group in (("same tier", groups[0]), ("same power item", groups[1])):
        found[f"nearest, {label} in id order"] = unscored_in(group, ["财政", "资金"]).limit(5)
    found["search: documents and their length"] = sa.select(sa.func.count(), sa.func.avg(DOCS.c.length))
    return found  # fmt: skip


def _queries(store: Store) -> dict[str, tuple[Any, dict[str, Any]]]:
    page = sa.select(CASES.c.snapshot)
    return {
        **{name: (query, {}) for name, query in _like_case_queries().items()},
        "alerts": (deadline_rows.DUE_BY, {"p_limit": date(2026, 12, 31)}),
        "first review": (HAS_REVIEWED, {"p_actor": "陈静"}),
        "first year": (sa.select(sa.func.min(CASES.c.opened_on)), {}),
        "site: published heads": (PUBLISHED_HEADS, {}),
        "count by state": (store._filtered(sa.select(sa.func.count()).select_from(CASES),
                                           "review", None), {}),  # fmt: skip
        **{f"page by state, {sort}": (store._filtered(page, "review", None)
                                      .order_by(*CASE_ORDERS[sort]).limit(50), {})
           for sort in ("opened", "state")},  # fmt: skip
        "page by procedure": (store._filtered(page, None, "penalty")
                              .order_by(*CASE_ORDERS["opened"]).limit(50).offset(50), {}),  # fmt: skip
        **{f"page, {sort}": (page.order_by(*CASE_ORDERS[sort]).limit(50), {})
           for sort in CASE_ORDERS},  # fmt: skip
    }


@pytest.mark.parametrize("name", list(_queries(Store("sqlite://"))))
def test_each_query_reads_an_index(office: Office, name: str) -> None:
    _busy(office)
    query, params = _queries(office.store)[name]
    with office.store.engine.connect() as conn:
        text = plan(conn, query, params)
    assert not scans_a_table(text), text
    if name.startswith(("page", "alerts", "like cases, in order", "nearest")):
        assert not sorts(text), text  # the index gives the rows in order: LIMIT stops early


# -- case list, a page at a time ------------------------------------------------------------
def test_pages_cover_every_case_once_in_order(office: Office) -> None:
    _busy(office)
    run_prefix(office, PENALTY, 3)  # a fourth case, in the same state as none of the others
    every = [c.id for c in office.cases()]
    assert len(every) == 4
    for sort in ("opened", "案号", "状态", "updated"):
        first = office.case_page(sort=sort, limit=3)
        assert (first.total, first.pages, first.next_page) == (4, 2, 2)
        second = office.case_page(sort=sort, limit=3, page=2)
        assert second.next_page is None
        ids = [c.id for c in first.cases] + [c.id for c in second.cases]
        assert sorted(ids) == sorted(every)
        if sort == "opened":
            assert ids == every  # the order `case list` always had
        if sort == "案号":
            assert ids == sorted(every)


def test_a_page_past_the_end_is_empty_and_says_so(office: Office) -> None:
    run_prefix(office, SUMMARY, 2)
    past = office.case_page(page=3)
    assert list(past.cases) == []
    assert "共 1 件" in past.summary()
    assert "下一页" not in past.summary()


def test_an_unknown_sort_is_refused_with_the_choices(lite: Office) -> None:
    from workflow.errors import BadInputError

    with pytest.raises(BadInputError, match="最近办理"):
        lite.case_page(sort="size")


def test_the_first_review_guard_sees_any_earlier_opinion(office: Office) -> None:
    assert not office.store.has_reviewed("陈静")
    run_prefix(office, PENALTY, len(PENALTY.steps))
    reviewers = {s.actor for s in PENALTY.steps if s.action == "approve_review"}
    assert reviewers
    assert all(office.store.has_reviewed(name) for name in reviewers)
    assert not office.store.has_reviewed("王明")  # an officer never reviews
