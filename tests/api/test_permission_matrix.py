"""Permission matrix: every role × every endpoint, with the exact status and, for lists, the
exact objects. Breaking a scoping rule in zhucun.registry.scopes (or bypassing it in the API)
turns at least one cell red — e.g. the county seeing village C of another county."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.world import cadre_data, make_id_number
from zhucun.audit.models import Event

ROLES = [
    "admin",
    "prefecture",
    "county",
    "township",
    "unit",
    "first_secretary",
    "team_member",
    "village_secretary",
]
ALL = set(ROLES)
WHOLE = {"admin", "prefecture"}
CADRE_USERS = {"first_secretary", "team_member"}

A, B, C = "弄坎村", "拉勐村", "团结村"
PREF_UNIT, MANGSHI, RUILI = "德宏州农业农村局", "芒市人民医院", "瑞丽市财政局"
FS_A, TM_A, FS_B, FS_C, SPARE = "岳文华", "线美玲", "排早腊", "李国强", "赵小兵"
J_ALL = {
    "533100000000",
    "533103000000",
    "533102000000",
    "533103102000",
    "533102001000",
    "533103102001",
    "533103102002",
    "533102001001",
    "533103102001001",
}
J_VILLAGE_A = {"533103102001", "533103102001001"}
J_TOWNSHIP = {"533103102000", "533103102002"} | J_VILLAGE_A
J_COUNTY = {"533103000000"} | J_TOWNSHIP

# list endpoint → (key of a result, {role: expected keys})
LISTS: dict[str, tuple[str, dict[str, set[str]]]] = {
    "/jurisdictions": (
        "code",
        {
            **dict.fromkeys(WHOLE, J_ALL),
            "county": J_COUNTY,
            "township": J_TOWNSHIP,
            **dict.fromkeys(["unit", *CADRE_USERS, "village_secretary"], J_VILLAGE_A),
        },
    ),
    "/villages": (
        "name",
        {
            **dict.fromkeys(WHOLE, {A, B, C}),
            **dict.fromkeys(["county", "township"], {A, B}),
            **dict.fromkeys(["unit", *CADRE_USERS, "village_secretary"], {A}),
        },
    ),
    "/units": (
        "name",
        {
            **dict.fromkeys(WHOLE, {PREF_UNIT, MANGSHI, RUILI}),
            **dict.fromkeys(
                ["county", "township", "first_secretary", "village_secretary"], {PREF_UNIT, MANGSHI}
            ),
            **dict.fromkeys(["unit", "team_member"], {MANGSHI}),
        },
    ),
    "/cadres": (
        "name",
        {
            **dict.fromkeys(WHOLE, {FS_A, TM_A, FS_B, FS_C, SPARE}),
            "county": {FS_A, TM_A, FS_B, SPARE},
            "township": {FS_A, TM_A, FS_B},
            "unit": {TM_A, SPARE},
            **dict.fromkeys(["first_secretary", "village_secretary"], {FS_A, TM_A}),
            "team_member": {TM_A},
        },
    ),
    "/postings": (
        "cadre_name",
        {
            **dict.fromkeys(WHOLE, {FS_A, TM_A, FS_B, FS_C}),
            **dict.fromkeys(["county", "township"], {FS_A, TM_A, FS_B}),
            **dict.fromkeys(["unit", "team_member"], {TM_A}),
            **dict.fromkeys(["first_secretary", "village_secretary"], {FS_A, TM_A}),
        },
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(LISTS))
def test_list(api, role, endpoint):
    key, expected = LISTS[endpoint]
    r = api(role).get(endpoint, {"page_size": 200})
    assert r.status_code == 200, r.json()
    body = r.json()
    got = [item[key] for item in body["results"]]
    assert sorted(got) == sorted(expected[role])
    assert body["count"] == len(expected[role])


# ---- details: an object every role sees, and one outside all but the whole prefecture ----

Path = Callable[[Any], str]
DETAILS: dict[str, tuple[Path, Path]] = {
    "jurisdiction": (
        lambda w: f"/jurisdictions/{w.villages['A'].jurisdiction.code}",
        lambda w: f"/jurisdictions/{w.villages['C'].jurisdiction.code}",
    ),
    "village": (
        lambda w: f"/villages/{w.villages['A'].pk}",
        lambda w: f"/villages/{w.villages['C'].pk}",
    ),
    "unit": (
        lambda w: f"/units/{w.units['mangshi'].pk}",
        lambda w: f"/units/{w.units['ruili'].pk}",
    ),
    "cadre": (
        lambda w: f"/cadres/{w.cadres['tm_a'].pk}",
        lambda w: f"/cadres/{w.cadres['fs_c'].pk}",
    ),
    "posting": (
        lambda w: f"/postings/{w.postings['tm_a'].pk}",
        lambda w: f"/postings/{w.postings['fs_c'].pk}",
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(DETAILS))
def test_detail(api, world, role, resource):
    inside, outside = DETAILS[resource]
    assert api(role).get(inside(world)).status_code == 200
    r = api(role).get(outside(world))
    assert r.status_code == (200 if role in WHOLE else 404)
    if r.status_code == 404:
        assert r.json() == {"detail": "对象不存在或不在您的管辖范围内", "errors": []}


def test_county_cannot_see_village_of_another_county(api, world):
    county = api("county")
    assert county.get(f"/villages/{world.villages['C'].pk}").status_code == 404
    assert county.get("/villages", {"county": "533102000000"}).json()["count"] == 0
    assert (
        county.patch(f"/villages/{world.villages['C'].pk}", {"key_village": True}).status_code
        == 404
    )


# ---- writes ---------------------------------------------------------------------------------


def _cadre_body() -> dict[str, Any]:
    return cadre_data(
        name="新干部", serial=21, unit_name=MANGSHI, birth_date=dt.date(1991, 2, 3)
    ) | {"id_number": make_id_number(dt.date(1991, 2, 3), 21)}


Write = tuple[str, Callable[[Any], str], Callable[[Any], dict[str, Any]], dict[str, int]]
EDITORS = {"admin", "prefecture", "county"}


def statuses(ok: int, allowed: set[str], refused: int) -> dict[str, int]:
    return {role: ok if role in allowed else refused for role in ROLES}


WRITES: dict[str, Write] = {
    "village.create": (
        "POST",
        lambda w: "/villages",
        lambda w: {"code": "533103102003", "name": "新寨村", "township_code": "533103102000"},
        # only the organisation departments register villages: the role is refused first (403)
        statuses(201, EDITORS, 403),
    ),
    "village.update": (
        "PATCH",
        lambda w: f"/villages/{w.villages['A'].pk}",
        lambda w: {"key_village": True, "name": "弄坎村(新)"},
        statuses(200, EDITORS, 403),
    ),
    "village.update.outside": (
        "PATCH",
        lambda w: f"/villages/{w.villages['C'].pk}",
        lambda w: {"weak_village": True},
        statuses(200, WHOLE, 404),
    ),
    "unit.create": (
        "POST",
        lambda w: "/units",
        lambda w: {
            "name": "芒市教育体育局",
            "level": "county",
            "kind": "organ",
            "jurisdiction_code": "533103000000",
        },
        statuses(201, EDITORS, 403),
    ),
    "unit.update": (
        "PATCH",
        lambda w: f"/units/{w.units['mangshi'].pk}",
        lambda w: {"address": "芒市勇罕街1号"},
        statuses(200, EDITORS | {"unit"}, 403),
    ),
    "unit.update.outside": (
        "PATCH",
        lambda w: f"/units/{w.units['ruili'].pk}",
        lambda w: {"address": "瑞丽市姐告路2号"},
        statuses(200, WHOLE, 404),
    ),
    "cadre.create": (
        "POST",
        lambda w: "/cadres",
        lambda w: _cadre_body(),
        statuses(201, EDITORS | {"unit"}, 403),
    ),
    "cadre.update": (
        "PATCH",
        lambda w: f"/cadres/{w.cadres['tm_a'].pk}",
        lambda w: {"post": "护士长"},
        statuses(200, EDITORS | {"unit"}, 403),
    ),
    "cadre.update.outside": (
        "PATCH",
        lambda w: f"/cadres/{w.cadres['fs_c'].pk}",
        lambda w: {"post": "副局长"},
        statuses(200, WHOLE, 404),
    ),
    "posting.create": (
        "POST",
        lambda w: "/postings",
        lambda w: {
            "id_number": w.cadres["spare"].id_number,
            "village_code": "533103102002",
            "role": "team_member",
            "arrival_date": "2024-06-01",
        },
        statuses(201, EDITORS, 403),
    ),
    "posting.end": (
        "POST",
        lambda w: f"/postings/{w.postings['tm_a'].pk}/end",
        lambda w: {"end_date": "2026-03-01", "note": "期满轮换"},
        statuses(200, EDITORS, 403),
    ),
    "posting.end.outside": (
        "POST",
        lambda w: f"/postings/{w.postings['fs_c'].pk}/end",
        lambda w: {"end_date": "2026-03-01"},
        statuses(200, WHOLE, 404),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(WRITES))
def test_write(api, world, role, action):
    method, path, body, expected = WRITES[action]
    events = Event.objects.count()
    r = api(role).send(method, path(world), body(world))
    assert r.status_code == expected[role], r.json()
    if r.status_code < 300:
        assert Event.objects.count() > events, "a successful write must leave an audit event"
        assert Event.objects.latest("seq").actor_id == world.users[role].pk
    else:
        assert Event.objects.count() == events
        assert set(r.json()) == {"detail", "errors"}


ENDPOINTS = [
    ("GET", "/me"),
    ("GET", "/me/tokens"),
    ("DELETE", "/me/tokens/1"),
    ("GET", "/jurisdictions"),
    ("GET", "/jurisdictions/533103102001"),
    ("GET", "/villages"),
    ("GET", "/villages/1"),
    ("POST", "/villages"),
    ("PATCH", "/villages/1"),
    ("GET", "/units"),
    ("GET", "/units/1"),
    ("POST", "/units"),
    ("PATCH", "/units/1"),
    ("GET", "/cadres"),
    ("GET", "/cadres/1"),
    ("POST", "/cadres"),
    ("PATCH", "/cadres/1"),
    ("GET", "/postings"),
    ("GET", "/postings/1"),
    ("POST", "/postings"),
    ("POST", "/postings/1/end"),
    ("GET", "/audit"),
]


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_anonymous_is_401(api, world, method, path):
    anon = api(None)
    r = anon.get(path) if method == "GET" else anon.send(method, path, {})
    assert r.status_code == 401
    assert r.json()["detail"].startswith("未登录")


@pytest.mark.parametrize("role", ROLES)
def test_me(api, world, role):
    body = api(role).get("/me").json()
    assert body["role"] == role
    assert body["username"] == world.users[role].username
