"""村民小组与走访 through the API (MGT.8.GROUPS, MGT.8.VISITS, DUT.2): every role × every
endpoint with the exact status — outside the scope 404, a reader who may not write 403, a bad
field 400 with the field and a Chinese reason; household names masked for the unit."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.test_permission_matrix import ROLES
from tests.work.visit_helpers import contact, group, visit
from zhucun.work.models import GroupContact, Household, Visit
from zhucun.work.services.visits import household_add

# village A (遮放镇, 芒市) is read by these roles; the unit (芒市人民医院) reads it through 线美玲
READERS = {
    "admin",
    "prefecture",
    "county",
    "township",
    "unit",
    "first_secretary",
    "team_member",
    "village_secretary",
}
NAMES = READERS - {"unit"}
CONTACT_WRITERS = {"first_secretary", "township"}
HOUSEHOLD_WRITERS = {"first_secretary", "team_member", "township"}
VISITORS = {"first_secretary", "team_member"}
ACK = {"township"}


def expected(role, writers):
    return 201 if role in writers else 403 if role in READERS else 404


@pytest.mark.parametrize("role", ROLES)
def test_village_groups_list(api, world, role):
    a1 = group(world, "A", 1)
    contact(world, a1)
    body = api(role).get("/village-groups").json()
    ids = [x["id"] for x in body["results"]]
    assert (a1.pk in ids) == (role in READERS)
    if role in READERS:
        row = next(x for x in body["results"] if x["id"] == a1.pk)
        assert row["contact_name"] == "线美玲" and row["village_name"] == "弄坎村"


@pytest.mark.parametrize("role", ROLES)
def test_village_group_contact(api, world, role):
    a1 = group(world, "A", 1)
    r = api(role).post(
        f"/village-groups/{a1.pk}/contact",
        {"cadre_id": world.cadres["tm_a"].pk, "since": "2025-01-01"},
    )
    assert r.status_code == expected(role, CONTACT_WRITERS), r.json()
    assert GroupContact.objects.count() == (1 if role in CONTACT_WRITERS else 0)
    if role in CONTACT_WRITERS:
        assert r.json()["cadre_name"] == "线美玲" and r.json()["until"] is None


def test_village_group_contact_errors(api, world):
    a1, c1 = group(world, "A", 1), group(world, "C", 1)
    r = api("township").post(
        f"/village-groups/{a1.pk}/contact",
        {"cadre_id": world.cadres["spare"].pk, "since": "2025-01-01"},
    )
    assert r.status_code == 400
    (err,) = r.json()["errors"]
    assert err["field"] == "cadre_id" and "驻村工作队" in err["reason"]
    r = api("township").post(
        f"/village-groups/{c1.pk}/contact",
        {"cadre_id": world.cadres["fs_c"].pk, "since": "2025-01-01"},
    )
    assert r.status_code == 404
    r = api("township").post(
        f"/village-groups/{a1.pk}/contact", {"cadre_id": world.cadres["tm_a"].pk, "since": "x"}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "since"


@pytest.mark.parametrize("role", ROLES)
def test_village_groups_without_contact_and_unvisited(api, world, role):
    a1, a2 = group(world, "A", 1), group(world, "A", 2)
    contact(world, a1)
    r = api(role).get("/village-groups/without-contact", {"on": "2025-06-15"})
    assert r.status_code == 200
    assert [x["id"] for x in r.json()["results"]] == ([a2.pk] if role in READERS else [])
    r = api(role).get("/village-groups/unvisited", {"month": "2025-06"})
    assert r.status_code == 200
    rows = r.json()["results"]
    assert [x["id"] for x in rows] == ([a1.pk] if role in READERS else [])
    for x in rows:
        assert x["visits"] == 0 and x["minimum"] == 1
        assert x["findings"][0]["clause"] == "MGT.8.VISITS"
    assert api(role).get("/village-groups/unvisited", {"month": "2025-13"}).status_code == 400
    assert api(role).get("/village-groups/without-contact", {"on": "x"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_households(api, world, role):
    a1 = group(world, "A", 1)
    h = household_add(actor=world.users["township"], group_id=a1.pk, head_name="岩温香")
    rows = api(role).get("/households").json()["results"]
    assert [x["id"] for x in rows] == ([h.pk] if role in READERS else [])
    if rows:
        assert rows[0]["head_name"] == ("岩温香" if role in NAMES else "岩**")
    r = api(role).post("/households", {"group_id": a1.pk, "head_name": "玉南"})
    assert r.status_code == expected(role, HOUSEHOLD_WRITERS), r.json()
    assert Household.objects.count() == (2 if role in HOUSEHOLD_WRITERS else 1)


def test_household_bad_name_400(api, world):
    a1 = group(world, "A", 1)
    r = api("team_member").post("/households", {"group_id": a1.pk, "head_name": "=1+1"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "head_name"


BODY = {
    "visited_on": "2025-06-03",
    "purposes": ["monitoring"],
    "new_households": [{"head_name": "岩温香"}],
    "findings": "收入稳定",
}


@pytest.mark.parametrize("role", ROLES)
def test_visits(api, world, role):
    a1 = group(world, "A", 1)
    v = visit(world, a1, dt.date(2025, 6, 1), new_households=[{"head_name": "玉南"}])
    rows = api(role).get("/visits", {"month": "2025-06"}).json()["results"]
    assert [x["id"] for x in rows] == ([v.pk] if role in READERS else [])
    if rows:
        assert rows[0]["households"][0]["head_name"] == ("玉南" if role in NAMES else "玉*")
        assert rows[0]["purpose_labels"] == ["关心慰问"]
    r = api(role).post("/visits", {**BODY, "group_id": a1.pk})
    assert r.status_code == expected(role, VISITORS), r.json()
    assert Visit.objects.count() == (2 if role in VISITORS else 1)


def test_visit_errors(api, world):
    a1, c1 = group(world, "A", 1), group(world, "C", 1)
    tm = api("team_member")
    assert tm.post("/visits", {**BODY, "group_id": c1.pk}).status_code == 404
    r = tm.post("/visits", {**BODY, "group_id": a1.pk, "purposes": []})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "purposes"
    r = tm.post("/visits", {**BODY, "group_id": a1.pk, "risk_found": True})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "follow_up"
    r = tm.post("/visits", {**BODY, "group_id": a1.pk, "bogus": 1})
    assert r.status_code == 400
    assert tm.get("/visits", {"month": "2025-13"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_visit_risks_and_acknowledge(api, world, role):
    a1 = group(world, "A", 1)
    v = visit(world, a1, dt.date(2025, 6, 1), risk_found=True, follow_up="纳入监测")
    rows = api(role).get("/visits/risks").json()["results"]
    assert [x["id"] for x in rows] == ([v.pk] if role in READERS else [])
    r = api(role).post(f"/visits/{v.pk}/acknowledge", {"note": "已阅"})
    want = 200 if role in ACK else 403 if role in READERS else 404
    assert r.status_code == want, r.json()
    if role in ACK:
        assert r.json()["acknowledged"] is True
        assert api(role).get("/visits/risks").json()["results"] == []
        again = api(role).get("/visits/risks", {"open_only": "false"}).json()["results"]
        assert [x["id"] for x in again] == [v.pk]
    assert api(role).post("/visits/999999/acknowledge", {}).status_code == 404
