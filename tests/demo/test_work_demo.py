"""The demo shows the team's work (issue 14): three months of meetings with one missing week
and one task past due in the demo village, a key-task list from the county, group contacts
and visits with a risk household, monthly reports with one overdue and one urgent report."""

from __future__ import annotations

import pytest

from zhucun.accounts.models import User
from zhucun.work.models import KeyTaskProgress, Report, Task, Visit
from zhucun.work.selectors.meetings import missing_meeting_weeks, tasks_overdue
from zhucun.work.selectors.reports import overdue_reports, urgent_inbox
from zhucun.work.selectors.visits import groups_without_contact, risk_visits, unvisited_groups

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_mgt_2_one_missing_week_and_one_task_past_due(demo):
    shuji = User.objects.get(username="shuji")
    today = demo.timeline.today
    rows = missing_meeting_weeks(user=shuji, month=demo.timeline.closed, today=today)
    assert len(rows) == 1
    assert Task.objects.filter(state="open", due__lt=today).count() == 1
    assert tasks_overdue(user=shuji, today=today).count() == 1
    assert KeyTaskProgress.objects.exists()


def test_demo_mgt_8_groups_and_visits(demo):
    zhefang = User.objects.get(username="zhefang")
    assert groups_without_contact(user=zhefang, on=demo.timeline.today).count() == 1
    assert unvisited_groups(user=zhefang, month=demo.timeline.closed)
    assert Visit.objects.filter(risk_found=True, acknowledged_at__isnull=True).count() == 1
    assert risk_visits(user=zhefang).count() == 1


def test_demo_mgt_6_reports_one_overdue_one_urgent(demo):
    zhefang = User.objects.get(username="zhefang")
    overdue = list(overdue_reports(user=zhefang, kind="monthly", today=demo.timeline.today))
    assert len(overdue) >= 1
    assert Report.objects.filter(kind="monthly", submitted_at__isnull=False).count() > 10
    inbox = list(urgent_inbox(user=zhefang))
    assert inbox and inbox[0].kind == "urgent" and inbox[0].acknowledged_at is None
