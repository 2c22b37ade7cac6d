"""The demo shows the end of a posting (issue 11): a term ending with the replacement on the
way, one with nobody (the gap flagged), and a completed handover with the leave granted."""

from __future__ import annotations

import datetime as dt

import pytest

from zhucun.accounts.models import User
from zhucun.attendance.models import LeaveKind, LeaveRequest
from zhucun.tenure.models import HandoverRecord, PostingClosure
from zhucun.tenure.selectors import coverage_gaps, term_ends_upcoming

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_term_ends_with_and_without_replacement(demo):
    admin = User.objects.get(username="admin")
    today = demo.timeline.today
    rows = term_ends_upcoming(user=admin, today=today)
    assert any(e.replacement is not None and e.gap is None for e in rows)
    assert any(e.replacement is None for e in coverage_gaps(user=admin, today=today))


def test_demo_completed_handover_with_leave(demo):
    (closure,) = PostingClosure.objects.filter(cause="term")  # the rotation demo ends one early
    assert closure.cause == "term" and closure.leave is not None
    assert closure.leave.kind == LeaveKind.AFTER_TERM
    assert closure.leave.start == closure.end_date + dt.timedelta(days=1)
    assert (closure.leave.end - closure.leave.start).days == 14
    record = HandoverRecord.objects.get(posting=closure.posting)
    assert record.successor is not None and record.receiver_name == record.successor.cadre.name
    assert LeaveRequest.objects.filter(kind=LeaveKind.AFTER_TERM).count() == 1
