"""MGT.2: the weekly meeting, its tasks and the weeks without a meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.work.meeting_helpers import AFTER_SEPT, SEPT, meet, rest
from zhucun.audit.models import Event as AuditEvent
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.work.models import Meeting, Task
from zhucun.work.selectors import meetings as read

pytestmark = pytest.mark.django_db


def _weeks(world, user, month, today, village="A"):
    rows = read.missing_meeting_weeks(user=user, month=month, today=today)
    return [r["week"] for r in rows if r["village_id"] == world.villages[village].pk]


def test_mgt_2_done_when_exactly_the_missing_week_is_listed(world):
    """MGT.2 Done-when: meetings in 3 of the 4 ISO weeks of September ⇒ that week listed,
    for the first secretary, the township and the county."""
    for day in (dt.date(2025, 9, 2), dt.date(2025, 9, 10), dt.date(2025, 9, 26)):
        meet(world, day)
    for role in ("first_secretary", "township", "county"):
        assert _weeks(world, world.users[role], SEPT, AFTER_SEPT) == [dt.date(2025, 9, 15)]
    (row,) = [
        r
        for r in read.missing_meeting_weeks(
            user=world.users["township"], month=SEPT, today=AFTER_SEPT
        )
        if r["village_id"] == world.villages["A"].pk
    ]
    assert row["finding"].clause == "MGT.2"
    assert "弄坎村" in row["finding"].message and "0次" in row["finding"].message


def test_mgt_2_week_covered_by_approved_rest_is_excused(world):
    """MGT.2: a week whose every working day the FS is on approved rotation rest is left out."""
    for day in (dt.date(2025, 9, 2), dt.date(2025, 9, 10)):
        meet(world, day)
    rest(world.cadres["fs_a"], dt.date(2025, 9, 15), dt.date(2025, 9, 19))
    assert _weeks(world, world.users["township"], SEPT, AFTER_SEPT) == [dt.date(2025, 9, 22)]


def test_mgt_2_rest_covering_part_of_the_week_does_not_excuse(world):
    """MGT.2: rest on 4 of the 5 working days leaves one duty day: the week is listed."""
    for day in (dt.date(2025, 9, 2), dt.date(2025, 9, 10), dt.date(2025, 9, 24)):
        meet(world, day)
    rest(world.cadres["fs_a"], dt.date(2025, 9, 15), dt.date(2025, 9, 18))
    assert _weeks(world, world.users["township"], SEPT, AFTER_SEPT) == [dt.date(2025, 9, 15)]


def test_mgt_2_rest_of_a_team_member_does_not_excuse(world):
    """MGT.2: the FS calls the meeting; a team member's rest excuses nothing."""
    rest(world.cadres["tm_a"], dt.date(2025, 9, 15), dt.date(2025, 9, 19))
    weeks = _weeks(world, world.users["township"], SEPT, AFTER_SEPT)
    assert dt.date(2025, 9, 15) in weeks


def test_mgt_2_national_day_week(world):
    """MGT.2: the National Day week 2025-09-29 … 10-05 (its Thursday in October) has two
    working days (29, 30 September) by the State Council calendar; with the FS on rest on
    those two it is excused, without it listed. The next week (6 … 12 October: 6–8 holidays,
    9–11 working) is excused by rest on 9–11 alone."""
    octo, after = dt.date(2025, 10, 1), dt.date(2025, 11, 3)
    for day in (dt.date(2025, 10, 15), dt.date(2025, 10, 22)):
        meet(world, day)
    listed = _weeks(world, world.users["township"], octo, after)
    assert listed == [dt.date(2025, 9, 29), dt.date(2025, 10, 6), dt.date(2025, 10, 27)]
    rest(world.cadres["fs_a"], dt.date(2025, 9, 29), dt.date(2025, 9, 30))
    rest(world.cadres["fs_a"], dt.date(2025, 10, 9), dt.date(2025, 10, 11))
    assert _weeks(world, world.users["township"], octo, after) == [dt.date(2025, 10, 27)]


