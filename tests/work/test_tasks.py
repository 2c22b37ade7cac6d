"""MGT.2 任务清单: tasks with owner and due date; overdue from the day after the due day."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.work.meeting_helpers import meet
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.work.selectors import meetings as read
from zhucun.work.services import meetings as svc

pytestmark = pytest.mark.django_db


def _task(world, due, owner="tm_a", title="整修村道"):
    return svc.task_create(
        actor=world.users["first_secretary"],
        title=title,
        owner_id=world.cadres[owner].pk,
        due=due,
        duty="DUT.3",
    )


def test_mgt_2_overdue_task_listed_with_owner(world):
    """MGT.2 Done-when: a task past due and not done is listed with its owner, for the FS,
    the township and the county."""
    t = _task(world, dt.date(2025, 9, 30))
    for role in ("first_secretary", "township", "county", "team_member"):
        rows = list(read.tasks_overdue(user=world.users[role], today=dt.date(2025, 10, 1)))
        assert [(r.pk, r.owner.name) for r in rows] == [(t.pk, "线美玲")]


def test_mgt_2_due_today_not_overdue(world):
    """MGT.2 (policy.work.is_overdue): not overdue on the due day."""
    _task(world, dt.date(2025, 9, 30))
    assert not read.tasks_overdue(user=world.users["township"], today=dt.date(2025, 9, 30)).exists()


def test_mgt_2_done_task_not_listed(world):
    t = _task(world, dt.date(2025, 9, 30))
    svc.task_done(actor=world.users["team_member"], task_id=t.pk, done_on=dt.date(2025, 10, 2))
    assert not read.tasks_overdue(user=world.users["township"], today=dt.date(2025, 10, 5)).exists()
    t.refresh_from_db()
    assert (t.state, t.done_on) == ("done", dt.date(2025, 10, 2))
    with pytest.raises(ValidationFailed):
        svc.task_done(actor=world.users["first_secretary"], task_id=t.pk, done_on="2025-10-03")


def test_mgt_2_overdue_out_of_scope(world):
    _task(world, dt.date(2025, 9, 30))
    from tests.world import cadre_data  # noqa: F401  (world helpers)
    from zhucun.accounts.models import User, UserRole
    from zhucun.registry.models import Jurisdiction

    other = User.objects.create_user(
        "ruili",
        password="pw",
        role=UserRole.TOWNSHIP,
        jurisdiction=Jurisdiction.objects.get(code="533102001000"),
    )
    assert not read.tasks_overdue(user=other, today=dt.date(2025, 10, 5)).exists()


def test_mgt_2_who_marks_done(world):
    """MGT.2: the FS of the village or the owner; others refused, other villages 404."""
    t = _task(world, dt.date(2025, 9, 30), owner="fs_a")
    with pytest.raises(Forbidden):
        svc.task_done(actor=world.users["team_member"], task_id=t.pk, done_on="2025-10-01")
    with pytest.raises(Forbidden):
        svc.task_done(actor=world.users["township"], task_id=t.pk, done_on="2025-10-01")
    with pytest.raises(NotFound):
        svc.task_done(actor=world.users["unit"], task_id=t.pk + 999, done_on="2025-10-01")
    svc.task_done(actor=world.users["first_secretary"], task_id=t.pk, done_on="2025-10-01")


def test_mgt_2_task_owner_is_the_team_and_fields_checked(world):
    with pytest.raises(ValidationFailed) as exc:
        svc.task_create(
            actor=world.users["first_secretary"],
            title="",
            owner_id=world.cadres["fs_b"].pk,
            due="x",
            duty="DUT.9",
        )
    assert set(exc.value.errors) == {"title", "owner_id", "due", "duty"}
    with pytest.raises(Forbidden):
        svc.task_create(
            actor=world.users["team_member"],
            title="x",
            owner_id=world.cadres["tm_a"].pk,
            due="2025-10-01",
            duty="DUT.1",
        )


def test_mgt_2_task_list_of_meeting(world):
    m = meet(
        world,
        dt.date(2025, 9, 2),
        tasks=[
            {
                "title": "甲",
                "owner_id": world.cadres["fs_a"].pk,
                "due": "2025-09-05",
                "duty": "DUT.1",
            },
            {
                "title": "乙",
                "owner_id": world.cadres["tm_a"].pk,
                "due": "2025-09-30",
                "duty": "DUT.5",
            },
        ],
    )
    rows = list(read.task_list(user=world.users["village_secretary"]))
    assert {t.meeting_id for t in rows} == {m.pk} and len(rows) == 2
    overdue = list(read.tasks_overdue(user=world.users["county"], today=dt.date(2025, 9, 8)))
    assert [t.title for t in overdue] == ["甲"]
