"""The one stylesheet and the one page script, served by tiny views so they work with DEBUG
off and in tests (the CSP allows only scripts and styles from this origin).

The charts page alone also loads Apache ECharts (``echarts.common.min.js``, shipped with the
package under its licence ``ECHARTS-LICENSE.txt``; no CDN) and its own ``charts.js``: both under
a versioned URL with a year-long cache, ECharts gzipped for the browsers that accept it."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

ASSETS = Path(__file__).resolve().parent.parent / "assets"
CSS = (ASSETS / "zhucun.css").read_bytes()
VERSION = hashlib.sha256(CSS).hexdigest()[:10]
JS = (ASSETS / "zhucun.js").read_bytes()
JS_VERSION = hashlib.sha256(JS).hexdigest()[:10]
ECHARTS = (ASSETS / "echarts.common.min.js").read_bytes()
ECHARTS_GZ = gzip.compress(ECHARTS, compresslevel=9, mtime=0)
ECHARTS_VERSION = hashlib.sha256(ECHARTS).hexdigest()[:10]
CHARTS_JS = (ASSETS / "charts.js").read_bytes()
CHARTS_JS_VERSION = hashlib.sha256(CHARTS_JS).hexdigest()[:10]
LONG_CACHE = "public, max-age=31536000, immutable"  # the URL changes with the content


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


@require_GET
def echarts(request: HttpRequest) -> HttpResponse:
    gz = "gzip" in request.headers.get("Accept-Encoding", "")
    response = HttpResponse(
        ECHARTS_GZ if gz else ECHARTS, content_type="text/javascript; charset=utf-8"
    )
    if gz:
        response["Content-Encoding"] = "gzip"
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = LONG_CACHE
    return response


@require_GET
def charts_script(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(CHARTS_JS, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = LONG_CACHE
    return response
