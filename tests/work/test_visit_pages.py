"""到组到户走访 pages (MGT.8.GROUPS, MGT.8.VISITS, DUT.2): the team's phone page, the month's
lists, the detail with the township's acknowledgement, the risk list, 分片联系 with its assign
form, the 走访台账 print page and .xlsx, the township home's line; and the township's
unvisited-groups page in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.web.helpers import ROLES, html, login, table_pks
from tests.work.visit_helpers import contact, group, visit
from tests.world import cadre_data
from zhucun.registry import services as registry
from zhucun.registry.models import Village
from zhucun.work.models import GroupContact, Visit
from zhucun.work.services.visits import household_add

MONTH = "2025-06"


def test_mgt8_visits_phone_page_records_a_visit(client, world):
    """MGT.8.VISITS: the phone page lists the cadre's own groups first and saves in one tap."""
    a1 = group(world, "A", 1)
    a2 = group(world, "A", 2, name="弄坎二组")
    contact(world, a2, cadre="tm_a")
    h = household_add(actor=world.users["team_member"], group_id=a2.pk, head_name="岩温")
    login(client, world, "team_member")
    text = html(client.get("/m/visit/"))
    assert text.index("弄坎二组(我联系)") < text.index(f'value="{a1.pk}"')
    assert "岩温" in text and "<script" not in text.split("<main", 1)[-1]
    r = client.post(
        "/m/visit/",
        {
            "group": a2.pk,
            "visited_on": "2025-06-03",
            "purposes": ["monitoring", "caring"],
            "households": [h.pk],
            "new_name_1": "玉香",
            "findings": "务工收入稳定",
        },
    )
    assert r.status_code == 302
    v = Visit.objects.get()
    assert v.group_id == a2.pk and v.purposes == ["monitoring", "caring"]
    assert sorted(x.head_name for x in v.households.all()) == ["岩温", "玉香"]


def test_mgt8_visits_phone_page_refuses_risk_without_follow_up(client, world):
    a1 = group(world, "A", 1)
    login(client, world, "first_secretary")
    r = client.post(
        "/m/visit/",
        {"group": a1.pk, "visited_on": "2025-06-03", "purposes": ["caring"], "risk_found": "on"},
    )
    text = html(r)
    assert r.status_code == 200 and "跟进措施" in text and "走访未保存" in text
    assert 'id="visit-risk" open' in text
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("role", ["township", "unit", "county", "village_secretary", "admin"])
def test_mgt8_visits_phone_page_is_the_teams(client, world, role):
    login(client, world, role)
    assert client.get("/m/visit/").status_code == 403


def test_mgt8_visits_list_tabs(client, world):
    a1, a2 = group(world, "A", 1), group(world, "A", 2, name="弄坎二组")
    a3 = group(world, "A", 3, name="弄坎三组")
    contact(world, a1)
    contact(world, a2, cadre="fs_a")
    v = visit(world, a1, dt.date(2025, 6, 3))
    login(client, world, "township")
    r = client.get("/work/visits/", {"month": MONTH})
    assert table_pks(r, "visit-table") == {v.pk}
    r = client.get("/work/visits/", {"month": MONTH, "show": "unvisited"})
    assert table_pks(r, "unvisited-table") == {a2.pk}
    assert "2025年6月走访0次" in html(r)
    r = client.get("/work/visits/", {"month": MONTH, "show": "nocontact"})
    assert table_pks(r, "nocontact-table") == {a3.pk}


def test_mgt8_visits_risk_acknowledged_on_the_page(client, world):
    a1 = group(world, "A", 1)
    v = visit(world, a1, dt.date(2025, 6, 3), risk_found=True, follow_up="纳入监测")
    login(client, world, "township")
    home = html(client.get("/"))
    assert 'data-kind="visit_risk"' in home and "待确认的返贫致贫风险走访" in home  # 待办
    assert table_pks(client.get("/work/risks/"), "risk-table") == {v.pk}
    r = client.post("/work/risks/", {"visit": v.pk, "note": "已阅"})
    assert r.status_code == 302
    assert table_pks(client.get("/work/risks/"), "risk-table") == set()
    assert 'data-kind="visit_risk"' not in html(client.get("/"))  # done: gone from 待办
    assert 'id="ack-form"' not in html(client.get(f"/work/visits/{v.pk}/"))
    login(client, world, "county")
    assert client.post(f"/work/visits/{v.pk}/", {"note": "x"}).status_code == 403
    v.refresh_from_db()
    assert v.acknowledged_by_id == world.users["township"].pk


def test_mgt8_groups_page_assigns(client, world):
    a1 = group(world, "A", 1)
    login(client, world, "first_secretary")
    text = html(client.get("/work/groups/"))
    assert "无联系人" in text and f"?assign={a1.pk}" in text
    text = html(client.get("/work/groups/", {"assign": a1.pk}))
    assert "线美玲" in text and "岳文华" in text
    r = client.post(
        "/work/groups/", {"group": a1.pk, "cadre": world.cadres["tm_a"].pk, "since": "2025-01-01"}
    )
    assert r.status_code == 302
    assert GroupContact.objects.get().cadre_id == world.cadres["tm_a"].pk
    login(client, world, "team_member")
    assert f"?assign={a1.pk}" not in html(client.get("/work/groups/"))


