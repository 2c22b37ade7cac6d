"""The cadre's pages as an installable app (issue 16, the phone): the manifest and its icons
are served without login, the cadre's pages link them, the service worker may control the
whole site, and the offline page holds no personal data."""

from __future__ import annotations

import json
import struct

from .helpers import html, login

CADRES = ("first_secretary", "team_member")


def png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", body[16:24])


def test_manifest_is_served_and_valid(client, db):
    r = client.get("/manifest.webmanifest")
    assert r.status_code == 200 and r["Content-Type"] == "application/manifest+json"
    m = json.loads(r.content.decode("utf-8"))
    assert m["name"] == "驻村工作" and m["short_name"] and m["lang"] == "zh-CN"
    assert (m["start_url"], m["scope"], m["display"]) == ("/", "/", "standalone")
    assert m["theme_color"].startswith("#")
    sizes = {(i["sizes"], i["purpose"]) for i in m["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in m["icons"]:
        got = client.get(icon["src"])
        assert got.status_code == 200 and got["Content-Type"] == "image/png"
        w, h = png_size(got.content)
        assert f"{w}x{h}" == icon["sizes"]
    assert client.get("/assets/nothing.png").status_code == 404


def test_cadre_pages_link_the_manifest_and_the_worker(client, world):
    for role in CADRES:
        login(client, world, role)
        for url in ("/", "/m/checkin/"):
            text = html(client.get(url))
            assert '<link rel="manifest" href="/manifest.webmanifest">' in text, (role, url)
            assert 'data-sw="/m/sw.js"' in text, (role, url)
    login(client, world, "county")  # an office's home is no app
    assert 'rel="manifest"' not in html(client.get("/"))


def test_cadre_home_shows_todays_status_first(client, world):
    login(client, world, "team_member")
    text = html(client.get("/"))
    main = text[text.index('<main class="main">') :]
    first = main.index('id="today-status"')
    assert first < main.index('id="checkin-button"') < main.index('id="home-month"')
    assert 'id="m-bar"' in main  # the big buttons at the bottom of the phone's screen


def test_offline_shell_has_no_personal_data(client, world):
    user = login(client, world, "team_member")
    r = client.get("/m/offline/")
    assert r.status_code == 200
    text = r.content.decode("utf-8")
    assert "当前离线" in text and "自动上传" in text
    cadre = user.cadre
    for secret in (cadre.name, cadre.id_number, cadre.phone, "弄坎村", user.username):
        assert secret not in text
    assert "csrfmiddlewaretoken" not in text and 'data-csrf="' not in text
    assert '<link rel="manifest"' in text


def test_worker_may_control_the_whole_site(client, db):
    r = client.get("/m/sw.js")
    assert r.status_code == 200 and r["Service-Worker-Allowed"] == "/"
    body = r.content.decode()
    assert '"/m/offline/"' in body and '"/manifest.webmanifest"' in body
    assert "/m/checkin/" not in body.split("ASSETS", 1)[1].split("]", 1)[0]  # never stored
