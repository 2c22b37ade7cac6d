"""The attendance pages (MGT.1, MGT.3) as each role: which role may open which page (200,
404 otherwise, in Chinese), the nav, and what the role homes show."""

from __future__ import annotations

import pytest

from .helpers import ROLES, html, login

CADRES = {"first_secretary", "team_member"}


def not_yet_label() -> str:
    """Today's line before any check-in: 尚未签到 on a working day, 今日非工作日 otherwise."""
    from django.utils import timezone

    from zhucun.policy import WorkCalendar

    return "尚未签到" if WorkCalendar().is_workday(timezone.localdate()) else "今日非工作日"


PAGES = {
    "/m/checkin/": CADRES,
    "/m/diary/": CADRES,
    "/m/leave/": CADRES,
    "/m/month/": CADRES,
    "/m/month/?month=2026-01": CADRES,
    "/team/today/": {"first_secretary"},
    "/team/approvals/": {"first_secretary"},
    "/team/summary/": {"first_secretary", "village_secretary"},
    "/township/approvals/": {"township"},
    "/township/exceptions/": {"township"},
    "/township/month/": {"township"},
    "/township/month/export/monthly/": {"township"},
    "/township/month/export/ranking/": {"township"},
    "/township/summaries/": {"township"},
    "/attendance/rankings/": {"admin", "prefecture", "county"},
    "/attendance/rankings/export/ranking/": {"admin", "prefecture", "county"},
    "/attendance/rankings/export/monthly/": {"admin", "prefecture", "county"},
    "/attendance/special-periods/": {"admin", "prefecture", "county"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(PAGES))
def test_each_attendance_page_as_each_role(client, world, role, url):
    login(client, world, role)
    response = client.get(url)
    expected = 200 if role in PAGES[url] else 404
    assert response.status_code == expected, (url, role)
    if expected == 404:
        text = html(response)
        assert "404" in text and "页面不存在" in text


def test_unknown_export_kind_is_404(client, world):
    login(client, world, "township")
    assert client.get("/township/month/export/roster/").status_code == 404
    login(client, world, "county")
    assert client.get("/attendance/rankings/export/roster/").status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    for url in ("/m/checkin/", "/team/today/", "/township/month/", "/attendance/rankings/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_nav_per_role(client, world):
    expect = {
        "team_member": (["签到", "工作日志", "请销假", "我的出勤"], ["今日在岗", "月度考勤"]),
        "first_secretary": (["签到", "今日在岗", "请假审批", "月度汇总"], ["签到异常"]),
        "village_secretary": (["月度汇总"], ["签到", "今日在岗"]),
        "township": (["请假审批", "签到异常", "月度考勤", "在岗汇总"], ["工作日志"]),
        "county": (["出勤排名", "特殊时期"], ["签到异常"]),
        "unit": ([], ["出勤排名", "签到异常", "我的出勤"]),
    }
    for role, (shown, hidden) in expect.items():
        login(client, world, role)
        text = html(client.get("/"))
        nav = text[text.index('id="main-nav"') : text.index("</nav>", text.index('id="main-nav"'))]
        for label in shown:
            assert f">{label}<" in nav, (role, label)
        for label in hidden:
            assert f">{label}<" not in nav, (role, label)


def test_cadre_home_has_the_checkin_button_and_this_month(client, world):
    for role in CADRES:
        login(client, world, role)
        text = html(client.get("/"))
        assert 'id="checkin-button"' in text and ">签到</button>" in text
        assert f">{not_yet_label()}<" in text
        assert "本月出勤" in text and 'id="home-duty-days"' in text
        assert "/assets/checkin.js?v=" in text


def test_fs_home_shows_team_today_and_pending_approvals(client, world):
    login(client, world, "first_secretary")
    text = html(client.get("/"))
    assert "工作队今日在岗" in text
    assert "线美玲:未签到" in text and "岳文华:未签到" in text
    assert 'id="home-pending-approvals">0<' in text


def test_township_home_shows_exceptions_signals_and_ranking_link(client, world):
    login(client, world, "township")
    text = html(client.get("/"))
    assert 'id="home-exceptions">0<' in text and 'id="home-signals">0<' in text
    assert 'id="home-ranking-link"' in text and "/township/month/?month=" in text
    assert "尚未结账" in text


def test_checkin_page_shows_todays_status_server_side(client, world):
    login(client, world, "team_member")
    text = html(client.get("/m/checkin/"))
    assert 'id="checkin-status"' in text and f">{not_yet_label()}<" in text
    assert 'data-submit="/m/checkin/submit/"' in text
    assert 'data-sw="/m/sw.js"' in text
    assert "弄坎村" in text
    assert "<noscript>" in text  # the button needs JavaScript; the status does not


def test_script_and_service_worker_are_small_and_local(client, world):
    script = client.get("/assets/checkin.js")
    assert script.status_code == 200 and script["Content-Type"].startswith("text/javascript")
    body = script.content.decode()
    assert len(script.content) < 12 * 1024  # the whole page's weight: tests_browser/test_pwa.py
    assert "http://" not in body and "https://" not in body
    assert "已保存,待网络恢复后自动上传" in body
    worker = client.get("/m/sw.js")
    # scope "/": the cadre's home works offline as an installed app too (issue 16)
    assert worker.status_code == 200 and worker["Service-Worker-Allowed"] == "/"
    assert len(worker.content) < 3 * 1024


def test_month_page_says_the_minimum_is_unset(client, world):
    login(client, world, "team_member")
    text = html(client.get("/m/month/"))
    assert "每年在岗天数下限原文缺失(MGT.1.DAYS),本辖区尚未设置" in text
    assert "本月尚未结账" in text
