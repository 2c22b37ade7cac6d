"""Issue 16 point 6: the officials' one search box (page ``/search/`` and ``GET /api/v1/search``).

Scope: a user finds only what ``scopes`` lets it see. ID numbers: a user that reads a number
only masked (disclosure.py: first 2 and last 2 digits) finds a cadre only by those digits —
a query naming any hidden digit matches no number, so a result never tells one.
"""

from __future__ import annotations

import re

import pytest

from tests.world import add_posted_villages
from zhucun.registry import disclosure, scopes
from zhucun.registry.models import Cadre
from zhucun.registry.search import PER_GROUP, TOO_SHORT

from .helpers import html, login

OFFICIALS = ["admin", "prefecture", "county", "township", "unit"]
CADRE_ROLES = ["first_secretary", "team_member", "village_secretary"]


def page_groups(response) -> dict[str, list[int]]:
    """``{kind: [pk, …]}`` of the search page's groups, in the order shown."""
    text = html(response)
    out = {}
    for kind in ("cadre", "village", "unit"):
        m = re.search(
            rf'<section class="card search-group" id="search-{kind}">(.*?)</section>', text, re.S
        )
        if m:
            out[kind] = [int(pk) for pk in re.findall(r'data-pk="(\d+)"', m.group(1))]
    return out


def api_groups(client, q) -> tuple[dict[str, list[int]], dict]:
    body = client.get("/api/v1/search", {"q": q}).json()
    return {g["kind"]: [h["id"] for h in g["results"]] for g in body["groups"]}, body


def found_cadres(client, q) -> set[int]:
    return set(page_groups(client.get("/search/", {"q": q})).get("cadre", []))


# ---- scope ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", OFFICIALS)
def test_each_role_finds_exactly_the_cadres_it_sees(client, world, role):
    user = login(client, world, role)
    visible = set(scopes.cadres_visible(user).values_list("pk", flat=True))
    for cadre in world.cadres.values():
        expected = {cadre.pk} if cadre.pk in visible else set()
        assert found_cadres(client, cadre.name) == expected, (role, cadre.name)


def test_township_never_finds_a_cadre_outside_its_township(client, world):
    login(client, world, "township")
    # 李国强 serves in 瑞丽市, 赵小兵 is not posted: neither by name nor by the masked number
    for key in ("fs_c", "spare"):
        cadre = world.cadres[key]
        assert found_cadres(client, cadre.name) == set()
        assert cadre.pk not in found_cadres(client, disclosure.mask_id_number(cadre.id_number))
    assert found_cadres(client, "岳文华") == {world.cadres["fs_a"].pk}


def test_unit_finds_only_its_own_cadres(client, world):
    login(client, world, "unit")  # 芒市人民医院: 线美玲, 赵小兵
    assert found_cadres(client, "岳文华") == set()
    assert found_cadres(client, "赵小兵") == {world.cadres["spare"].pk}
    everyone = found_cadres(client, "53*")  # every number starts with 53
    assert everyone == {world.cadres["tm_a"].pk, world.cadres["spare"].pk}
    # by the last digits of its own cadre's number (a unit reads its cadres' numbers in full)
    assert found_cadres(client, world.cadres["spare"].id_number[-4:]) == {world.cadres["spare"].pk}
    assert found_cadres(client, world.cadres["fs_c"].id_number) == set()


def test_villages_and_units_within_scope(client, world):
    login(client, world, "township")  # 遮放镇: 弄坎村, 拉勐村
    groups = page_groups(client.get("/search/", {"q": "村" * 2}))
    assert groups["village"] == []
    groups = page_groups(client.get("/search/", {"q": "533102"}))  # 瑞丽's codes
    assert groups["village"] == []
    groups = page_groups(client.get("/search/", {"q": "5331031020"}))
    assert set(groups["village"]) == {world.villages["A"].pk, world.villages["B"].pk}
    login(client, world, "county")
    groups = page_groups(client.get("/search/", {"q": "团结"}))
    assert groups["village"] == []  # 团结村 is in 瑞丽市
    groups = page_groups(client.get("/search/", {"q": "人民医院"}))
    assert groups["unit"] == [world.units["mangshi"].pk]
    groups = page_groups(client.get("/search/", {"q": "财政局"}))
    assert groups["unit"] == []  # 瑞丽市财政局: no cadre of it in 芒市, not in 芒市


@pytest.mark.parametrize("role", CADRE_ROLES)
def test_cadre_roles_have_no_search(client, world, role):
    login(client, world, role)
    assert client.get("/search/", {"q": "岳文华"}).status_code == 403
    assert client.get("/api/v1/search", {"q": "岳文华"}).status_code == 403
    assert 'id="top-search"' not in html(client.get("/"))


@pytest.mark.parametrize("role", OFFICIALS)
def test_the_frame_has_the_search_box_for_officials(client, world, role):
    login(client, world, role)
    text = html(client.get("/cadres/" if role != "unit" else "/postings/"))
    assert '<form method="get" action="/search/" class="searchbox" id="top-search"' in text


