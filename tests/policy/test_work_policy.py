"""MGT.2, MGT.6.*, MGT.8.VISITS and GUA.1.BIND as pure policy (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from zhucun.policy.work import (
    half_year_bounds,
    is_overdue,
    missing_meeting_findings,
    month_weeks,
    monthly_report_due,
    overdue_findings,
    quarterly_report_due,
    unit_visit_due,
    unvisited_findings,
    week_excused,
    week_of,
)

NOV = date(2026, 11, 1)


def test_mgt_2_iso_weeks_belong_to_the_month_of_their_thursday():
    assert month_weeks(NOV) == (
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
    )
    # 30 November – 6 December has its Thursday in December
    assert month_weeks(date(2026, 12, 1))[0] == date(2026, 11, 30)
    assert week_of(date(2026, 11, 8)) == date(2026, 11, 2)


def test_mgt_2_exactly_the_week_without_a_meeting_is_listed():
    meetings = [date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 27)]
    [f] = missing_meeting_findings(
        village="南棒村", weeks=month_weeks(NOV), meeting_days=meetings, on=NOV
    )
    assert (f.clause, f.data["week"], f.data["held"]) == ("MGT.2", "2026-11-16", 0)
    assert "南棒村" in f.message and "2026年11月16日至2026年11月22日" in f.message
    assert "每周召开1次工作例会" in f.message


def test_mgt_2_a_week_fully_away_is_excused():
    week = [date(2026, 10, 5 + i) for i in range(5)]
    assert week_excused(working_days=week, away_days=week)
    assert week_excused(working_days=[], away_days=[])  # a week of holidays only
    assert not week_excused(working_days=week, away_days=week[:4])
    found = missing_meeting_findings(
        village="南棒村",
        weeks=[date(2026, 10, 5)],
        meeting_days=[],
        excused=[date(2026, 10, 5)],
        on=NOV,
    )
    assert found == []


def test_mgt_6_monthly_report_not_overdue_on_its_due_day_overdue_the_day_after():
    due = monthly_report_due(month=NOV)
    assert due == date(2026, 12, 5)
    assert not is_overdue(due=due, on=due)
    assert is_overdue(due=due, on=date(2026, 12, 6))
    assert not is_overdue(due=due, on=date(2026, 12, 6), submitted_on=date(2026, 12, 6))
    [f] = overdue_findings(
        kind="monthly",
        subject="南棒村",
        period="2026年11月",
        due=due,
        on=date(2026, 12, 8),
        submitted_on=None,
    )
    assert f.clause == "MGT.6.MONTHLY" and "已逾期3天" in f.message


def test_mgt_6_quarterly_halfyear_and_gua_1_bind_due_dates():
    assert quarterly_report_due(year=2026, quarter=4) == date(2027, 1, 10)
    assert quarterly_report_due(year=2026, quarter=3) == date(2026, 10, 10)
    assert half_year_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 6, 30))
    assert half_year_bounds(2026, 2) == (date(2026, 7, 1), date(2026, 12, 31))
    assert unit_visit_due(2026) == date(2026, 12, 31)
    with pytest.raises(ValueError, match="半年"):
        half_year_bounds(2026, 3)


def test_mgt_8_visits_a_group_unvisited_in_a_month():
    [f] = unvisited_findings(village="南棒村", group="一组", month=NOV, visits=0)
    assert f.clause == "MGT.8.VISITS" and "2026年11月走访0次" in f.message
    assert unvisited_findings(village="南棒村", group="一组", month=NOV, visits=1) == []
