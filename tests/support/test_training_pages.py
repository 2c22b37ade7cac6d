"""集中培训 pages (MGT.7): list and create, the tick list as on-duty days, the sign-in sheet
import, days (MGT.7.DAYS) and gaps (MGT.7.COVER) pages with their xlsx — bounded queries, and
no internal word on any of them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.support.training_helpers import YEAR, attend, event
from tests.web.helpers import ROLES, html, login
from tests.web.test_visible_words import offences, plain_names, visible
from tests.world import add_posted_villages
from zhucun.attendance.models import LeaveRequest
from zhucun.support.models import TrainingAttendance, TrainingEvent

pytestmark = pytest.mark.django_db
READERS = {"admin", "prefecture", "county", "township", "unit"}


def _pages(ev):
    return [
        f"/training/?year={YEAR}",
        f"/training/{ev.pk}/",
        f"/training/days/?year={YEAR}",
        f"/training/gaps/?year={YEAR}",
    ]


def test_mgt_7_pages_render_for_every_role_without_internal_words(client, world):
    ev = event(world)
    attend(world, ev, "tm_a")
    plain_names(world)
    for role in ROLES:
        login(client, world, role)
        for url in _pages(ev):
            r = client.get(url)
            if role in READERS:
                assert r.status_code == 200, (role, url)
                text, _links = visible(html(r))
                assert offences(text) == [], (role, url, offences(text))
            else:
                assert r.status_code == 403, (role, url)


def test_mgt_7_annual_county_creates_event_and_ticks_participants(client, world):
    login(client, world, "county")
    r = client.post(
        "/training/",
        {
            "title": "芒市驻村干部轮训",
            "start": "2025-05-06",
            "end": "2025-05-08",
            "days": "3",
            "content": "乡村振兴政策",
        },
    )
    ev = TrainingEvent.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/training/{ev.pk}/"
    page = html(client.get(f"/training/{ev.pk}/"))
    assert "岳文华" in page and "李国强" not in page  # 瑞丽市's cadre cannot attend
    fs, tm = world.cadres["fs_a"].pk, world.cadres["tm_a"].pk
    r = client.post(f"/training/{ev.pk}/", {"shown": [fs, tm], "cadre": [fs]})
    assert r.status_code == 302
    a = TrainingAttendance.objects.get(event=ev)
    assert a.cadre_id == fs and a.leave.kind == "training"
    client.post(f"/training/{ev.pk}/", {"shown": [fs, tm], "cadre": []})
    assert not TrainingAttendance.objects.exists()
    assert LeaveRequest.objects.get().state == "cancelled"


def test_mgt_7_annual_create_errors_in_chinese(client, world):
    login(client, world, "county")
    r = client.post(
        "/training/", {"title": "", "start": "2025-05-06", "end": "2025-05-06", "days": "2"}
    )
    assert r.status_code == 200
    assert "不能为空" in html(r) and "超过了开始至结束日期" in html(r)
    login(client, world, "unit")
    assert client.post("/training/", {"title": "x"}).status_code == 403


def test_mgt_7_annual_import_page_bad_file_lists_rows(client, world):
    ev = event(world)
    login(client, world, "county")
    data = "姓名,干部编号\n岳文华,999\n".encode()
    up = io.BytesIO(data)
    up.name = "sign.csv"
    r = client.post(f"/training/{ev.pk}/", {"action": "import", "file": up})
    assert r.status_code == 200
    assert "第2行“干部编号”列" in html(r)
    assert not TrainingAttendance.objects.exists()
    r = client.get(f"/training/{ev.pk}/template/")
    assert r.status_code == 200
    assert load_workbook(io.BytesIO(r.content)).worksheets[0]["B2"].value == "姓名"


def test_mgt_7_days_page_marks_short_and_cites_parameter(client, world):
    attend(world, event(world, days="2"), "tm_a")
    login(client, world, "county")
    page = html(client.get(f"/training/days/?year={YEAR}"))
    assert "不少于3天" in page and "MGT.7.DAYS" in page
    assert page.count("不足") >= 3
    r = client.get(f"/training/days/?year={YEAR}&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = {row[2]: row for row in ws.iter_rows(values_only=True)}
    assert rows["线美玲"][5] in (2, "2", 2.0) and rows["线美玲"][7] == "不足"


def test_mgt_7_cover_gaps_page_and_xlsx(client, world):
    attend(world, event(world), "fs_a")
    login(client, world, "prefecture")
    page = html(client.get(f"/training/gaps/?year={YEAR}&county=533103000000"))
    assert "岳文华" in page and "李国强" not in page and "MGT.7.COVER" in page
    r = client.get(f"/training/gaps/?year={YEAR}&format=xlsx")
    names = {
        row[2]
        for row in load_workbook(io.BytesIO(r.content)).worksheets[0].iter_rows(values_only=True)
    }
    assert {"岳文华", "线美玲", "排早腊", "李国强"} <= names


def _add_villages(world, n):
    add_posted_villages(world, n, planned_end=dt.date(2026, 3, 1))


@pytest.mark.parametrize("path", ["/training/gaps/", "/training/days/"])
def test_mgt_7_cover_pages_bounded_queries_2_vs_6_villages(client, world, path):
    """The gaps and days pages render from SQL: the same number of queries with 2 and with 6
    villages in the county."""
    attend(world, event(world), "fs_a")
    login(client, world, "county")
    url = f"{path}?year={YEAR}"
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    _add_villages(world, 4)
    with CaptureQueriesContext(connection) as six:
        r = client.get(url)
    assert "王3号" in html(r)
    assert len(six.captured_queries) == len(two.captured_queries)