def test_anonymous_is_sent_to_login(client, world):
    response = client.get("/search/", {"q": "岳文华"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/api/v1/search", {"q": "岳文华"}).status_code == 401


# ---- ID numbers: nothing beyond what is shown ------------------------------------------------


def _hidden_digit_probes(number: str) -> list[str]:
    """Queries that name at least one digit a masked page does not show."""
    return [
        number,  # the whole number
        number[-4:],  # the last four
        number[:3] + "*" * 13 + number[-2:],  # one head digit too many
        number[:2] + "*" * 13 + number[-3:],  # one tail digit too many
        "*" + number[-3:],
        number[:6] + "*",
    ]


def test_masked_reader_cannot_search_by_hidden_digits(client, world):
    """disclosure.py: the township reads numbers as 53**************7X — a query using any
    other digit finds no cadre by number (only by name, which these are not) and says why."""
    login(client, world, "township")
    for key in ("fs_a", "tm_a", "fs_b"):
        number = world.cadres[key].id_number
        for probe in _hidden_digit_probes(number):
            response = client.get("/search/", {"q": probe})
            assert page_groups(response)["cadre"] == [], probe
            assert "只能按页面显示的形式查找" in html(response), probe
            groups, body = api_groups(client, probe)
            assert groups["cadre"] == [] and body["groups"][0]["hint"], probe
        # three digits are not read as a number at all (ID_TAIL_MIN): no cadre either
        assert found_cadres(client, number[-3:]) == set()


def test_masked_reader_finds_by_the_shown_digits_only(client, world):
    user = login(client, world, "township")
    visible = list(scopes.cadres_visible(user))
    for cadre in visible:
        masked = disclosure.mask_id_number(cadre.id_number)
        expected = {
            c.pk for c in visible if disclosure.mask_id_number(c.id_number) == masked
        }  # every cadre the township cannot tell apart from this one by what it sees
        assert found_cadres(client, masked) == expected
        tail = "*" + cadre.id_number[-2:]
        assert found_cadres(client, tail) == {
            c.pk for c in visible if c.id_number[-2:] == cadre.id_number[-2:]
        }


def test_masked_reader_is_shown_the_masked_number_only(client, world):
    login(client, world, "township")
    text = html(client.get("/search/", {"q": "53*"}))
    for cadre in Cadre.objects.all():
        assert cadre.id_number not in text
    assert disclosure.mask_id_number(world.cadres["fs_a"].id_number) in text
    _, body = api_groups(client, "53*")
    numbers = {h["id_number"] for h in body["groups"][0]["results"]}
    assert numbers and all("*" * 10 in n for n in numbers)


def test_full_reader_finds_by_whole_number_tail_and_masked_form(client, world):
    login(client, world, "county")
    cadre = world.cadres["tm_a"]
    n = cadre.id_number
    assert found_cadres(client, n) == {cadre.pk}
    assert found_cadres(client, n[-4:]) == {cadre.pk}
    assert found_cadres(client, n[:4] + "*" * 10 + n[-4:]) == {cadre.pk}
    assert found_cadres(client, n[-4:].lower()) == {cadre.pk}  # x as X
    full_width = n[-4:].translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    assert found_cadres(client, full_width) == {cadre.pk}  # typed with a Chinese IME
    text = html(client.get("/search/", {"q": n[-4:]}))
    assert n in text  # the county reads the number in full


# ---- page and API agree; short queries; 更多 ---------------------------------------------------


@pytest.mark.parametrize("role", OFFICIALS)
def test_page_and_api_agree(client, world, role):
    login(client, world, role)
    for q in ("53*", "岳文华", "5331", "德宏州", "人民医院", "遮放", "*7X"):
        page = page_groups(client.get("/search/", {"q": q}))
        api, body = api_groups(client, q)
        assert page == api, (role, q)
        counts = {g["kind"]: g["count"] for g in body["groups"]}
        assert all(counts[k] >= len(v) for k, v in api.items())


def test_short_query_gives_a_hint_and_runs_no_search(client, world, django_assert_max_num_queries):
    login(client, world, "prefecture")
    client.get("/search/", {"q": "岳文华"})  # warm the session
    with django_assert_max_num_queries(4):  # session, user, the bell — nothing of the registry
        response = client.get("/search/", {"q": "岳"})
    assert response.status_code == 200 and TOO_SHORT in html(response)
    assert page_groups(response) == {}
    body = client.get("/api/v1/search", {"q": " 岳 "}).json()
    assert body["hint"] == TOO_SHORT and body["groups"] == []
    empty = client.get("/search/")
    assert empty.status_code == 200 and TOO_SHORT not in html(empty)
    long = client.get("/api/v1/search", {"q": "长" * 51}).json()
    assert long["groups"] == [] and "不能超过" in long["hint"]


def test_more_links_to_the_filtered_list(client, world, django_assert_max_num_queries):
    add_posted_villages(world, PER_GROUP + 3)  # 新村0… with 王0号… (ID numbers 533103…)
    login(client, world, "county")
    with django_assert_max_num_queries(13):  # session, user, chrome, the bell + two per group
        response = client.get("/search/", {"q": "新村"})
    text = html(response)
    assert len(page_groups(response)["village"]) == PER_GROUP
    assert (
        f'href="/villages/?q=%E6%96%B0%E6%9D%91" class="more-link">更多({PER_GROUP + 3}条)' in text
    )
    listed = client.get("/villages/", {"q": "新村"})
    assert "共 11 条" in html(listed)
    # the cadre list's q matches as the search does (ID forms included)
    q = "53*"
    count = next(g["count"] for g in client.get("/api/v1/search", {"q": q}).json()["groups"])
    assert f"共 {count} 条" in html(client.get("/cadres/", {"q": q}))
