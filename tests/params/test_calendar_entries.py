"""Holiday years an administrator enters make deadlines in that year computable (SEL.METHOD.APPOINT10)."""

import datetime as dt

import pytest

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.params.calendar import holiday_year_set, work_calendar
from zhucun.policy import CalendarUnknownError


def test_unknown_year_says_enter_the_schedule(world):
    with pytest.raises(CalendarUnknownError, match="请录入2027年节假日安排"):
        work_calendar().is_workday(dt.date(2027, 3, 1))


def test_entered_year_becomes_known(world):
    holiday_year_set(
        actor=world.admin,
        year=2027,
        source="国办发明电〔2026〕X号",
        entries=[(dt.date(2027, 1, 1), False, "元旦"), (dt.date(2027, 2, 7), True, "春节调休")],
    )
    cal = work_calendar()
    assert cal.is_workday(dt.date(2027, 1, 1)) is False
    assert cal.is_workday(dt.date(2027, 2, 7)) is True  # a Sunday worked (调休)
    assert cal.is_workday(dt.date(2027, 1, 4)) is True


def test_wrong_entries_are_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        holiday_year_set(
            actor=world.admin, year=2027, source="x", entries=[(dt.date(2027, 1, 4), True, "")]
        )
    assert "entries" in exc.value.errors
    with pytest.raises(ValidationFailed):
        holiday_year_set(
            actor=world.admin, year=2025, source="x", entries=[(dt.date(2025, 1, 1), False, "")]
        )
    with pytest.raises(Forbidden):
        holiday_year_set(
            actor=world.users["county"],
            year=2027,
            source="x",
            entries=[(dt.date(2027, 1, 1), False, "")],
        )
