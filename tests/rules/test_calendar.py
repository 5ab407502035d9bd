"""The working-day calendar: worked examples across 2026's holidays, and its laws."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.calendar import WorkingCalendar

CAL = WorkingCalendar()
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=40)


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Spring Festival 2026: 15–23 Feb off, Sat 14 Feb and Sat 28 Feb are make-up working days.
        (date(2026, 2, 12), 1, date(2026, 2, 13)),
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # the make-up Saturday counts
        (date(2026, 2, 13), 2, date(2026, 2, 24)),
        (date(2026, 2, 13), 5, date(2026, 2, 27)),
        (date(2026, 2, 13), 6, date(2026, 2, 28)),  # second make-up Saturday
        # National Day 2026: 1–7 Oct off, Sat 10 Oct is a make-up day.
        (date(2026, 9, 30), 1, date(2026, 10, 8)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        (date(2026, 9, 29), 5, date(2026, 10, 12)),
        # the start day is not counted, even when it is a holiday
        (date(2026, 10, 3), 1, date(2026, 10, 8)),
    ],
)
def test_working_days_across_2026_holidays(start: date, n: int, due: date) -> None:
    assert CAL.add_working_days(start, n).day == due
    assert not CAL.add_working_days(start, n).provisional


def test_calendar_days_ending_on_a_holiday_move_to_next_working_day() -> None:
    # 15 calendar days from 16 Sep 2026 is 1 Oct (National Day) → 8 Oct.
    assert CAL.add_calendar_days(date(2026, 9, 16), 15).day == date(2026, 10, 8)
    # ... but a period ending on a make-up Saturday ends that Saturday.
    assert CAL.add_calendar_days(date(2026, 9, 25), 15).day == date(2026, 10, 10)
    # a normal Sunday end moves to Monday
    assert CAL.add_calendar_days(date(2026, 11, 7), 15).day == date(2026, 11, 23)


def test_2027_is_provisional_and_says_how_to_fix_it() -> None:
    due = CAL.add_working_days(date(2026, 12, 28), 10)
    assert due.provisional
    assert due.missing_years == (2027,)
    assert "2027" in due.warning()
    assert "config.yaml" in due.warning()
    assert due.day == date(2027, 1, 11)  # weekends only: a guess, and marked as one


def test_config_data_makes_a_year_official() -> None:
    cal = WorkingCalendar(
        extra_holidays=[date(2027, 1, 1)], extra_workdays=[date(2027, 1, 9)], official_years=[2027]
    )
    due = cal.add_working_days(date(2026, 12, 31), 1)
    assert due.day == date(2027, 1, 4)
    assert not due.provisional
    assert cal.is_working_day(date(2027, 1, 9))  # a configured make-up Saturday
    assert cal.missing_years([2026, 2027, 2028]) == [2028]


@given(days, counts)
def test_a_working_day_deadline_is_a_working_day(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n).day
    assert n == 0 or CAL.is_working_day(due)


@given(days, st.integers(min_value=0, max_value=120))
def test_a_calendar_deadline_is_a_working_day(start: date, n: int) -> None:
    assert CAL.is_working_day(CAL.add_calendar_days(start, n).day)


@given(days, counts, counts)
def test_more_days_never_give_an_earlier_date(start: date, n: int, extra: int) -> None:
    assert CAL.add_working_days(start, n + extra).day >= CAL.add_working_days(start, n).day
    assert CAL.add_calendar_days(start, n + extra).day >= CAL.add_calendar_days(start, n).day


@given(days, counts, counts)
def test_counting_n_then_m_equals_n_plus_m(start: date, n: int, m: int) -> None:
    middle = CAL.add_working_days(start, n).day
    assert CAL.add_working_days(middle, m).day == CAL.add_working_days(start, n + m).day


@given(days, counts)
def test_between_counts_back_what_add_counted(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n).day
    assert CAL.working_days_between(start, due) == n
    assert CAL.working_days_between(start, due - timedelta(days=1)) == max(n - 1, 0)
