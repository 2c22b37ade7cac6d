"""Browser tests: Playwright's sync API drives Debian's Chromium against pytest-django's
live_server. Playwright runs an event loop in the test thread, so Django's async-safety
check must be relaxed for the test thread's own database work (building the world)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")

CHROMIUM = os.environ.get("ZHUCUN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "ci-artifacts"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def wait_until(page, expression: str, *, timeout: int = 30000) -> None:
    """Poll ``expression`` in the page until it is true. Playwright's wait_for_function
    evaluates its predicate with eval(), which the pages' Content-Security-Policy
    (script-src 'self', no 'unsafe-eval') rightly refuses; page.evaluate is not affected."""
    import time

    deadline = time.monotonic() + timeout / 1000
    while True:
        if page.evaluate(expression):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"在{timeout / 1000:.0f}秒内未满足:{expression}")
        page.wait_for_timeout(100)


def back_online(context, page, url: str) -> None:
    """Turn the network back on and open ``url``. The offline shell reloads /m/checkin/ by
    itself when the network returns (checkin.js), which may interrupt our own navigation:
    either way the page ends on a real (not shell) page."""
    from playwright.sync_api import Error

    context.set_offline(False)
    try:
        page.goto(url)
    except Error:
        page.wait_for_load_state()
        page.goto(url)
