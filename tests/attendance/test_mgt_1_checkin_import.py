"""MGT.1.CHECKIN / MGT.1.FRAUD: check-ins made with another app (the 「云岭先锋」 export) imported
as an equal source — the same judgement as the phone's own, idempotent on re-import, all or
nothing with a row report, only cadres posted in the importer's jurisdiction."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhucun.attendance import services as att
from zhucun.attendance.imports import columns as cols
from zhucun.attendance.imports import handler as handler_module
from zhucun.attendance.models import CheckIn, CheckInKey, FraudSignal, MonthlyAttendance
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden
from zhucun.policy.errors import CalendarUnknownError
from zhucun.policy.geo import gcj02_to_bd09
from zhucun.registry import validation
from zhucun.registry.models import Village

from .checkin_sheets import HEADER, csv_bytes, row, run, xlsx_bytes
from .conftest import A_POINT_GCJ, A_POINT_WGS, add_member, at, checkin, south_of


def set_radius(world, metres):
    Village.objects.filter(pk=world.villages["A"].pk).update(checkin_radius_m=metres)


def errors_of(report):
    return [(e.row, e.column, e.reason) for e in report.errors]


# ---- idempotency and audit -------------------------------------------------------------------


def test_mgt_1_checkin_import_twice_stores_once(world, users):
    data = csv_bytes([row("线美玲"), row("岳文华", when="2025-03-03 08:40")])
    first = run(users["county"], data)
    assert first.ok, errors_of(first)
    assert (first.created, first.unchanged, first.rows) == (2, 0, 2)
    assert "新增2条" in first.summary() and "更新" not in first.summary()
    second = run(users["county"], data)
    assert second.ok and (second.created, second.unchanged) == (0, 2)
    assert "2条已导入过" in second.summary()
    # the same app spelt another way is the same source; the township imports it again
    third = run(
        users["township"], xlsx_bytes([row("线美玲")]), filename="a.xlsx", source="云岭先锋 APP"
    )
    assert third.ok and (third.created, third.unchanged) == (0, 1)
    assert CheckIn.objects.count() == 2 == CheckInKey.objects.count()
    stored = CheckIn.objects.get(cadre=world.cadres["tm_a"])
    assert (stored.source, stored.address) == ("云岭先锋", "弄坎村村委会")
    assert stored.status == "ok" and stored.counts and stored.day == dt.date(2025, 3, 3)


def test_mgt_1_checkin_import_audits_the_file_and_each_checkin(world, users):
    report = run(users["township"], csv_bytes([row("线美玲"), row("岳文华")]))
    assert report.ok
    (event,) = Event.objects.filter(action="import.checkins")
    assert event.actor_id == users["township"].pk
    assert event.after["source"] == "云岭先锋"
    assert event.after["sha256"] == report.sha256 and len(report.sha256) == 64
    assert event.after["created"] == 2 and event.after["rows"] == 2
    records = Event.objects.filter(action="checkin.record")
    assert records.count() == 2
    after = records.first().after
    assert after["source"] == "云岭先锋" and after["original"]["datum"] == "GCJ-02"
    assert after["original"]["lat"] == f"{A_POINT_GCJ[0]:.6f}"


# ---- the same judgement as the app's own -----------------------------------------------------


def test_mgt_1_checkin_external_outside_fence_is_flagged_like_the_apps_own(world, users):
    """MGT.1.CHECKIN: 400 m from village A's point with a 300 m fence — stored, not counted,
    for the township to review; exactly as the phone's check-in at the same place."""
    set_radius(world, 300)
    pos = south_of(A_POINT_WGS, 400)
    report = run(users["county"], csv_bytes([row("线美玲", pos=pos, datum="WGS-84")]))
    assert report.ok, errors_of(report)  # outside the fence is not an error
    assert report.breakdown == {"off_fence": 1}
    assert "超出签到范围1条" in report.summary()
    imported = CheckIn.objects.get(source="云岭先锋")
    own, _ = checkin(users["first_secretary"], when=at(2025, 3, 3, 8, 30), pos=pos)
    assert imported.status == own.status == "off_fence"
    assert imported.counts is own.counts is False
    assert abs(imported.distance_m - own.distance_m) < 0.01 and 395 < imported.distance_m < 405
    assert [f["clause"] for f in imported.findings] == [f["clause"] for f in own.findings]


