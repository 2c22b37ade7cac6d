"""The inbox walk (issue 16, point 1, "Done when"): on the demo prefecture, every demo account
opens its home page, reads its 待办 (``li.todo-item[data-kind]``), follows each link to the
page where the item is done (200, a heading, no error page), comes back, and finds the same
kinds and counts in GET /api/v1/me/todo; at 360 px the 待办 box shows without sideways
scrolling. One test: the demo is loaded once (about a minute), the database is emptied after.
Screenshots of each home page go to ci-artifacts/inbox-<account>.png."""

from __future__ import annotations

import pytest

from zhucun.demo.accounts import PASSWORD

# Every demo account has something waiting (the administrator: next year's holiday schedule
# from November; the village secretary: the latest month's summary to sign).
EMPTY_IN_DEMO: set[str] = set()
PHONE = {"width": 360, "height": 740}


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/")


def read_todo(page) -> list[tuple[str, int, str]]:
    """(kind, count, href) of each item of the home page's 待办, in page order."""
    return page.evaluate(
        """() => [...document.querySelectorAll('li.todo-item[data-kind]')].map(li => [
            li.dataset.kind,
            parseInt(li.querySelector('.todo-count').textContent, 10),
            li.querySelector('a.todo-link').getAttribute('href'),
        ])"""
    )


def walk(page, base: str, username: str, artifacts) -> list[str]:
    """Everything wrong with ``username``'s inbox, as sentences (empty: all good)."""
    problems: list[str] = []
    login(page, base, username)
    items = read_todo(page)
    page.screenshot(path=str(artifacts / f"inbox-{username}.png"), full_page=True)
    if not items and username not in EMPTY_IN_DEMO:
        problems.append(f"{username}:待办为空")
    api = page.request.get(f"{base}/api/v1/me/todo")
    if api.status != 200:
        problems.append(f"{username}:/api/v1/me/todo 返回 {api.status}")
    else:
        listed = [(i["kind"], i["count"]) for i in api.json()["items"]]
        shown = [(kind, count) for kind, count, _ in items]
        if listed != shown:
            problems.append(f"{username}:页面 {shown} 与接口 {listed} 不一致")
    for kind, _, href in items:
        with page.expect_navigation() as nav:
            page.click(f'li.todo-item[data-kind="{kind}"] a.todo-link')
        response = nav.value
        status = response.status if response is not None else 0
        title = page.title()
        if status != 200 or page.locator("h1").count() == 0 or title in ("未找到", "无权操作"):
            problems.append(f"{username}:{kind} → {href} 返回 {status}({title})")
        page.go_back()
        page.wait_for_selector("#todo")
        if read_todo(page) != items:
            problems.append(f"{username}:返回首页后待办变了({kind})")
    return problems


@pytest.mark.django_db(transaction=True)
def test_every_demo_role_walks_its_inbox_and_back(live_server, browser, artifacts, settings):
    from zhucun.demo.build import load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    accounts = load_demo().accounts
    roles = {a.role for a in accounts}
    assert len(roles) == 8, roles  # one account at least per role
    base = live_server.url
    problems: list[str] = []
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    for account in accounts:
        context.clear_cookies()
        problems += walk(page, base, account.username, artifacts)
    context.close()
    # at 360 px: the 待办 box is on screen without scrolling sideways (a township's is long)
    phone = browser.new_context(
        viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", has_touch=True
    )
    page = phone.new_page()
    for username in ("zhefang", "shuji"):
        phone.clear_cookies()
        login(page, base, username)
        box = page.locator("#todo").bounding_box()
        wide = page.evaluate("document.documentElement.scrollWidth")
        if box is None or box["x"] < 0 or box["x"] + box["width"] > PHONE["width"]:
            problems.append(f"{username}:360像素下待办框超出屏幕({box})")
        if wide > PHONE["width"]:
            problems.append(f"{username}:360像素下页面可横向滚动({wide}px)")
        page.screenshot(path=str(artifacts / f"inbox-{username}-360.png"), full_page=True)
    phone.close()
    assert not problems, "\n".join(problems)
