"""SEL.METHOD.APPOINT10 / SEL.METHOD.TRANSFER15: deadlines in working days.

Arrival Fri 2025-09-26, across the 2025 National Day + Mid-Autumn holiday (10-01 … 10-08):
working days after it are 9-28 (Sun, 调休), 9-29, 9-30, 10-09, 10-10, 10-11 (Sat, 调休), 10-13,
10-14, 10-15, 10-16 ⇒ the appointment is due 2025-10-16; then 10-17, 10-20 … 10-23 ⇒ the
party-relation transfer is due 2025-10-23.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhucun.policy import (
    CalendarUnknownError,
    Finding,
    Override,
    WorkCalendar,
    appointment_due,
    deadline_findings,
    get_parameters,
    party_transfer_due,
    team_in_place_on,
)
from zhucun.policy.teams import CompositionAllowance, TeamMember

CAL = WorkCalendar()
ARRIVAL = date(2025, 9, 26)
APPOINT_DUE = date(2025, 10, 16)
TRANSFER_DUE = date(2025, 10, 23)


def appoint(today: date, done_on: date | None = None, start: date = ARRIVAL) -> list[Finding]:
    return deadline_findings(
        kind="appoint", name="芒棒村工作队", start=start, done_on=done_on, today=today, calendar=CAL
    )


def transfer(today: date, done_on: date | None = None) -> list[Finding]:
    return deadline_findings(
        kind="transfer", name="张三", start=ARRIVAL, done_on=done_on, today=today, calendar=CAL
    )


def test_sel_method_appoint10_due_across_national_day_2025_counts_adjusted_workdays() -> None:
    assert CAL.is_workday(date(2025, 9, 28)) and CAL.is_workday(date(2025, 10, 11))
    assert not CAL.is_workday(date(2025, 10, 8))
    assert appointment_due(arrival=ARRIVAL, calendar=CAL) == APPOINT_DUE
    assert CAL.working_days(ARRIVAL + timedelta(days=1), APPOINT_DUE) == 10


def test_sel_method_transfer15_due_across_national_day_2025() -> None:
    assert party_transfer_due(reported=ARRIVAL, calendar=CAL) == TRANSFER_DUE
    assert CAL.working_days(ARRIVAL + timedelta(days=1), TRANSFER_DUE) == 15


def test_sel_method_appoint10_five_day_override_lands_on_10_10() -> None:
    params = get_parameters().with_overrides(
        [Override("appoint_fs_within_working_days", "533124", date(2025, 1, 1), 5)]
    )
    due = appointment_due(arrival=ARRIVAL, calendar=CAL, params=params, jurisdiction="533124")
    assert due == date(2025, 10, 10)
    assert appointment_due(arrival=ARRIVAL, calendar=CAL, params=params) == APPOINT_DUE


# ------------------------------------------------------------------ findings around the due day


def test_sel_method_appoint10_on_the_due_day_warns_due_today() -> None:
    (finding,) = appoint(today=APPOINT_DUE)
    assert (finding.clause, finding.severity) == ("SEL.METHOD.APPOINT10", "warning")
    assert "今日到期" in finding.message and "芒棒村工作队" in finding.message
    assert "10个工作日" in finding.message and "2025-10-16" in finding.message
    assert finding.data["remaining_working_days"] == 0


def test_sel_method_appoint10_day_after_the_due_day_is_overdue() -> None:
    (finding,) = appoint(today=date(2025, 10, 17))
    assert (finding.clause, finding.severity) == ("SEL.METHOD.APPOINT10", "error")
    assert "已逾期1个工作日" in finding.message
    assert finding.data["overdue_working_days"] == 1 and finding.data["overdue_days"] == 1


def test_sel_method_appoint10_overdue_counts_working_days_only() -> None:
    (finding,) = appoint(today=date(2025, 10, 20))  # Mon: 10-17 and 10-20
    assert finding.data["overdue_working_days"] == 2 and finding.data["overdue_days"] == 4


def test_sel_method_appoint10_overdue_over_a_weekend_reads_naturally() -> None:
    """A Friday due day: on Saturday it is overdue by one day and by no working day."""
    start = date(2025, 11, 7)  # Fri; 10 working days later is Fri 2025-11-21
    (finding,) = appoint(today=date(2025, 11, 22), start=start)
    assert finding.data["overdue_working_days"] == 0 and finding.data["overdue_days"] == 1
    assert "已逾期0个工作日" not in finding.message
    assert "已超过期限1天(其间均为休息日)" in finding.message


def _fs(i: int) -> TeamMember:
    return TeamMember(i, "first_secretary", name=f"书记{i}")


def _tm(i: int) -> TeamMember:
    return TeamMember(i, "team_member", name=f"队员{i}")


def test_sel_method_appoint10_clock_starts_when_the_team_is_in_place() -> None:
    """Settled reading: the first day the village's composition rule holds, or the first
    secretary's arrival if later."""
    fs_day, tm1, tm2 = date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17)
    stints = [(_fs(1), fs_day, None), (_tm(2), tm1, None), (_tm(3), tm2, None)]
    # a border village needs 1 FS + 2 TM: in place when the second team member arrives
    assert team_in_place_on(categories={"border"}, stints=stints, not_before=fs_day) == tm2
    # an ordinary village needs only the FS: the FS's arrival
    assert team_in_place_on(categories=set(), stints=stints, not_before=fs_day) == fs_day
    # team members already there before the FS: the FS's arrival, the later of the two
    early = [(_fs(1), tm2, None), (_tm(2), fs_day, None), (_tm(3), tm1, None)]
    assert team_in_place_on(categories={"border"}, stints=early, not_before=tm2) == tm2


