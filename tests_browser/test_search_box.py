"""Issue 16 point 6: the search box in the top bar (1366 px and 360 px), a result leading to
its page, a column header sorting a list, and 新增干部 with a field error then saved.
Screenshots go to ci-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.world import build_world, make_id_number

from .test_village_list import login


def no_overflow(page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} overflows ({width}px)"


@pytest.mark.django_db(transaction=True)
def test_search_from_the_top_bar_desktop_and_phone(live_server, browser, artifacts):
    world = build_world()
    for width, height in ((1366, 800), (360, 740)):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN", device_scale_factor=1
        )
        page = context.new_page()
        login(page, live_server.url, "township")
        box = page.locator("#top-search input[name=q]")
        assert box.is_visible()
        no_overflow(page, f"home at {width}px")
        if width == 360:  # the box takes its own line under the brand and the user
            brand = page.locator(".brand").bounding_box()
            found = box.bounding_box()
            assert found["y"] > brand["y"] and found["width"] > 250
        page.screenshot(path=str(artifacts / f"search-topbar-{width}.png"))

        box.fill("岳")  # one character: a hint, no search
        page.locator("#top-search button").click()
        page.wait_for_url("**/search/?q=*")
        assert "请至少输入2个字符" in page.inner_text("#search-hint")

        page.locator("#top-search input[name=q]").fill("53*")
        page.locator("#top-search button").click()
        page.wait_for_selector("#search-cadre")
        names = page.locator("#search-cadre li").all_inner_texts()
        assert len(names) == 3 and not any("李国强" in n for n in names)  # 瑞丽: outside
        assert all("**********" in n for n in names)  # masked numbers only
        no_overflow(page, f"search page at {width}px")
        page.screenshot(path=str(artifacts / f"search-results-{width}.png"), full_page=True)

        page.locator("#search-cadre li a", has_text="岳文华").click()
        page.wait_for_url(f"**/cadres/{world.cadres['fs_a'].pk}/")
        for url in ("/postings/", "/township/exceptions/", "/township/approvals/", "/cadres/"):
            page.goto(f"{live_server.url}{url}")  # the filter forms fit the screen
            no_overflow(page, f"{url} at {width}px")
            name = url.strip("/").replace("/", "-")
            page.screenshot(path=str(artifacts / f"list-{name}-{width}.png"), full_page=True)
        context.close()


@pytest.mark.django_db(transaction=True)
def test_sort_a_list_and_register_a_cadre(live_server, browser, artifacts):
    build_world()
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    page = context.new_page()
    login(page, live_server.url, "county")
    page.goto(f"{live_server.url}/cadres/")
    page.locator("#cadre-table thead a", has_text="姓名").click()
    page.wait_for_url("**/cadres/?sort=name")
    first = page.locator("#cadre-table tbody tr").first.inner_text()
    page.locator("#cadre-table thead a", has_text="姓名").click()
    page.wait_for_url("**/cadres/?sort=-name")
    assert page.locator("#cadre-table tbody tr").first.inner_text() != first
    assert "▼" in page.inner_text("#cadre-table thead")
    page.screenshot(path=str(artifacts / "cadre-list-sorted.png"), full_page=True)

    page.click("#new-cadre")
    page.wait_for_url("**/cadres/new/")
    page.fill("#id_name", "杨新")
    page.select_option("#id_gender", "male")
    page.fill("#id_ethnicity", "汉族")
    number = make_id_number(dt.date(1992, 4, 5), 88)
    page.fill("#id_id_number", number[:-1] + ("0" if number[-1] != "0" else "1"))  # bad check
    page.select_option("#id_unit_name", "芒市人民医院")
    page.select_option("#id_party_status", "none")
    page.fill("#id_work_start_date", "2015-09-01")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("#error_id_number")
    assert "校验位" in page.inner_text("#error_id_number")
    page.screenshot(path=str(artifacts / "cadre-new-error.png"), full_page=True)
    page.fill("#id_id_number", number)
    page.click("#edit-form button[type=submit]")
    page.wait_for_url("**/cadres/*/")
    assert "杨新" in page.inner_text("h1")
    assert "1992-04-05" in page.inner_text("main")  # 出生日期 from the number
    page.screenshot(path=str(artifacts / "cadre-new-saved.png"), full_page=True)
    context.close()
