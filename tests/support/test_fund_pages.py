"""GUA.2 fund pages: the entitlement table with totals and the form, the 经费测算表 .xlsx
(totals row, signature block, text as text), the print page, the gaps page; bounded queries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.web.helpers import login
from tests.world import add_posted_villages
from zhucun.registry.models import DispatchingUnit
from zhucun.support.models import FundRecord

from .funds_helpers import make_key

pytestmark = pytest.mark.django_db
YEAR = 2025


def _sheet_rows(content: bytes, title: str):
    wb = load_workbook(io.BytesIO(content))
    return wb[title]


def test_gua2_xlsx_totals_row_sums_exactly_and_signature(client, world):
    """经费测算表: the 合计 row is the exact sum of the rows above; the signature block follows."""
    make_key(world)
    FundRecord.objects.create(
        year=YEAR,
        kind="unit",
        cadre=world.cadres["tm_a"],
        allocated=Decimal("1234.56"),
        spent=Decimal("0.01"),
        on=dt.date(2025, 3, 1),
        note="拨付",
        recorded_by=world.admin,
    )
    login(client, world, "admin")
    r = client.get(f"/funds/xlsx/?year={YEAR}")
    assert r.status_code == 200
    ws = _sheet_rows(r.content, "派出单位工作经费")
    rows = list(ws.iter_rows(values_only=True))
    assert "2025年驻村工作经费测算表" in rows[0][0]
    assert rows[1][:3] == ("姓名", "派出单位", "层级")
    body = [row for row in rows[2:] if row[0] and not str(row[0]).startswith("合计")]
    body = [row for row in body if not str(row[0]).startswith(("制表人", "单位(盖章)"))]
    total = next(row for row in rows if row[0] and str(row[0]).startswith("合计"))
    assert len(body) == 4
    for col in (5, 6, 7, 8):
        assert Decimal(str(total[col])) == sum(Decimal(str(row[col])) for row in body)
    assert Decimal(str(total[5])) == Decimal("30000.00")
    assert Decimal(str(total[6])) == Decimal("1234.56")
    assert any(row[0] and str(row[0]).startswith("单位(盖章)") for row in rows)
    village = list(_sheet_rows(r.content, "村(社区)工作经费(州级)").iter_rows(values_only=True))
    assert village[1][0] == "村(社区)"


def test_gua2_xlsx_text_stays_text_and_unset_reason_shown(client, world):
    """A unit level without a standard: the reason as text in 应安排, never a number; names
    are text cells."""
    DispatchingUnit.objects.filter(pk=world.units["mangshi"].pk).update(level="township")
    login(client, world, "admin")
    content = client.get(f"/funds/xlsx/?year={YEAR}").content
    ws = load_workbook(io.BytesIO(content))["派出单位工作经费"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    assert cells["线美玲"].data_type == "s"
    reasons = [v for v in cells if isinstance(v, str) and "GUA.2.UNIT_FUND" in v]
    assert reasons
    total = next(v for v in cells if isinstance(v, str) and v.startswith("合计"))
    assert "另有1条无法计算" in total  # tm_a (spare has no posting)


def test_gua2_page_shows_reason_not_number(client, world):
    DispatchingUnit.objects.filter(pk=world.units["mangshi"].pk).update(level="township")
    login(client, world, "admin")
    body = client.get(f"/funds/?year={YEAR}&kind=unit").content.decode()
    assert "GUA.2.UNIT_FUND" in body
    assert "无法计算" in body


def test_gua2_page_records_allocation_county(client, world):
    login(client, world, "county")
    url = f"/funds/?year={YEAR}&kind=fs"
    r = client.get(url)
    assert r.status_code == 200 and 'id="fund-form"' in r.content.decode()
    r = client.post(
        url,
        {
            "target": world.cadres["fs_a"].pk,
            "allocated": "10000",
            "spent": "",
            "on": "2025-03-01",
            "note": "德财农〔2025〕3号",
        },
    )
    assert r.status_code == 302
    assert FundRecord.objects.get().allocated == Decimal("10000.00")
    r = client.post(
        url,
        {
            "target": world.cadres["fs_a"].pk,
            "allocated": "",
            "spent": "20000",
            "on": "2025-03-02",
            "note": "购置办公用品",
        },
    )
    assert "支出不得超过已拨付" in r.content.decode()
    # the unit reads the fs fund but has no form
    login(client, world, "unit")
    assert 'id="fund-form"' not in client.get(url).content.decode()


@pytest.mark.parametrize("role", ["first_secretary", "team_member", "village_secretary"])
def test_gua2_pages_not_for_village_roles(client, world, role):
    login(client, world, role)
    for url in ("/funds/", "/funds/xlsx/", "/funds/print/", "/funds/gaps/"):
        assert client.get(url).status_code == 404


def test_gua2_print_and_gaps_pages(client, world):
    login(client, world, "prefecture")
    r = client.get(f"/funds/print/?year={YEAR}&kind=village")
    body = r.content.decode()
    assert r.status_code == 200 and "单位(盖章)" in body and "合计" in body
    r = client.get(f"/funds/gaps/?year={YEAR}&kind=village&list=short")
    assert r.status_code == 200 and "团结村" in r.content.decode()
    r = client.get(f"/funds/gaps/?year={YEAR}&kind=village&list=unspent")
    assert "没有需要列出的记录" in r.content.decode()


def _add_villages(world, n):
    add_posted_villages(world, n, planned_end=dt.date(2026, 3, 1))


@pytest.mark.parametrize("kind", ["fs", "village", "unit"])
def test_gua2_funds_page_bounded_queries_2_vs_6_villages(client, world, kind):
    """The page renders in the same number of queries with 2 and with 6 villages."""
    login(client, world, "county")
    url = f"/funds/?year={YEAR}&kind={kind}"
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    n2 = len(ctx.captured_queries)
    _add_villages(world, 4)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    assert len(ctx.captured_queries) == n2
    assert "新村3" in r.content.decode() or kind != "village"


@pytest.mark.parametrize("role", ["admin", "prefecture", "county", "township", "unit"])
def test_gua2_fund_pages_no_internal_words(client, world, role):
    """The visible-words guard over the fund pages and the .xlsx (the crawl of
    tests/web/test_visible_words.py starts from the navigation, which these pages are not in
    yet): no snake_case, no True/False/None, no parameter keys — also with a reason shown."""
    from tests.web.test_visible_words import _xlsx_text, offences, visible

    make_key(world)
    DispatchingUnit.objects.filter(pk=world.units["mangshi"].pk).update(level="township")
    FundRecord.objects.create(
        year=YEAR,
        kind="fs",
        cadre=world.cadres["fs_a"],
        allocated=Decimal("100"),
        spent=Decimal("0"),
        on=dt.date(2025, 3, 1),
        note="拨付",
        recorded_by=world.admin,
    )
    login(client, world, role)
    urls = [f"/funds/?year={YEAR}&kind={k}" for k in ("fs", "village", "unit")]
    urls += [f"/funds/print/?year={YEAR}&kind={k}" for k in ("fs", "village", "unit")]
    urls += [f"/funds/gaps/?year={YEAR}&kind=fs&list={x}" for x in ("short", "unspent")]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        text, _links = visible(r.content.decode())
        assert not offences(text), (url, offences(text))
    r = client.get(f"/funds/xlsx/?year={YEAR}")
    assert not offences(_xlsx_text(r.content))


def test_gua2_fund_totals_bounded_queries_2_vs_6_villages(world):
    """fund_totals: per kind 2 queries per chunk of 500 rows, one to find the end, one
    aggregate (+ the parameters' freshness check) — the same with 2 and with 6 villages."""
    from zhucun.support.selectors import funds as sel

    county = world.users["county"]
    sel.fund_totals(user=county, year=YEAR)  # warm the parameters
    with CaptureQueriesContext(connection) as ctx:
        sel.fund_totals(user=county, year=YEAR)
    n2 = len(ctx.captured_queries)
    _add_villages(world, 4)
    with CaptureQueriesContext(connection) as ctx:
        totals = {t.kind: t for t in sel.fund_totals(user=county, year=YEAR)}
    assert len(ctx.captured_queries) == n2 == 3 * 5  # per kind: 2 (one chunk) + 1 + 1 + 1
    assert totals["village"].rows == 6
