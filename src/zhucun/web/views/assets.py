"""The one stylesheet and the one page script, served by tiny views so they work with DEBUG
off and in tests (the CSP allows only scripts and styles from this origin)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

ASSETS = Path(__file__).resolve().parent.parent / "assets"
CSS = (ASSETS / "zhucun.css").read_bytes()
VERSION = hashlib.sha256(CSS).hexdigest()[:10]
JS = (ASSETS / "zhucun.js").read_bytes()
JS_VERSION = hashlib.sha256(JS).hexdigest()[:10]


@require_GET
def stylesheet(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(CSS, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def script(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(JS, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
