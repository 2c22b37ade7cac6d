"""Working days (工作日) after the State Council holiday schedule.

The schedule comes from the ``chinese_calendar`` package; a jurisdiction adds ``extra`` entries
(``True`` = workday, ``False`` = holiday) for a year the package does not know yet, or for a
local holiday (e.g. a prefecture's own festival) in any year.  ``extra_years`` declares the
years those entries fully cover.  Weekends are non-working unless listed as workdays (调休).
A date in a year known neither to the package nor to ``extra_years`` raises
``CalendarUnknownError`` — it is never guessed.

Deadline convention (SEL.METHOD.APPOINT10 「10个工作日内」): the day of the event itself is not
counted; ``add_working_days(d, n)`` is the n-th working day after ``d``, so the deadline of
"n working days after arrival" is ``add_working_days(arrival, n)``, and that day still counts
as in time.  ``add_working_days(d, 0)`` is ``d`` itself, workday or not.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from types import MappingProxyType

import chinese_calendar  # type: ignore[import-untyped]

from .errors import CalendarUnknownError

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday(): Monday is 0
_PROBE_FIRST_YEAR = 2000


def package_years() -> frozenset[int]:
    """The years whose schedule the installed ``chinese_calendar`` knows."""
    schedule = getattr(chinese_calendar, "holidays", None)
    if isinstance(schedule, Mapping) and schedule:
        first, last = min(schedule).year, max(schedule).year
        return frozenset(range(first, last + 1))
    return _probe_package_years()


def _probe_package_years() -> frozenset[int]:
    # Fallback when the package stops exposing its table: ask it year by year.
    years: set[int] = set()
    for year in range(_PROBE_FIRST_YEAR, date.today().year + 2):
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


_PACKAGE_YEARS = package_years()


class WorkCalendar:
    """Answers whether a day is a working day, and counts and adds working days."""

    def __init__(
        self, *, extra: Mapping[date, bool] | None = None, extra_years: Iterable[int] = ()
    ) -> None:
        entries = dict(extra or {})
        for day, is_work in entries.items():
            if not isinstance(day, date) or isinstance(day, datetime):
                raise TypeError(f"节假日安排的日期无效:{day!r}")
            if not isinstance(is_work, bool):
                raise TypeError(f"{day.isoformat()} 的安排须为 True(工作日)或 False(休息日)")
        self.extra: Mapping[date, bool] = MappingProxyType(entries)
        self.extra_years = frozenset(extra_years)
        self.known_years = _PACKAGE_YEARS | self.extra_years

    def knows(self, year: int) -> bool:
        return year in self.known_years

    def is_workday(self, day: date) -> bool:
        day = _as_date(day)
        if day.year not in self.known_years:
            raise CalendarUnknownError(day.year)
        if day in self.extra:
            return self.extra[day]
        if day.year in _PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < _SATURDAY

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (``day`` itself not counted); ``day`` if n == 0."""
        if n < 0:
            raise ValueError("工作日数不能为负数 / n must not be negative")
        current = _as_date(day)
        remaining = n
        while remaining:
            current += _ONE_DAY
            if self.is_workday(current):
                remaining -= 1
        return current

    def working_days(self, start: date, end: date) -> int:
        """The number of working days in the closed interval [start, end]; 0 if end < start."""
        current, last = _as_date(start), _as_date(end)
        count = 0
        while current <= last:
            count += self.is_workday(current)
            current += _ONE_DAY
        return count

    def workdays_in_month(self, year: int, month: int) -> int:
        """The number of working days in the month (the month's 正常工作日, MGT.3.TALK)."""
        last = _stdlib_calendar.monthrange(year, month)[1]
        return self.working_days(date(year, month, 1), date(year, month, last))


def _as_date(day: date) -> date:
    return day.date() if isinstance(day, datetime) else day