def test_sel_method_appoint10_clock_not_started_while_the_team_is_short() -> None:
    stints = [(_fs(1), date(2025, 3, 3), None), (_tm(2), date(2025, 3, 10), date(2025, 3, 12))]
    stints.append((_tm(3), date(2025, 3, 17), None))  # the first TM left before the second came
    assert (
        team_in_place_on(categories={"border"}, stints=stints, not_before=date(2025, 3, 3)) is None
    )
    allowance = CompositionAllowance("边境管控", min_team_members=1, until=date(2025, 12, 31))
    got = team_in_place_on(
        categories={"border"}, stints=stints, not_before=date(2025, 3, 3), exception=allowance
    )
    assert got == date(2025, 3, 10)


def test_sel_method_appoint10_three_working_days_left_warns() -> None:
    (finding,) = appoint(today=date(2025, 10, 13))  # 10-14, 10-15, 10-16 left
    assert finding.severity == "warning" and "尚余3个工作日" in finding.message
    assert finding.data["warn_working_days"] == 3


def test_sel_method_appoint10_four_working_days_left_is_quiet() -> None:
    # Sat 2025-10-11 is itself a 调休 workday; 10-13 … 10-16 are left.
    assert appoint(today=date(2025, 10, 11)) == []
    assert appoint(today=ARRIVAL) == []


def test_sel_method_appoint10_done_in_time_is_quiet() -> None:
    assert appoint(today=date(2025, 12, 1), done_on=APPOINT_DUE) == []
    assert appoint(today=date(2025, 12, 1), done_on=date(2025, 9, 29)) == []


def test_sel_method_appoint10_done_late_is_an_info() -> None:
    (finding,) = appoint(today=date(2025, 12, 1), done_on=date(2025, 10, 21))
    assert (finding.clause, finding.severity) == ("SEL.METHOD.APPOINT10", "info")
    assert "逾期3个工作日" in finding.message and "2025-10-21" in finding.message
    assert finding.data["late_working_days"] == 3


def test_sel_method_transfer15_boundaries() -> None:
    (warn,) = transfer(today=TRANSFER_DUE)
    assert (warn.clause, warn.severity) == ("SEL.METHOD.TRANSFER15", "warning")
    assert "张三" in warn.message and "15个工作日" in warn.message
    (late,) = transfer(today=date(2025, 10, 24))
    assert late.severity == "error" and late.data["overdue_working_days"] == 1
    assert transfer(today=date(2025, 10, 17)) == []  # 10-20 … 10-23: four left
    (soon,) = transfer(today=date(2025, 10, 20))
    assert soon.data["remaining_working_days"] == 3
    (info,) = transfer(today=date(2025, 11, 1), done_on=date(2025, 10, 24))
    assert info.severity == "info" and info.data["late_working_days"] == 1


def test_sel_method_deadline_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="未知的期限类型"):
        deadline_findings(
            kind="recall",  # type: ignore[arg-type]
            name="张三",
            start=ARRIVAL,
            done_on=None,
            today=ARRIVAL,
            calendar=CAL,
        )


# ------------------------------------------------------------------ unknown years


def test_sel_method_appoint10_deadline_in_2027_raises_calendar_unknown() -> None:
    with pytest.raises(CalendarUnknownError, match="请录入2027年节假日安排"):
        appointment_due(arrival=date(2026, 12, 28), calendar=CAL)
    with pytest.raises(CalendarUnknownError):
        appoint(today=date(2026, 12, 29), start=date(2026, 12, 28))


def test_sel_method_transfer15_deadline_in_2027_raises_calendar_unknown() -> None:
    with pytest.raises(CalendarUnknownError, match="2027"):
        party_transfer_due(reported=date(2026, 12, 20), calendar=CAL)


def test_sel_method_overdue_into_2027_raises_rather_than_guessing() -> None:
    with pytest.raises(CalendarUnknownError):
        appoint(today=date(2027, 1, 5), start=date(2026, 12, 1))


def test_sel_method_2027_deadline_once_the_year_is_entered() -> None:
    cal = WorkCalendar(extra={date(2027, 1, 1): False}, extra_years=[2027])
    due = appointment_due(arrival=date(2026, 12, 28), calendar=cal)
    # 12-29, 12-30, 12-31, (1-01 元旦), 1-04 … 1-08, 1-11, 1-12
    assert due == date(2027, 1, 12)


def test_sel_method_due_late_in_2026_does_not_ask_about_2027() -> None:
    """Only the days actually needed are counted: a warning on 2026-12-30 stays answerable."""
    start = date(2026, 12, 16)
    due = appointment_due(arrival=start, calendar=CAL)
    assert due == date(2026, 12, 30)
    (finding,) = appoint(today=date(2026, 12, 29), start=start)
    assert finding.severity == "warning"


# ------------------------------------------------------------------ properties

starts = st.dates(min_value=date(2021, 10, 19), max_value=date(2026, 10, 31))


@given(start=starts, offset=st.integers(min_value=-5, max_value=40))
def test_sel_method_deadline_state_is_decided_by_the_due_day(start: date, offset: int) -> None:
    today = start + timedelta(days=offset)
    due = appointment_due(arrival=start, calendar=CAL)
    findings = appoint(today=today, start=start)
    assert len(findings) <= 1
    severities = [f.severity for f in findings]
    if today > due:
        assert severities == ["error"]
    elif CAL.working_days(today + timedelta(days=1), due) <= 3:
        assert severities == ["warning"]
    else:
        assert severities == []
    assert appoint(today=today, start=start, done_on=due) == []
