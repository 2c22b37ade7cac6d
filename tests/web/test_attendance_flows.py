"""The attendance workflows through the pages (Django test client, POST forms): leave
(TM → FS, FS → township, the small team's rotation rest that needs the township's reason,
refusals with clause ids, 销假), the diary, the township's month close and the downloads,
interviews, the monthly summary (prepare → sign → submit) and special periods."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from zhucun.attendance.exports import MONTHLY_HEADERS, RANKING_HEADERS
from zhucun.attendance.models import (
    DiaryEntry,
    DiaryPhoto,
    Interview,
    LeaveRequest,
    MonthClose,
    MonthlyAttendance,
    MonthlySummary,
    SpecialPeriod,
)
from zhucun.web.views.attendance_common import previous_month

from .helpers import html, login

TODAY = timezone.localdate()
LAST_MONTH = previous_month(TODAY)
M = f"{LAST_MONTH:%Y-%m}"


@pytest.fixture(autouse=True)
def _calendar_knows_these_months(world):
    """These flows work on the real current and previous month. When the holiday package does
    not know a year yet, enter it as an administrator would (otherwise the month close rightly
    refuses with 请录入YYYY年节假日安排)."""
    from zhucun.params.calendar import holiday_year_set
    from zhucun.policy.calendar import package_years

    for year in sorted({LAST_MONTH.year, TODAY.year} - set(package_years())):
        first_weekday = next(
            d for d in (dt.date(year, 1, i) for i in range(1, 8)) if d.weekday() < 5
        )
        holiday_year_set(
            actor=world.admin,
            year=year,
            source="测试:管理员录入",
            entries=[(first_weekday, False, "元旦")],
            confirm_few=True,
        )


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def ask(client, kind, start, end, reason="家中有事", follow=True):
    return client.post(
        "/m/leave/",
        {"action": "create", "kind": kind, "start": start, "end": end, "reason": reason},
        follow=follow,
    )


# ---- leave -----------------------------------------------------------------------------------


def test_team_member_leave_approved_by_the_first_secretary_then_returned(client, world):
    login(client, world, "team_member")
    page = html(ask(client, "personal", days(-2), days(2)))
    assert "待第一书记审批" in page
    leave = LeaveRequest.objects.get()
    assert leave.state == "pending" and leave.approver_level == "first_secretary"
    assert "您的请假由第一书记审批(MGT.1.LEAVE)" in page

    login(client, world, "first_secretary")
    queue = html(client.get("/team/approvals/"))
    assert f'id="leave-{leave.pk}"' in queue and "线美玲 · 事假" in queue
    assert 'id="home-pending-approvals">1<' in html(client.get("/"))
    # rejecting needs a note
    refused = html(
        client.post(
            "/team/approvals/", {"action": "reject", "leave_id": leave.pk, "note": ""}, follow=True
        )
    )
    assert "意见:请填写审批意见" in refused
    done = client.post(
        "/team/approvals/", {"action": "approve", "leave_id": leave.pk, "note": "同意"}, follow=True
    )
    assert "已批准线美玲的事假" in html(done)
    leave.refresh_from_db()
    assert leave.state == "approved" and leave.decided_by == world.users["first_secretary"]
    # the team's day shows who is away and why
    today = html(client.get("/team/today/"))
    assert 'data-state="away"' in today and "家中有事" in today

    login(client, world, "team_member")
    status = html(client.get("/m/checkin/"))  # today's status first (issue 16, the phone)
    assert "请假中" in status and "事假" in status
    client.post("/m/leave/", {"action": "return", "leave_id": leave.pk, "returned_on": days(0)})
    leave.refresh_from_db()
    assert leave.state == "returned" and leave.returned_on == TODAY


def test_first_secretary_leave_is_approved_by_the_township(client, world):
    login(client, world, "first_secretary")
    page = html(ask(client, "business_trip", days(3), days(4), reason="赴州里汇报"))
    assert "待乡镇(街道)党(工)委审批" in page
    leave = LeaveRequest.objects.get()
    # the FS is not their own approver: not in the FS queue
    assert f'id="leave-{leave.pk}"' not in html(client.get("/team/approvals/"))
    login(client, world, "township")
    assert f'id="leave-{leave.pk}"' in html(client.get("/township/approvals/"))
    client.post("/township/approvals/", {"action": "approve", "leave_id": leave.pk, "note": ""})
    leave.refresh_from_db()
    assert leave.state == "approved" and leave.decided_by == world.users["township"]
    assert f'id="leave-{leave.pk}"' not in html(client.get("/township/approvals/"))


def test_small_team_rests_one_at_a_time_without_a_reason(client, world):
    """MGT.1.REST settled reading: village A has two cadres; ⅓ rounds down but never below
    one, so the team member's rest goes straight to the first secretary, and the first
    secretary cannot rest on the same days."""
    login(client, world, "team_member")
    ask(client, "rotation_rest", days(10), days(12), reason="轮休")
    leave = LeaveRequest.objects.get()
    assert leave.findings == []

    login(client, world, "first_secretary")
    page = html(client.get("/team/approvals/"))
    assert "须由乡镇(街道)党(工)委记录理由" not in page
    client.post("/team/approvals/", {"action": "approve", "leave_id": leave.pk})
    leave.refresh_from_db()
    assert leave.state == "approved"

    refused = html(ask(client, "rotation_rest", days(12), days(13), reason="轮休"))
    assert "[MGT.1.REST]" in refused and "上限1人" in refused
    assert LeaveRequest.objects.count() == 1


def test_refusals_show_their_clause_ids(client, world):
    login(client, world, "team_member")
    ask(client, "personal", days(5), days(6))
    overlap = html(ask(client, "sick", days(6), days(7)))
    assert 'id="leave-refusal"' in overlap and "[MGT.1.LEAVE]" in overlap
    too_long = html(ask(client, "rotation_rest", days(20), days(40), reason="轮休"))
    assert "[MGT.1.REST]" in too_long
    bad = html(ask(client, "holiday", "2026-13-01", days(1)))
    assert "开始日期格式无效" in bad
    assert LeaveRequest.objects.count() == 1
    # the pending one may be withdrawn
    leave = LeaveRequest.objects.get()
    client.post("/m/leave/", {"action": "cancel", "leave_id": leave.pk})
    leave.refresh_from_db()
    assert leave.state == "cancelled"


def test_special_period_blocks_rest(client, world):
    login(client, world, "county")
    page = client.post(
        "/attendance/special-periods/",
        {
            "jurisdiction_code": "533103000000",
            "start": days(0),
            "end": days(30),
            "reason": "防汛救灾",
        },
        follow=True,
    )
    assert "已宣布特殊时期:芒市" in html(page)
    assert SpecialPeriod.objects.get().reason == "防汛救灾"
    assert "防汛救灾" in html(client.get("/attendance/special-periods/"))
    bad = html(
        client.post(
            "/attendance/special-periods/",
            {"jurisdiction_code": "533100000000", "start": days(3), "end": days(1), "reason": "x"},
        )
    )
    assert "结束日期不能早于开始日期" in bad or "不在您的管辖范围" in bad
    login(client, world, "team_member")
    refused = html(ask(client, "rotation_rest", days(10), days(11), reason="轮休"))
    assert "[MGT.1.REST]" in refused and "特殊" in refused
    assert not LeaveRequest.objects.exists()


# ---- diary -----------------------------------------------------------------------------------


def test_diary_save_with_photo_and_missing_days(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(client, world, "team_member")
    text = html(client.get("/m/diary/"))
    for name in ("建强基层党组织", "巩固脱贫成果", "推进强村富民", "提升治理水平", "强化为民服务"):
        assert name in text
    png = SimpleUploadedFile("visit.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")
    page = client.post(
        "/m/diary/",
        {
            "day": days(0),
            "duties": ["DUT.2", "DUT.5"],
            "text": "走访农户5户,排查返贫风险",
            "photo": png,
            "caption": "走访",
        },
        follow=True,
    )
    assert "已保存" in html(page)
    entry = DiaryEntry.objects.get()
    assert entry.duties == ["DUT.2", "DUT.5"] and entry.day == TODAY
    assert DiaryPhoto.objects.get(entry=entry).caption == "走访"
    # editing the same day keeps one entry
    client.post("/m/diary/", {"day": days(0), "duties": ["DUT.1"], "text": "支部会"})
    assert DiaryEntry.objects.get().text == "支部会"
    # a future day is refused in Chinese
    refused = html(client.post("/m/diary/", {"day": days(1), "duties": [], "text": "x"}))
    assert "不能为今后的日期写工作日志" in refused


def test_diary_missing_lists_an_on_duty_day_without_entry(client, world):
    from zhucun.attendance import services as att

    # the page lists this month up to today: on the 1st, today itself is the day to look at
    yesterday = TODAY - dt.timedelta(days=1) if TODAY.day > 1 else TODAY
    login(client, world, "first_secretary")
    att.leave_request_create(
        actor=world.users["first_secretary"],
        kind="meeting",
        start=yesterday,
        end=yesterday,
        reason="县里开会",
    )
    leave = LeaveRequest.objects.get()
    att.leave_decide(actor=world.users["township"], leave_id=leave.pk, approve=True)
    page = html(client.get("/m/diary/"))
    assert 'id="diary-missing"' in page and f"?day={yesterday.isoformat()}" in page


# ---- month close, ranking, interviews, downloads ------------------------------------------------


def close(client):
    return client.post("/township/month/", {"action": "close", "month": M}, follow=True)


def test_month_close_button_ranking_and_downloads(client, world):
    login(client, world, "township")
    page = html(close(client))
    assert "已结账" in page and MonthClose.objects.filter(month=LAST_MONTH).count() == 1
    rows = MonthlyAttendance.objects.filter(month=LAST_MONTH)
    assert set(rows.values_list("cadre__name", flat=True)) == {"岳文华", "线美玲", "排早腊"}
    for name in ("岳文华", "线美玲", "排早腊"):
        assert name in page
    assert "末3位" in page and "并列" in page  # all at 0%: tied
    again = html(close(client))
    assert "结果无变化" in again and MonthClose.objects.get(month=LAST_MONTH).version == 1

    response = client.get(f"/township/month/export/ranking/?month={M}")
    assert response.status_code == 200
    assert (
        "xlsx" in response["Content-Disposition"] or "%E6%8E%92" in response["Content-Disposition"]
    )
    ws = load_workbook(io.BytesIO(response.content))["末位名单"]
    assert [c.value for c in ws[2]] == RANKING_HEADERS
    names = {row[3] for row in ws.iter_rows(min_row=3, values_only=True) if row[3]}
    assert names == {"岳文华", "线美玲", "排早腊"}
    monthly = client.get(f"/township/month/export/monthly/?month={M}")
    ws = load_workbook(io.BytesIO(monthly.content)).active
    assert [c.value for c in ws[2]] == MONTHLY_HEADERS

    # the county sees the bottom three of its townships and downloads the same list
    login(client, world, "county")
    ranks = html(client.get(f"/attendance/rankings/?month={M}"))
    assert "遮放镇" in ranks and "线美玲" in ranks and 'id="n-closed">1<' in ranks
    xlsx = client.get(f"/attendance/rankings/export/ranking/?month={M}")
    ws = load_workbook(io.BytesIO(xlsx.content))["末位名单"]
    assert [c.value for c in ws[2]] == RANKING_HEADERS
    assert len([r for r in ws.iter_rows(min_row=3, values_only=True) if r[3]]) == 3
    # a cadre sees their rank when the jurisdiction publishes it
    login(client, world, "team_member")
    mine = html(client.get(f"/m/month/?month={M}"))
    assert 'id="m-rank"' in mine and 'id="m-rate">0.0%<' in mine


def test_month_close_refuses_the_current_month(client, world):
    login(client, world, "township")
    page = html(
        client.post("/township/month/", {"action": "close", "month": f"{TODAY:%Y-%m}"}, follow=True)
    )
    assert "尚未结束,不能结账" in page
    assert not MonthClose.objects.exists()


def test_interview_recorded_with_the_three_parties(client, world):
    """MGT.3.TALK settled reading: the township supplies the list; the organisation department
    that manages the cadre (by the unit's level: 芒市人民医院 is county-level) records."""
    login(client, world, "township")
    page = html(close(client))
    assert "乡镇驻村工作协调小组长、派出单位分管领导、驻村工作队员" in page
    tm = world.cadres["tm_a"]
    assert f'id="talk-{tm.pk}"' in page and "待约谈" in page
    assert f'id="interview-form-{tm.pk}"' not in page  # the township does not record
    login(client, world, "prefecture")  # a county-level unit's cadre: not the prefecture's
    assert f'id="talk-{tm.pk}"' not in html(client.get(f"/attendance/interviews/?month={M}"))
    login(client, world, "county")
    page = html(client.get(f"/attendance/interviews/?month={M}"))
    assert f'id="interview-form-{tm.pk}"' in page and "待约谈" in page
    refused = html(
        client.post(
            f"/attendance/interviews/?month={M}",
            {"month": M, "cadre_id": tm.pk, "record": "x"},
            follow=True,
        )
    )
    assert "乡镇驻村工作协调小组长:请填写" in refused
    client.post(
        f"/attendance/interviews/?month={M}",
        {
            "action": "interview",
            "month": M,
            "cadre_id": tm.pk,
            "township_leader": "遮放镇 张书记",
            "unit_leader": "芒市人民医院 李副院长",
            "held_on": days(0),
            "record": "说明缺勤原因,限期整改",
        },
    )
    interview = Interview.objects.get()
    assert interview.cadre_id == tm.pk and interview.unit_leader == "芒市人民医院 李副院长"
    assert interview.recorded_by == world.users["county"]
    login(client, world, "township")
    page = html(client.get(f"/township/month/?month={M}"))
    assert "已约谈" in page and "说明缺勤原因" in page


# ---- monthly summary ---------------------------------------------------------------------------


def test_summary_prepare_sign_submit(client, world):
    login(client, world, "first_secretary")
    early = html(client.post("/team/summary/", {"action": "prepare", "month": M}, follow=True))
    assert "尚未结账" in early and not MonthlySummary.objects.exists()
    login(client, world, "township")
    close(client)

    login(client, world, "first_secretary")
    page = html(
        client.post(
            "/team/summary/", {"action": "prepare", "month": M, "note": "本月无异常"}, follow=True
        )
    )
    summary = MonthlySummary.objects.get()
    assert summary.state == "prepared" and "线美玲" in page and "等待村党组织书记签字" in page
    refused = html(
        client.post(
            "/team/summary/",
            {"action": "submit", "month": M, "summary_id": summary.pk},
            follow=True,
        )
    )
    assert "须经村党组织书记签字后才能上报(MGT.3.SUMMARY)" in refused

    login(client, world, "village_secretary")
    assert "待签字的月度在岗情况汇总" in html(client.get("/"))
    page = html(client.get(f"/team/summary/?month={M}"))
    assert 'id="sign-form"' in page
    client.post("/team/summary/", {"action": "sign", "month": M, "summary_id": summary.pk})
    summary.refresh_from_db()
    assert summary.state == "signed" and summary.signed_by == world.users["village_secretary"]

    login(client, world, "first_secretary")
    assert 'id="submit-form"' in html(client.get(f"/team/summary/?month={M}"))
    client.post("/team/summary/", {"action": "submit", "month": M, "summary_id": summary.pk})
    summary.refresh_from_db()
    assert summary.state == "submitted"

    login(client, world, "township")
    received = html(client.get(f"/township/summaries/?month={M}"))
    assert "弄坎村" in received and "已报乡镇党委" in received
    assert 'id="n-submitted">1<' in received
