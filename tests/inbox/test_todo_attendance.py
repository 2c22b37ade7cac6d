"""The inbox (issue 16, point 1): what waits for a user appears on the home page and in
GET /api/v1/me/todo, links to where it is done, and disappears when done."""

import datetime as dt

import pytest
from django.utils import timezone

from zhucun.attendance.services.leave import leave_decide, leave_request_create
from zhucun.inbox.selectors import todo_list
from zhucun.notices.models import Notice

from ..web.helpers import html, login


def _leave(world):
    start = timezone.localdate() + dt.timedelta(days=30)
    return leave_request_create(
        actor=world.users["team_member"],
        kind="personal",
        start=start,
        end=start + dt.timedelta(days=1),
        reason="家中有事",
    )


def test_leave_to_approve_appears_and_disappears_MGT_1_LEAVE(client, world):
    fs = world.users["first_secretary"]
    today = timezone.localdate()
    assert "leave_approve" not in {i.kind for i in todo_list(user=fs, today=today)}
    leave = _leave(world)
    items = {i.kind: i for i in todo_list(user=fs, today=today)}
    assert items["leave_approve"].count == 1 and items["leave_approve"].clause == "MGT.1.LEAVE"
    login(client, world, "first_secretary")
    page = html(client.get("/"))
    assert 'data-kind="leave_approve"' in page and "待审批的请假和轮休" in page
    assert client.get(items["leave_approve"].url).status_code == 200  # where it is done
    api = client.get("/api/v1/me/todo").json()
    assert [(i["kind"], i["count"]) for i in api["items"]] == [
        (i.kind, i.count) for i in todo_list(user=fs, today=today)
    ]
    leave_decide(actor=fs, leave_id=leave.pk, approve=True)
    assert "leave_approve" not in {i.kind for i in todo_list(user=fs, today=today)}
    assert 'data-kind="leave_approve"' not in html(client.get("/"))


def test_leave_decision_notifies_the_cadre_MGT_1_LEAVE(client, world):
    leave = _leave(world)
    leave_decide(
        actor=world.users["first_secretary"], leave_id=leave.pk, approve=False, note="人手不足"
    )
    notice = Notice.objects.get(user=world.users["team_member"])
    assert (
        "未获批准" in notice.title and notice.clause == "MGT.1.LEAVE" and notice.body == "人手不足"
    )
    login(client, world, "team_member")
    page = html(client.get("/"))
    assert 'id="notice-unread">1<' in page
    listing = client.get("/api/v1/me/notices").json()
    assert listing["unread"] == 1 and listing["results"][0]["title"] == notice.title
    response = client.post(f"/notices/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/m/leave/"
    assert client.get("/api/v1/me/notices").json()["unread"] == 0
    # nobody reads or marks another user's notice
    login(client, world, "first_secretary")
    assert client.post(f"/api/v1/me/notices/{notice.pk}/read").status_code == 404


@pytest.mark.parametrize(
    "role",
    [
        "admin",
        "prefecture",
        "county",
        "township",
        "unit",
        "first_secretary",
        "team_member",
        "village_secretary",
    ],
)
def test_todo_runs_a_bounded_number_of_queries(world, role, django_assert_max_num_queries):
    user = world.users[role]
    _leave(world)
    with django_assert_max_num_queries(40):
        todo_list(user=user, today=timezone.localdate())


def test_deadline_in_working_days_and_past_due_over_a_weekend(db):
    """A deadline on Friday seen on Saturday is overdue though no working day has passed."""
    from zhucun.inbox.items import TodoItem
    from zhucun.inbox.selectors import _with_days
    from zhucun.params.calendar import work_calendar

    cal = work_calendar()
    item = TodoItem("x", "测试", 1, "/", "MGT.1.LEAVE", due=dt.date(2026, 12, 4))
    saturday = _with_days(item, cal, dt.date(2026, 12, 5))
    assert saturday.is_overdue and saturday.deadline_text == "已逾期"
    monday = _with_days(item, cal, dt.date(2026, 12, 7))
    assert monday.working_days_left == -1 and monday.deadline_text == "已逾期1个工作日"
    ahead = _with_days(item, cal, dt.date(2026, 12, 1))
    assert ahead.working_days_left == 3 and not ahead.is_overdue
    assert ahead.deadline_text == "还剩3个工作日"
    today = _with_days(item, cal, dt.date(2026, 12, 4))
    assert today.deadline_text == "今日到期" and not today.is_overdue
