"""统计图表 (issue 16) in Chromium: the county user opens /charts/ at 1366 px and at 360 px;
every chart is drawn by ECharts from its JSON with data, fits the screen, and no request
leaves this origin (ECharts is shipped with the package; no map tiles, no CDN). Screenshots
go to ci-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.charts.facts import add_uncovered_village, close_months, post_party_member
from tests.world import build_world

from .conftest import wait_until
from .test_village_list import login

NAMES = ["attendance_trend", "attendance_bands", "coverage", "village_map", "overdue"]
DRAWN = (
    "Array.from(document.querySelectorAll('[data-chart-src]'))"
    ".every(e => e.getAttribute('data-ready'))"
)
POINTS = """name => {
  const chart = echarts.getInstanceByDom(document.getElementById('chart-' + name));
  if (!chart) return -1;
  return chart.getOption().series.reduce((n, s) => n + s.data.length, 0);
}"""
FIRST = """name => {
  const chart = echarts.getInstanceByDom(document.getElementById('chart-' + name));
  return chart ? chart.getOption().series[0].data.length : -1;
}"""
CANVAS = """name => {
  const c = document.querySelector('#chart-' + name + ' canvas');
  return c ? [c.width, c.height] : null;
}"""


@pytest.mark.django_db(transaction=True)
def test_charts_render_with_data_at_desk_and_phone_width(live_server, browser, artifacts):
    world = build_world()
    add_uncovered_village(world)
    close_months(world)
    post_party_member(world, "刀小龙", "B", dt.date.today() - dt.timedelta(days=80), 61)
    for width, height in ((1366, 900), (360, 740)):
        _check(browser, live_server.url, width, height, artifacts / f"charts-{width}.png")


def _check(browser, origin: str, width: int, height: int, shot) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN", is_mobile=width < 600
    )
    page = context.new_page()
    outside: list[str] = []
    failed: list[str] = []
    errors: list[str] = []

    def on_request(req) -> None:
        if not req.url.startswith((origin, "data:", "blob:")):
            outside.append(req.url)

    page.on("request", on_request)
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, origin, "county")
    page.goto(f"{origin}/charts/")
    wait_until(page, DRAWN)
    for name in NAMES:
        state = page.get_attribute(f"#chart-{name}", "data-ready")
        assert state == "1", (name, state, errors)
        assert page.evaluate(FIRST, name) > 0 or name == "village_map", name
        assert page.evaluate(POINTS, name) > 0, name
        canvas = page.evaluate(CANVAS, name)
        assert canvas and canvas[0] > 0 and canvas[1] > 0, name
    # the figures under each chart are there as a table too
    assert page.locator("#table-coverage tbody tr").count() == 2  # 遮放镇, 合计
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"/charts/ overflows a {width}-px screen ({scroll}px)"
    box = page.locator("#chart-attendance_trend canvas").bounding_box()
    assert box and box["width"] <= width
    page.screenshot(path=str(shot), full_page=True)
    assert outside == [], outside
    assert failed == [], failed
    assert not [e for e in errors if "Content Security Policy" in e], errors
    context.close()
