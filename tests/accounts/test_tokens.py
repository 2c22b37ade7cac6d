"""API tokens expire and may be revoked, on the django-ninja API (issue 9, point 6 F); listed
and revoked through /api/v1/me/tokens and the web page."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.api.conftest import ApiClient
from zhucun.accounts.models import ApiToken
from zhucun.audit.models import Event
from zhucun.useradmin.services import token_create, token_revoke

UNAUTHENTICATED = "未登录或令牌无效"


def _token(raw: str) -> ApiToken:
    return ApiToken.objects.get(key_hash=ApiToken.hash(raw))


def test_a_new_token_expires_after_the_setting(world, settings):
    settings.ZHUCUN_API_TOKEN_DAYS = 30
    raw = token_create(actor=None, user=world.users["county"], name="手机")
    expires = _token(raw).expires_at
    assert abs(expires - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    settings.ZHUCUN_API_TOKEN_DAYS = 0
    assert _token(token_create(actor=None, user=world.users["county"])).expires_at is None


def test_an_expired_token_is_401(world):
    raw = token_create(actor=None, user=world.users["county"])
    assert ApiClient(raw).get("/me").status_code == 200
    ApiToken.objects.filter(pk=_token(raw).pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    r = ApiClient(raw).get("/me")
    assert r.status_code == 401 and r.json()["detail"].startswith(UNAUTHENTICATED)


def test_a_revoked_token_is_401_and_stays_listed(world):
    raw = token_create(actor=None, user=world.users["county"])
    token = token_revoke(actor=world.users["county"], token_id=_token(raw).pk)
    assert token.revoked_at is not None and ApiToken.objects.filter(pk=token.pk).exists()
    assert ApiClient(raw).get("/me").status_code == 401
    assert Event.objects.filter(action="token.revoke", object_id=str(token.pk)).exists()


def test_a_disabled_users_token_is_401(world):
    from zhucun.useradmin.services import user_disable

    raw = token_create(actor=None, user=world.users["team_member"])
    user_disable(actor=world.users["township"], user_id=world.users["team_member"].pk)
    assert ApiClient(raw).get("/me").status_code == 401


def test_me_tokens_lists_and_revokes_own_tokens(world):
    user = world.users["team_member"]
    phone = token_create(actor=None, user=user, name="手机")
    laptop = token_create(actor=None, user=user, name="电脑")
    other = token_create(actor=None, user=world.users["county"], name="县")
    api = ApiClient(phone)
    listed = api.get("/me/tokens").json()
    assert [(t["name"], t["state"], t["current"]) for t in listed] == [
        ("电脑", "active", False),
        ("手机", "active", True),
    ]
    assert listed[0]["expires_at"] is not None
    # not the token of this request (the phone would lock itself out) …
    r = api.send("DELETE", f"/me/tokens/{_token(phone).pk}")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "id"
    # … nor another user's (404, as if it did not exist)
    assert api.send("DELETE", f"/me/tokens/{_token(other).pk}").status_code == 404
    assert ApiClient(other).get("/me").status_code == 200
    r = api.send("DELETE", f"/me/tokens/{_token(laptop).pk}")
    assert r.status_code == 200 and r.json()["state"] == "revoked"
    assert ApiClient(laptop).get("/me").status_code == 401
    assert api.get("/me").status_code == 200


def test_tokens_web_page_own_and_managed(world):
    tm = world.users["team_member"]
    raw = token_create(actor=None, user=tm, name="手机")
    pk = _token(raw).pk
    client = Client()
    client.force_login(tm)
    page = client.get("/accounts/tokens/").content.decode()
    assert f'data-pk="{pk}"' in page and "有效" in page
    # a county office of another county cannot see or revoke it
    from zhucun.useradmin.services import user_create

    ruili, _ = user_create(actor=None, username="ruili", role="county", scope_code="533102000000")
    ruili.must_change_password = False
    ruili.save()
    stranger = Client()
    stranger.force_login(ruili)
    assert stranger.get(f"/accounts/tokens/?user={tm.pk}").status_code == 404
    assert stranger.post(f"/accounts/tokens/{pk}/revoke/").status_code == 404
    assert ApiClient(raw).get("/me").status_code == 200
    # the township that manages the account can
    township = Client()
    township.force_login(world.users["township"])
    assert f'data-pk="{pk}"' in township.get(f"/accounts/tokens/?user={tm.pk}").content.decode()
    r = township.post(f"/accounts/tokens/{pk}/revoke/")
    assert r.status_code == 302 and r["Location"] == f"/accounts/tokens/?user={tm.pk}"
    assert ApiClient(raw).get("/me").status_code == 401
    # and the holder revokes their own
    raw2 = token_create(actor=None, user=tm, name="新手机")
    assert client.post(f"/accounts/tokens/{_token(raw2).pk}/revoke/").status_code == 302
    assert ApiClient(raw2).get("/me").status_code == 401


def test_token_commands_list_and_revoke_by_number(world, capsys):
    raw = token_create(actor=None, user=world.users["county"], name="手机")
    pk = _token(raw).pk
    call_command("token", "list", "county")
    out = capsys.readouterr().out
    assert f"{pk}\t{raw[:8]}…\t手机" in out and "有效" in out
    call_command("token", "revoke", str(pk))
    assert "已撤销" in capsys.readouterr().out
    assert ApiClient(raw).get("/me").status_code == 401
    call_command("token", "list", "county")
    assert "已撤销" in capsys.readouterr().out


def test_migration_gives_old_tokens_an_expiry(world, settings):
    from importlib import import_module

    from django.apps import apps

    raw = token_create(actor=None, user=world.users["county"])
    ApiToken.objects.update(expires_at=None)
    settings.ZHUCUN_API_TOKEN_DAYS = 10
    import_module("zhucun.accounts.migrations.0002_trust").existing_tokens_expire(apps, None)
    expires = _token(raw).expires_at
    assert abs(expires - (timezone.now() + dt.timedelta(days=10))) < dt.timedelta(minutes=1)
