"""``todo_list``: the user's waiting items across modules, worst first."""

from __future__ import annotations

import datetime as dt

from zhucun.accounts.models import User
from zhucun.params.calendar import work_calendar
from zhucun.policy import CalendarUnknownError, WorkCalendar

from . import providers  # noqa: F401 — registers every module's providers
from .items import TodoItem
from .registry import providers_for


def todo_list(*, user: User, today: dt.date) -> list[TodoItem]:
    """Every item with count > 0, overdue first, then by nearest deadline, then by kind."""
    items = [item for fn in providers_for(user.role) for item in fn(user, today) if item.count]
    if any(item.due for item in items):
        calendar = work_calendar()
        items = [_with_days(item, calendar, today) for item in items]
    return sorted(items, key=_order)


def _order(item: TodoItem) -> tuple[int, int, str]:
    left = item.working_days_left
    return (0 if item.is_overdue else 1, left if left is not None else 10**6, item.kind)


def _with_days(item: TodoItem, calendar: WorkCalendar, today: dt.date) -> TodoItem:
    if item.due is None:
        return item
    try:
        if item.due >= today:
            left = calendar.working_days(today + dt.timedelta(days=1), item.due)
        else:
            left = -calendar.working_days(item.due + dt.timedelta(days=1), today)
    except CalendarUnknownError as exc:
        return item.with_days(None, exc.year, past_due=item.due < today)
    return item.with_days(left, None, past_due=item.due < today)
