"""补助发放表 and the subsidy / welfare pages (GUA.2.LIVING, GUA.2.TRAVEL, GUA.2.PAY,
GUA.2.EXAM, GUA.2.INSURE): exact totals in the .xlsx, text kept as text, the pages for every
role, and a query count that does not grow with the villages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.web.helpers import ROLES, html, login
from tests.world import cadre_data
from zhucun.params.services import parameter_set
from zhucun.registry import services as S
from zhucun.support.services import subsidies as write

D = dt.date
READERS = {"admin", "prefecture", "county", "township", "unit"}


def set_param(world, name, value):
    parameter_set(
        actor=world.users["county"],
        name=name,
        jurisdiction_code="533103000000",
        effective=D(2020, 1, 1),
        value=value,
        note="芒财〔2025〕1号",
    )


def sheet_rows(content):
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()], ws


def test_gua_2_travel_xlsx_totals_exact_and_unset_printed(client, world):
    """GUA.2.LIVING/TRAVEL: the 补助发放表 totals are exact; unset standards print 标准未设置."""
    login(client, world, "county")
    for key, km in (("fs_a", "37.4"), ("tm_a", "0.3"), ("fs_b", "12.1")):
        write.distance_set(
            actor=world.users["county"],
            posting_id=world.postings[key].pk,
            one_way_km=km,
            origin="单位",
            source="地图",
        )
    r = client.get("/subsidies/xlsx/", {"month": "2025-07"})
    assert r.status_code == 200
    rows, _ws = sheet_rows(r.content)
    assert rows[0][0] == "驻村干部补助发放表(2025年7月)"
    assert rows[1] == [
        "序号",
        "姓名",
        "驻村村(社区)",
        "在岗天数",
        "生活补助",
        "通信补贴",
        "交通费补助",
        "合计",
        "领取人签字",
    ]
    body = rows[2:5]
    assert sorted(Decimal(str(x[6])) for x in body) == [
        Decimal("1.50"),
        Decimal("60.50"),
        Decimal("187.00"),
    ]
    assert all(x[4] == "标准未设置" and x[7] == "标准未设置" for x in body)
    totals = rows[5]
    assert totals[0] == "合计" and Decimal(str(totals[6])) == Decimal("249.00")
    assert totals[4] == "标准未设置"
    flat = [v for row in rows for v in row if isinstance(v, str)]
    assert any(v.startswith("经办人") for v in flat) and any(
        v.startswith("单位负责人") for v in flat
    )
    # with the standards set, every total is a number, exact to the fen
    set_param(world, "living_subsidy_yuan_per_day", "100")
    set_param(world, "communication_subsidy_yuan_per_month", "50.10")
    rows, _ws = sheet_rows(client.get("/subsidies/xlsx/", {"month": "2025-07"}).content)
    totals = rows[5]
    assert Decimal(str(totals[5])) == Decimal("150.30")
    assert Decimal(str(totals[7])) == Decimal("399.30")  # 0 days ⇒ living 0.00


def test_xlsx_text_stays_text(client, world):
    c = world.cadres["tm_a"]
    type(c).objects.filter(pk=c.pk).update(name="=HYPERLINK(1)")
    login(client, world, "unit")
    r = client.get("/subsidies/xlsx/", {"month": "2025-07"})
    _rows, ws = sheet_rows(r.content)
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"


@pytest.mark.parametrize("role", ROLES)
def test_pages_for_every_role(client, world, role):
    login(client, world, role)
    for url in ("/subsidies/", "/subsidies/overdue/", "/welfare/", "/subsidies/print/"):
        r = client.get(url)
        assert r.status_code == (200 if role in READERS else 403), (url, r.status_code)
    if role in READERS:
        text = html(client.get("/subsidies/", {"month": "2025-07"}))
        assert ("payment-form" in text) == (role in {"admin", "unit"})
        assert ("distance-form" in text) == (role in {"admin", "unit", "county"})


def test_subsidy_page_shows_the_gap_not_a_number(client, world):
    """GUA.2.LIVING unset: the row shows the gap text and no number."""
    login(client, world, "unit")
    text = html(client.get("/subsidies/", {"month": "2025-07"}))
    assert "驻村干部每人每天生活补助标准尚未设置" in text and "未登记里程" in text


def test_unit_records_payment_and_distance_through_the_page(client, world):
    login(client, world, "unit")
    r = client.post(
        "/subsidies/?month=2025-07",
        {
            "action": "distance",
            "posting_id": world.postings["tm_a"].pk,
            "one_way_km": "37.4",
            "origin": "芒市人民医院",
            "source": "地图",
        },
    )
    assert r.status_code == 302
    assert "187.00" in html(client.get("/subsidies/", {"month": "2025-07"}))
    r = client.post(
        "/subsidies/?month=2025-07",
        {
            "action": "payment",
            "cadre_id": world.cadres["tm_a"].pk,
            "month": "2025-07",
            "kind": "transport",
            "amount": "187.005",
            "paid_on": "2025-08-01",
        },
    )
    assert r.status_code == 200 and "最多保留2位小数" in html(r)


def _add_villages(world, n, start):
    admin = world.admin
    for i in range(n):
        v = S.village_create(
            actor=admin,
            code=f"533103102{start + i:03d}",
            name=f"测试村{start + i}",
            township_code="533103102000",
        )
        c = S.cadre_create(
            actor=admin,
            data=cadre_data(
                name=f"测试{start + i}", serial=100 + start + i, unit_name="芒市人民医院"
            ),
        )
        S.posting_create(
            actor=admin,
            data={
                "id_number": c.id_number,
                "village_code": v.jurisdiction.code,
                "role": "first_secretary",
                "arrival_date": D(2024, 3, 1),
                "planned_end": D(2026, 3, 1),
            },
        )


def _count(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_bounded_query_count_2_vs_6_villages(client, world):
    login(client, world, "county")
    _add_villages(world, 2, 10)
    urls = [
        ("/subsidies/", {"month": "2025-07"}),
        ("/subsidies/print/", {"month": "2025-07"}),
        ("/subsidies/overdue/", {}),
        ("/welfare/", {"year": "2025"}),
    ]
    few = [_count(client, u, p) for u, p in urls]
    _add_villages(world, 4, 20)
    many = [_count(client, u, p) for u, p in urls]
    assert few == many


@pytest.mark.parametrize("role", sorted(READERS))
def test_no_internal_names_on_the_pages(client, world, role):
    """Issue 10 point 7 on the pages the home page does not link yet (the lead adds the nav)."""
    from tests.web.test_visible_words import _xlsx_text, offences, plain_names, visible

    plain_names(world)
    set_param(world, "living_subsidy_yuan_per_day", "100")
    client.force_login(type(world.admin).objects.get(pk=world.users[role].pk))
    pages = [
        ("/subsidies/", {"month": "2025-07"}),
        ("/subsidies/print/", {"month": "2025-07"}),
        ("/subsidies/overdue/", {}),
        ("/welfare/", {"year": "2025"}),
    ]
    for url, params in pages:
        text, _links = visible(html(client.get(url, params)))
        assert offences(text) == [], url
    xlsx = client.get("/subsidies/xlsx/", {"month": "2025-07"}).content
    assert offences(_xlsx_text(xlsx)) == []


def test_gua_2_living_an_unset_standard_is_said_once_and_each_row_shows_the_gap(client, world):
    """GUA.2.LIVING: with the communication standard unset, the page says why once and each
    row shows 标准未设置 instead of a number."""
    import re

    from tests.web.helpers import html, login

    login(client, world, "unit")
    text = html(client.get("/subsidies/"))
    assert text.count('id="subsidy-gaps"') == 1 and "尚未设置" in text
    cells = re.findall(r'<span class="gap" title="[^"]+">([^<]+)</span>', text)
    assert cells and set(cells) == {"标准未设置"}
