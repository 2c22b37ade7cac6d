"""The first secretary records the week's meeting on a phone-sized browser (360×740) with one
task from its decisions (MGT.2): the team is ticked already, nothing scrolls sideways, one tap
saves; the task appears on the team's task list. Screenshots go to ci-artifacts/work-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.world import build_world
from zhucun.work.models import Meeting, Task


def login(page, base_url: str, username: str, password: str = "pw") -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{base_url}/")


@pytest.mark.django_db(transaction=True)
def test_mgt_2_meeting_on_a_phone_with_a_task(live_server, browser, artifacts):
    world = build_world()
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        has_touch=True,
    )
    page = context.new_page()
    login(page, base, "first_secretary")
    page.click("#main-nav >> text=驻村工作")
    page.click("#hub-work-meeting-new")
    page.wait_for_selector("#meeting-form")
    # the whole team is ticked already: nobody types who was there
    ticked = page.locator("#meeting-attendees input:checked").count()
    assert ticked == page.locator("#meeting-attendees input").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.fill("#meeting-topics", "研究本周入户走访和防返贫监测")
    page.fill("#meeting-decisions", "分组入户,周五前完成排查")
    page.fill("#task1-title", "完成三组防返贫监测排查")
    page.select_option("#task1-owner", index=1)
    due = timezone.localdate() + dt.timedelta(days=5)
    page.fill("#task1-due", due.isoformat())
    page.select_option("#task1-duty", "DUT.2")
    page.screenshot(path=str(artifacts / "work-meeting-form.png"), full_page=True)
    page.click("#meeting-save")
    page.wait_for_url(f"{base}/work/meetings/*/")
    meeting = Meeting.objects.get()
    assert meeting.village_id == world.villages["A"].pk and meeting.attendees.count() == ticked
    task = Task.objects.get()
    assert (task.meeting_id, task.duty, task.due) == (meeting.pk, "DUT.2", due)
    page.goto(f"{base}/work/tasks/")
    assert "完成三组防返贫监测排查" in page.inner_text("main")
    page.screenshot(path=str(artifacts / "work-tasks.png"), full_page=True)
    context.close()
