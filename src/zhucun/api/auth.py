"""Authentication: bearer tokens (``Authorization: Bearer zc_…``) or the Django session.

A request that carries an Authorization header is judged by it alone (a bad token is 401 even
with a valid session cookie). Session requests that change state must pass Django's CSRF
check (403 otherwise); token requests need no CSRF token. A session of a user who must change
the initial password is refused (403) until they do; tokens are separate credentials, issued
deliberately, and keep working. Expired and revoked tokens are 401 (``ApiToken.objects.live``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from zhucun.accounts.models import ApiToken, User
from zhucun.core.errors import Forbidden

LAST_USED_EVERY = dt.timedelta(minutes=1)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
MAX_TOKEN_LENGTH = 200
MUST_CHANGE_PASSWORD = "请先修改初始密码:登录网页后在“修改密码”页面设置新密码"


def user_for_token(raw: str) -> User | None:
    raw = raw.strip()
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.live(now)
        .select_related("user")
        .filter(key_hash=ApiToken.hash(raw))
        .first()
    )
    if token is None:
        return None
    if token.last_used is None or now - token.last_used >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        try:
            return user_for_token(token)
        except UnicodeEncodeError:
            return None


class SessionAuth(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, only for logged-in users

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise Forbidden("CSRF校验失败:通过浏览器会话修改数据时须携带 X-CSRFToken 请求头")
        if user.must_change_password:
            raise Forbidden(MUST_CHANGE_PASSWORD)
        return user


AUTH = [TokenAuth(), SessionAuth()]
