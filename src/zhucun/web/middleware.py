"""The safety net under every page: an error a view did not handle itself becomes a Chinese
page with the right status, never a 500 — a parameter without a value on that date
(ParameterUnset), a year without a holiday schedule (CalendarUnknownError), a refusal from a
service (ZhucunError: 400/403/404). The API has its own handlers with the JSON shape."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhucun.core.errors import NotFound, ZhucunError
from zhucun.policy import PolicyError

TEMPLATES = {400: "web/400.html", 403: "web/403.html", 404: "web/404.html"}


class ChineseErrorMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exc, ZhucunError):
            status = exc.status if exc.status in TEMPLATES else 400
            message = exc.message if not isinstance(exc, NotFound) else None
            return render(request, TEMPLATES[status], {"message": message}, status=status)
        if isinstance(exc, PolicyError):
            return render(request, TEMPLATES[400], {"message": str(exc)}, status=400)
        return None
