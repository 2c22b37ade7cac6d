"""Issue 10 point 3: the demo does not go stale. Its dates derive from the day it is loaded
(demo/timeline.py, demo/attendance_days.py); here the full demo is built as of 2027-03-10 — a
year the holiday package does not know — next to tests/demo, which builds it as of the
machine's date. Kept outside tests/demo: that package holds its demo open, and this build
must start from an empty database."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from zhucun.attendance.models import (
    CheckIn,
    FraudSignal,
    Interview,
    LeaveRequest,
    MonthClose,
    MonthlyAttendance,
    MonthlySummary,
)
from zhucun.attendance.services import month_close
from zhucun.core.errors import ValidationFailed
from zhucun.demo import selection
from zhucun.demo.attendance_days import Days
from zhucun.demo.build import load_demo
from zhucun.demo.timeline import ENV, Timeline, clock_at, demo_today
from zhucun.params.calendar import work_calendar
from zhucun.params.models import HolidayYear
from zhucun.policy import WorkCalendar
from zhucun.policy.calendar import package_years
from zhucun.registry.models import Posting
from zhucun.selection.models import CompositionException, Nomination

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LATER = dt.date(2027, 3, 10)


def test_demo_today_from_argument_environment_or_clock(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    assert demo_today() == timezone.localdate()
    monkeypatch.setenv(ENV, "2027-03-10")
    assert demo_today() == LATER
    assert demo_today("2026-12-05") == dt.date(2026, 12, 5)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        demo_today("2027/03/10")


@pytest.mark.parametrize(
    "today",
    [dt.date(2026, 11, 28), dt.date(2026, 12, 1), dt.date(2026, 12, 5), LATER, dt.date(2028, 1, 3)],
)
def test_the_timeline_moves_with_today(today):
    """Three complete months, the current month up to yesterday, the latest complete month
    closed; the scripted days keep their places (any day, any year)."""
    tl = Timeline(today)
    calendar = WorkCalendar(extra_years=range(2027, 2030))  # as the demo enters unknown years
    d = Days.of(tl, calendar)
    first, second, closed, current = tl.months
    assert current == today.replace(day=1) and closed < current and first == tl.start
    assert (closed.year * 12 + closed.month) - (first.year * 12 + first.month) == 2
    # the newest working day is the last one before today
    assert d.past[-1] < today and calendar.is_workday(d.past[-1])
    assert (
        calendar.working_days(d.past[-1] + dt.timedelta(days=1), today - dt.timedelta(days=1)) == 0
    )
    assert d.past[0] >= first
    in_month = lambda days, m: all(x.replace(day=1) == m for x in days)  # noqa: E731
    assert in_month(d.burst_days, closed) and in_month(d.repeat_days, closed)
    assert in_month(d.limit_week, closed) and in_month(d.duiyuan_rest, closed)
    assert in_month(d.on_leave, second) and in_month(d.fs_training, second)
    assert in_month(d.shuji_rest, second) and not set(d.shuji_rest) & set(d.fs_training)
    assert d.shuji_rest[1] < d.fs_training[0] or d.shuji_rest[0] > d.fs_training[1]
    assert in_month([d.duiyuan_personal, *d.tm_training], first)
    assert d.burst_arrival - dt.datetime.combine(d.burst_days[0], dt.time(8)) < dt.timedelta(
        hours=72
    )
    assert d.late_arrival.date() < today and d.late_arrival - dt.datetime.combine(
        d.late_day, dt.time(18)
    ) > dt.timedelta(hours=72)
    assert {d.speed_day, *d.shared_days} <= set(d.past)
    assert closed < d.interview_day <= today
    assert tl.closed == closed and tl.exception_from < tl.exception_arrival < today
    assert today < tl.exception_until and tl.next_round > today
    assert tl.spring == tl.batches[-1][0] and all(b.weekday() == 0 for b, _ in tl.batches)
    recent = selection.recent_arrivals(tl, calendar)
    assert all(today - dt.timedelta(days=14) < r < today for r in recent)


def test_refuses_to_close_a_month_that_has_not_ended(db):
    """The service refuses it for every caller; the command line says why."""
    current = timezone.localdate().replace(day=1)
    with pytest.raises(ValidationFailed) as refused:
        month_close(actor=None, month=current)
    assert refused.value.errors["month"] == f"{current:%Y年%m月}尚未结束,不能结账"
    with pytest.raises(CommandError, match="尚未结束,不能结账"):
        call_command("close-month", f"{current:%Y-%m}", stdout=StringIO())
    nxt = (current + dt.timedelta(days=32)).replace(day=1)
    with pytest.raises(CommandError, match="尚未结束,不能结账"):
        call_command("close-month", f"{nxt:%Y-%m}", stdout=StringIO())
    assert not MonthClose.objects.exists()


def test_clock_at_shifts_the_services_clock_only_inside():
    real = timezone.localdate()
    with clock_at(LATER):
        assert timezone.localdate() == LATER
    assert timezone.localdate() == real
    with clock_at(real):
        assert timezone.localdate() == real


@pytest.mark.django_db
def test_the_demo_built_as_of_another_day():
    """The whole demo as of 2027-03-10: December 2026 … February 2027 complete, March up to the
    9th; February closed; 2027 is not in the holiday package, so the demo enters it as
    labelled demo data instead of crashing."""
    assert 2027 not in package_years()
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        result = load_demo(today="2027-03-10")
        tl = result.timeline
        assert tl.today == LATER and tl.closed == dt.date(2027, 2, 1)
        assert result.calendar_years == [2027]
        year = HolidayYear.objects.get(year=2027)
        assert year.source.startswith("演示数据:请录入国务院办公厅公布的2027年节假日安排")
        calendar = work_calendar()
        # the newest check-in: the last working day before the demo's today (Tue 2027-03-09)
        days = sorted(set(CheckIn.objects.values_list("day", flat=True)))
        assert days[-1] == dt.date(2027, 3, 9) == Days.of(tl, calendar).last_workday
        assert days[0] == dt.date(2026, 12, 1)
        # the three complete months are closed (the latest with its rankings and no
        # full-attendance cadre on any bottom list, MGT.3.RANK)
        assert set(MonthClose.objects.values_list("month", flat=True)) == set(tl.months[:3])
        assert tl.months[2] == tl.closed
        rows = MonthlyAttendance.objects.filter(month=tl.closed)
        assert rows.filter(is_bottom=True).exists()
        assert not MonthlyAttendance.objects.filter(
            is_bottom=True, duty_workdays__gte=F("workdays")
        ).exists()
        assert Interview.objects.get().month == tl.closed
        # MGT.3.SUMMARY: the month before submitted; the latest waits for the village secretary
        assert MonthlySummary.objects.filter(month=tl.months[1], state="submitted").count() == 1
        assert MonthlySummary.objects.filter(month=tl.closed, state="prepared").exists()
        # the scenarios still exist
        kinds = set(FraudSignal.objects.values_list("kind", flat=True))
        assert kinds == {"shared_device", "repeated_coordinates", "on_leave", "speed"}
        assert CheckIn.objects.filter(status="late", counts=False).count() == 1
        assert LeaveRequest.objects.filter(state="pending", start__gt=LATER).exists()
        assert LeaveRequest.objects.filter(
            kind="rotation_rest", state="approved", start__gte=dt.date(2027, 4, 1)
        ).exists()
        states = set(Nomination.objects.values_list("state", flat=True))
        assert {"applied", "recommended", "proposed", "filed", "decided", "posted"} <= states
        nd = Posting.objects.get(village__jurisdiction__code="533103105201", role="first_secretary")
        assert nd.arrival_date == selection.NATIONAL_DAY and nd.fs_appointed_on is None
        exc = CompositionException.objects.get()
        assert exc.valid_from < LATER < exc.valid_until == dt.date(2028, 12, 31)
        # nobody has arrived after today; only the replacement on the way (issue 11) is planned
        later = Posting.objects.filter(arrival_date__gt=LATER)
        assert set(later.values_list("status", flat=True)) <= {"planned"}
        assert later.count() <= 1
        transaction.set_rollback(True)