def test_mgt_1_fraud_external_checkin_gets_the_apps_signals(world, users):
    """MGT.1.FRAUD: an imported check-in 50 km from the phone's own 10 minutes earlier is an
    impossible move, flagged as the phone's own would be."""
    far = south_of(A_POINT_WGS, 50_000)
    checkin(users["first_secretary"], when=at(2025, 3, 3, 8, 0))
    checkin(users["first_secretary"], when=at(2025, 3, 3, 8, 10), pos=far)
    checkin(users["team_member"], when=at(2025, 3, 3, 8, 0))
    report = run(
        users["county"],
        csv_bytes([row("线美玲", when="2025-03-03 08:10", pos=far, datum="WGS-84")]),
    )
    assert report.ok and "异常签到提示1条" in report.summary()
    imported = CheckIn.objects.get(source="云岭先锋")
    own_kinds = set(
        FraudSignal.objects.filter(cadre=world.cadres["fs_a"]).values_list("kind", flat=True)
    )
    imported_kinds = set(
        FraudSignal.objects.filter(checkin=imported).values_list("kind", flat=True)
    )
    assert imported_kinds == own_kinds == {"speed"}


@pytest.mark.parametrize(
    ("pos", "datum", "radius", "status"),
    [
        (A_POINT_WGS, "WGS-84", 500, "ok"),
        (A_POINT_GCJ, "gcj02", 500, "ok"),
        (A_POINT_GCJ, "国测局", 500, "ok"),
        (gcj02_to_bd09(*A_POINT_GCJ), "百度", 500, "ok"),
        # the GCJ-02 numbers said to be WGS-84 lie ~327 m from the place: like the phone's
        (A_POINT_GCJ, "wgs84", 200, "off_fence"),
    ],
)
def test_mgt_1_checkin_import_converts_the_datum_like_the_app(
    world, users, pos, datum, radius, status
):
    """MGT.1.CHECKIN: village A's point is GCJ-02; a WGS-84 row is measured against the point
    converted to WGS-84 as the app's check-ins are, other datums are converted first."""
    set_radius(world, radius)
    report = run(users["county"], csv_bytes([row("线美玲", pos=pos, datum=datum)]))
    assert report.ok, errors_of(report)
    ci = CheckIn.objects.get()
    assert ci.status == status
    if status == "ok":
        assert ci.distance_m < 1
        assert (
            abs(float(ci.lat) - A_POINT_WGS[0]) < 2e-6
            and abs(float(ci.lng) - A_POINT_WGS[1]) < 2e-6
        )
    else:
        assert 300 < ci.distance_m < 360
        own, _ = checkin(users["first_secretary"], when=at(2025, 3, 4), pos=A_POINT_GCJ)
        assert own.status == "off_fence" and abs(own.distance_m - ci.distance_m) < 0.01


def test_mgt_1_checkin_import_lateness_and_accuracy_like_the_app(world, users):
    """MGT.1.CHECKIN: uploaded 100 h after it was made → late; no accuracy → not counted
    until the township accepts it — as for the phone's."""
    header = [*HEADER, "上传时间"]
    late = [*row("线美玲", when="2025-03-03 08:00"), "2025-03-07 12:00"]
    vague = [*row("岳文华", accuracy=""), ""]
    report = run(users["county"], csv_bytes([late, vague], header))
    assert report.ok, errors_of(report)
    assert CheckIn.objects.get(cadre=world.cadres["tm_a"]).status == "late"
    assert CheckIn.objects.get(cadre=world.cadres["fs_a"]).status == "low_accuracy"
    assert report.breakdown == {"late": 1, "low_accuracy": 1}


# ---- all or nothing ----------------------------------------------------------------------------


