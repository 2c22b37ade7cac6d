"""Periods counted in years: ages in full years (周岁), party age, work experience, terms.

Legal reading (民法典 第二百零一条、第二百零二条 and 第一千二百五十九条): a period of n years
that starts on day ``d`` is complete on its anniversary, the same month and day n years later;
"满n周岁" is reached on the n-th birthday itself, so "不超过45周岁" holds until the day before
the 46th birthday.  When the anniversary does not exist — a 29 February in a common year — the
month's last day (28 February) takes its place (第二百零二条「没有对应日的,月末日为期间的最后
一日」): a person born on 2000-02-29 is 46 on 2046-02-28.
"""

from __future__ import annotations

from datetime import date, timedelta

_FEBRUARY = 2
_LEAP_DAY = 29


def anniversary(start: date, years: int) -> date:
    """The day ``years`` full years after ``start`` (29 February → 28 February in common years)."""
    year = start.year + years
    try:
        return start.replace(year=year)
    except ValueError:
        if (start.month, start.day) != (_FEBRUARY, _LEAP_DAY):
            raise  # year out of range: not a leap-day matter
        return date(year, _FEBRUARY, _LEAP_DAY - 1)


def full_years(start: date, on: date) -> int:
    """The full years from ``start`` to ``on`` (周岁 when ``start`` is the birth date).

    The count goes up on each anniversary of ``start`` (see :func:`anniversary`); it is negative
    when ``on`` lies before ``start``.
    """
    years = on.year - start.year
    if on < anniversary(start, years):
        years -= 1
    return years


def month_label(d: date) -> str:
    """The one way a month is written in texts, pages and exports: 2026年9月."""
    return f"{d.year}年{d.month}月"


def date_label(d: date) -> str:
    """The one way a day is written in Chinese texts: 2026年9月5日."""
    return f"{d.year}年{d.month}月{d.day}日"


def previous_month(d: date) -> date:
    """The first day of the month before ``d``'s month (the last full month on ``d``)."""
    return (d.replace(day=1) - timedelta(days=1)).replace(day=1)
