"""Bearer tokens and session authentication (with CSRF for writes)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from tests.api.conftest import ApiClient
from zhucun.accounts.models import ApiToken
from zhucun.audit.models import Event
from zhucun.useradmin.services import token_create, token_revoke


def test_token_authenticates_and_records_last_used(api, tokens):
    r = api("township").get("/me")
    assert r.status_code == 200 and r.json()["role"] == "township"
    token = ApiToken.objects.get(key_hash=ApiToken.hash(tokens["township"]))
    assert token.last_used is not None
    assert token.prefix == tokens["township"][:8] and tokens["township"].startswith("zc_")


def test_last_used_is_written_at_most_once_a_minute(api, tokens):
    token = ApiToken.objects.get(key_hash=ApiToken.hash(tokens["county"]))
    recent = timezone.now() - dt.timedelta(seconds=20)
    ApiToken.objects.filter(pk=token.pk).update(last_used=recent)
    api("county").get("/me")
    token.refresh_from_db()
    assert token.last_used == recent
    old = timezone.now() - dt.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used=old)
    api("county").get("/me")
    token.refresh_from_db()
    assert token.last_used > old


def test_token_is_stored_only_as_hash(tokens):
    raw = tokens["admin"]
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert ApiToken.objects.filter(key_hash=ApiToken.hash(raw)).exists()


def test_token_create_is_audited(world):
    before = Event.objects.count()
    token_create(actor=world.admin, user=world.users["county"], name="报表")
    assert Event.objects.filter(action="token.create").count() >= 1
    assert Event.objects.count() == before + 1


def test_revoked_token_is_401(api, tokens, world):
    assert api("county").get("/me").status_code == 200
    token_revoke(actor=None, prefix=tokens["county"][:8])
    r = api("county").get("/me")
    assert r.status_code == 401
    assert r.json() == {
        "detail": "未登录或令牌无效:请登录,或在请求头中提供 Authorization: Bearer <令牌>",
        "errors": [],
    }
    assert Event.objects.filter(action="token.revoke").exists()


@pytest.mark.parametrize(
    "header",
    ["Bearer zc_garbage", "Bearer ", "Bearer " + "x" * 5000, "Basic YWRtaW46cHc=", "zc_abc"],
)
def test_garbage_authorization_is_401(world, header):
    r = Client().get("/api/v1/me", headers={"Authorization": header})
    assert r.status_code == 401
    assert r.json()["errors"] == []


def test_inactive_users_token_is_401(api, world):
    world.users["unit"].is_active = False
    world.users["unit"].save()
    assert api("unit").get("/me").status_code == 401


def test_bad_token_is_401_even_with_a_session(world):
    client = Client()
    client.force_login(world.users["county"])
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer zc_nonsense"})
    assert r.status_code == 401


def test_session_read(world):
    client = Client()
    client.force_login(world.users["county"])
    assert client.get("/api/v1/me").json()["role"] == "county"


def _unit_body():
    return {
        "name": "芒市林草局",
        "level": "county",
        "kind": "organ",
        "jurisdiction_code": "533103000000",
    }


def test_session_write_without_csrf_is_403(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["county"])
    events = Event.objects.count()
    r = ApiClient(client=client).post("/units", _unit_body())
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]
    assert Event.objects.count() == events


def test_session_write_with_csrf_passes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["county"])
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    session = ApiClient(client=client)
    session.headers = {"X-CSRFToken": secret}
    assert session.post("/units", _unit_body()).status_code == 201


def test_token_write_needs_no_csrf(world, tokens):
    client = Client(enforce_csrf_checks=True)
    r = ApiClient(tokens["county"], client=client).post("/units", _unit_body())
    assert r.status_code == 201


def test_anonymous_write_is_401_not_403(world):
    client = Client(enforce_csrf_checks=True)
    assert ApiClient(client=client).post("/units", _unit_body()).status_code == 401


def test_token_command_create_and_revoke(world):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "township", "--name", "脚本", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("zc_") and "不再显示" in err.getvalue()
    assert ApiClient(raw).get("/me").json()["role"] == "township"
    out = io.StringIO()
    call_command("token", "revoke", raw[:8], stdout=out)
    assert "已撤销" in out.getvalue()
    assert ApiClient(raw).get("/me").status_code == 401