def test_mgt_1_checkin_import_bad_rows_write_nothing_and_name_row_and_column(world, users):
    bad_lat = row("岳文华")
    bad_lat[3] = "北纬24.25"
    bad_time = row("线美玲", when="昨天上午")
    bad_datum = row("线美玲", datum="火星文")
    rows = [
        row("线美玲"),
        row("张无名"),
        bad_lat,
        bad_time,
        bad_datum,
        row("线美玲", when="2099-01-01 08:00"),
    ]
    events = Event.objects.count()
    report = run(users["county"], csv_bytes(rows))
    assert not report.written and not report.ok
    found = {(r, c) for r, c, _ in errors_of(report)}
    assert found == {(3, "姓名"), (4, "纬度"), (5, "签到时间"), (6, "坐标系"), (7, "签到时间")}
    reasons = dict(((r, c), why) for r, c, why in errors_of(report))
    assert "没有名为“张无名”" in reasons[(3, "姓名")]
    assert "晚于当前时间" in reasons[(7, "签到时间")]
    assert "未写入任何数据" in report.summary()
    assert CheckIn.objects.count() == 0 and Event.objects.count() == events
    book = openpyxl.load_workbook(io.BytesIO(report.to_workbook()))
    lines = list(book.active.iter_rows(min_row=4, values_only=True))
    assert (4, "纬度") in {(r[0], r[1]) for r in lines}


def test_mgt_1_checkin_import_duplicate_in_file_before_arrival_and_unknown_calendar(
    world, users, monkeypatch
):
    rows = [row("线美玲"), row("线美玲"), row("岳文华", when="2024-02-01 08:00")]
    report = run(users["county"], csv_bytes(rows))
    assert errors_of(report)[0][:2] == (3, "") and "与第2行是同一条签到" in errors_of(report)[0][2]
    assert (
        errors_of(report)[1][:2] == (4, "签到时间")
        and "早于该干部到岗日期" in errors_of(report)[1][2]
    )

    class UnknownYear:
        def is_workday(self, day):
            raise CalendarUnknownError(day.year)

    monkeypatch.setattr(handler_module, "work_calendar", lambda: UnknownYear())
    report = run(users["county"], csv_bytes([row("线美玲")]))
    assert not report.written
    ((num, column, reason),) = errors_of(report)
    assert (num, column) == (2, "签到时间") and "请录入2025年节假日安排" in reason
    assert CheckIn.objects.count() == 0


def test_mgt_1_checkin_import_needs_a_cadre_column_and_a_source(world, users):
    report = run(users["county"], csv_bytes([row()[2:]], HEADER[2:]))
    assert "缺少“姓名”或“身份证号”列" in report.errors[0].reason
    report = run(users["county"], csv_bytes([row()]), source=" ")
    assert "请填写数据来源" in report.errors[0].reason
    assert CheckIn.objects.count() == 0


# ---- who: names, ID numbers and scope --------------------------------------------------------


def test_mgt_1_checkin_import_ambiguous_name_asks_for_the_id_number(world, users):
    add_member(world, "线美玲", village="B")
    report = run(users["county"], csv_bytes([row("线美玲")]))
    ((num, column, reason),) = errors_of(report)
    assert (num, column) == (2, "姓名") and "2名在岗驻村干部名为“线美玲”" in reason
    assert "身份证号" in reason
    tm_a = world.cadres["tm_a"]
    report = run(users["county"], csv_bytes([row("线美玲", id_number=tm_a.id_number)]))
    assert report.ok and CheckIn.objects.get().cadre_id == tm_a.pk
    report = run(users["county"], csv_bytes([row("岳文华", id_number=tm_a.id_number)]))
    assert errors_of(report)[0][1] == "姓名" and "与身份证号不符" in errors_of(report)[0][2]