def test_mgt_2_week_without_working_day_is_excused(world, monkeypatch):
    """MGT.2: a week with no working day at all is excused (calendar stubbed: the package
    has no such week in its years)."""
    from zhucun.policy import WorkCalendar

    holidays = {dt.date(2025, 9, 15) + dt.timedelta(days=i): False for i in range(5)}
    monkeypatch.setattr(read, "work_calendar", lambda: WorkCalendar(extra=holidays))
    for day in (dt.date(2025, 9, 2), dt.date(2025, 9, 10), dt.date(2025, 9, 24)):
        meet(world, day)
    assert _weeks(world, world.users["township"], SEPT, AFTER_SEPT) == []


def test_mgt_2_week_not_yet_ended_is_not_listed(world):
    """MGT.2: only weeks whose Sunday has passed count (on Sunday 21 Sept that week is open)."""
    meet(world, dt.date(2025, 9, 2))
    assert _weeks(world, world.users["township"], SEPT, dt.date(2025, 9, 21)) == [
        dt.date(2025, 9, 8)
    ]
    assert _weeks(world, world.users["township"], SEPT, dt.date(2025, 9, 22)) == [
        dt.date(2025, 9, 8),
        dt.date(2025, 9, 15),
    ]


def test_mgt_2_out_of_scope_villages_not_listed(world):
    """MGT.2: the township reads its own villages (村C is in another county)."""
    rows = read.missing_meeting_weeks(user=world.users["township"], month=SEPT, today=AFTER_SEPT)
    ids = {r["village_id"] for r in rows}
    assert ids == {world.villages["A"].pk, world.villages["B"].pk}


def test_mgt_2_non_team_attendee_refused(world):
    """MGT.2: attendees must be the team on the meeting day (400 naming the field)."""
    with pytest.raises(ValidationFailed) as exc:
        meet(world, dt.date(2025, 9, 2), attendee_ids=[world.cadres["fs_b"].pk])
    assert "attendee_ids" in exc.value.errors
    assert not Meeting.objects.exists()


def test_mgt_2_task_owner_must_be_team(world):
    with pytest.raises(ValidationFailed) as exc:
        meet(
            world,
            dt.date(2025, 9, 2),
            tasks=[
                {
                    "title": "修路",
                    "owner_id": world.cadres["spare"].pk,
                    "due": "2025-09-30",
                    "duty": "DUT.3",
                }
            ],
        )
    assert "tasks.0.owner_id" in exc.value.errors


def test_mgt_2_decisions_become_tasks_in_one_step(world):
    m = meet(
        world,
        dt.date(2025, 9, 2),
        decisions="整修村道",
        tasks=[
            {
                "title": "整修村道",
                "owner_id": world.cadres["tm_a"].pk,
                "due": "2025-09-30",
                "duty": "DUT.3",
            }
        ],
    )
    assert m.week == dt.date(2025, 9, 1)
    (t,) = Task.objects.filter(meeting=m)
    assert (t.owner_id, t.duty, t.state) == (world.cadres["tm_a"].pk, "DUT.3", "open")
    assert AuditEvent.objects.filter(action="meeting.record").count() == 1


def test_mgt_2_dates_checked(world):
    with pytest.raises(ValidationFailed) as exc:
        meet(world, dt.date(2099, 1, 5))
    assert "held_on" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        meet(world, dt.date(2024, 2, 1))  # before the FS arrived (2024-03-01)
    assert "到岗" in exc.value.errors["held_on"]


def test_mgt_2_only_the_first_secretary_records(world):
    from zhucun.work.services import meetings as svc

    for role in ("team_member", "township", "village_secretary", "unit", "admin"):
        with pytest.raises(Forbidden):
            svc.meeting_record(
                actor=world.users[role],
                held_on=dt.date(2025, 9, 2),
                attendee_ids=[world.cadres["fs_a"].pk],
                topics="x",
            )
