"""The demo's today and every date derived from it (issue 10 point 3: the demo goes stale).

The demo is built as of the day it is loaded (``timezone.localdate()``), or as of the day given
by ``load_demo(today=…)``, ``zhucun demo --today YYYY-MM-DD`` or the ``ZHUCUN_DEMO_TODAY``
environment variable (tests). From that day:

* the three complete months before the current month, and the current month up to yesterday,
  carry check-ins, diaries and leave (check-ins up to the last working day before today);
* the latest complete month is closed (rankings, summary, interview);
* next month's rest is already approved, a few requests wait for a decision;
* the registry's dispatch batches, the spring additions, the composition exception and the
  next round of nominations lie at the same distance from today as when the demo was written
  (2026-11-28); the National Day team stays on 2025-09-26, a fixed historical case.

Built as of another day than the machine's (tests), the services run with their clock on that
day (``clock_at``), so that what they refuse or accept ("not after today", "a month that has
not ended") is judged as of the demo's today.

A year the holiday calendar does not know (the package ships the State Council schedules up
to its release) is entered as an administrator would, clearly labelled as demo data
(``calendar_years``): only the statutory holidays on fixed dates (元旦, 劳动节, 国庆节), no
lunar holidays and no 调休 — the administrator must enter the published schedule.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.params.calendar import holiday_year_set, work_calendar

ENV = "ZHUCUN_DEMO_TODAY"
WRITTEN_ON = dt.date(2026, 11, 28)  # the day the demo's distances were measured from
# Statutory holidays on fixed dates (《全国年节及纪念日放假办法》): entered for a year the
# calendar does not know; the lunar ones and the 调休 need the State Council's schedule.
FIXED_HOLIDAYS = ((1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"))
FIXED_HOLIDAYS += ((10, 1, "国庆节"), (10, 2, "国庆节"), (10, 3, "国庆节"))


def demo_today(value: dt.date | str | None = None) -> dt.date:
    """The demo's today: ``value``, else ``ZHUCUN_DEMO_TODAY``, else the machine's local date."""
    if value is None:
        value = os.environ.get(ENV, "").strip() or None
    if value is None:
        return timezone.localdate()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"演示数据的日期应为 YYYY-MM-DD 格式,收到:{value}") from None


def month_add(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=_stdlib_calendar.monthrange(month.year, month.month)[1])


def monday_before(day: dt.date) -> dt.date:
    """The Monday on or before ``day``."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Timeline:
    today: dt.date

    # -- attendance ------------------------------------------------------------------------

    @property
    def current(self) -> dt.date:
        """The first day of the current month (the month up to yesterday has check-ins)."""
        return self.today.replace(day=1)

    @property
    def months(self) -> tuple[dt.date, ...]:
        """The first days of the three complete months and of the current month."""
        return tuple(month_add(self.current, n) for n in (-3, -2, -1, 0))

    @property
    def start(self) -> dt.date:
        return self.months[0]

    @property
    def closed(self) -> dt.date:
        """The month the demo closes: the latest complete month."""
        return self.months[2]

    @property
    def next_month(self) -> dt.date:
        return month_add(self.current, 1)

    @property
    def end(self) -> dt.date:
        """The last day the demo plans for (next month's rest, the requests waiting)."""
        return month_end(self.next_month)

    # -- registry and selection: the distances from the day the demo was written -------------

    def ago(self, day: dt.date) -> dt.date:
        """``day`` moved with the demo's today: as far before today as it was before
        WRITTEN_ON, on the same weekday (Mondays stay Mondays)."""
        moved = self.today - (WRITTEN_ON - day)
        return moved - dt.timedelta(days=(moved.weekday() - day.weekday()) % 7)

    @property
    def batches(self) -> list[tuple[dt.date, int]]:
        """The dispatch batches (arrival day, weight): Mondays, the last about nine months ago."""
        written = [(dt.date(2024, 12, 16), 30), (dt.date(2025, 3, 10), 40)]
        written += [(dt.date(2025, 9, 8), 15), (dt.date(2026, 3, 9), 15)]
        return [(self.ago(d), w) for d, w in written]

    @property
    def spring(self) -> dt.date:
        """Members added to villages with room: with the last batch."""
        return self.batches[-1][0]

    @property
    def exception_from(self) -> dt.date:
        return self.ago(dt.date(2026, 5, 20))

    @property
    def exception_arrival(self) -> dt.date:
        return self.ago(dt.date(2026, 6, 1))

    @property
    def exception_until(self) -> dt.date:
        return dt.date(self.today.year + 1, 12, 31)

    @property
    def next_round(self) -> dt.date:
        """The dispatch date of the nominations still in the workflow."""
        return month_add(self.current, 4)

    @property
    def years(self) -> range:
        """The years the demo's calendar must know: from the first batch to ``end``."""
        return range(self.batches[0][0].year, self.end.year + 1)


def calendar_years(admin: User, timeline: Timeline) -> list[int]:
    """Enter the years the demo needs and the calendar does not know, as demo data (the fixed
    statutory holidays on weekdays; source: a note asking for the published schedule)."""
    calendar, entered = work_calendar(), []
    for year in timeline.years:
        if calendar.knows(year):
            continue
        entries = [
            (dt.date(year, m, d), False, name)
            for m, d, name in FIXED_HOLIDAYS
            if dt.date(year, m, d).weekday() < 5
        ]
        holiday_year_set(
            actor=admin,
            year=year,
            source=f"演示数据:请录入国务院办公厅公布的{year}年节假日安排"
            "(此处仅登记元旦、劳动节、国庆节的固定日期,未含春节等农历节日和调休)",
            entries=entries,
            confirm_few=True,  # knowingly incomplete: the source says so
        )
        entered.append(year)
    return entered


@contextmanager
def clock_at(today: dt.date) -> Iterator[None]:
    """The services' clock on ``today`` (same time of day) while the demo is built, when the
    demo's today is not the machine's; nothing changes otherwise."""
    shift = today - timezone.localdate()
    if not shift:
        yield
        return
    real_now = timezone.now

    def now() -> dt.datetime:
        return real_now() + shift

    timezone.now = now
    try:
        yield
    finally:
        timezone.now = real_now
