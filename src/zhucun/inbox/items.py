"""One line of a user's to-do list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class TodoItem:
    """``count`` things of one ``kind`` wait for the user at ``url``.

    ``due`` is the earliest deadline among them (None: no deadline); ``overdue`` how many are
    past theirs. ``working_days_left`` and ``calendar_missing`` are filled by the inbox from
    ``due`` (negative: that many working days late)."""

    kind: str
    title: str
    count: int
    url: str
    clause: str
    due: dt.date | None = None
    overdue: int = 0
    note: str = ""
    working_days_left: int | None = None
    calendar_missing: int | None = None  # a year whose holiday schedule is not entered
    past_due: bool = False  # the earliest deadline lies before today (even by a weekend only)

    def with_days(self, left: int | None, missing: int | None, *, past_due: bool) -> TodoItem:
        return replace(self, working_days_left=left, calendar_missing=missing, past_due=past_due)

    @property
    def is_overdue(self) -> bool:
        return self.overdue > 0 or self.past_due or (self.working_days_left or 0) < 0

    @property
    def deadline_text(self) -> str:
        """The deadline as an official reads it: 还剩3个工作日 / 今日到期 / 已逾期2个工作日."""
        if self.calendar_missing:
            return f"请录入{self.calendar_missing}年节假日安排"
        if self.due is None:
            return f"{self.overdue}项已逾期" if self.overdue else ""
        left = self.working_days_left
        if left is None:
            return ""
        if left < 0:
            return f"已逾期{-left}个工作日"
        if self.past_due:  # due on a working day before a weekend or holiday that is today
            return "已逾期"
        if left == 0:
            return "今日到期"
        return f"还剩{left}个工作日"
