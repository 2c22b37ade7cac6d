"""WorkCalendar: State Council schedule, adjusted workdays, extra years, deadline convention.

The deadlines of SEL.METHOD.APPOINT10 and SEL.METHOD.TRANSFER15 are counted in these working days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhucun.policy import CalendarUnknownError, PolicyError, WorkCalendar
from zhucun.policy.calendar import package_years

CAL = WorkCalendar()
FIRST_KNOWN = date(min(package_years()), 1, 1)
LAST_KNOWN = date(max(package_years()), 12, 31)


def test_package_covers_2004_to_at_least_2026() -> None:
    assert {2021, 2024, 2025, 2026} <= package_years()
    assert package_years() == frozenset(range(FIRST_KNOWN.year, LAST_KNOWN.year + 1))


def test_national_day_2024_and_its_adjusted_workdays() -> None:
    for day in range(1, 8):
        assert not CAL.is_workday(date(2024, 10, day))
    assert CAL.is_workday(date(2024, 9, 29))  # Sunday, 调休
    assert CAL.is_workday(date(2024, 10, 12))  # Saturday, 调休
    assert CAL.is_workday(date(2024, 10, 8))
    assert not CAL.is_workday(date(2024, 10, 13))  # ordinary Sunday


def test_spring_festival_2025() -> None:
    holidays = [date(2025, 1, 28) + timedelta(days=i) for i in range(8)]  # 1-28 … 2-04
    assert not any(CAL.is_workday(d) for d in holidays)
    assert CAL.is_workday(date(2025, 1, 26))  # Sunday, 调休
    assert CAL.is_workday(date(2025, 2, 8))  # Saturday, 调休
    assert CAL.is_workday(date(2025, 2, 5))


def test_national_day_2026() -> None:
    assert not any(CAL.is_workday(date(2026, 10, d)) for d in range(1, 8))
    assert CAL.is_workday(date(2026, 10, 10))  # Saturday, 调休
    assert CAL.is_workday(date(2026, 10, 8))


def test_unknown_year_raises_with_the_exact_message() -> None:
    with pytest.raises(CalendarUnknownError) as raised:
        CAL.is_workday(date(2027, 3, 1))
    assert str(raised.value) == "请录入2027年节假日安排"
    assert raised.value.year == 2027
    assert isinstance(raised.value, PolicyError)
    with pytest.raises(CalendarUnknownError, match="请录入2003年节假日安排"):
        CAL.working_days(date(2003, 12, 30), date(2004, 1, 5))


def test_crossing_into_an_unknown_year_raises() -> None:
    """SEL.METHOD.APPOINT10: a deadline that falls in an unentered year is never guessed."""
    with pytest.raises(CalendarUnknownError, match="2027"):
        CAL.add_working_days(date(2026, 12, 28), 10)


def test_sel_method_appoint10_deadline_convention() -> None:
    """SEL.METHOD.APPOINT10: the arrival day is not counted; the 10th working day after it is
    the last day in time.  Arrival Fri 2024-09-27 → 9-29 (Sun, 调休), 9-30, then the National
    Day holidays, 10-08 … 10-12 (Sat, 调休), 10-14, 10-15, 10-16."""
    deadline = CAL.add_working_days(date(2024, 9, 27), 10)
    assert deadline == date(2024, 10, 16)
    assert CAL.working_days(date(2024, 9, 28), deadline) == 10


def test_sel_method_transfer15_deadline_over_spring_festival() -> None:
    """SEL.METHOD.TRANSFER15: reported Mon 2025-01-20 → 1-21 … 1-24, 1-26 (Sun, 调休), 1-27,
    the Spring Festival 1-28 … 2-04, then 2-05 … 2-07, 2-08 (Sat, 调休), 2-10 … 2-14."""
    deadline = CAL.add_working_days(date(2025, 1, 20), 15)
    assert deadline == date(2025, 2, 14)
    assert CAL.working_days(date(2025, 1, 21), deadline) == 15


def test_add_zero_working_days_is_the_day_itself() -> None:
    assert CAL.add_working_days(date(2024, 10, 1), 0) == date(2024, 10, 1)
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2024, 10, 1), -1)


def test_working_days_closed_interval() -> None:
    assert CAL.working_days(date(2024, 10, 8), date(2024, 10, 8)) == 1
    assert CAL.working_days(date(2024, 10, 1), date(2024, 10, 7)) == 0
    assert CAL.working_days(date(2024, 10, 9), date(2024, 10, 8)) == 0


def test_mgt_3_talk_workdays_in_month() -> None:
    """MGT.3.TALK: the month's 正常工作日."""
    assert CAL.workdays_in_month(2024, 10) == 19  # 23 weekdays − 5 holidays + 10-12 (Sat)
    assert CAL.workdays_in_month(2025, 2) == 19  # 20 weekdays − 2-03, 2-04 + 2-08 (Sat)
    assert CAL.workdays_in_month(2024, 2) == 18  # 21 weekdays − 5 holidays + 2-04, 2-18 (Sun)


