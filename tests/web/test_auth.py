"""Login, logout, CSRF and login_required on every page."""

import pytest
from django.test import Client
from django.urls import reverse

from .helpers import html

PROTECTED = [
    "/",
    "/villages/",
    "/villages/1/",
    "/villages/1/edit/",
    "/cadres/",
    "/cadres/1/",
    "/cadres/1/edit/",
    "/units/",
    "/units/1/",
    "/units/1/edit/",
    "/postings/",
    "/postings/1/",
    "/postings/1/end/",
    "/jurisdictions/",
    "/audit/",
    "/import/",
    "/import/template/cadres/",
    "/export/roster/",
]


@pytest.mark.parametrize("url", PROTECTED)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_login_page_renders_in_chinese(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    text = html(response)
    assert "驻村工作队选派管理系统" in text
    assert "用户登录" in text and "csrfmiddlewaretoken" in text
    assert 'lang="zh-CN"' in text


def test_login_with_password_then_home_then_logout(world):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/login/", {"username": "county", "password": "pw", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "县(市)委组织部 · 芒市" in html(home)
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("web:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_login_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "county", "password": "pw"})
    assert response.status_code == 403


def test_wrong_password_shows_chinese_error(client, world):
    response = client.post("/login/", {"username": "county", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in html(response)


def test_stylesheet_is_served_without_login(client, db):
    response = client.get("/assets/zhucun.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b".topbar" in response.content


def test_edit_forms_carry_csrf_token(client, world):
    client.force_login(world.users["county"])
    response = client.get(f"/villages/{world.villages['A'].pk}/edit/")
    assert "csrfmiddlewaretoken" in html(response)
