"""The one stylesheet, served by a tiny view so it works with DEBUG off and in tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

CSS = (Path(__file__).resolve().parent.parent / "assets" / "zhucun.css").read_bytes()
VERSION = hashlib.sha256(CSS).hexdigest()[:10]


@require_GET
def stylesheet(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(CSS, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
