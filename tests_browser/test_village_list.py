"""The county user logs in through the form, filters the village list, and the table shows
the expected rows; screenshots go to ci-artifacts/ (desktop list, 360×740 home page)."""

from __future__ import annotations

import pytest

from tests.world import build_world


def login(page, base_url: str, username: str, password: str = "pw") -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    page.wait_for_url(f"{base_url}/")


def table_rows(page) -> list[str]:
    return [row.inner_text() for row in page.locator("#village-table tbody tr[data-pk]").all()]


@pytest.mark.django_db(transaction=True)
def test_county_filters_village_list(live_server, browser, artifacts):
    build_world()
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    login(page, live_server.url, "county")
    assert "县(市)委组织部 · 芒市" in page.inner_text("#user-scope")

    page.click("#main-nav >> text=村(社区)")
    page.wait_for_selector("#village-table")
    rows = table_rows(page)
    assert len(rows) == 2
    assert any("弄坎村" in r for r in rows) and any("拉勐村" in r for r in rows)
    assert not any("团结村" in r for r in rows)  # 瑞丽市, outside the county

    form = page.locator("#village-filter")
    form.locator("select[name=county]").select_option("533103000000")
    form.locator("select[name=category]").select_option("border")
    page.click("#filter-submit")
    page.wait_for_url("**/villages/?*category=border*")
    rows = table_rows(page)
    assert len(rows) == 1 and "弄坎村" in rows[0] and "抵边村" in rows[0]

    form.locator("select[name=category]").select_option("")
    form.locator("input[name=q]").fill("拉勐")
    page.click("#filter-submit")
    page.wait_for_url("**/villages/?q=*")
    rows = table_rows(page)
    assert len(rows) == 1 and "拉勐村" in rows[0]

    form.locator("input[name=q]").fill("")
    page.click("#filter-submit")
    page.wait_for_load_state()
    assert len(table_rows(page)) == 2
    page.screenshot(path=str(artifacts / "village-list.png"), full_page=True)

    mobile = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    phone = mobile.new_page()
    login(phone, live_server.url, "county")
    assert phone.locator("#stat-villages").inner_text() == "2"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"home page overflows a 360-px screen ({width}px)"
    phone.screenshot(path=str(artifacts / "home-360.png"), full_page=True)
    mobile.close()
    context.close()