def test_mgt_1_checkin_import_only_cadres_posted_in_scope(world, users):
    fs_c = world.cadres["fs_c"]  # 瑞丽市
    for role in ("township", "county"):
        by_name = run(users[role], csv_bytes([row("李国强")]))
        by_id = run(users[role], csv_bytes([row("", id_number=fs_c.id_number)]))
        assert "没有名为“李国强”" in by_name.errors[0].reason
        assert by_id.errors[0].column == "身份证号" and "不是您管辖范围内" in by_id.errors[0].reason
    assert CheckIn.objects.count() == 0
    report = run(users["prefecture"], csv_bytes([row("李国强", pos=(24.0, 97.85), datum="WGS-84")]))
    assert report.ok and CheckIn.objects.get().cadre_id == fs_c.pk


@pytest.mark.parametrize("role", ["unit", "first_secretary", "team_member", "village_secretary"])
def test_mgt_1_checkin_import_refused_to_other_roles(world, users, role):
    with pytest.raises(Forbidden):
        run(users[role], csv_bytes([row()]))
    assert CheckIn.objects.count() == 0


# ---- effects on closed months; queries ---------------------------------------------------------


def test_mgt_1_checkin_import_into_a_closed_month_recloses_it(world, users):
    """MGT.3: a check-in imported for a closed month changes that month's figures (re-closed
    under the township's lock)."""
    att.month_close(month=dt.date(2025, 3, 1), township_id=world.villages["A"].township_id)
    before = MonthlyAttendance.objects.get(cadre=world.cadres["tm_a"], month=dt.date(2025, 3, 1))
    report = run(
        users["county"], csv_bytes([row("线美玲"), row("线美玲", when="2025-03-04 09:00")])
    )
    assert report.ok
    after = MonthlyAttendance.objects.get(cadre=world.cadres["tm_a"], month=dt.date(2025, 3, 1))
    assert after.duty_workdays == before.duty_workdays + 2


def test_mgt_1_checkin_import_queries_do_not_grow_per_row(world, users):
    def queries(n: int, hour: int) -> int:
        days = [dt.date(2025, 3, 3) + dt.timedelta(days=i) for i in range(n)]
        rows = [
            row("线美玲", when=f"{d} {hour:02d}:00", accuracy=str(10 + i))
            for i, d in enumerate(days)
        ]
        with CaptureQueriesContext(connection) as ctx:
            assert run(users["county"], csv_bytes(rows)).ok
        return len(ctx.captured_queries)

    small, large = queries(5, 8), queries(60, 9)
    assert large <= small + 6, (small, large)


# ---- cleaning ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-03 08:30", dt.datetime(2025, 3, 3, 8, 30)),
        ("2025/3/3 8:30:15", dt.datetime(2025, 3, 3, 8, 30, 15)),
        ("2025年3月3日 8时30分", dt.datetime(2025, 3, 3, 8, 30)),
        ("2025-03-03T00:30:00Z", dt.datetime(2025, 3, 3, 8, 30)),
        (dt.datetime(2025, 3, 3, 8, 29, 59, 999_600), dt.datetime(2025, 3, 3, 8, 30)),
    ],
)
def test_mgt_1_checkin_import_reads_times_as_offices_write_them(text, expected):
    moment = cols.moment(text)
    assert moment.astimezone(dt.timezone(dt.timedelta(hours=8))).replace(tzinfo=None) == expected


@pytest.mark.parametrize("text", ["2025-03-03", "昨天", 45000.5, "2025-02-30 08:00"])
def test_mgt_1_checkin_import_refuses_times_without_a_moment(text):
    with pytest.raises(validation.FieldError):
        cols.moment(dt.date(2025, 3, 3) if text == "2025-03-03" else text)


@pytest.mark.parametrize(
    ("text", "datum"),
    [
        ("WGS84", "WGS-84"),
        ("wgs-84", "WGS-84"),
        ("GPS", "WGS-84"),
        ("GCJ-02", "GCJ-02"),
        ("国测局坐标系", "GCJ-02"),
        ("火星坐标", "GCJ-02"),
        ("高德地图", "GCJ-02"),
        ("BD09", "BD-09"),
        ("百度坐标", "BD-09"),
        ("bd09ll", "BD-09"),
    ],
)
def test_mgt_1_checkin_import_reads_datum_spellings(text, datum):
    assert cols.datum(text) == datum