def test_mgt8_visits_ledger_print_and_xlsx(client, world):
    a1 = group(world, "A", 1)
    visit(world, a1, dt.date(2025, 6, 3), new_households=[{"head_name": "岩温"}])
    login(client, world, "first_secretary")
    village = world.villages["A"].pk
    text = html(client.get("/work/visits/ledger/", {"village": village, "month": MONTH}))
    assert "弄坎村2025年6月走访台账" in text and "岩温" in text and "关心慰问" in text
    r = client.get("/work/visits/ledger/", {"village": village, "month": MONTH, "format": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "弄坎村2025年6月走访台账" in values and "岩温" in values
    login(client, world, "unit")
    assert (
        client.get("/work/visits/ledger/", {"village": world.villages["C"].pk}).status_code == 404
    )


@pytest.mark.parametrize("role", ROLES)
def test_visit_pages_render_for_every_role(client, world, role):
    a1 = group(world, "A", 1)
    v = visit(world, a1, dt.date(2025, 6, 3), risk_found=True, follow_up="纳入监测")
    login(client, world, role)
    for url in ("/work/visits/", "/work/groups/", "/work/risks/", "/work/visits/ledger/"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/work/visits/{v.pk}/").status_code == 200


def _villages(world, first, last):
    """Villages ``first``..``last - 1`` of 遮放镇, each with a team member and two groups (the
    first contacted)."""
    for i in range(first, last):
        code = f"5331031020{10 + i}"
        registry.village_create(
            actor=world.admin, code=code, name=f"测试{i}村", township_code="533103102000"
        )
        key = f"T{i}"
        world.villages[key] = Village.objects.get(jurisdiction__code=code)
        world.cadres[key] = registry.cadre_create(
            actor=world.admin, data=cadre_data(name=f"队员{i}", serial=200 + i)
        )
        registry.posting_create(
            actor=world.admin,
            data={
                "id_number": world.cadres[key].id_number,
                "village_code": code,
                "role": "team_member",
                "arrival_date": dt.date(2024, 3, 1),
            },
        )
        contact(world, group(world, key, 1), cadre=key, role="township")
        group(world, key, 2)


def _count(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_mgt8_visits_township_pages_bounded_queries(client, world, django_assert_max_num_queries):
    """Pages that list a township's teams render from SQL in bounded queries: the township's
    unvisited-groups page does not grow with the number of villages (2 vs 6)."""
    login(client, world, "township")
    _villages(world, 0, 2)
    pages = [
        ("/work/visits/", {"month": MONTH, "show": "unvisited"}),
        ("/work/visits/", {"month": MONTH, "show": "nocontact"}),
        ("/work/visits/", {"month": MONTH}),
        ("/work/groups/", {}),
        ("/work/risks/", {}),
    ]
    small = [_count(client, url, params) for url, params in pages]
    _villages(world, 2, 6)
    with django_assert_max_num_queries(small[0]):
        r = client.get("/work/visits/", {"month": MONTH, "show": "unvisited"})
    assert len(table_pks(r, "unvisited-table")) == 6
    large = [_count(client, url, params) for url, params in pages]
    assert large == small


@pytest.mark.parametrize("role", ROLES)
def test_no_internal_names_on_the_visit_pages(client, world, role):
    """Issue 10 point 7 on the visit pages (the crawl of tests/web reaches them only through
    the nav): no snake_case, no True/False, no parameter keys — pages and the .xlsx."""
    from tests.web.test_visible_words import _xlsx_text, offences, plain_names, visible

    plain_names(world)
    a1, a2 = group(world, "A", 1), group(world, "A", 2, name="弄坎二组")
    contact(world, a1)
    v = visit(world, a1, dt.date(2025, 6, 3), risk_found=True, follow_up="纳入监测")
    assert a2
    login(client, world, role)
    village = world.villages["A"].pk
    urls = [
        "/m/visit/",
        f"/work/visits/?month={MONTH}",
        f"/work/visits/?month={MONTH}&show=unvisited",
        f"/work/visits/?month={MONTH}&show=nocontact",
        f"/work/visits/{v.pk}/",
        "/work/groups/",
        f"/work/groups/?assign={a1.pk}",
        "/work/risks/",
        "/work/risks/?all=1",
        f"/work/visits/ledger/?village={village}&month={MONTH}",
        "/",
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code < 500, url
        if r.status_code == 200:
            text, _ = visible(html(r))
            assert offences(text) == [], url
    r = client.get(f"/work/visits/ledger/?village={village}&month={MONTH}&format=xlsx")
    if r.status_code == 200:
        assert offences(_xlsx_text(r.content)) == []


def test_mgt8_visits_phone_page_group_of_another_village_404(client, world):
    group(world, "A", 1)
    b1 = group(world, "B", 1)
    login(client, world, "team_member")
    r = client.post(
        "/m/visit/", {"group": b1.pk, "visited_on": "2025-06-03", "purposes": ["caring"]}
    )
    assert r.status_code == 404 and Visit.objects.count() == 0