def test_datetime_is_read_as_its_date() -> None:
    assert not CAL.is_workday(datetime(2024, 10, 1, 9, 30))


def test_extra_entries_cover_2027() -> None:
    """A jurisdiction enters 2027 before the package knows it."""
    extra = {
        date(2027, 1, 1): False,  # Friday, 元旦
        date(2027, 2, 6): False,  # Saturday, listed anyway
        date(2027, 2, 20): True,  # Saturday, 调休
    }
    cal = WorkCalendar(extra=extra, extra_years=[2027])
    assert cal.knows(2027) and not CAL.knows(2027)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 4))  # ordinary Monday
    assert not cal.is_workday(date(2027, 1, 2))  # ordinary Saturday
    assert cal.is_workday(date(2027, 2, 20))
    assert cal.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    with pytest.raises(CalendarUnknownError, match="请录入2028年节假日安排"):
        cal.is_workday(date(2028, 1, 3))


def test_extra_entries_without_the_year_declared_do_not_make_it_known() -> None:
    cal = WorkCalendar(extra={date(2027, 1, 1): False})
    with pytest.raises(CalendarUnknownError):
        cal.is_workday(date(2027, 1, 4))


def test_extra_entries_override_the_package_for_a_local_holiday() -> None:
    """A prefecture's own festival day (e.g. 泼水节) in a known year."""
    cal = WorkCalendar(extra={date(2024, 4, 15): False})
    assert CAL.is_workday(date(2024, 4, 15))
    assert not cal.is_workday(date(2024, 4, 15))


def test_bad_extra_entries_are_refused() -> None:
    with pytest.raises(TypeError):
        WorkCalendar(extra={date(2027, 1, 1): "holiday"})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        WorkCalendar(extra={datetime(2027, 1, 1): True})


known_days = st.dates(min_value=FIRST_KNOWN, max_value=LAST_KNOWN - timedelta(days=70))


@given(day=known_days, n=st.integers(min_value=1, max_value=30))
def test_add_working_days_and_working_days_agree(day: date, n: int) -> None:
    """SEL.METHOD.APPOINT10 convention: the n-th working day after d closes n working days."""
    result = CAL.add_working_days(day, n)
    assert result > day
    assert CAL.is_workday(result)
    assert CAL.working_days(day + timedelta(days=1), result) == n
    assert CAL.working_days(day + timedelta(days=1), result - timedelta(days=1)) == n - 1


@given(start=known_days, length=st.integers(min_value=0, max_value=60))
def test_working_days_is_additive(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    middle = start + timedelta(days=length // 2)
    total = CAL.working_days(start, end)
    assert total == CAL.working_days(start, middle) + CAL.working_days(
        middle + timedelta(days=1), end
    )
    assert 0 <= total <= length + 1
