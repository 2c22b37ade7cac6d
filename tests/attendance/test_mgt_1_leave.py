"""MGT.1.LEAVE: requests, routing (TM → FS, FS → township), 403/404, overlap, 销假, cancel."""

from __future__ import annotations

import datetime as dt

import pytest

from zhucun.attendance import services as att
from zhucun.attendance.models import LeaveRequest
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed

from .conftest import add_member, other_township_user

D = dt.date
MAR3, MAR4 = D(2025, 3, 3), D(2025, 3, 4)


def ask(user, kind="personal", start=MAR3, end=MAR4, reason="家中有事"):
    return att.leave_request_create(actor=user, kind=kind, start=start, end=end, reason=reason)


def test_mgt_1_leave_team_member_goes_to_first_secretary(world, users):
    leave = ask(users["team_member"])
    assert leave.approver_level == "first_secretary" and leave.state == "pending"
    for wrong in ("township", "county", "prefecture", "unit", "village_secretary"):
        with pytest.raises(Forbidden):
            att.leave_decide(actor=users[wrong], leave_id=leave.pk, approve=True, note="同意")
    with pytest.raises(NotFound):
        att.leave_decide(actor=other_township_user(), leave_id=leave.pk, approve=True)
    fs_b = add_member(world, "刀勇", village="B", role="first_secretary")
    with pytest.raises(NotFound):  # the FS of another village cannot even see it
        att.leave_decide(actor=fs_b, leave_id=leave.pk, approve=True)
    att.leave_decide(actor=users["first_secretary"], leave_id=leave.pk, approve=True, note="同意")
    leave.refresh_from_db()
    assert leave.state == "approved" and leave.decided_by == users["first_secretary"]
    assert Event.objects.filter(action="leave.approve", object_id=str(leave.pk)).exists()


def test_mgt_1_leave_first_secretary_goes_to_township(world, users):
    leave = ask(users["first_secretary"])
    assert leave.approver_level == "township"
    with pytest.raises(Forbidden) as exc:
        att.leave_decide(actor=users["first_secretary"], leave_id=leave.pk, approve=True)
    assert "乡镇" in exc.value.message
    with pytest.raises(NotFound):  # a team member does not see the FS's leave
        att.leave_decide(actor=users["team_member"], leave_id=leave.pk, approve=True)
    with pytest.raises(Forbidden):
        att.leave_decide(actor=users["county"], leave_id=leave.pk, approve=True)
    with pytest.raises(ValidationFailed):  # a rejection needs its reason
        att.leave_decide(actor=users["township"], leave_id=leave.pk, approve=False)
    att.leave_decide(
        actor=users["township"], leave_id=leave.pk, approve=False, note="近期有检查,暂缓"
    )
    leave.refresh_from_db()
    assert leave.state == "rejected" and leave.decision_note == "近期有检查,暂缓"
    with pytest.raises(ValidationFailed):  # decided once
        att.leave_decide(actor=users["township"], leave_id=leave.pk, approve=True)


def test_mgt_1_leave_overlap_refused(world, users):
    ask(users["team_member"], start=D(2025, 3, 3), end=D(2025, 3, 6))
    with pytest.raises(ValidationFailed) as exc:
        ask(users["team_member"], kind="sick", start=D(2025, 3, 6), end=D(2025, 3, 7))
    assert "MGT.1.LEAVE" in exc.value.errors and "重叠" in exc.value.errors["MGT.1.LEAVE"]
    ask(users["team_member"], kind="sick", start=D(2025, 3, 7), end=D(2025, 3, 7))
    ask(users["first_secretary"], start=D(2025, 3, 3), end=D(2025, 3, 6))  # another person


def test_mgt_1_leave_rejected_or_cancelled_does_not_block(world, users, settings):
    tm, fs = users["team_member"], users["first_secretary"]
    first = ask(tm, start=D(2030, 3, 3), end=D(2030, 3, 4))
    att.leave_cancel(actor=tm, leave_id=first.pk)
    second = ask(tm, start=D(2030, 3, 3), end=D(2030, 3, 4))
    att.leave_decide(actor=fs, leave_id=second.pk, approve=False, note="不同意")
    ask(tm, start=D(2030, 3, 3), end=D(2030, 3, 4))
    with pytest.raises(Forbidden):
        att.leave_cancel(actor=fs, leave_id=second.pk)


def test_mgt_1_leave_bad_input(world, users):
    with pytest.raises(ValidationFailed) as exc:
        att.leave_request_create(
            actor=users["team_member"],
            kind="holiday",
            start="2025-13-01",
            end=D(2025, 3, 1),
            reason="",
        )
    assert {"kind", "start", "reason"} <= set(exc.value.errors)
    with pytest.raises(ValidationFailed) as exc:
        ask(users["team_member"], start=D(2025, 3, 5), end=D(2025, 3, 4))
    assert "end" in exc.value.errors
    with pytest.raises(Forbidden):
        ask(users["township"])


def test_mgt_1_leave_return_closes_it(world, users):
    tm, fs = users["team_member"], users["first_secretary"]
    leave = ask(tm, kind="sick", start=D(2025, 3, 3), end=D(2025, 3, 7))
    with pytest.raises(ValidationFailed):  # not approved yet
        att.leave_return(actor=tm, leave_id=leave.pk, returned_on=D(2025, 3, 5))
    att.leave_decide(actor=fs, leave_id=leave.pk, approve=True, note="同意")
    att.leave_return(actor=tm, leave_id=leave.pk, returned_on=D(2025, 3, 5))
    leave.refresh_from_db()
    assert leave.state == "returned" and leave.actual_end == D(2025, 3, 4)
    assert Event.objects.filter(action="leave.return").count() == 1
    # the days after 销假 are free again
    ask(tm, kind="business_trip", start=D(2025, 3, 5), end=D(2025, 3, 6), reason="到州里开会")


def test_mgt_1_leave_all_writes_audited(world, users):
    before = Event.objects.count()
    leave = ask(users["team_member"], start=D(2030, 1, 6), end=D(2030, 1, 7))
    att.leave_decide(actor=users["first_secretary"], leave_id=leave.pk, approve=True, note="同意")
    att.leave_cancel(actor=users["team_member"], leave_id=leave.pk)
    actions = list(Event.objects.order_by("seq").values_list("action", flat=True)[before:])
    assert actions == ["leave.request", "leave.approve", "leave.cancel"]
    assert LeaveRequest.objects.get(pk=leave.pk).state == "cancelled"
