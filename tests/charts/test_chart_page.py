"""统计图表 page (issue 16): every chart with its table rendered on the server (readable without
JavaScript) and its .xlsx, which opens with openpyxl and holds the numbers of the JSON; ECharts
served from this origin with a long cache under a versioned URL, on this page only (never on the
cadre's phone pages); roles without charts refused; no internal names on the page."""

from __future__ import annotations

import gzip
import io
import re

import pytest
from openpyxl import load_workbook

from tests.web.helpers import html, login
from tests.web.test_visible_words import offences, plain_names, visible
from zhucun.web.views import assets

from .facts import add_uncovered_village, close_months

NAMES = ["attendance_trend", "attendance_bands", "coverage", "village_map", "overdue"]


@pytest.fixture
def closed(world):
    add_uncovered_village(world)
    return close_months(world)


def _xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_page_has_every_chart_with_its_table_and_links(client, world, closed):
    login(client, world, "prefecture")
    r = client.get("/charts/")
    assert r.status_code == 200
    text = html(r)
    for name in NAMES:
        assert f'id="chart-{name}"' in text and f'data-chart-src="/api/v1/charts/{name}"' in text
        assert f'id="table-{name}"' in text and f'href="/charts/{name}.xlsx"' in text
    # the tables are rendered here, figures included (no script needed)
    table = text[
        text.index('id="table-coverage"') : text.index(
            "</table>", text.index('id="table-coverage"')
        )
    ]
    assert "芒市" in table and "66.7" in table
    assert 'href="?area=533103000000"' in text  # drill down into the county
    assert "MGT.3.RANK" in text and "SEL.SCOPE.COVER" in text
    scripts = re.findall(r'<script src="([^"]+)"', text)
    assert f"/assets/echarts.min.js?v={assets.ECHARTS_VERSION}" in scripts
    assert f"/assets/charts.js?v={assets.CHARTS_JS_VERSION}" in scripts
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)  # no inline script
    assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text


@pytest.mark.parametrize("name", NAMES)
def test_xlsx_holds_the_numbers_of_the_json(client, world, closed, name):
    login(client, world, "county")
    body = client.get(f"/api/v1/charts/{name}").json()
    r = client.get(f"/charts/{name}.xlsx")
    assert r.status_code == 200 and "spreadsheetml" in r["Content-Type"]
    rows = _xlsx_rows(r.content)
    assert rows[0][0].startswith(body["title"])
    assert [c for c in rows[1] if c is not None] == body["table"]["headers"]
    data = rows[2 : 2 + len(body["table"]["rows"])]
    assert len(body["table"]["rows"]) > 0
    for got, want in zip(data, body["table"]["rows"], strict=True):
        assert got[: len(want)] == want
    assert any(str(r[0]).startswith("说明:") for r in rows if r and r[0])


def test_township_xlsx_and_page_hold_its_villages_only(client, world, closed):
    login(client, world, "township")
    rows = _xlsx_rows(client.get("/charts/coverage.xlsx").content)
    names = [r[0] for r in rows[2:] if r and r[0]]
    assert "弄坎村" in names and "芒棒村" in names and "团结村" not in names
    text = html(client.get("/charts/"))
    assert "团结村" not in text and "瑞丽市" not in text
    assert client.get("/charts/?area=533102000000").status_code == 404


@pytest.mark.parametrize("role", ["unit", "first_secretary", "team_member", "village_secretary"])
def test_roles_without_charts_are_refused(client, world, role):
    login(client, world, role)
    assert client.get("/charts/").status_code == 403
    assert client.get("/charts/coverage.xlsx").status_code == 403


def test_unknown_chart_and_bad_month(client, world, closed):
    login(client, world, "county")
    assert client.get("/charts/nothing.xlsx").status_code == 404
    r = client.get("/charts/?month=2024-1x")
    assert r.status_code == 200 and 'id="chart-note"' in html(r)
    r = client.get("/charts/?month=2024-10&kind=border&color=attendance")
    text = html(r)
    assert "/api/v1/charts/coverage?month=2024-10&amp;kind=border&amp;color=attendance" in text
    assert "2024年10月" in text


def test_no_internal_names_on_the_charts_page(client, world, closed):
    plain_names(world)
    for role in ("admin", "prefecture", "county", "township"):
        login(client, world, role)
        text, _ = visible(html(client.get("/charts/")))
        assert offences(text) == [], role
        for name in NAMES:
            sheet = "\n".join(
                str(c)
                for r in _xlsx_rows(client.get(f"/charts/{name}.xlsx").content)
                for c in r
                if c
            )
            assert offences(sheet) == [], (role, name)


def test_echarts_is_served_here_with_a_long_cache(client, world):
    r = client.get(
        f"/assets/echarts.min.js?v={assets.ECHARTS_VERSION}", HTTP_ACCEPT_ENCODING="gzip"
    )
    assert r.status_code == 200 and r["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in r["Cache-Control"] and "immutable" in r["Cache-Control"]
    assert b"Apache" in gzip.decompress(r.content)[:2000]
    plain = client.get("/assets/echarts.min.js")
    assert "Content-Encoding" not in plain and plain.content == assets.ECHARTS
    assert b'version:"6.1.0"' in plain.content
    assert (assets.ASSETS / "ECHARTS-LICENSE.txt").read_text().lstrip().startswith("Apache License")
    js = client.get("/assets/charts.js")
    assert js.status_code == 200 and "max-age=31536000" in js["Cache-Control"]


def test_the_cadres_phone_pages_do_not_load_echarts(client, world):
    login(client, world, "team_member")
    for url in ("/", "/m/checkin/", "/m/diary/", "/m/leave/"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "echarts" not in html(r) and "charts.js" not in html(r), url
