"""The working-day calendar (工作日) and the counting rules of domain.md §4.

Working days are weekdays minus statutory holidays plus 调休 make-up days, from the
`chinesecalendar` package for the years it covers, and from config.yaml for other years.
Counting (民事诉讼法 Art. 85; 民法典 Arts. 201, 203; 行政处罚法 Art. 85):

* the day of the starting event is not counted;
* a working-day period counts working days only (a make-up Saturday counts);
* a calendar-day period whose last day is not a working day ends on the next working day.

A date counted through a year without official data is still computed (weekends only) but
is *provisional*: the result says so and names the years, it is never silently guessed.
`chinese_calendar.find_workday` is deliberately not used: it moves a non-working start day
before counting, which is wrong in law.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=1)
def _official_years() -> frozenset[int]:
    return frozenset(d.year for d in chinese_calendar.holidays)


@dataclass(frozen=True)
class DueDate:
    """A computed date and whether it rests on days without official calendar data."""

    day: date
    provisional: bool = False
    missing_years: tuple[int, ...] = ()

    def warning(self) -> str:
        if not self.provisional:
            return ""
        years = "、".join(str(y) for y in self.missing_years)
        return (
            f"{years}年节假日安排未收录，期限按周末推算，仅供参考；"
            f"请在 config.yaml 的 calendar.extra_holidays / extra_workdays 中补录并将年份加入"
            f" calendar.official_years"
        )


class WorkingCalendar:
    """Working days from official data plus the office's own additions (config.yaml)."""

    def __init__(
        self,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        official_years: Iterable[int] = (),
    ) -> None:
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self.known_years = _official_years() | frozenset(official_years)

    def has_official_data(self, year: int) -> bool:
        return year in self.known_years

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if day in chinese_calendar.workdays:  # 调休 make-up working day
            return True
        if day in chinese_calendar.holidays:
            return False
        return day.weekday() < 5

    def _provisional(self, start: date, end: date) -> DueDate:
        missing = tuple(y for y in range(start.year, end.year + 1) if not self.has_official_data(y))
        return DueDate(end, bool(missing), missing)

    def add_working_days(self, start: date, days: int) -> DueDate:
        """The `days`-th working day after `start` (start itself not counted)."""
        if days < 0:
            raise ValueError("a period cannot be negative")
        day = start
        left = days
        while left:
            day += ONE_DAY
            if self.is_working_day(day):
                left -= 1
        return self._provisional(start, day)

    def add_calendar_days(self, start: date, days: int) -> DueDate:
        """`days` calendar days after `start`; a last day off work moves to the next working day."""
        if days < 0:
            raise ValueError("a period cannot be negative")
        day = start + timedelta(days=days)
        while not self.is_working_day(day):
            day += ONE_DAY
        return self._provisional(start, day)

    def add_months(self, start: date, months: int) -> DueDate:
        """The same day `months` later (the month's last day if it has none); a last day off
        work moves to the next working day (民事诉讼法 Art. 85 ¶4 as applied to 6 months,
        行政诉讼法 Art. 46; 3 months, 行政强制法 Art. 53)."""
        if months < 0:
            raise ValueError("a period cannot be negative")
        index = start.year * 12 + start.month - 1 + months
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        day = date(year, month + 1, min(start.day, last))
        while not self.is_working_day(day):
            day += ONE_DAY
        return self._provisional(start, day)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many have passed since `start` by `end`."""
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count

    def missing_years(self, years: Iterable[int]) -> list[int]:
        return sorted(y for y in set(years) if not self.has_official_data(y))
