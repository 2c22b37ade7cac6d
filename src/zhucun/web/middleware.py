"""The safety net under every page: an error a view did not handle itself becomes a Chinese
page with the right status, never a 500 — a parameter without a value on that date
(ParameterUnset), a year without a holiday schedule (CalendarUnknownError), a refusal from a
service (ZhucunError: 400/403/404). The API has its own handlers with the JSON shape.

When the database is unreachable (a restart, a network cut) every page and the phone's
check-in endpoint answer 503 in Chinese — the phone keeps its check-in and sends it again."""

from __future__ import annotations

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from zhucun.core.errors import NotFound, ValidationFailed, ZhucunError
from zhucun.policy import PolicyError

from .words import errors_text, policy_message

TEMPLATES = {400: "web/400.html", 403: "web/403.html", 404: "web/404.html"}
DB_DOWN = "数据库暂时不可用,请稍后重试(签到已保存在手机上,恢复后会自动重发)"


# The API's interactive docs (django-ninja's Swagger UI) load from a CDN and run an inline
# script: only that page gets a wider policy.
DOCS_PATH = "/api/v1/docs"
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class ContentSecurityPolicyMiddleware:
    """``Content-Security-Policy`` on every response (``settings.ZHUCUN_CSP``), with or without
    HTTPS: the pages hold no inline script, style attribute or event handler (a test keeps it
    so), so an injected ``<script>`` or ``onerror=`` would not run."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            docs = request.path.startswith(DOCS_PATH)
            response["Content-Security-Policy"] = DOCS_CSP if docs else settings.ZHUCUN_CSP
        return response


class ChineseErrorMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, OperationalError | InterfaceError):
            return _database_down(request)
        if request.path.startswith("/api/"):
            return None
        if isinstance(exc, ZhucunError):
            status = exc.status if exc.status in TEMPLATES else 400
            message = exc.message if not isinstance(exc, NotFound) else None
            if isinstance(exc, ValidationFailed):  # its message quotes the field keys
                message = errors_text(exc.errors) or "数据校验未通过"
            return render(request, TEMPLATES[status], {"message": message}, status=status)
        if isinstance(exc, PolicyError):
            message = policy_message(exc)
            return render(request, TEMPLATES[400], {"message": message}, status=400)
        return None


def _database_down(request: HttpRequest) -> HttpResponse:
    session = getattr(request, "session", None)
    if session is not None and not hasattr(session, "_session_cache"):
        # the session could not be loaded: let SessionMiddleware see an empty, unmodified one
        # instead of failing on the missing cache (it would turn this 503 into a 500)
        session._session_cache = {}
    if request.path.startswith(("/api/", "/m/")):
        response: HttpResponse = JsonResponse(
            {"detail": DB_DOWN, "errors": []}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(DB_DOWN, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "5"
    return response
