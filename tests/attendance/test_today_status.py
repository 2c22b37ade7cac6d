"""Today's status first on the cadre's phone (issue 16; MGT.1.CHECKIN, MGT.1.LEAVE,
MGT.1.REST): 今日已签到 with the time and whether inside the fence, a flagged check-in waiting
for the township, 请假中, 轮休中, 因公外出, 今日非工作日, 尚未签到 — in two queries, and another
cadre's records never count."""

from __future__ import annotations

import datetime as dt

from zhucun.attendance import services as att
from zhucun.attendance.today import today_status

from .conftest import A_POINT_WGS, add_member, at, checkin, south_of

D = dt.date
TUE, SAT = D(2025, 3, 4), D(2025, 3, 8)  # a working day and a Saturday (package-known year)


def ask(user, kind, start, end, approver):
    leave = att.leave_request_create(actor=user, kind=kind, start=start, end=end, reason="家中有事")
    return att.leave_decide(actor=approver, leave_id=leave.pk, approve=True, note="同意")


def test_mgt_1_checkin_not_yet_on_a_working_day_and_off_on_a_saturday(world, users):
    tm = users["team_member"]
    s = today_status(tm, TUE)
    assert (s.code, s.label) == ("none", "尚未签到") and "签到" in s.detail
    s = today_status(tm, SAT)
    assert (s.code, s.label) == ("offday", "今日非工作日") and s.workday is False


def test_mgt_1_checkin_done_shows_time_and_fence(world, users):
    tm = users["team_member"]
    checkin(tm, when=at(2025, 3, 4, 8, 47))
    s = today_status(tm, TUE)
    assert (s.code, s.label) == ("done", "今日已签到")
    assert s.detail.startswith("08:47签到 · 在签到范围内(距签到点")
    assert s.as_json() == {"code": "done", "label": "今日已签到", "detail": s.detail}


def test_mgt_1_checkin_flagged_waits_for_the_township(world, users):
    tm = users["team_member"]
    checkin(tm, when=at(2025, 3, 4, 9, 5), pos=south_of(A_POINT_WGS, 2000))
    s = today_status(tm, TUE)
    assert (s.code, s.label) == ("pending", "异常待乡镇确认")
    assert s.detail.startswith("09:05签到 · 超出签到范围(距签到点")
    assert "须乡镇党委核实认可后计入在岗" in s.detail


def test_mgt_1_leave_and_rest_and_trip_today(world, users):
    tm, fs = users["team_member"], users["first_secretary"]
    ask(tm, "personal", D(2025, 3, 3), D(2025, 3, 5), fs)
    s = today_status(tm, TUE)
    assert (s.code, s.label, s.detail) == ("leave", "请假中", "事假 3月3日至3月5日")
    other = add_member(world, "刀玉")
    third = add_member(world, "岩温")  # ⅓ of a team of 4 → 1 may rest (MGT.1.REST)
    assert third.pk
    ask(other, "rotation_rest", D(2025, 4, 7), D(2025, 4, 9), fs)
    s = today_status(other, D(2025, 4, 8))
    assert (s.code, s.label, s.detail) == ("rest", "轮休中", "轮休 4月7日至4月9日")
    ask(other, "business_trip", D(2025, 5, 6), D(2025, 5, 7), fs)
    s = today_status(other, D(2025, 5, 6))
    assert (s.code, s.label) == ("trip", "因公外出") and s.detail.endswith("(计入在岗)")
    # a check-in that counts wins over the leave of the same day
    checkin(tm, when=at(2025, 3, 4, 9, 0))
    assert today_status(tm, TUE).code == "done"


def test_mgt_1_checkin_another_cadres_day_does_not_count(world, users):
    other = add_member(world, "刀玉")
    checkin(other, when=at(2025, 3, 4, 9, 0))
    assert today_status(users["team_member"], TUE).code == "none"
    assert today_status(other, TUE).code == "done"


def test_today_status_takes_two_queries(world, users, django_assert_num_queries):
    tm = users["team_member"]
    checkin(tm, when=at(2025, 3, 4, 9, 0))
    with django_assert_num_queries(2):
        today_status(tm, TUE)
    with django_assert_num_queries(
        2
    ):  # a working day of a year the package knows: no calendar query
        today_status(tm, D(2025, 3, 5))
