"""Password validators, the change-password page and the forced change at first login
(issue 9, point 6 A/D)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.conftest import ApiClient
from zhucun.accounts import services as account_services
from zhucun.core.errors import ValidationFailed
from zhucun.useradmin import services

from .conftest import login_post


@pytest.mark.parametrize(
    "password,reason",
    [
        ("12345678901", "不能全是数字"),
        ("password123", "太常见"),
        ("Ab3-xyz", "至少 10 个字符"),
        ("county2026x", "相似"),  # too like the username
    ],
)
def test_validators_refuse_weak_passwords(world, password, reason):
    user = world.users["county"]
    with pytest.raises(ValidationFailed) as exc:
        account_services.password_change(user=user, old="pw", new=password)
    assert reason in exc.value.errors["new_password"]
    user.refresh_from_db()
    assert user.check_password("pw")


def _page(client, data):
    return client.post("/accounts/password/", data)


def test_change_password_page(client, world):
    client.force_login(world.users["unit"])
    assert "修改密码" in client.get("/accounts/password/").content.decode()
    r = _page(
        client,
        {"old_password": "pw", "new_password": "12345678901", "confirm_password": "12345678901"},
    )
    assert r.status_code == 400 and "密码不能全是数字" in r.content.decode()
    r = _page(
        client,
        {
            "old_password": "pw",
            "new_password": "Mangshi#Hosp1",
            "confirm_password": "Mangshi#Hosp2",
        },
    )
    assert r.status_code == 400 and "两次输入的新密码不一致" in r.content.decode()
    r = _page(
        client,
        {
            "old_password": "pw",
            "new_password": "Mangshi#Hosp1",
            "confirm_password": "Mangshi#Hosp1",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/"
    assert client.get("/").status_code == 200  # still logged in (session hash updated)
    world.users["unit"].refresh_from_db()
    assert world.users["unit"].check_password("Mangshi#Hosp1")


def test_wrong_old_password_counts_towards_the_lock(client, world):
    client.force_login(world.users["unit"])
    for _ in range(5):
        _page(
            client,
            {
                "old_password": "guess",
                "new_password": "Mangshi#Hosp1",
                "confirm_password": "Mangshi#Hosp1",
            },
        )
    r = _page(
        client,
        {
            "old_password": "pw",
            "new_password": "Mangshi#Hosp1",
            "confirm_password": "Mangshi#Hosp1",
        },
    )
    assert "登录失败次数过多" in r.content.decode()


def test_forced_change_at_first_login(world):
    user, raw = services.user_create(
        actor=world.admin, username="newcounty", role="county", scope_code="533103000000"
    )
    client = Client()
    r = login_post(client, "newcounty", raw)
    assert r.status_code == 302
    # every page leads to the change-password page …
    for url in ("/", "/villages/", "/accounts/", "/m/checkin/"):
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/accounts/password/"), url
    assert client.get("/villages/")["Location"] == "/accounts/password/?next=%2Fvillages%2F"
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and 'id="forced-change"' in page.content.decode()
    # … and the API refuses the session, in Chinese
    r = ApiClient(client=client).get("/me")
    assert r.status_code == 403 and "请先修改初始密码" in r.json()["detail"]
    # logout still works
    assert client.post("/logout/").status_code == 302
    login_post(client, "newcounty", raw)
    r = client.post(
        "/accounts/password/",
        {
            "old_password": raw,
            "new_password": "Mangshi!County9",
            "confirm_password": "Mangshi!County9",
            "next": "/villages/",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/villages/"
    assert client.get("/villages/").status_code == 200
    assert ApiClient(client=client).get("/me").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password


def test_next_after_change_stays_on_this_site(client, world):
    user = world.users["county"]
    user.must_change_password = True
    user.save()
    client.force_login(user)
    r = client.post(
        "/accounts/password/",
        {
            "old_password": "pw",
            "new_password": "Mangshi!County9",
            "confirm_password": "Mangshi!County9",
            "next": "https://evil.example/",
        },
    )
    assert r["Location"] == "/"


def test_demo_accounts_are_not_forced_to_change(db):
    from zhucun.accounts.models import User
    from zhucun.demo.accounts import PASSWORD, Hashes, ensure_admin

    admin = ensure_admin(Hashes())
    assert not User.objects.get(pk=admin.pk).must_change_password
    client = Client()
    assert login_post(client, "admin", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200
