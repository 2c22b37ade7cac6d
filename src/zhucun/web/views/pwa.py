"""The cadre's pages as an installable app (issue 16, the phone): the web app manifest and
its icons, served by tiny views like the stylesheet (no login: a browser fetches a manifest
without cookies). The service worker and the offline page live with the check-in
(attendance_cadre: /m/sw.js, /m/offline/); the icons were drawn once by tools/make_icons.py."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .assets import ASSETS

ICONS = {
    name: (ASSETS / name).read_bytes()
    for name in ("icon-192.png", "icon-512.png", "icon-maskable-512.png")
}
THEME = "#b3121b"
MANIFEST = {
    "id": "/",
    "name": "驻村工作",
    "short_name": "驻村工作",
    "description": "驻村第一书记和工作队员:每日签到、工作日志、请销假、本月出勤",
    "lang": "zh-CN",
    "dir": "ltr",
    "start_url": "/",
    "scope": "/",
    "display": "standalone",
    "orientation": "portrait",
    "theme_color": THEME,
    "background_color": "#f4f5f7",
    "icons": [
        {"src": "/assets/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": "/assets/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {
            "src": "/assets/icon-maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ],
    "shortcuts": [
        {"name": "签到", "url": "/m/checkin/"},
        {"name": "工作日志", "url": "/m/diary/"},
        {"name": "请销假", "url": "/m/leave/"},
    ],
}
MANIFEST_BYTES = json.dumps(MANIFEST, ensure_ascii=False, indent=1).encode("utf-8")


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(MANIFEST_BYTES, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def icon(request: HttpRequest, name: str) -> HttpResponse:
    body = ICONS.get(name)
    if body is None:
        raise Http404("没有这个图标")
    response = HttpResponse(body, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
