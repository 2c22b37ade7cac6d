"""Token expiry and revocation hold on the lean check-in path too (api/fastpath.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.api.test_checkin_fastpath import body, wsgi
from zhucun.accounts.models import ApiToken
from zhucun.api import fastpath
from zhucun.attendance.models import CheckIn
from zhucun.useradmin.services import token_create, token_revoke

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _stop_writer():
    yield
    fastpath.WRITER.stop()


def test_expired_token_is_refused_on_the_lean_path(world):
    raw = token_create(actor=None, user=world.users["team_member"], name="手机")
    assert wsgi(body(), raw)[0] == 201
    ApiToken.objects.filter(key_hash=ApiToken.hash(raw)).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    before = CheckIn.objects.count()
    status, answer, _ = wsgi(body(), raw)
    assert status == 401 and answer["detail"].startswith("未登录或令牌无效")
    assert CheckIn.objects.count() == before


def test_revoked_token_is_refused_on_the_lean_path(world):
    raw = token_create(actor=None, user=world.users["team_member"], name="手机")
    assert wsgi(body(), raw)[0] == 201
    token_revoke(actor=None, prefix=raw[:8])
    before = CheckIn.objects.count()
    assert wsgi(body(), raw)[0] == 401
    assert CheckIn.objects.count() == before
