"""账号管理 pages (issue 9, point 6 D)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from openpyxl import load_workbook

from tests.web.helpers import html, table_pks
from zhucun.accounts.models import User


def _as(world, role) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_account_list_shows_only_managed_accounts(world):
    pks = table_pks(_as(world, "township").get("/accounts/"), "account-table")
    expected = {
        world.users[r].pk
        for r in ("township", "first_secretary", "team_member", "village_secretary")
    }
    assert pks == expected


def test_account_list_filters(world):
    client = _as(world, "county")
    r = client.get("/accounts/", {"role": "team_member"})
    assert table_pks(r, "account-table") == {world.users["team_member"].pk}
    User.objects.filter(pk=world.users["unit"].pk).update(is_active=False)
    r = client.get("/accounts/", {"status": "disabled"})
    assert table_pks(r, "account-table") == {world.users["unit"].pk}


@pytest.mark.parametrize("role", ["unit", "first_secretary", "team_member", "village_secretary"])
def test_non_managers_are_refused(world, role):
    client = _as(world, role)
    assert client.get("/accounts/").status_code == 403
    assert client.post(f"/accounts/{world.users['team_member'].pk}/reset/").status_code == 403
    assert "账号管理" not in html(client.get("/"))


def test_managers_see_the_nav_link(world):
    assert 'href="/accounts/"' in html(_as(world, "county").get("/"))


def test_create_form_shows_the_password_once(world):
    client = _as(world, "county")
    r = client.post(
        "/accounts/new/",
        {"username": "zhefang2", "role": "township", "scope": "533103102000", "display_name": ""},
    )
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    text = html(r)
    raw = text.split('id="one-time-password">')[1].split("<")[0]
    assert authenticate(username="zhefang2", password=raw) is not None
    r = client.post("/accounts/new/", {"username": "x1", "role": "county", "scope": "533102000000"})
    assert r.status_code == 400 and "不在您的管辖范围内" in html(r)
    # a township may not create a county account: the role is not offered nor accepted
    r = _as(world, "township").post(
        "/accounts/new/", {"username": "x2", "role": "county", "scope": "533103000000"}
    )
    assert r.status_code == 400 and not User.objects.filter(username="x2").exists()


def test_reset_disable_enable_actions(world):
    client = _as(world, "township")
    tm = world.users["team_member"]
    r = client.post(f"/accounts/{tm.pk}/reset/")
    raw = html(r).split('id="one-time-password">')[1].split("<")[0]
    assert authenticate(username="team_member", password=raw) == tm
    assert client.get(f"/accounts/{tm.pk}/reset/").status_code == 405  # POST only
    assert client.post(f"/accounts/{tm.pk}/disable/").status_code == 302
    assert not User.objects.get(pk=tm.pk).is_active
    assert client.post(f"/accounts/{tm.pk}/enable/").status_code == 302
    assert User.objects.get(pk=tm.pk).is_active


def test_reset_outside_the_scope_answers_like_a_missing_user(world):
    ruili = User.objects.create_user("ruili", password="pw", role="county")
    client = _as(world, "township")
    other, missing = (
        client.post(f"/accounts/{ruili.pk}/reset/"),
        client.post("/accounts/999999/reset/"),
    )
    assert other.status_code == missing.status_code == 404
    assert "用户不存在或不在您的管辖范围内" in html(other)
    assert authenticate(username="ruili", password="pw") is not None


def test_csrf_is_required(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["county"])
    assert client.post(f"/accounts/{world.users['team_member'].pk}/reset/").status_code == 403
    assert authenticate(username="team_member", password="pw") is not None


def test_bulk_answers_an_xlsx_of_initial_passwords(world):
    client = _as(world, "county")
    r = client.post("/accounts/bulk/", {"jurisdiction": "533103000000"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "驻村干部账号初始密码"  # a title, then the header (files_out)
    assert rows[1] == ("用户名", "姓名", "角色", "驻村", "初始密码")
    username, name, role, village, raw = rows[2]
    assert (name, role, village) == ("排早腊", "第一书记", "拉勐村")
    assert authenticate(username=username, password=raw).cadre == world.cadres["fs_b"]
    # nothing left: back to the list with a message
    r = client.post("/accounts/bulk/", {"jurisdiction": "533103000000"})
    assert r.status_code == 302
    # another county's code: not found
    assert client.post("/accounts/bulk/", {"jurisdiction": "533102000000"}).status_code == 404
    assert not User.objects.filter(cadre=world.cadres["fs_c"]).exists()
