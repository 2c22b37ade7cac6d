"""MGT.1.CHECKIN on the web: the page that imports another app's check-ins (county, township,
prefecture, admin), its template and error report; and the cadre's check-in page when the
jurisdiction switched this system's check-in off (the reason instead of a button)."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.attendance.checkin_sheets import csv_bytes, row
from zhucun.attendance.models import CheckIn
from zhucun.params.selectors import parameters_forget
from zhucun.params.services import parameter_set
from zhucun.policy.geo import gcj02_to_wgs84

from .helpers import html, login


@pytest.fixture(autouse=True)
def _forget_parameters():
    """The switch set here is rolled back with the test; the check-in writer's 2-second copy
    of the parameters must not outlive it (the next test would see the switch still off)."""
    yield
    parameters_forget()


URL = "/attendance/checkin-import/"


def upload(client, data: bytes, *, source="云岭先锋", name="签到.csv"):
    return client.post(URL, {"source": source, "file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize("role", ["admin", "prefecture", "county", "township"])
def test_checkin_import_page_for_the_offices(client, world, role):
    login(client, world, role)
    page = html(client.get(URL))
    assert 'id="checkin-import-form"' in page and 'name="source"' in page
    assert "/attendance/checkin-import/template/" in page
    r = client.get("/attendance/checkin-import/template/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["姓名", "身份证号", "签到时间"]


@pytest.mark.parametrize("role", ["unit", "first_secretary", "team_member", "village_secretary"])
def test_checkin_import_page_is_not_for_other_roles(client, world, role):
    login(client, world, role)
    assert client.get(URL).status_code == 404
    assert upload(client, csv_bytes([row()])).status_code == 404
    assert CheckIn.objects.count() == 0


def test_checkin_import_page_imports_and_reports(client, world):
    """MGT.1.CHECKIN: a good sheet is imported with its judgement counts; importing it again
    stores nothing new."""
    login(client, world, "township")
    data = csv_bytes([row("线美玲"), row("岳文华", pos=(24.20, 98.20), datum="WGS-84")])
    page = html(upload(client, data))
    assert 'id="import-success"' in page and "新增2条" in page
    assert 'id="import-statuses"' in page and "超出签到范围" in page and "正常" in page
    assert CheckIn.objects.count() == 2
    # the township reviews the imported exception like the phone's, seeing where it came from
    assert "来自“云岭先锋”" in html(client.get("/township/exceptions/"))
    page = html(upload(client, data))
    assert "2条已导入过" in page and CheckIn.objects.count() == 2


def test_checkin_import_page_bad_rows_write_nothing_and_offer_the_report(client, world):
    login(client, world, "county")
    bad = row("线美玲", when="2025-03-04 08:00")
    bad[3] = "二十四"
    response = upload(client, csv_bytes([row("线美玲"), bad, row("王五")]))
    page = html(response)
    assert 'id="import-failed"' in page and "未写入任何数据" in page
    assert '<td class="num">3</td><td>纬度</td>' in page
    assert '<td class="num">4</td><td>姓名</td>' in page
    assert CheckIn.objects.count() == 0
    r = client.get("/attendance/checkin-import/report/")
    assert r.status_code == 200
    lines = list(
        openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows(min_row=4, values_only=True)
    )
    assert {(line[0], line[1]) for line in lines} == {(3, "纬度"), (4, "姓名")}


def test_checkin_import_page_needs_a_source(client, world):
    login(client, world, "county")
    page = html(upload(client, csv_bytes([row()]), source=""))
    assert 'id="import-error"' in page and "请填写数据来源" in page
    assert CheckIn.objects.count() == 0


# ---- the cadre's page when this system's check-in is off -------------------------------------


def switch_off(world):
    parameter_set(
        actor=world.users["county"],
        name="builtin_checkin_enabled",
        jurisdiction_code="533103000000",
        effective=dt.date(2021, 10, 19),
        value=False,
        note="芒组通〔2025〕1号",
    )


def test_mgt_1_checkin_switched_off_page_says_so_without_a_button(client, world):
    login(client, world, "team_member")
    assert 'id="checkin-button"' in html(client.get("/m/checkin/"))
    switch_off(world)
    for url in ("/m/checkin/", "/"):
        page = html(client.get(url))
        assert 'id="checkin-builtin-off"' in page, url
        assert 'id="checkin-button"' not in page and "checkin.js" not in page
        assert "“云岭先锋”" in page and "MGT.1.CHECKIN" in page
    a_wgs = gcj02_to_wgs84(24.256, 98.276)
    r = client.post(
        "/m/checkin/submit/",
        json.dumps(
            {
                "client_key": str(uuid.uuid4()),
                "lat": round(a_wgs[0], 6),
                "lng": round(a_wgs[1], 6),
                "accuracy_m": 10,
                "device_time": timezone.localtime().replace(microsecond=0).isoformat(),
                "offline": False,
            }
        ),
        content_type="application/json",
    )
    assert r.status_code == 403 and "云岭先锋" in r.json()["message"]
    assert CheckIn.objects.count() == 0


def test_checkin_import_page_says_whether_the_builtin_checkin_is_on(client, world):
    login(client, world, "county")
    assert "仍使用本系统的签到功能" in html(client.get(URL))
    switch_off(world)
    assert "已关闭本系统的签到功能" in html(client.get(URL))


def test_mgt_1_checkin_switch_is_set_on_the_parameters_page(client, world):
    """The county sets builtin_checkin_enabled (a 运行参数) for its jurisdiction through the
    parameters page; its cadres' check-in page then says to use the other app."""
    login(client, world, "county")
    text = html(client.get("/parameters/?set=builtin_checkin_enabled"))
    assert 'id="set-form"' in text and "是否使用本系统的签到功能" in text
    data = {
        "name": "builtin_checkin_enabled",
        "jurisdiction_code": "533103000000",
        "effective": "2021-10-19",
        "value": "否",
        "note": "芒组通〔2025〕1号:改用“云岭先锋”签到",
    }
    assert client.post("/parameters/", data).status_code == 302
    login(client, world, "team_member")
    assert 'id="checkin-builtin-off"' in html(client.get("/m/checkin/"))


def test_checkin_import_pages_show_no_internal_words(client, world):
    """Issue 10 point 7 on this page (the crawler may not reach it): results and errors in
    Chinese, no snake_case, no True/False/None — the template's sheets neither."""
    from .test_visible_words import PYTHON_WORDS, SNAKE, _xlsx_text, visible

    login(client, world, "county")
    bad = row("线美玲")
    bad[6] = "很准"
    pages = [
        html(
            upload(
                client, csv_bytes([row("线美玲"), row("岳文华", pos=(24.2, 98.2), datum="WGS-84")])
            )
        ),
        html(upload(client, csv_bytes([bad, row("王五")]))),
    ]
    texts = [visible(p)[0] for p in pages]
    texts.append(_xlsx_text(client.get("/attendance/checkin-import/template/").content))
    texts.append(_xlsx_text(client.get("/attendance/checkin-import/report/").content))
    for text in texts:
        assert not SNAKE.findall(text) and not PYTHON_WORDS.findall(text), text[:500]
