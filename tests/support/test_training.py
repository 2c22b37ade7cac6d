"""MGT.7: training events, attendance as on-duty days, days per year and coverage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.support.training_helpers import YEAR, attend, event
from zhucun.attendance.models import LeaveKind, LeaveRequest, LeaveState
from zhucun.attendance.selectors import duty_days_by_cadre
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.services import parameter_set
from zhucun.registry.models import Cadre
from zhucun.support.models import TrainingAttendance
from zhucun.support.selectors.training import coverage_gaps, training_days, training_event_list
from zhucun.support.services.training import training_attendance_set, training_event_create

pytestmark = pytest.mark.django_db


def _days(world, user="county"):
    return {p.cadre.name: p for p in training_days(user=world.users[user], year=YEAR)}


def test_mgt_7_days_two_days_is_short_three_is_not(world):
    """MGT.7.DAYS (Done-when): fewer concentrated days than the parameter (3) is listed short."""
    two = event(world, days="2")
    one = event(world, start=dt.date(YEAR, 9, 1), days="1")
    attend(world, two, "fs_a", "tm_a")
    attend(world, one, "fs_a")
    rows = _days(world)
    fs, tm = rows["岳文华"], rows["线美玲"]
    assert (fs.days, fs.short, fs.limit) == (Decimal(3), False, Decimal(3))
    assert (tm.days, tm.short) == (Decimal(2), True)
    assert rows["排早腊"].days == 0 and rows["排早腊"].short
    short = {
        p.cadre.name for p in training_days(user=world.users["county"], year=YEAR, short_only=True)
    }
    assert short == {"线美玲", "排早腊"}


def test_mgt_7_days_limit_per_county_parameter(world):
    """MGT.7.DAYS: a county that sets 2 days makes 2 days enough there."""
    parameter_set(
        actor=world.users["county"],
        name="training_min_days_per_year",
        jurisdiction_code="533103000000",
        effective=dt.date(2025, 1, 1),
        value=2,
        note="芒组通〔2025〕3号",
    )
    attend(world, event(world, days="2"), "tm_a")
    rows = {p.cadre.name: p for p in training_days(user=world.users["prefecture"], year=YEAR)}
    assert (rows["线美玲"].limit, rows["线美玲"].short) == (Decimal(2), False)
    assert rows["李国强"].limit == Decimal(3)  # 瑞丽市 keeps the prefecture's 3


def test_mgt_7_days_event_counts_in_the_year_it_starts(world):
    ev = event(world, start=dt.date(YEAR, 12, 30), days="3")
    attend(world, ev, "fs_a")
    assert _days(world)["岳文华"].days == 3
    nxt = {p.cadre.name: p for p in training_days(user=world.users["county"], year=YEAR + 1)}
    assert nxt["岳文华"].days == 0


def test_mgt_7_cover_first_secretary_with_only_county_training_lacks_prefecture(world):
    """MGT.7.COVER (Done-when): a first secretary without prefecture training is listed; a
    team member needs none."""
    attend(world, event(world), "fs_a", "tm_a")
    gaps = {p.cadre.name: p for p in coverage_gaps(user=world.users["county"], year=YEAR)}
    assert gaps["岳文华"].no_prefecture and not gaps["岳文华"].no_county
    assert "线美玲" not in gaps  # county training done, no prefecture training needed
    assert gaps["排早腊"].no_prefecture and gaps["排早腊"].no_county
    pref = event(world, role="prefecture", start=dt.date(YEAR, 6, 2), days="3")
    attend(world, pref, "fs_a", "fs_c")
    gaps = {p.cadre.name: p for p in coverage_gaps(user=world.users["prefecture"], year=YEAR)}
    assert "岳文华" not in gaps
    assert not gaps["李国强"].no_prefecture and gaps["李国强"].no_county
    only_ruili = coverage_gaps(user=world.users["prefecture"], year=YEAR, county="533102000000")
    assert [p.cadre.name for p in only_ruili] == ["李国强"]
    unit = world.units["mangshi"].pk
    assert [
        p.cadre.name for p in coverage_gaps(user=world.users["prefecture"], year=YEAR, unit=unit)
    ] == []


def test_mgt_7_attendance_creates_on_duty_training_leave_and_removal_cancels_it(world):
    """MGT.1.DAYS via MGT.7: training days count as on duty, entered once."""
    ev = event(world, days="2")
    attend(world, ev, "tm_a")
    a = TrainingAttendance.objects.get(event=ev)
    assert a.leave.kind == LeaveKind.TRAINING and a.leave.state == LeaveState.APPROVED
    assert (a.leave.start, a.leave.end) == (ev.start, ev.end)
    cadres = Cadre.objects.filter(pk=world.cadres["tm_a"].pk)
    assert duty_days_by_cadre(cadres, start=ev.start, end=ev.end) == {a.cadre_id: 2}
    attend(world, ev)  # nobody any more
    leave = LeaveRequest.objects.get(pk=a.leave_id)
    assert leave.state == LeaveState.CANCELLED
    assert not TrainingAttendance.objects.filter(event=ev).exists()
    assert duty_days_by_cadre(cadres, start=ev.start, end=ev.end) == {}
    actions = list(Event.objects.values_list("action", flat=True))
    for action in (
        "training.event_create",
        "training.attendance_add",
        "leave.training",
        "training.attendance_remove",
        "leave.cancel",
    ):
        assert action in actions


def test_mgt_7_attendance_twice_does_not_duplicate_the_leave(world):
    ev = event(world)
    attend(world, ev, "fs_a")
    attend(world, ev, "fs_a", "tm_a")
    assert LeaveRequest.objects.filter(kind=LeaveKind.TRAINING).count() == 2


def test_mgt_7_out_of_area_cadre_refused_and_nothing_written(world):
    ev = event(world)
    with pytest.raises(ValidationFailed) as exc:
        attend(world, ev, "fs_a", "fs_c")  # 李国强 is posted in 瑞丽市
    assert "不在芒市辖区驻村" in str(exc.value.errors)
    assert not TrainingAttendance.objects.exists()
    assert not LeaveRequest.objects.exists()


def test_mgt_7_overlapping_leave_refuses(world):
    ev = event(world)
    p = world.postings["fs_a"]
    LeaveRequest.objects.create(
        cadre_id=p.cadre_id,
        posting=p,
        village_id=p.village_id,
        kind="personal",
        start=ev.start,
        end=ev.start,
        reason="家事",
        state=LeaveState.APPROVED,
        approver_level="township",
    )
    with pytest.raises(ValidationFailed):
        attend(world, ev, "fs_a")
    assert not TrainingAttendance.objects.exists()


def test_mgt_7_annual_event_validation_and_roles(world):
    with pytest.raises(Forbidden):
        event(world, role="unit")
    with pytest.raises(Forbidden):
        event(world, role="township")
    with pytest.raises(ValidationFailed) as exc:
        training_event_create(
            actor=world.users["county"],
            title="轮训",
            start="2025-04-07",
            end="2025-04-08",
            days="3",
        )
    assert "days" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        training_event_create(
            actor=world.users["county"],
            title="=cmd()",
            start="2025-04-09",
            end="2025-04-08",
            days="0",
        )
    assert set(exc.value.errors) == {"title", "end", "days"}
    ev = event(world, role="prefecture")
    assert ev.level == "prefecture" and ev.organiser.code == "533100000000"
    # the county reads the prefecture's event but does not write its attendance
    with pytest.raises(Forbidden):
        training_attendance_set(actor=world.users["county"], event_id=ev.pk, cadre_ids=[])
    mine = event(world)
    assert mine.level == "county"
    with pytest.raises(NotFound):
        training_attendance_set(actor=world.users["unit"], event_id=mine.pk, cadre_ids=[])


def test_mgt_7_event_visibility(world):
    pref = event(world, role="prefecture")
    mangshi = event(world)
    assert set(training_event_list(user=world.users["county"])) == {pref, mangshi}
    assert set(training_event_list(user=world.users["township"])) == {pref, mangshi}
    assert set(training_event_list(user=world.users["prefecture"], year=YEAR)) == {pref, mangshi}
    assert list(training_event_list(user=world.users["unit"])) == []
    attend(world, mangshi, "tm_a")  # 芒市人民医院's cadre
    assert list(training_event_list(user=world.users["unit"])) == [mangshi]
