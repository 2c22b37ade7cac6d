"""工作日历: every deadline in working days needs the year's holiday schedule; the State Council
publishes next year's in November or December, and the administrator enters it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from zhucun.accounts.models import User, UserRole
from zhucun.core.links import page_url
from zhucun.params.calendar import work_calendar

from ..items import TodoItem
from ..registry import provider

SCHEDULE_PUBLISHED_FROM_MONTH = 11  # not a policy figure: when the State Council publishes


@provider(UserRole.ADMIN, UserRole.PREFECTURE)
def holiday_schedule_missing(user: User, today: dt.date) -> Iterator[TodoItem]:
    """SEL.METHOD.APPOINT10 and every deadline in working days: this year, and from November
    next year, must be known; a missing year makes those deadlines read 请录入…."""
    calendar = work_calendar()
    years = [today.year] + (
        [today.year + 1] if today.month >= SCHEDULE_PUBLISHED_FROM_MONTH else []
    )
    for year in years:
        if not calendar.knows(year):
            yield TodoItem(
                f"calendar_{year}",
                f"录入{year}年节假日安排",
                1,
                page_url("web:calendar"),
                "SEL.METHOD.APPOINT10",
                due=dt.date(year, 1, 1) if year > today.year else None,
                overdue=1 if year <= today.year else 0,
                note="国务院办公厅发布后录入,否则以工作日计的时限无法推算",
            )
