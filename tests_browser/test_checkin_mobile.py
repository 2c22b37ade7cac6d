"""A team member checks in on a phone-sized browser (360×740) inside 弄坎村's fence, checks in
again while offline (queued on the phone, uploaded once when the network returns), asks for
rotation rest; the first secretary approves it; the township closes the month and downloads
the ranking. Screenshots of each step go to ci-artifacts/checkin-*.png."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.world import build_world
from tests_browser.conftest import back_online, wait_until
from zhucun.attendance.exports import RANKING_HEADERS
from zhucun.attendance.models import CheckIn, LeaveRequest, MonthClose
from zhucun.policy import WorkCalendar
from zhucun.policy.geo import gcj02_to_wgs84
from zhucun.registry import services as reg

# 弄坎村's fixed point is GCJ-02 24.256/98.276; the browser reports WGS-84.
A_LAT, A_LNG = gcj02_to_wgs84(24.256, 98.276)
QUEUE = (
    "Object.keys(localStorage).filter(k => k.startsWith('zhucun.checkin.queue.'))"
    ".flatMap(k => JSON.parse(localStorage.getItem(k) || '[]'))"
)


def login(page, base_url: str, username: str, password: str = "pw") -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{base_url}/")


def logout(page, base_url: str) -> None:
    page.click("header >> text=退出")
    page.wait_for_url(f"{base_url}/login/")


@pytest.mark.django_db(transaction=True)
def test_checkin_offline_rest_and_month_close(live_server, browser, artifacts):
    world = build_world()
    # A third cadre in 弄坎村, so that ⌊3/3⌋ = 1 may rest without the township's reason.
    reg.posting_create(
        actor=world.admin,
        data={
            "id_number": world.cadres["spare"].id_number,
            "village_code": world.villages["A"].jurisdiction.code,
            "role": "team_member",
            "arrival_date": timezone.localdate(),
            "planned_end": timezone.localdate() + dt.timedelta(days=700),
        },
    )
    tm = world.users["team_member"]
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        geolocation={"latitude": A_LAT, "longitude": A_LNG, "accuracy": 20},
        has_touch=True,
    )
    context.grant_permissions(["geolocation"], origin=base)
    page = context.new_page()

    def shot(name: str, full: bool = False) -> None:
        page.screenshot(path=str(artifacts / f"checkin-{name}.png"), full_page=full)

    # 1. the team member's home has the button; the check-in page says 未签到
    login(page, base, "team_member")
    not_yet = "尚未签到" if WorkCalendar().is_workday(timezone.localdate()) else "今日非工作日"
    assert page.inner_text("#checkin-status") == not_yet
    shot("0-home")
    page.click("#main-nav >> text=签到")
    page.wait_for_selector("#checkin-button:not([disabled])")
    assert page.inner_text("#checkin-status") == not_yet
    box = page.locator("#checkin-button").bounding_box()
    assert box and box["width"] >= 160 and box["height"] >= 160  # a big button
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    shot("1-page")

    # 2. one tap: position → server → 已签到
    page.tap("#checkin-button")
    wait_until(
        page,
        "document.getElementById('checkin-status').textContent === '今日已签到'",
        timeout=20000,
    )
    assert "签到成功" in page.inner_text("#checkin-message")
    assert CheckIn.objects.filter(cadre_id=tm.cadre_id, counts=True).count() == 1
    shot("2-done")

    # 3. offline: the taps are saved on the phone
    context.set_offline(True)
    for n in (1, 2):
        page.tap("#checkin-button")
        wait_until(page, f"({QUEUE}).length === {n}", timeout=20000)
    wait_until(
        page,
        "document.getElementById('checkin-message').textContent.includes('已保存,待网络恢复后自动上传')",
        timeout=20000,
    )
    queued = page.evaluate(QUEUE)
    assert len(queued) == 2 and all(q["lat"] and q["device_time"] for q in queued)
    keys = [q["client_key"] for q in queued]
    assert page.is_visible("#checkin-queue") and page.inner_text("#queue-count") == "2"
    assert not CheckIn.objects.filter(client_key__in=keys).exists()
    shot("3-offline-saved")

    # 4. back online: the queue goes up by itself in ONE request (issue 17), each stored once
    posts: list[str] = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "/m/checkin/" in r.url else None,
    )
    context.set_offline(False)
    wait_until(page, f"({QUEUE}).length === 0", timeout=45000)
    wait_until(
        page,
        "document.getElementById('checkin-message').textContent.includes('已上传本机保存的2条签到')",
    )
    assert [u.split(base)[-1] for u in posts] == ["/m/checkin/queue/"], posts
    for key in keys:
        assert CheckIn.objects.filter(client_key=key).count() == 1
    stored = CheckIn.objects.get(client_key=keys[0])
    assert stored.cadre_id == tm.cadre_id and stored.counts
    assert stored.received_at >= stored.device_time
    key = keys[0]
    # resending the same item again (as a flaky network might) changes nothing
    page.evaluate(
        "item => fetch('/m/checkin/submit/', {method: 'POST', headers: {'Content-Type':"
        " 'application/json', 'X-CSRFToken': document.cookie.match(/csrftoken=([^;]+)/)[1]},"
        " body: JSON.stringify(item)})",
        queued[0],
    )
    assert CheckIn.objects.filter(client_key=key).count() == 1
    assert page.is_hidden("#checkin-queue")
    shot("4-uploaded")

    # 4a. with no network at all the page still opens: the service worker's offline shell,
    # with the button and the queue but no personal data (issue 9 point 7)
    page.reload()  # a load under the service worker's control caches the shell
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=10000)
    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#checkin-button:not([disabled])")
    # the phone's own user's today, as last seen online (issue 16), nobody else's
    assert page.inner_text("#checkin-status") == "今日已签到"
    assert "离线显示" in page.inner_text("#today-detail")
    assert page.get_attribute("#checkin", "data-shell") == "1"
    assert str(tm) not in page.content()
    back_online(context, page, f"{live_server.url}/m/checkin/")

    # 4b. the diary of the day (DUT.1–DUT.5) and my month (the unset MGT.1.DAYS minimum)
    page.click("#main-nav >> text=工作日志")
    page.wait_for_selector("#diary-form")
    page.check("#duty-2")
    page.fill("#diary-text", "走访脱贫户5户,排查返贫致贫风险")
    page.click("#diary-save")
    page.wait_for_selector("text=的工作日志(MGT.1.DIARY)")
    assert "巩固脱贫成果" in page.inner_text("#diary-table")
    shot("4b-diary", full=True)
    page.click("#main-nav >> text=我的出勤")
    page.wait_for_selector("#duty-days")
    assert "本辖区尚未设置" in page.inner_text("#duty-days")
    shot("4c-month", full=True)

    # 5. rotation rest
    start = timezone.localdate() + dt.timedelta(days=10)
    page.click("#main-nav >> text=请销假")
    page.wait_for_selector("#leave-form")
    page.select_option("#leave-kind", "rotation_rest")
    page.fill("#leave-start", start.isoformat())
    page.fill("#leave-end", (start + dt.timedelta(days=2)).isoformat())
    page.fill("#leave-reason", "本季度轮休,回家看望父母")
    page.click("#leave-submit")
    page.wait_for_selector("text=待第一书记审批")
    leave = LeaveRequest.objects.get(cadre_id=tm.cadre_id)
    assert leave.kind == "rotation_rest" and leave.state == "pending"
    shot("5-rest-asked", full=True)
    logout(page, base)

    # 6. the first secretary approves it
    login(page, base, "first_secretary")
    assert "线美玲:已签到" in page.inner_text("#home-team-today")
    shot("6a-fs-home", full=True)
    page.click("#home-approvals-link")
    page.wait_for_selector(f"#leave-{leave.pk}")
    page.fill(f"#note-{leave.pk}", "同意")
    page.click(f"#approve-{leave.pk}")
    page.wait_for_selector("text=已批准线美玲的轮休")
    leave.refresh_from_db()
    assert leave.state == "approved"
    shot("6-approved", full=True)
    logout(page, base)
    context.close()

    # 7. the township (at its office desk) closes last month and downloads the ranking
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    login(page, base, "township")
    page.click("#home-ranking-link")
    page.wait_for_selector("#close-form")
    page.click("#close-submit")
    page.wait_for_selector("text=已结账")
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    assert MonthClose.objects.filter(month=month).count() == 1
    assert "并列" in page.inner_text("#ranking-table")
    shot("7-month-closed", full=True)
    with page.expect_download() as info:
        page.click("#download-ranking")
    download = info.value
    assert download.suggested_filename.endswith("出勤率排名表.xlsx")
    path = artifacts / "checkin-ranking.xlsx"
    download.save_as(str(path))
    ws = load_workbook(io.BytesIO(path.read_bytes())).active
    assert [c.value for c in ws[2]] == RANKING_HEADERS
    names = {row[3] for row in ws.iter_rows(min_row=3, values_only=True)}
    assert {"岳文华", "线美玲", "排早腊"} <= names
    context.close()


@pytest.mark.django_db(transaction=True)
def test_checkin_without_position_records_the_reason(live_server, browser, artifacts):
    """Location permission refused: a clear Chinese message and a small form for the reason;
    the check-in is stored without coordinates and waits for the township."""
    world = build_world()
    base = live_server.url
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.clear_permissions()
    page = context.new_page()
    login(page, base, "first_secretary")
    page.goto(f"{base}/m/checkin/")
    page.wait_for_selector("#checkin-button:not([disabled])")
    page.click("#checkin-button")
    page.wait_for_selector("#no-position-form:not([hidden])", timeout=20000)
    assert "定位权限被拒绝" in page.inner_text("#checkin-message")
    page.fill("#no-position-reason", "手机定位模块故障,已送修")
    page.screenshot(path=str(artifacts / "checkin-8-no-position.png"), full_page=True)
    page.click("#no-position-submit")
    wait_until(
        page,
        "document.getElementById('checkin-status').textContent === '异常待乡镇确认'",
        timeout=20000,
    )
    ci = CheckIn.objects.get(cadre=world.cadres["fs_a"])
    assert ci.status == "no_position" and ci.lat is None and not ci.counts
    assert ci.no_position_reason == "手机定位模块故障,已送修"
    page.screenshot(path=str(artifacts / "checkin-9-no-position-sent.png"), full_page=True)
    context.close()
