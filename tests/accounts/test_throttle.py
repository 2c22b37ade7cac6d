"""Login throttling per account and per address (issue 9, point 6 E)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from zhucun.accounts.models import LoginFailure
from zhucun.audit.models import Event

from .conftest import login_post

LOCKED = "登录失败次数过多,请15分钟后再试"


def _logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def test_twenty_wrong_passwords_block_the_right_one(world):
    client = Client()
    for _ in range(20):
        r = login_post(client, "county", "wrong-password")
        assert r.status_code == 200
    r = login_post(client, "county", "pw")
    assert r.status_code == 200 and not _logged_in(r)
    assert LOCKED in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_lock_time_and_a_success_resets(world):
    client = Client()
    for _ in range(5):  # ZHUCUN_LOGIN_MAX_FAILURES
        login_post(client, "county", "wrong-password")
    assert LOCKED in login_post(client, "county", "pw").content.decode()
    # the lock time passes
    past = timezone.now() - dt.timedelta(seconds=1)
    LoginFailure.objects.filter(kind="user", key="county").update(locked_until=past)
    assert _logged_in(login_post(Client(), "county", "pw"))
    # the success cleared the account's counter: four new failures do not lock it
    assert not LoginFailure.objects.filter(kind="user", key="county").exists()
    for _ in range(4):
        login_post(Client(), "county", "wrong-password")
    assert _logged_in(login_post(Client(), "county", "pw"))


def test_fewer_failures_than_the_threshold_do_not_lock(world):
    for _ in range(4):
        login_post(Client(), "county", "wrong-password")
    assert _logged_in(login_post(Client(), "county", "pw"))


def test_failures_outside_the_window_start_a_new_count(world, settings):
    for _ in range(4):
        login_post(Client(), "county", "wrong-password")
    old = timezone.now() - dt.timedelta(seconds=settings.ZHUCUN_LOGIN_WINDOW_SECONDS + 1)
    LoginFailure.objects.filter(kind="user", key="county").update(window_start=old)
    login_post(Client(), "county", "wrong-password")  # the 5th, but in a new window
    assert _logged_in(login_post(Client(), "county", "pw"))


def test_the_message_names_the_minutes_of_the_setting(world, settings):
    settings.ZHUCUN_LOGIN_LOCK_SECONDS = 600
    for _ in range(5):
        login_post(Client(), "township", "wrong-password")
    assert "请10分钟后再试" in login_post(Client(), "township", "pw").content.decode()


def test_per_address_lock_covers_every_account_from_that_address(world):
    # 20 failures spread over several usernames (none reaches the per-account threshold)
    for i in range(20):
        login_post(Client(), f"guess{i % 5}", "x", address="10.9.9.9")
    r = login_post(Client(), "county", "pw", address="10.9.9.9")
    assert LOCKED in r.content.decode()
    # another address is not affected, and the account itself is not locked
    assert _logged_in(login_post(Client(), "county", "pw", address="10.1.1.1"))


def test_a_success_does_not_clear_the_address_counter(world):
    for i in range(19):
        login_post(Client(), f"guess{i}", "x", address="10.8.8.8")
    assert _logged_in(login_post(Client(), "county", "pw", address="10.8.8.8"))
    login_post(Client(), "guess99", "x", address="10.8.8.8")  # the 20th
    assert LOCKED in login_post(Client(), "county", "pw", address="10.8.8.8").content.decode()


def test_trusted_proxy_header_only_when_the_setting_says_so(world, settings):
    headers = {"HTTP_X_REAL_IP": "203.0.113.7"}
    for i in range(20):
        Client().post(
            "/login/",
            {"username": f"nobody{i}", "password": "x"},
            REMOTE_ADDR="10.0.0.5",
            **headers,
        )
    # without the setting the header is ignored: the lock is on REMOTE_ADDR 10.0.0.5
    assert LoginFailure.objects.filter(kind="addr", key="10.0.0.5", failures=20).exists()
    assert not LoginFailure.objects.filter(kind="addr", key="203.0.113.7").exists()
    settings.ZHUCUN_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    r = Client().post(
        "/login/", {"username": "county", "password": "pw"}, REMOTE_ADDR="10.0.0.5", **headers
    )
    assert _logged_in(r)  # judged by 203.0.113.7, which has no failures


def test_a_lock_is_audited_without_the_password(world):
    for _ in range(5):
        login_post(Client(), "county", "secret-guess-123")
    event = Event.objects.get(action="login.lock", object_type="accounts.loginfailure")
    assert event.after["key"] == "county"
    assert "secret-guess-123" not in str(event.after) + event.note
