"""Issue 9 point 7: production settings.

* ``zhucun check --deploy --fail-level WARNING`` passes with ``ZHUCUN_HTTPS=1`` (and fails
  without it: the settings block is what makes it pass);
* a Content-Security-Policy on every response, which the pages satisfy (no inline script,
  style attribute, ``<style>``, event handler or ``javascript:`` link on any role's pages);
* Secure cookies and HSTS behind TLS; shorter sessions for office roles;
* logout answers ``Clear-Site-Data``; ``/m/checkin/`` is ``no-store``; the offline shell the
  service worker keeps holds no personal data."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from zhucun.web.chrome import nav_items

from .helpers import ROLES, html, login

OFFICE = {"admin", "prefecture", "county", "township", "unit"}
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"""\sstyle\s*=\s*["']""", re.I), "style= attribute"),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I), "on…= event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _check(env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ZHUCUN_")}
    base.pop("SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "zhucun.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, "ZHUCUN_HOME": str(tmp_path), "DATABASE_URL": "sqlite:///:memory:", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_behind_tls(tmp_path):
    key = secrets.token_urlsafe(50)
    done = _check({"ZHUCUN_HTTPS": "1", "SECRET_KEY": key}, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "no issues" in done.stdout
    plain = _check({"SECRET_KEY": key}, tmp_path)  # the same without the TLS block: warnings
    assert plain.returncode != 0
    for warning in ("W004", "W008", "W012", "W016"):
        assert warning in plain.stderr


def _pages(world, role: str) -> list[str]:
    urls = ["/", *(item.url for item in nav_items(world.users[role]))]
    return list(dict.fromkeys(u for u in urls if u.startswith("/") and "export" not in u))


@pytest.mark.parametrize("role", ROLES)
def test_pages_send_csp_and_satisfy_it(client, world, role):
    """Every role's main pages: the CSP header, and nothing inline that it would block."""
    login(client, world, role)
    pages = _pages(world, role)
    assert len(pages) >= 2
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert response["Content-Security-Policy"] == django_settings.ZHUCUN_CSP, url
        text = html(response)
        for pattern, what in INLINE:
            found = pattern.search(text)
            assert found is None, f"{url}: {what}: {text[found.start() : found.start() + 80]}"


def test_csp_is_strict_and_sent_without_https(client, db):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    for pattern, what in INLINE:
        assert pattern.search(html(response)) is None, what


def test_error_pages_have_nothing_inline(client, world):
    login(client, world, "county")
    response = client.get("/villages/999999/")
    assert response.status_code == 404
    from django.template.loader import render_to_string

    for text in (html(response), render_to_string("500.html"), render_to_string("web/400.html")):
        for pattern, what in INLINE:
            assert pattern.search(text) is None, what


def test_behind_tls_cookies_are_secure_and_hsts_is_sent(world, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    page = client.get("/login/")
    assert page["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
    assert page.cookies["csrftoken"]["secure"]
    response = client.post("/login/", {"username": "county", "password": "pw"})
    assert response.status_code == 302 and response.cookies["sessionid"]["secure"]
    assert Client().get("/login/").status_code == 301  # plain HTTP is redirected


@pytest.mark.parametrize("role", ROLES)
def test_office_sessions_are_shorter(world, settings, role):
    settings.ZHUCUN_OFFICE_SESSION_SECONDS = 8 * 3600
    settings.ZHUCUN_PHONE_SESSION_SECONDS = 30 * 86400
    client = Client()
    response = client.post("/login/", {"username": role, "password": "pw"})
    assert response.status_code == 302
    age = client.session.get_expiry_age()
    assert age == (8 * 3600 if role in OFFICE else 30 * 86400)
    assert response.cookies["sessionid"]["max-age"] == age


def test_logout_clears_site_cache(world):
    client = Client()
    client.post("/login/", {"username": "team_member", "password": "pw"})
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert client.get("/m/checkin/").status_code == 302


def test_checkin_page_is_no_store_and_the_offline_shell_is_anonymous(client, world):
    user = login(client, world, "team_member")
    page = client.get("/m/checkin/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    village = world.villages["A"].jurisdiction.name
    assert village in html(page) and str(user) in html(page)
    shell = client.get("/m/offline/")
    assert shell.status_code == 200
    text = html(shell)
    assert 'id="checkin-button"' in text and 'data-shell="1"' in text and 'data-user=""' in text
    for personal in (village, str(user), user.username, "csrfmiddlewaretoken"):
        assert personal not in text, personal
    assert Client().get("/m/offline/").status_code == 200  # no login needed: nothing personal


def test_service_worker_never_stores_the_personal_page():
    from zhucun.web.views.attendance_cadre import WORKER

    worker = WORKER.decode()
    assert 'SHELL = "/m/offline/"' in worker
    assert '"logout"' in worker and "caches.delete(CACHE)" in worker
    # the only thing put for navigations to the cadre's pages (the home "/" and /m/, issue 16)
    # is the shell, never the response itself
    assert 'u.pathname === "/" || (u.pathname.indexOf("/m/") === 0' in worker
    checkin_branch = worker[
        worker.index('r.mode === "navigate" && app(u)') : worker.index("return;\n  }")
    ]
    assert "c.put(" not in checkin_branch and "c.add(SHELL)" in checkin_branch
