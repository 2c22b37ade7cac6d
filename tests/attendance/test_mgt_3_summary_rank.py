"""MGT.3.SUMMARY (prepare from the close rows → village secretary signs → FS submits),
MGT.3.TALK (interview list and record), MGT.3.RANK (rankings, publication switch, exports)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from zhucun.accounts.models import User, UserRole
from zhucun.attendance import exports
from zhucun.attendance import selectors as sel
from zhucun.attendance import services as att
from zhucun.attendance.models import Interview
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.calendar import work_calendar
from zhucun.params.services import parameter_set

from .conftest import add_member, at, checkin

D = dt.date
OCT = D(2024, 10, 1)


@pytest.fixture
def closed(world, users):
    """October 2024 closed: in village A the FS was in every working day, the TM 10 days, and
    three more cadres 19/15/15; 排早腊 (village B) none; 李国强 (瑞丽) all."""
    work = [
        d for d in (OCT + dt.timedelta(days=i) for i in range(31)) if work_calendar().is_workday(d)
    ]
    extra = [add_member(world, n) for n in ("刀玉", "岩温", "玉香")]
    plan = {
        users["first_secretary"]: work,
        users["team_member"]: work[:10],
        extra[0]: work,
        extra[1]: work[:15],
        extra[2]: work[:15],
    }
    for user, days in plan.items():
        for d in days:
            checkin(
                user, when=at(d.year, d.month, d.day), received_at=at(d.year, d.month, d.day, 9, 1)
            )
    c_user = User.objects.create_user(
        "fs_c", password="pw", role=UserRole.FIRST_SECRETARY, cadre=world.cadres["fs_c"]
    )
    for d in work:
        att.checkin_record(
            actor=c_user,
            client_key=f"00000000-0000-4000-8000-{d:%Y%m%d}0000",
            lat=None,
            lng=None,
            accuracy_m=None,
            device_time=at(d.year, d.month, d.day),
            received_at=at(d.year, d.month, d.day, 9, 1),
        )
    att.month_close(month=OCT)
    return extra


def test_mgt_3_summary_sign_and_submit(world, users, closed):
    fs, vs, tm = users["first_secretary"], users["village_secretary"], users["team_member"]
    with pytest.raises(Forbidden):
        att.summary_prepare(actor=tm, month=OCT)
    s = att.summary_prepare(actor=fs, month=OCT, note="本月开展入户走访")
    names = {r["name"]: r for r in s.rows}
    assert names["线美玲"]["duty_workdays"] == 10 and names["岳文华"]["duty_workdays"] == 19
    with pytest.raises(ValidationFailed):  # not signed yet
        att.summary_submit(actor=fs, summary_id=s.pk)
    other_vs = User.objects.create_user(
        "vs_b", password="pw", role=UserRole.VILLAGE_SECRETARY, village=world.villages["B"]
    )
    with pytest.raises(NotFound):
        att.summary_sign(actor=other_vs, summary_id=s.pk)
    with pytest.raises(Forbidden):
        att.summary_sign(actor=fs, summary_id=s.pk)
    att.summary_sign(actor=vs, summary_id=s.pk)
    with pytest.raises(ValidationFailed):  # signed: not re-prepared unless the close changed
        att.summary_prepare(actor=fs, month=OCT)
    att.summary_submit(actor=fs, summary_id=s.pk)
    s.refresh_from_db()
    assert s.state == "submitted" and s.signed_by == vs and s.submitted_at
    actions = set(
        Event.objects.filter(object_type="attendance.monthlysummary").values_list(
            "action", flat=True
        )
    )
    assert actions == {"summary.prepare", "summary.sign", "summary.submit"}
    assert sel.summary_list(user=users["township"], month=OCT).count() == 1


def test_mgt_3_summary_needs_a_closed_month(world, users):
    with pytest.raises(ValidationFailed) as exc:
        att.summary_prepare(actor=users["first_secretary"], month=D(2024, 9, 1))
    assert "尚未结账" in exc.value.errors["month"]


def test_mgt_3_rank_bottom_three_and_interview_list(world, users, closed):
    ranking = list(sel.ranking_list(user=users["township"], month=OCT))
    assert [r.cadre.name for r in ranking][:2] == ["岳文华", "刀玉"] or ranking[0].rank == 1
    bottom = list(sel.ranking_list(user=users["county"], month=OCT, bottom_only=True))
    assert [r.cadre.name for r in bottom] == ["排早腊", "线美玲", "岩温", "玉香"]
    assert [r.tie for r in bottom] == [False, False, True, True]
    assert all(r.boundary_tie for r in bottom[2:])
    prefecture = sel.ranking_list(user=users["prefecture"], month=OCT, bottom_only=True)
    assert {r.township.name for r in prefecture} == {"遮放镇", "勐卯街道"}
    talk = list(sel.interview_list(user=users["township"], month=OCT))
    assert {r.cadre.name for r in talk} == {"排早腊", "线美玲", "岩温", "玉香"}
    tm_row = next(r for r in talk if r.cadre.name == "线美玲")
    assert not tm_row.interviewed
    for not_the_managing_body in ("first_secretary", "township", "prefecture"):
        # MGT.3.TALK settled reading: 线美玲's unit is county-level (芒市人民医院), so the
        # county's organisation department holds the interview; the township supplies the list
        with pytest.raises(Forbidden):
            att.interview_record(
                actor=users[not_the_managing_body],
                cadre_id=tm_row.cadre_id,
                month=OCT,
                township_leader="x",
                unit_leader="y",
                held_on=D(2024, 11, 5),
                record="z",
            )
    assert not Interview.objects.exists()
    att.interview_record(
        actor=users["county"],
        cadre_id=tm_row.cadre_id,
        month=OCT,
        township_leader="遮放镇党委副书记 张明",
        unit_leader="芒市人民医院副院长 李红",
        held_on=D(2024, 11, 5),
        record="指出出勤不足,本人表示整改。",
    )
    assert Interview.objects.count() == 1
    assert Event.objects.filter(action="interview.record").count() == 1
    assert next(
        r
        for r in sel.interview_list(user=users["township"], month=OCT)
        if r.cadre_id == tm_row.cadre_id
    ).interviewed


def test_mgt_3_rank_publication_switch_hides_from_cadres_only(world, users, closed):
    assert sel.ranking_list(user=users["team_member"], month=OCT).count() == 1
    parameter_set(
        actor=users["county"],
        name="rank_publication_enabled",
        jurisdiction_code="533103000000",
        effective=D(2024, 1, 1),
        value=False,
        note="芒组通〔2024〕9号 关闭排名公开",
    )
    assert sel.ranking_list(user=users["team_member"], month=OCT).count() == 0
    assert sel.ranking_list(user=users["first_secretary"], month=OCT).count() == 0
    assert not sel.rankings_published(user=users["first_secretary"], on=OCT)
    assert sel.ranking_list(user=users["township"], month=OCT).count() == 6
    assert sel.ranking_list(user=users["prefecture"], month=OCT, bottom_only=True).exists()
    # the cadre's own figures stay visible (my month), without the ranking
    assert sel.monthly_list(user=users["team_member"], month=OCT).count() == 1


def test_mgt_3_rank_scopes(world, users, closed):
    assert sel.monthly_list(user=users["team_member"], month=OCT).get().cadre.name == "线美玲"
    assert sel.monthly_list(user=users["first_secretary"], month=OCT).count() == 5
    assert sel.monthly_list(user=users["township"], month=OCT).count() == 6
    assert sel.monthly_list(user=users["county"], month=OCT).count() == 6
    assert sel.monthly_list(user=users["prefecture"], month=OCT).count() == 7
    assert set(
        sel.monthly_list(user=users["unit"], month=OCT).values_list("cadre__unit__name", flat=True)
    ) == {"芒市人民医院"}
    assert sel.month_close_list(user=users["township"], month=OCT).count() == 1


def test_mgt_3_exports(world, users, closed):
    data = exports.monthly_workbook(sel.monthly_list(user=users["county"], month=OCT), month=OCT)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["遮放镇"]
    rows = list(wb["遮放镇"].iter_rows(values_only=True))
    assert rows[1] == tuple(exports.MONTHLY_HEADERS)
    assert rows[2][1] in ("岳文华", "刀玉") and rows[2][7] == 1
    # title, header, six cadres, then (issue 16) the signature block: empty row, two rows
    assert len(rows) == 2 + 6 + 3
    assert rows[-2][0] == "制表人:" and rows[-1][0] == "单位(盖章):"
    data = exports.ranking_workbook(
        sel.ranking_list(user=users["prefecture"], month=OCT),
        month=OCT,
        title="德宏州",
        unit="德宏州委组织部",
    )
    wb = load_workbook(io.BytesIO(data))
    # MGT.3.RANK (issue 10): the file names what it holds — the whole ranking, and the bottom
    # list on its own sheet — each with a title, frozen header, print setup, signature block
    assert wb.sheetnames == ["出勤率排名", "末位名单"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
        cells = [c for row in ws.iter_rows(values_only=True) for c in row if c]
        assert "单位(盖章):德宏州委组织部" in cells and "制表人:" in cells
        assert any("审核人" in str(c) for c in cells) and any("日期" in str(c) for c in cells)
    whole = list(wb["出勤率排名"].iter_rows(values_only=True))
    assert "出勤率排名表" in whole[0][0] and whole[1] == tuple(exports.RANKING_HEADERS)
    assert (
        len([r for r in whole[2:] if r[3]])
        == sel.ranking_list(user=users["prefecture"], month=OCT).count()
    )
    rows = list(wb["末位名单"].iter_rows(values_only=True))
    assert "末位名单" in rows[0][0] and rows[1] == tuple(exports.RANKING_HEADERS)
    named = [r for r in rows[2:] if r[3]]
    assert {r[2] for r in named} == {"遮放镇", "勐卯街道"}
    assert [r[3] for r in named if r[2] == "遮放镇"] == ["排早腊", "线美玲", "岩温", "玉香"]


def test_mgt_3_rank_township_with_nobody_short_reports_none(world, users, closed, client):
    """MGT.3.RANK (issue 10): 勐卯街道's only cadre, 李国强, checked in every working day
    without a position; once the township accepts them (one batch review), he is at full
    attendance: never on the bottom list, and the township reports 无 (page, API, xlsx)."""
    from zhucun.attendance.models import CheckIn, MonthlyAttendance

    township = User.objects.create_user(
        "mengmao", password="pw", role=UserRole.TOWNSHIP, jurisdiction=world.villages["C"].township
    )
    ids = list(CheckIn.objects.filter(cadre=world.cadres["fs_c"]).values_list("pk", flat=True))
    att.checkins_review(actor=township, checkin_ids=ids, accept=True, reason="经核实在村")
    row = MonthlyAttendance.objects.get(month=OCT, cadre=world.cadres["fs_c"])
    assert row.duty_workdays == row.workdays and not row.is_bottom and row.rank == 1
    none = sel.townships_without_bottom(user=users["prefecture"], month=OCT)
    assert [c.township.name for c in none] == ["勐卯街道"]
    data = exports.ranking_workbook(
        sel.ranking_list(user=users["prefecture"], month=OCT), month=OCT, townships_none=none
    )
    rows = list(load_workbook(io.BytesIO(data))["末位名单"].iter_rows(values_only=True))
    assert any(r[2] == "勐卯街道" and r[3] == "无" for r in rows)
    assert not any(r[3] == "李国强" for r in rows)
    client.force_login(users["prefecture"])
    page = client.get("/attendance/rankings/?month=2024-10").content.decode()
    assert 'id="townships-none"' in page and "勐卯街道:无" in page
    assert "末3位" in page and "出勤率排名末位名单" in page  # the number from the parameters
    from zhucun.useradmin.services import token_create

    token = token_create(actor=None, user=users["prefecture"], name="测试")
    body = client.get(
        "/api/v1/months/2024-10/rankings", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert body["townships_none"] == [
        {"code": world.villages["C"].township.code, "name": "勐卯街道"}
    ]
    assert "李国强" not in {r["cadre_name"] for r in body["results"]}
