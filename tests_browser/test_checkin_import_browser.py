"""MGT.1.CHECKIN in a browser: the township uploads a 「云岭先锋」 export on the import page
(1366 px) and sees what was stored and how it was judged, then a sheet with a bad row and its
row report; with the built-in check-in switched off the cadre's phone (360 px) shows the
reason instead of the button, and the imported check-in as today's. Screenshots go to
ci-artifacts/checkin-import-*.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.attendance.checkin_sheets import csv_bytes, row
from tests.world import build_world
from zhucun.attendance.models import CheckIn
from zhucun.params.selectors import parameters_forget
from zhucun.params.services import parameter_set


def login(page, base_url: str, username: str, password: str = "pw") -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{base_url}/")


@pytest.mark.django_db(transaction=True)
def test_mgt_1_checkin_import_in_the_browser(live_server, browser, artifacts, tmp_path):
    world = build_world()
    base = live_server.url
    now = timezone.localtime().replace(second=0, microsecond=0)
    when = max(now - dt.timedelta(minutes=1), now.replace(hour=0, minute=0)).strftime(
        "%Y-%m-%d %H:%M"
    )  # today's, so that the phone shows it as today's check-in
    good = tmp_path / "云岭先锋签到导出.csv"
    good.write_bytes(
        csv_bytes(
            [row("线美玲", when=when), row("岳文华", when=when, pos=(24.2, 98.2), datum="WGS-84")]
        )
    )
    bad_row = row("线美玲", when="2025-03-04 08:00")
    bad_row[5] = "不知道"
    bad = tmp_path / "有错误.csv"
    bad.write_bytes(csv_bytes([row("线美玲", when="2025-03-03 08:00"), bad_row, row("王五")]))

    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    login(page, base, "township")
    page.goto(f"{base}/attendance/checkin-import/")
    page.fill("#id_source", "云岭先锋")
    page.set_input_files("#id_file", str(good))
    page.click("#checkin-import-submit")
    page.wait_for_selector("#import-success")
    assert "新增2条" in page.inner_text("#import-success")
    assert "超出签到范围" in page.inner_text("#import-statuses")
    page.screenshot(path=str(artifacts / "checkin-import-ok.png"), full_page=True)
    page.fill("#id_source", "云岭先锋")
    page.set_input_files("#id_file", str(bad))
    page.click("#checkin-import-submit")
    page.wait_for_selector("#import-errors")
    text = page.inner_text("#import-errors")
    assert "坐标系" in text and "王五" in text
    with page.expect_download() as download:
        page.click("#import-report-download")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.screenshot(path=str(artifacts / "checkin-import-errors.png"), full_page=True)
    assert CheckIn.objects.count() == 2
    context.close()

    parameter_set(
        actor=world.users["county"],
        name="builtin_checkin_enabled",
        jurisdiction_code="533103000000",
        effective=dt.date(2021, 10, 19),
        value=False,
        note="芒组通〔2025〕1号",
    )
    phone = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        has_touch=True,
    )
    page = phone.new_page()
    login(page, base, "team_member")
    page.goto(f"{base}/m/checkin/")
    message = page.inner_text("#checkin-builtin-off")
    assert "云岭先锋" in message and "MGT.1.CHECKIN" in message
    assert page.locator("#checkin-button").count() == 0
    assert "今日已签到" in page.inner_text("#checkin-status")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "checkin-import-phone-off.png"), full_page=True)
    phone.close()
    parameters_forget()
