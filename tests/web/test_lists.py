"""Every list page, as every role: 200, and exactly the objects in the user's scope."""

import re

import pytest

from zhucun.registry import scopes
from zhucun.registry.models import Jurisdiction

from .helpers import ROLES, html, login, table_pks

LISTS = [
    ("/villages/", "village-table", scopes.villages_visible),
    ("/cadres/", "cadre-table", scopes.cadres_visible),
    ("/units/", "unit-table", scopes.units_visible),
    ("/postings/", "posting-table", scopes.postings_visible),
    ("/jurisdictions/", "jurisdiction-table", scopes.jurisdictions_visible),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "table", "visible"), LISTS, ids=[u for u, _, _ in LISTS])
def test_list_shows_exactly_the_scope(client, world, role, url, table, visible):
    user = login(client, world, role)
    response = client.get(url)
    assert response.status_code == 200
    assert table_pks(response, table) == set(visible(user).values_list("pk", flat=True))


def test_county_village_list_by_name(client, world):
    login(client, world, "county")
    response = client.get("/villages/")
    text = html(response)
    assert "弄坎村" in text and "拉勐村" in text
    assert "团结村" not in text
    assert {world.villages["A"].pk, world.villages["B"].pk} == table_pks(response, "village-table")


def test_village_list_columns_and_badges(client, world):
    login(client, world, "prefecture")
    text = html(client.get("/villages/"))
    head = text[text.index("<thead>") : text.index("</thead>")]
    cells = [re.sub(r"<[^>]+>|[▲▼]", "", c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head)]
    for header in ("区划代码", "村名", "乡镇", "县(市)", "类别", "重点/薄弱", "在岗人数"):
        assert header in cells
    assert "533103102001" in text and "抵边村" in text and "原建档立卡贫困村" in text


def test_village_filter_form_has_the_fields_the_browser_uses(client, world):
    login(client, world, "county")
    text = html(client.get("/villages/"))
    assert '<form method="get" action="" id="village-filter"' in text
    assert 'name="q"' in text and '<select name="county"' in text
    assert '<select name="category"' in text
    assert '<button type="submit" id="filter-submit">筛选</button>' in text
    # county options come from jurisdiction_list(level="county") in the user's scope
    assert '<option value="533103000000"' in text and "533102000000" not in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "弄坎"}, {"A"}),
        ({"q": "533103102002"}, {"B"}),
        ({"category": "border"}, {"A"}),
        ({"category": "former_poor"}, {"C"}),
        ({"cat3": "1"}, {"A", "C"}),
        ({"cat3": "0"}, {"B"}),
        ({"county": "533102000000"}, {"C"}),
        ({"township": "533103102000"}, {"A", "B"}),
    ],
)
def test_village_filters(client, world, params, expected):
    login(client, world, "prefecture")
    response = client.get("/villages/", params)
    assert table_pks(response, "village-table") == {world.villages[k].pk for k in expected}


def test_coverage_gap_filter(client, world):
    from zhucun.registry import services

    services.posting_end(
        actor=world.admin,
        posting_id=world.postings["fs_b"].pk,
        end_date=world.postings["fs_b"].arrival_date,
    )
    login(client, world, "county")
    response = client.get("/villages/", {"gap": "1"})
    assert table_pks(response, "village-table") == {world.villages["B"].pk}


def test_cadre_filters(client, world):
    login(client, world, "admin")
    response = client.get("/cadres/", {"posted": "0"})
    assert table_pks(response, "cadre-table") == {world.cadres["spare"].pk}
    response = client.get("/cadres/", {"party_status": "none"})
    assert table_pks(response, "cadre-table") == {world.cadres["tm_a"].pk}
    response = client.get("/cadres/", {"unit": world.units["ruili"].pk})
    assert table_pks(response, "cadre-table") == {world.cadres["fs_c"].pk}
    response = client.get("/cadres/", {"q": "岳"})
    assert table_pks(response, "cadre-table") == {world.cadres["fs_a"].pk}


def test_posting_filters(client, world):
    login(client, world, "prefecture")
    response = client.get("/postings/", {"role": "team_member"})
    assert table_pks(response, "posting-table") == {world.postings["tm_a"].pk}
    response = client.get("/postings/", {"county": "533102000000"})
    assert table_pks(response, "posting-table") == {world.postings["fs_c"].pk}
    response = client.get("/postings/", {"status": "ended"})
    assert table_pks(response, "posting-table") == set()


def test_jurisdiction_filters(client, world):
    login(client, world, "county")
    response = client.get("/jurisdictions/", {"level": "township"})
    expected = set(Jurisdiction.objects.filter(code="533103102000").values_list("pk", flat=True))
    assert table_pks(response, "jurisdiction-table") == expected


def test_pagination_25_per_page_with_page_links(client, world):
    from zhucun.registry import services

    for n in range(30):
        services.village_create(
            actor=world.admin,
            code=f"533103102{100 + n:03d}",
            name=f"测试村{n:02d}",
            township_code="533103102000",
        )
    login(client, world, "county")
    first = client.get("/villages/")
    assert len(table_pks(first, "village-table")) == 25
    text = html(first)
    assert "共 32 条" in text and "第 1/2 页" in text
    assert 'href="?page=2"' in text
    second = client.get("/villages/", {"page": "2"})
    assert len(table_pks(second, "village-table")) == 7
    assert table_pks(first, "village-table").isdisjoint(table_pks(second, "village-table"))
    # filters survive in the page links
    filtered = client.get("/villages/", {"q": "测试村"})
    assert 'href="?q=%E6%B5%8B%E8%AF%95%E6%9D%91&amp;page=2"' in html(filtered)
    # a bad page number falls back rather than failing
    assert client.get("/villages/", {"page": "x"}).status_code == 200
