"""``zhucun gen``: the check-ins, leave and diary it loads are consistent with each other, with
the working-day calendar and with the check-in judgement; the month close runs on them."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.conf import settings
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.attendance.models import CheckIn, DiaryEntry, LeaveRequest, MonthlyAttendance
from zhucun.attendance.services import month_close, working_days_of
from zhucun.gen.management.commands.gen import last_months
from zhucun.params.selectors import parameters_current
from zhucun.policy.checkin import judge_checkin
from zhucun.registry.models import Cadre, Jurisdiction, Level, Posting, Role

from .conftest import gen, generated_month

pytestmark = pytest.mark.django_db(transaction=True)


def _leave_days(workdays: list[dt.date]) -> dict[int, set[dt.date]]:
    away: dict[int, set[dt.date]] = defaultdict(set)
    for leave in LeaveRequest.objects.all():
        away[leave.cadre_id] |= {d for d in workdays if leave.start <= d <= leave.end}
    return away


def test_one_check_in_per_working_day_except_days_on_leave(tiny):
    workdays = working_days_of(generated_month())
    assert all(d.weekday() < 5 or d in workdays for d in workdays)  # the State Council calendar
    away = _leave_days(workdays)
    days: dict[int, list[dt.date]] = defaultdict(list)
    for cadre_id, day in CheckIn.objects.values_list("cadre_id", "day"):
        days[cadre_id].append(day)
    assert set(days) == set(Cadre.objects.values_list("pk", flat=True))
    for cadre_id, got in days.items():
        assert len(got) == len(set(got))  # at most one a day
        assert set(got) == set(workdays) - away[cadre_id]
        assert len(got) == len(workdays) - len(away[cadre_id])
    assert sum(1 for d in away.values() if d) == 4  # one cadre in ten takes leave


def test_check_ins_are_in_the_cadres_village_and_judged_as_the_policy_judges(tiny):
    params = parameters_current()
    village_of = dict(Posting.objects.values_list("cadre_id", "village_id"))
    statuses = Counter()
    for c in CheckIn.objects.select_related("village__jurisdiction"):
        v = c.village
        assert village_of[c.cadre_id] == v.pk
        judgement = judge_checkin(
            name="",
            lat=float(c.lat),
            lng=float(c.lng),
            accuracy_m=c.accuracy_m,
            point=(float(v.checkin_lat), float(v.checkin_lng), v.checkin_datum),
            radius_m=v.checkin_radius_m,
            device_time=c.device_time,
            received_at=c.received_at,
            params=params,
            jurisdiction=v.jurisdiction.code,
            tz=settings.TIME_ZONE,
        )
        assert judgement.status == c.status, (c.pk, c.status, judgement)
        assert judgement.counts == c.counts
        assert judgement.day == c.day
        assert abs(judgement.distance_m - c.distance_m) < 1.0
        statuses[c.status] += 1
    total = sum(statuses.values())
    assert statuses["ok"] / total > 0.9
    assert set(statuses) <= {"ok", "off_fence", "late", "low_accuracy"}


def test_leave_is_approved_by_the_first_secretary_or_the_township(tiny):
    leaves = list(LeaveRequest.objects.select_related("decided_by"))
    assert leaves
    postings = {p.cadre_id: p for p in Posting.objects.select_related("village")}
    for leave in leaves:
        posting = postings[leave.cadre_id]
        assert leave.state == "approved" and leave.posting_id == posting.pk
        assert leave.village_id == posting.village_id and leave.start <= leave.end
        if posting.role == Role.FIRST_SECRETARY:
            assert leave.approver_level == "township"
            assert leave.decided_by.role == UserRole.TOWNSHIP
            assert leave.decided_by.jurisdiction_id == posting.village.township_id
        else:
            assert leave.approver_level == "first_secretary"
            fs = Posting.objects.get(village=posting.village, role=Role.FIRST_SECRETARY)
            assert leave.decided_by.cadre_id == fs.cadre_id


def test_diary_entries_are_written_by_the_cadre_on_days_they_checked_in(tiny):
    checked = set(CheckIn.objects.values_list("cadre_id", "day"))
    entries = list(DiaryEntry.objects.select_related("created_by"))
    assert entries
    for e in entries:
        assert (e.cadre_id, e.day) in checked
        assert e.created_by.cadre_id == e.cadre_id
        assert e.duties and all(d.startswith("DUT.") for d in e.duties) and e.text


def test_month_close_closes_every_township_on_generated_data(tiny):
    month = generated_month()
    result = month_close(actor=None, month=month)
    townships = set(Jurisdiction.objects.filter(level=Level.TOWNSHIP).values_list("pk", flat=True))
    assert {t.township_id for t in result.townships} == townships
    assert all(t.changed for t in result.townships)
    assert result.workdays == len(working_days_of(month))
    rows = MonthlyAttendance.objects.filter(month=month)
    assert rows.count() == Cadre.objects.count()
    assert set(rows.values_list("workdays", flat=True)) == {result.workdays}
    # ok check-ins and leave on duty (trip, training, meeting) are the on-duty days
    assert rows.filter(duty_workdays__lt=result.workdays).exists()
    assert rows.filter(is_bottom=True).exists()
    assert month_close(actor=None, month=month).changed == []  # idempotent


def test_month_close_as_a_township_user_sees_only_its_township(tiny):
    user = User.objects.filter(role=UserRole.TOWNSHIP).order_by("pk").first()
    result = month_close(actor=user, month=generated_month())
    assert [t.township_id for t in result.townships] == [user.jurisdiction_id]


def test_two_months_of_check_ins_follow_each_months_working_days():
    gen(months=2)
    months = last_months(timezone.localdate(), 2)
    cadres = Cadre.objects.count()
    leave = LeaveRequest.objects.all()
    for month in months:  # one cadre in ten takes leave each month
        assert leave.filter(start__year=month.year, start__month=month.month).count() == 4
    for month in months:
        workdays = working_days_of(month)
        in_month = CheckIn.objects.filter(day__gte=month, day__lte=workdays[-1])
        away = sum(len(d) for d in _leave_days(workdays).values())
        assert in_month.count() == cadres * len(workdays) - away


def test_every_generated_check_in_has_its_idempotency_key(tiny):
    """A phone resending a generated check-in gets the stored one (MGT.1.CHECKIN)."""
    from zhucun.attendance.models import CheckIn, CheckInKey

    assert CheckInKey.objects.count() == CheckIn.objects.count() > 0
    sample = CheckIn.objects.order_by("pk").first()
    key = CheckInKey.objects.get(cadre_id=sample.cadre_id, client_key=sample.client_key)
    assert key.checkin_id == sample.pk and key.day == sample.day
