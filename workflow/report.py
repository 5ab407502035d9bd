"""执法统计年报: the year's figures by SQL aggregation over the case rows (118号（六）).

Each case row carries its figures (rules/statistics.py), so the report is a handful of
GROUP BY queries, whatever the number of cases. Published reports are kept by year; the
report for a year is due by 31 January of the next (domain.md §4, `annual_report`).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from rules.calendar import WorkingCalendar
from states.vocabulary import OUTCOMES
from workflow.errors import BadInputError
from workflow.events import utc_now
from workflow.tables import REPORTS

SOURCE = "国办发〔2018〕118号（六）"


def _days(conn: Connection, later: Any, earlier: Any) -> Any:
    """Days between two date columns, in the dialect's own date arithmetic."""
    if conn.dialect.name == "postgresql":
        return later - earlier
    return sa.func.julianday(later) - sa.func.julianday(earlier)


def _count_if(condition: Any) -> Any:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def annual_figures(
    conn: Connection, cases: sa.Table, year: int, today: date | None = None
) -> dict[str, Any]:
    """The year's figures; cases counted as opened or decided by their recorded dates. A
    deadline is missed when done late, or still open after its due date as of `today` (or the
    year's end, if earlier) — not only as of the case's last act."""
    if not 2000 <= year <= 2100:
        raise BadInputError(f"年份须在 2000 至 2100 之间 year {year} is out of range")
    c = cases.c
    start, end = date(year, 1, 1), date(year, 12, 31)
    opened: dict[str, int] = {
        str(procedure): int(count)
        for procedure, count in conn.execute(
            sa.select(c.procedure, sa.func.count())
            .where(c.opened_on.between(start, end))
            .group_by(c.procedure)
        )
    }
    decided_in_year = c.decided_on.between(start, end)
    by_kind = conn.execute(
        sa.select(c.procedure, c.outcome, sa.func.count(), sa.func.coalesce(sa.func.sum(c.fine_cents), 0))
        .where(decided_in_year).group_by(c.procedure, c.outcome)
        .order_by(c.procedure, c.outcome)).all()  # fmt: skip
    collected, outstanding = conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(c.collected_cents), 0),
                  sa.func.coalesce(sa.func.sum(c.outstanding_cents), 0)).where(decided_in_year)
    ).one()  # fmt: skip
    totals = conn.execute(sa.select(
        sa.func.count(), _count_if(c.heard), _count_if(c.review_rounds > 0),
        sa.func.sum(c.review_rounds), _count_if(c.first_pass), sa.func.sum(c.review_returns),
        sa.func.sum(c.supplements), sa.func.sum(c.deadlines_met), sa.func.sum(c.deadlines_missed),
        sa.func.avg(_days(conn, c.decided_on, c.opened_on)),
        sa.func.avg(_days(conn, c.served_on, c.decided_on)),
        sa.func.avg(_days(conn, c.closed_on, c.served_on)),
    ).where(decided_in_year)).one()  # fmt: skip
    published = conn.execute(
        sa.select(sa.func.count()).where(c.published_on.between(start, end))
    ).scalar_one()
    by_procedure: dict[str, int] = {}
    by_outcome: dict[str, int] = {}
    fines = 0
    for procedure, outcome, count, cents in by_kind:
        by_procedure[procedure] = by_procedure.get(procedure, 0) + int(count)
        by_outcome[str(outcome)] = by_outcome.get(str(outcome), 0) + int(count)
        fines += int(cents or 0)
    (decided, heard, reviewed, rounds, first_pass, returned, supplements, met, missed,
     to_decide, to_serve, to_close) = totals  # fmt: skip

    def avg(value: Any) -> float | None:
        return None if value is None else round(float(value), 1)

    return {
        "year": year,
        "opened": {"total": sum(opened.values()), "by_procedure": dict(sorted(opened.items()))},
        "decided": {"total": int(decided or 0), "by_procedure": dict(sorted(by_procedure.items())),
                    "by_outcome": {k: by_outcome[k] for k in OUTCOMES if k in by_outcome}},
        "fines_total": str(Decimal(fines) / 100),
        "fines": {"imposed": str(Decimal(fines) / 100), "collected": str(Decimal(int(collected)) / 100),
                  "outstanding": str(Decimal(int(outstanding)) / 100)},
        "reviews": {"cases": int(reviewed or 0), "rounds": int(rounds or 0),
                    "first_pass": int(first_pass or 0), "returned": int(returned or 0),
                    "supplements": int(supplements or 0)},
        "hearings": int(heard or 0),
        "published": int(published or 0),
        "deadlines": {"met": int(met or 0),
                      "missed": int(missed or 0) + _missed_since(conn, cases, decided_in_year,
                                                                 min(today or end, end))},
        "average_days": {"opened_to_decided": avg(to_decide), "decided_to_served": avg(to_serve),
                         "served_to_closed": avg(to_close)},
        "source": SOURCE,
    }  # fmt: skip


def _missed_since(conn: Connection, cases: sa.Table, scope: Any, as_of: date) -> int:
    """Open obligations (workflow/deadline_rows.py) whose due date passed after the case's last
    act and before `as_of`: the case row counted them as open (trial: the report said 0 missed
    while alerts listed them overdue). Those due before the last act are in the row already."""
    from workflow.tables import DEADLINES
    from workflow.tables import EVENTS as events

    last = events.alias("last")
    query = (
        sa.select(sa.func.count())
        .select_from(DEADLINES.join(cases, cases.c.id == DEADLINES.c.case_id)
                     .join(last, sa.and_(last.c.case_id == cases.c.id, last.c.seq == cases.c.version)))
        .where(scope, DEADLINES.c.due < as_of, DEADLINES.c.due >= last.c.occurred_on)
    )  # fmt: skip
    return int(conn.execute(query).scalar_one())


def publish_report(conn: Connection, year: int, figures: dict[str, Any], by: str) -> None:
    """Record the year's report as published (replacing an earlier publication of it); the
    moment of publication is noted on `figures` too, so what is printed next states it."""
    at = utc_now()
    conn.execute(sa.delete(REPORTS).where(REPORTS.c.year == year))
    conn.execute(sa.insert(REPORTS).values(
        year=year, figures=json.dumps(figures, ensure_ascii=False, sort_keys=True),
        published_by=by, published_at=at))  # fmt: skip
    figures["published_at"] = at


def published_reports(conn: Connection) -> dict[int, dict[str, Any]]:
    rows = conn.execute(sa.select(REPORTS).order_by(REPORTS.c.year.desc())).all()
    return {r.year: {**json.loads(r.figures), "published_at": r.published_at} for r in rows}


def report_due(
    today: date,
    published: set[int],
    calendar: WorkingCalendar,
    within: int,
    first_year: int | None = None,
) -> list[dict[str, Any]]:
    """The annual_report obligation: last year's report by 31 January (118号（六）).

    Only for a year the office worked in: `first_year` is the year of its first case (None:
    no case yet), so a new office is not warned about a year before it existed."""
    year = today.year - 1
    if year in published or first_year is None or year < first_year:
        return []
    due = date(today.year, 1, 31)
    if today > due:
        left = -calendar.working_days_between(due, today)
    else:
        left = calendar.working_days_between(today, due)
    horizon = calendar.add_working_days(today, within).day
    if due > horizon:
        return []
    return [{"id": "annual_report", "label": f"{year}年度执法统计年报公开", "due": due.isoformat(),
             "status": "overdue" if today > due else "open", "days_left": left, "source": SOURCE}]  # fmt: skip
