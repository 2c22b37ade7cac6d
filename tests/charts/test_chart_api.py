"""统计图表 (issue 16) through /api/v1/charts/<name>: each chart's numbers against a world built
by hand through the services, the scope of the caller (a township sees its villages only; an
area outside the scope is 404), the roles (cadres and units 403), and a bounded number of
queries whatever the number of villages."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from tests.world import add_posted_villages
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy import gcj02_to_wgs84, party_transfer_due
from zhucun.policy.dates import month_label
from zhucun.policy.work import monthly_report_due
from zhucun.registry.models import Posting
from zhucun.selection.deadlines import posting_record_milestone
from zhucun.work.services.reports import report_open, report_submit

from .facts import add_uncovered_village, close_months, post_party_member

MAX_QUERIES = 14


def pct(part: int, whole: int) -> float:
    return float(
        (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    )


def chart(api, role, name, **params):
    r = api(role).get(f"/charts/{name}", params)
    assert r.status_code == 200, r.content
    return r.json()


def series(body) -> dict[str, list]:
    return {s["name"]: s["data"] for s in body["series"]}


def table(body) -> dict[str, list]:
    return {row[0]: row[1:] for row in body["table"]["rows"]}


@pytest.fixture
def closed(world):
    return close_months(world)


def test_attendance_trend_by_county_and_by_village_mgt_3_rank(api, world, closed):
    w_oct, w_nov = closed["oct"], closed["nov"]
    body = chart(api, "prefecture", "attendance_trend")
    assert body["categories"] == ["2024年10月", "2024年11月"]
    assert body["group_level"] == "county" and "MGT.3.RANK" in body["clauses"]
    mangshi_oct = pct(w_oct + 10 + 0, 3 * w_oct)
    mangshi_nov = pct(w_nov + w_nov + w_nov // 2, 3 * w_nov)
    assert series(body)["芒市"] == [mangshi_oct, mangshi_nov]
    assert series(body)["瑞丽市"] == [100.0, 100.0]
    assert table(body)["合计"] == [
        pct(2 * w_oct + 10, 4 * w_oct),
        pct(3 * w_nov + w_nov // 2, 4 * w_nov),
    ]
    # the township sees its villages, and nothing of 瑞丽市
    body = chart(api, "township", "attendance_trend")
    assert body["group_level"] == "village"
    assert series(body)["弄坎村"] == [pct(w_oct + 10, 2 * w_oct), 100.0]
    assert series(body)["拉勐村"] == [0.0, pct(w_nov // 2, w_nov)]
    assert "团结村" not in table(body) and "瑞丽市" not in str(body)
    # the county drills into the township (by village)
    body = chart(api, "county", "attendance_trend", area="533103102000")
    assert body["area"]["name"] == "遮放镇" and set(table(body)) == {"弄坎村", "拉勐村", "合计"}


def test_attendance_bands_of_the_latest_closed_month_mgt_3_rank(api, world, closed):
    body = chart(api, "prefecture", "attendance_bands")
    assert body["period"] == month_label(dt.date(2024, 11, 1))
    assert body["categories"][0] == "100%" and body["categories"][-1] == "60%以下"
    rows = table(body)
    # 芒市: 岳文华 and 线美玲 100 %, 排早腊 about half (below 60 %); 瑞丽市: 李国强 100 %
    assert rows["芒市"] == [2, 0, 0, 0, 0, 1, 3, 1]  # … 合计 3, 需约谈 1 (MGT.3.TALK)
    assert rows["瑞丽市"] == [1, 0, 0, 0, 0, 0, 1, 0]
    assert rows["合计"] == [3, 0, 0, 0, 0, 1, 4, 1]
    assert series(body)["芒市"] == [2, 0, 0, 0, 0, 1]
    # October on request: 线美玲 10 of the working days, 排早腊 none
    october = table(chart(api, "prefecture", "attendance_bands", month="2024-10"))
    assert october["芒市"][0] == 1 and october["芒市"][5] == 2
    body = chart(api, "township", "attendance_bands")
    assert set(table(body)) == {"弄坎村", "拉勐村", "合计"}
    assert table(body)["合计"][6] == 3


def test_coverage_by_county_and_kind_sel_scope_cover(api, world):
    add_uncovered_village(world)
    body = chart(api, "prefecture", "coverage")
    assert body["categories"] == ["瑞丽市", "芒市"]  # by code
    s = series(body)
    assert s["已覆盖·符合要求"] == [0, 1]  # B
    assert s["已覆盖·组成不符合"] == [1, 1]  # C (FS only), A (1 FS + 1 TM)
    assert s["未覆盖"] == [0, 1]  # D
    rows = table(body)
    # 总数, 已覆盖, 符合, 不符合, 调整, 未覆盖, 覆盖率, then per kind (村数, 未覆盖)
    assert rows["芒市"][:7] == [3, 2, 1, 1, 0, 1, 66.7]
    assert rows["芒市"][7:] == [1, 0, 0, 0, 0, 0, 1, 0, 2, 1]
    assert rows["合计"][:7] == [4, 3, 1, 2, 0, 1, 75.0]
    border = series(chart(api, "prefecture", "coverage", kind="border"))
    assert border["已覆盖·组成不符合"] == [0, 1] and border["未覆盖"] == [0, 0]
    body = chart(api, "township", "coverage")
    assert body["categories"] == ["弄坎村", "拉勐村", "芒棒村"]


def test_village_map_in_one_datum_with_villages_without_a_point(api, world, closed):
    body = chart(api, "county", "village_map")
    assert "WGS-84" in body["caption"] and "GCJ-02" in body["caption"]
    points = [p for s in body["series"] for p in s["data"]]
    assert len(points) == 1  # only 弄坎村 has a check-in point
    lat, lng = gcj02_to_wgs84(24.256, 98.276)
    lng_p, lat_p, rate, name, township, status = points[0]
    assert (lng_p, lat_p) == (round(lng, 6), round(lat, 6))
    assert abs(lat_p - 24.256) > 0.001  # converted, not drawn at the GCJ-02 figures
    assert (name, township, status) == ("弄坎村", "遮放镇", "已覆盖·组成不符合")
    assert rate == 100.0  # November: both cadres of 弄坎村 in every working day
    assert any("拉勐村" in n for n in body["notes"])
    rows = {r[1]: r for r in body["table"]["rows"]}
    assert rows["拉勐村"][4] == "未设置打卡点" and rows["弄坎村"][4] == "GCJ-02"
    by_rate = chart(api, "county", "village_map", color="attendance")
    assert series(by_rate)["100%"][0][3] == "弄坎村"


def test_overdue_reports_and_transfers_by_due_month(api, world):
    today = timezone.localdate()
    this = today.replace(day=1)
    month = (this - dt.timedelta(days=40)).replace(day=1)  # two months back: its report is due
    report = report_open(actor=world.users["first_secretary"], kind="monthly", period_start=month)
    report_submit(actor=world.users["first_secretary"], report_id=report.pk)  # today: late
    params, cal = parameters_current(), work_calendar()
    # a party member reporting three months back who never transferred, one who did it late
    arrival = (this - dt.timedelta(days=80)).replace(day=3)
    forgot = post_party_member(world, "刀小龙", "B", arrival, 61)
    late = post_party_member(world, "岩香", "C", arrival, 62)
    due = party_transfer_due(reported=arrival, calendar=cal, params=params)
    posting_record_milestone(
        actor=world.admin, posting_id=late.pk, kind="transfer", on=cal.add_working_days(due, 2)
    )
    body = chart(api, "prefecture", "overdue")
    labels = body["categories"]
    assert len(labels) == 12 and labels[-1] == month_label(this)
    s = series(body)
    due_month = month_label((month + dt.timedelta(days=32)).replace(day=1))
    i = labels.index(due_month)
    assert s["月度工作报告·逾期报送"][i] == 1  # 弄坎村, submitted after its due day
    assert s["月度工作报告·逾期未报送"][i] == 2  # 拉勐村, 团结村
    assert sum(s["月度工作报告·逾期报送"]) == 1
    last_month = (this - dt.timedelta(days=1)).replace(day=1)  # its report is due this month
    expected = 3 if today > monthly_report_due(month=last_month, params=params) else 0
    assert s["月度工作报告·逾期未报送"][-1] == expected
    j = labels.index(month_label(due.replace(day=1)))
    assert s["党组织关系转接·逾期未转接"][j] == 1 and s["党组织关系转接·逾期转接"][j] == 1
    assert sum(s["党组织关系转接·逾期未转接"]) == 1
    assert Posting.objects.get(pk=forgot.pk).party_transfer_on is None
    # the township sees 拉勐村 and 弄坎村 only: 团结村's report and 岩香's transfer are 瑞丽's
    s = series(chart(api, "township", "overdue"))
    assert s["月度工作报告·逾期未报送"][i] == 1 and s["月度工作报告·逾期报送"][i] == 1
    assert s["党组织关系转接·逾期未转接"][j] == 1 and s["党组织关系转接·逾期转接"][j] == 0


@pytest.mark.parametrize("role", ["unit", "first_secretary", "team_member", "village_secretary"])
def test_roles_without_charts_get_403(api, world, role):
    for name in ("attendance_trend", "coverage", "overdue"):
        r = api(role).get(f"/charts/{name}")
        assert r.status_code == 403 and "统计图表" in r.json()["detail"]
    assert api(role).get("/charts").status_code == 403
    assert api(None).get("/charts/coverage").status_code == 401


def test_area_outside_the_scope_is_404_and_bad_input_400(api, world):
    assert api("township").get("/charts/coverage", {"area": "533102001000"}).status_code == 404
    assert api("county").get("/charts/coverage", {"area": "533102000000"}).status_code == 404
    assert api("county").get("/charts/coverage", {"area": "533103102001"}).status_code == 404
    r = api("county").get("/charts/attendance_bands", {"month": "2024-13"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "month"
    assert api("county").get("/charts/nothing").status_code == 400
    assert api("county").get("/charts/coverage", {"kind": "nothing"}).status_code == 400
    listed = api("county").get("/charts").json()
    assert [c["name"] for c in listed] == [
        "attendance_trend",
        "attendance_bands",
        "coverage",
        "village_map",
        "overdue",
    ]


NAMES = ["attendance_trend", "attendance_bands", "coverage", "village_map", "overdue"]


@pytest.mark.parametrize("name", NAMES)
def test_queries_do_not_grow_with_villages(api, world, closed, name, django_assert_max_num_queries):
    client = api("prefecture")
    client.get(f"/charts/{name}")  # warm the per-process caches (parameters)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(f"/charts/{name}").status_code == 200
    add_posted_villages(world, 6)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(f"/charts/{name}").status_code == 200
