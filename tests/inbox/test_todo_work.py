"""待办 of 驻村工作 (issue 16, point 1): reports due and overdue (MGT.6.*, GUA.1.BIND), urgent
reports and visit risks for the township (MGT.6.URGENT, MGT.8.VISITS), weeks without a meeting
and tasks (MGT.2), key tasks (DUT.LIST) — each appears when the fact exists, links to the page
where it is done, disappears when done, and reaches nobody out of scope; the notices of the
urgent report's acknowledgement and of a task assigned reach only the person concerned."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.work.visit_helpers import group, visit
from zhucun.accounts.models import User, UserRole
from zhucun.notices.models import Notice
from zhucun.policy.work import month_weeks
from zhucun.work.selectors import meetings as meeting_read
from zhucun.work.selectors import reports as report_read
from zhucun.work.services import meetings as meeting_write
from zhucun.work.services import reports as report_write
from zhucun.work.services.visits import visit_risk_acknowledge

from .helpers import opens, todo


def _month_add(first: dt.date, n: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _submit(actor, kind: str, period_start: dt.date) -> None:
    r = report_write.report_open(actor=actor, kind=kind, period_start=period_start)
    report_write.report_submit(actor=actor, report_id=r.pk)


def test_monthly_reports_to_write_overdue_then_done_MGT_6_MONTHLY(client, world):
    """MGT.6.MONTHLY: the first secretary's unsubmitted months (the last three) with the
    oldest due day — already past, so negative working days — gone once all are submitted."""
    fs = world.users["first_secretary"]
    today = timezone.localdate()
    item = todo(fs)["report_monthly"]
    assert item.count == 3 and item.clause == "MGT.6.MONTHLY"
    assert item.overdue >= 2 and item.working_days_left is not None
    assert item.working_days_left < 0 and item.deadline_text.startswith("已逾期")
    opens(client, fs, item)
    for back in (3, 2, 1):
        _submit(fs, "monthly", _month_add(today.replace(day=1), -back))
    assert "report_monthly" not in todo(fs)
    # the team member and the township write no monthly report
    assert "report_monthly" not in todo(world.users["team_member"])
    assert "report_monthly" not in todo(world.users["township"])


def test_township_overdue_monthly_reports_and_its_own_quarterly_MGT_6(client, world):
    """MGT.6.MONTHLY overdue for the township (its villages' first secretaries), and
    MGT.6.QUARTERLY: the township's own last two quarters, overdue also for the county."""
    township, county = world.users["township"], world.users["county"]
    today = timezone.localdate()
    items = todo(township)
    overdue = items["report_monthly_overdue"]
    assert overdue.count == report_read.overdue_count(user=township, kind="monthly", today=today)
    assert overdue.count > 0 and overdue.working_days_left < 0
    opens(client, township, overdue)
    own = items["report_quarterly"]
    assert own.count == 2 and own.clause == "MGT.6.QUARTERLY"
    opens(client, township, own)
    assert todo(county)["report_quarterly_overdue"].count >= 1
    assert "report_monthly_overdue" not in todo(county)  # the township follows its villages
    quarter = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    for back in (2, 1):
        _submit(township, "quarterly", _month_add(quarter, -3 * back))
    assert "report_quarterly" not in todo(township)
    assert "report_quarterly_overdue" not in todo(county)
    # the other county's body sees nothing of 遮放镇
    other = User.objects.create_user(
        "ruili",
        password="pw",
        role=UserRole.COUNTY,
        jurisdiction=world.villages["C"].township.parent,
    )
    assert "report_monthly_overdue" not in todo(other)


def test_unit_hearing_and_yearly_visit_due_MGT_6_HALFYEAR_GUA_1_BIND(client, world):
    unit = world.users["unit"]
    today = timezone.localdate()
    items = todo(unit)
    hearing, visit_item = items["report_hearing"], items["report_unit_visit"]
    assert hearing.count == 3 and hearing.clause == "MGT.6.HALFYEAR"
    assert visit_item.count == 2 and visit_item.clause == "GUA.1.BIND"
    opens(client, unit, hearing)
    for day in (dt.date(today.year - 1, 7, 1), dt.date(today.year, 1, 1), today):
        _submit(unit, "hearing", day)
    for day in (dt.date(today.year - 1, 1, 1), today):
        _submit(unit, "unit_visit", day)
    items = todo(unit)
    assert "report_hearing" not in items and "report_unit_visit" not in items


def test_urgent_report_waits_for_the_township_and_its_reporter_hears_MGT_6_URGENT(client, world):
    tm, township = world.users["team_member"], world.users["township"]
    report = report_write.urgent_report(actor=tm, title="山洪冲毁村道", body="二组村道中断")
    item = todo(township)["urgent_acknowledge"]
    assert item.count == 1 and item.due == timezone.localdate() and item.deadline_text == "今日到期"
    opens(client, township, item)
    assert "urgent_acknowledge" not in todo(world.users["county"])
    assert not Notice.objects.exists()
    report_write.urgent_acknowledge(actor=township, report_id=report.pk, note="已派人抢修")
    assert "urgent_acknowledge" not in todo(township)
    notice = Notice.objects.get()
    assert notice.user == tm and notice.clause == "MGT.6.URGENT" and "山洪冲毁村道" in notice.title
    assert notice.body == "已派人抢修"
    client.force_login(tm)
    assert client.get(notice.url).status_code == 200  # the reporter reads the report


def test_visit_risk_waits_for_the_township_MGT_8_VISITS(client, world):
    township = world.users["township"]
    g = group(world, "A", 1)
    v = visit(
        world,
        g,
        timezone.localdate(),
        new_households=[{"head_name": "岩温", "risk_return_to_poverty": True}],
        findings="家中主要劳动力因病不能务工",
        risk_found=True,
        follow_up="协调申请临时救助",
    )
    item = todo(township)["visit_risk"]
    assert item.count == 1 and item.clause == "MGT.8.VISITS"
    opens(client, township, item)
    assert "visit_risk" not in todo(world.users["county"])  # the township acknowledges
    visit_risk_acknowledge(actor=township, visit_id=v.pk, note="民政办跟进")
    assert "visit_risk" not in todo(township)


def test_weeks_without_a_meeting_until_recorded_MGT_2(client, world):
    fs = world.users["first_secretary"]
    today = timezone.localdate()
    months = (_month_add(today.replace(day=1), -1), today.replace(day=1))
    expected = sum(
        len(meeting_read.missing_meeting_weeks(user=fs, month=m, today=today)) for m in months
    )
    assert expected > 0
    item = todo(fs)["meeting_missing"]
    assert item.count == expected and item.clause == "MGT.2"
    opens(client, fs, item)
    assert "meeting_missing" not in todo(world.users["team_member"])
    team = [world.cadres["fs_a"].pk, world.cadres["tm_a"].pk]
    for m in months:
        for monday in month_weeks(m):
            if monday <= today:
                meeting_write.meeting_record(
                    actor=fs, held_on=monday, attendee_ids=team, topics="研究本周工作"
                )
    assert "meeting_missing" not in todo(fs)


def test_task_assigned_in_a_meeting_notifies_its_owner_and_waits_MGT_2(client, world):
    fs, tm = world.users["first_secretary"], world.users["team_member"]
    today = timezone.localdate()
    late = today - dt.timedelta(days=1)
    meeting_write.meeting_record(
        actor=fs,
        held_on=today - dt.timedelta(days=3),
        attendee_ids=[world.cadres["fs_a"].pk, world.cadres["tm_a"].pk],
        topics="研究防返贫监测",
        tasks=[
            {
                "title": "完成三组排查",
                "owner_id": world.cadres["tm_a"].pk,
                "due": late,
                "duty": "DUT.2",
            },
            {
                "title": "联系镇农科站",
                "owner_id": world.cadres["fs_a"].pk,
                "due": today,
                "duty": "DUT.1",
            },
        ],
    )
    notice = Notice.objects.get()  # the first secretary wrote their own task: no notice
    assert notice.user == tm and notice.clause == "MGT.2" and "完成三组排查" in notice.title
    item = todo(tm)["task_mine"]
    assert (item.count, item.overdue, item.due) == (1, 1, late)
    opens(client, tm, item)
    assert todo(fs)["task_mine"].count == 1  # only their own
    assert "task_mine" not in todo(world.users["township"])
    task = meeting_read.task_list(user=tm, state="open").get(owner=world.cadres["tm_a"])
    meeting_write.task_done(actor=tm, task_id=task.pk, done_on=today)
    assert "task_mine" not in todo(tm)


def test_key_tasks_to_report_until_done_DUT_LIST(client, world):
    county, fs = world.users["county"], world.users["first_secretary"]
    today = timezone.localdate()
    kl = meeting_write.key_list_issue(
        actor=county,
        title="冬春农田水利重点任务",
        issued_on=today - dt.timedelta(days=20),
        items=[
            {"title": "修缮灌溉沟渠", "duty": "DUT.1", "due": today - dt.timedelta(days=2)},
            {"title": "完成防返贫排查", "duty": "DUT.2", "due": today + dt.timedelta(days=20)},
        ],
    )
    item = todo(fs)["key_task"]
    assert (item.count, item.overdue, item.due) == (2, 1, today - dt.timedelta(days=2))
    assert item.working_days_left is not None and item.working_days_left <= 0
    opens(client, fs, item)
    assert "key_task" not in todo(world.users["team_member"])
    for it in kl.items.all():
        meeting_write.key_progress_report(actor=fs, item_id=it.pk, state="done")
    assert "key_task" not in todo(fs)
