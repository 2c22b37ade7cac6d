"""Forced password change: a user logged in with a one-time password (``must_change_password``)
is sent to the change-password page from every page but that one, logout and the assets.
The API refuses such a session itself (api/auth.py, 403 in Chinese)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

CHANGE_URL = "/accounts/password/"
ALLOWED_PREFIXES = (
    CHANGE_URL,
    "/logout/",
    "/login/",
    "/assets/",
    "/api/",
    "/m/sw.js",
    "/m/offline/",
    "/manifest.webmanifest",
)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if not path.startswith(ALLOWED_PREFIXES) and not path.startswith(
            settings.STATIC_URL or "/static/"
        ):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.must_change_password:
                query = urlencode({"next": request.get_full_path()}) if path != "/" else ""
                return HttpResponseRedirect(CHANGE_URL + ("?" + query if query else ""))
        return self.get_response(request)
