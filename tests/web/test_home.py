"""The home page of each role and the frame around every page."""

import pytest

from zhucun.registry import services

from .helpers import ROLES, html, login

SCOPE_TEXT = {
    "admin": "系统管理员 · 全部",
    "prefecture": "州委组织部 · 德宏傣族景颇族自治州",
    "county": "县(市)委组织部 · 芒市",
    "township": "乡镇(街道)党(工)委 · 遮放镇",
    "unit": "派出单位 · 芒市人民医院",
    "first_secretary": "第一书记 · 弄坎村",
    "team_member": "工作队员 · 弄坎村",
    "village_secretary": "村党组织书记 · 弄坎村",
}


@pytest.mark.parametrize("role", ROLES)
def test_home_for_every_role(client, world, role):
    login(client, world, role)
    response = client.get("/")
    assert response.status_code == 200
    text = html(response)
    assert "驻村工作队选派管理系统" in text
    assert SCOPE_TEXT[role] in text
    assert f"web/home/{role}.html" in [t.name for t in response.templates]


def nav(text):
    start = text.index('id="main-nav"')
    return text[start : text.index("</nav>", start)]


def test_nav_shows_only_what_the_role_may_use(client, world):
    login(client, world, "admin")
    admin_nav = nav(html(client.get("/")))
    assert "审计日志" in admin_nav and "导入导出" in admin_nav and "行政区划" in admin_nav
    login(client, world, "township")
    township_nav = nav(html(client.get("/")))
    assert "审计日志" not in township_nav and "导入导出" not in township_nav
    login(client, world, "team_member")
    tm_nav = nav(html(client.get("/")))
    assert "村(社区)" not in tm_nav and "审计日志" not in tm_nav and "我的任职" in tm_nav


def test_county_home_counts_and_gap_link(client, world):
    services.posting_end(
        actor=world.admin,
        posting_id=world.postings["fs_b"].pk,
        end_date=world.postings["fs_b"].arrival_date,
    )
    login(client, world, "county")
    text = html(client.get("/"))
    assert 'id="stat-villages">2<' in text
    assert 'id="stat-cat3">1<' in text
    assert 'id="stat-gap">1<' in text
    assert 'id="stat-in-post">2<' in text
    assert 'href="/villages/?gap=1"' in text


def test_prefecture_home_counts(client, world):
    login(client, world, "prefecture")
    text = html(client.get("/"))
    assert 'id="stat-villages">3<' in text and 'id="stat-cat3">2<' in text
    assert 'id="stat-gap">0<' in text and 'id="stat-in-post">4<' in text


def test_unit_home_lists_cadres_and_posts(client, world):
    login(client, world, "unit")
    text = html(client.get("/"))
    assert "线美玲" in text and "弄坎村" in text and "赵小兵" in text and "未在岗" in text
    assert "岳文华" not in text


def test_first_secretary_home_shows_village_and_team(client, world):
    login(client, world, "first_secretary")
    text = html(client.get("/"))
    assert "弄坎村" in text and "岳文华" in text and "线美玲" in text
    assert "排早腊" not in text


def test_team_member_home_shows_posting(client, world):
    login(client, world, "team_member")
    text = html(client.get("/"))
    assert 'id="my-posting"' in text and "弄坎村" in text and "工作队员" in text


def test_village_secretary_home_shows_team(client, world):
    login(client, world, "village_secretary")
    text = html(client.get("/"))
    assert "岳文华" in text and "线美玲" in text


def test_admin_home_links_audit(client, world):
    login(client, world, "admin")
    text = html(client.get("/"))
    assert 'id="audit-link"' in text and "登记驻村任职" in text and "posting.create" not in text


def test_an_english_browser_still_gets_chinese(client, world):
    """The UI is Chinese only: Accept-Language en-US changes neither texts nor date formats."""
    login(client, world, "county")
    r = client.get(f"/cadres/{world.cadres['fs_a'].pk}/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert r["Content-Language"] == "zh-hans"
    text = html(r)
    assert "March" not in text and "2024-03-01" in text
    r = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert r.status_code == 404 and "Not Found" not in html(r)
