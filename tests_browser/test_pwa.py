"""The cadre's phone (issue 16, point 5), measured in Chromium at 360×740:

* page weight on a throttled connection (slow 3G-like: 400 kbit/s down, 400 ms latency, no
  HTTP cache): the cadre's home and /m/checkin/ each transfer less than ``BUDGET`` bytes and
  load no chart library; the bytes are asserted, the time only printed (timed assertions do
  not belong in a test suite);
* no sideways scroll, the big tap targets at the bottom of the screen;
* the app installs: the manifest is served and valid, its icons load, Chromium reports no
  installability error, the service worker takes control;
* offline, /m/checkin/ (and the home) show the offline shell: today's status of the phone's own
  user as last seen, never the cadre's name or ID number, and nothing of the previous user after
  a logout.
Screenshots: ci-artifacts/pwa-*.png."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from tests.world import build_world
from tests_browser.conftest import back_online, wait_until
from zhucun.policy import WorkCalendar
from zhucun.policy.geo import gcj02_to_wgs84

from .test_checkin_mobile import login, logout

A_LAT, A_LNG = gcj02_to_wgs84(24.256, 98.276)
BUDGET = 150 * 1024  # bytes transferred for one cadre page, every asset included
SLOW = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN", "has_touch": True}


def measure(page, cdp, url: str) -> tuple[int, float, list[str]]:
    """Bytes on the wire (CDP encodedDataLength) and seconds to the load event for ``url``."""
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}

    def sent(e):
        urls[e["requestId"]] = e["request"]["url"]

    def done(e):
        sizes[e["requestId"]] = int(e["encodedDataLength"])

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", done)
    start = time.monotonic()
    page.goto(url, wait_until="load")
    seconds = time.monotonic() - start
    page.wait_for_timeout(300)  # late loadingFinished events
    cdp.remove_listener("Network.requestWillBeSent", sent)
    cdp.remove_listener("Network.loadingFinished", done)
    return sum(sizes.values()), seconds, [urls.get(k, k) for k in sizes]


@pytest.mark.django_db(transaction=True)
def test_cadre_pages_are_light_on_a_slow_network(live_server, browser, artifacts):
    build_world()
    base = live_server.url
    context = browser.new_context(service_workers="block", **PHONE)
    page = context.new_page()
    login(page, base, "team_member")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW)
    for name, path in (("home", "/"), ("checkin", "/m/checkin/")):
        total, seconds, urls = measure(page, cdp, base + path)
        print(
            f"\n[page weight] {path}: {total / 1024:.1f} KiB transferred, "
            f"{len(urls)} requests, load {seconds:.2f} s at 400 kbit/s + 400 ms latency"
        )
        assert total < BUDGET, (path, total, urls)
        assert not [u for u in urls if "echarts" in u.lower()], urls
        assert page.is_visible("#today-status")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        # one-handed: the cadre's pages as big buttons along the bottom of the screen
        bar = page.locator("#m-bar a")
        assert bar.count() >= 4
        for i in range(bar.count()):
            box = bar.nth(i).bounding_box()
            assert box and box["height"] >= 44 and box["width"] >= 56, (path, i, box)
            assert box["y"] + box["height"] >= 740 - 24, (path, i, box)  # at the bottom
        page.screenshot(path=str(artifacts / f"pwa-{name}-360.png"))
    context.close()


@pytest.mark.django_db(transaction=True)
def test_cadre_home_installs_and_works_offline(live_server, browser, artifacts):
    world = build_world()
    tm = world.users["team_member"]
    cadre = tm.cadre
    base = live_server.url
    context = browser.new_context(
        geolocation={"latitude": A_LAT, "longitude": A_LNG, "accuracy": 20}, **PHONE
    )
    context.grant_permissions(["geolocation"], origin=base)
    page = context.new_page()
    login(page, base, "team_member")

    # today's status first, online
    not_yet = "尚未签到" if WorkCalendar().is_workday(timezone.localdate()) else "今日非工作日"
    assert page.inner_text("#checkin-status") == not_yet
    top = page.locator("#today-status").bounding_box()
    assert top and top["y"] < 300  # on the first screen, above the button
    assert (
        page.locator("#today-status").bounding_box()["y"]
        < page.locator("#checkin-button").bounding_box()["y"]
    )

    # the manifest: served, valid, icons reachable; Chromium finds nothing against installing
    href = page.get_attribute('link[rel="manifest"]', "href")
    manifest = page.evaluate(f"fetch('{href}').then(r => r.json())")
    assert manifest["name"] == "驻村工作" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["lang"] == "zh-CN"
    for icon in manifest["icons"]:
        size = page.evaluate(
            "src => new Promise(ok => { const i = new Image(); i.onload = () => ok(i.naturalWidth);"
            " i.onerror = () => ok(0); i.src = src; })",
            icon["src"],
        )
        assert f"{size}x{size}" == icon["sizes"], icon
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    wait_until(page, "navigator.serviceWorker.controller !== null", timeout=15000)
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == base + "/"
    cdp = context.new_cdp_session(page)
    errors = [  # a Playwright context is incognito, where Chromium installs nothing
        e
        for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        if e["errorId"] != "in-incognito"
    ]
    print(f"\n[installability] {errors or 'no error: the cadre home installs as an app'}")
    assert errors == [], errors
    page.screenshot(path=str(artifacts / "pwa-1-home-online.png"))

    # check in: the line turns to 今日已签到 with the time
    page.tap("#checkin-button")
    wait_until(
        page,
        "document.getElementById('checkin-status').textContent === '今日已签到'",
        timeout=20000,
    )
    assert "在签到范围内" in page.inner_text("#today-detail")

    # offline: the shell, today's status of this phone's own user, no name or ID number
    context.set_offline(True)
    for path in ("/m/checkin/", "/"):
        page.goto(base + path)
        page.wait_for_selector("#checkin[data-shell='1']")
        assert "当前离线" in page.inner_text("#checkin-offline")
        assert page.inner_text("#checkin-status") == "今日已签到"
        body = page.content()
        for secret in (cadre.name, cadre.id_number, cadre.phone, "弄坎村", str(tm)):
            assert secret not in body, (path, secret)
    page.screenshot(path=str(artifacts / "pwa-2-offline.png"))

    # after a logout, another cadre on the same phone sees nothing of the first one offline
    back_online(context, page, base + "/")
    logout(page, base)
    login(page, base, "first_secretary")
    page.wait_for_selector("#today-status")
    context.set_offline(True)
    page.goto(base + "/m/checkin/")
    page.wait_for_selector("#checkin[data-shell='1']")
    assert page.inner_text("#checkin-status") != "今日已签到"
    assert cadre.name not in page.content()
    page.screenshot(path=str(artifacts / "pwa-3-offline-other-user.png"))
    context.set_offline(False)
    context.close()
