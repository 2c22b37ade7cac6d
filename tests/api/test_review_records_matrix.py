"""纪律处理记录 (MGT.10) and 谈心谈话 (GUA.3.TALK) through the API: every role × every endpoint
with the exact status — outside the scope 404 (as for a record never written), a role that
sees but may not write 403, a bad field 400 with the field and a Chinese reason."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.test_permission_matrix import ROLES
from zhucun.review.models import DisciplineRecord, Talk
from zhucun.review.services.discipline import discipline_record_create
from zhucun.review.services.talks import talk_create

SEES = {"admin", "prefecture", "county", "township", "unit"}  # 线美玲's records
WRITERS = {"admin", "prefecture", "county", "township"}
TALKERS = WRITERS | {"unit"}
BODY = {
    "occurred_on": "2025-04-08",
    "description": "工作日多次不在村",
    "found_by": "县驻村办督查组",
    "outcome": "admonition",
    "prohibition": "reside",
}


def record(world, cadre="tm_a", role="county"):
    return discipline_record_create(
        actor=world.users[role],
        cadre_id=world.cadres[cadre].pk,
        occurred_on=dt.date(2025, 4, 8),
        description="事实",
        found_by="督查组",
        outcome="criticism",
        prohibition="rules",
    )


def talk(world, cadre="tm_a", role="unit", held_on=dt.date(2025, 1, 1)):
    return talk_create(
        actor=world.users[role],
        cadre_id=world.cadres[cadre].pk,
        held_on=held_on,
        talker="王院长",
        topics="生活",
    )


@pytest.mark.parametrize("role", ROLES)
def test_discipline_list_and_detail(api, world, role):
    r = record(world)
    body = api(role).get("/discipline-records").json()
    assert [x["id"] for x in body["results"]] == ([r.pk] if role in SEES else [])
    got = api(role).get(f"/discipline-records/{r.pk}")
    assert got.status_code == (200 if role in SEES else 404)
    if role in SEES:
        d = got.json()
        assert (
            d["outcome_label"] == "批评教育"
            and d["prohibition_label"] == "必须按章办事、严禁优亲厚友"
        )
        assert d["standing"] is True and [x["id"] for x in d["chain"]] == [r.pk]
    assert api(role).get("/discipline-records/999999").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_discipline_create(api, world, role):
    r = api(role).post("/discipline-records", {**BODY, "cadre_id": world.cadres["tm_a"].pk})
    assert r.status_code == (201 if role in WRITERS else 403), r.json()
    if role in WRITERS:
        assert r.json()["recorder_kind_label"] and r.json()["standing"] is True
    assert DisciplineRecord.objects.count() == (1 if role in WRITERS else 0)


@pytest.mark.parametrize("role", ["county", "township"])
def test_discipline_create_outside_scope_404(api, world, role):
    r = api(role).post("/discipline-records", {**BODY, "cadre_id": world.cadres["fs_c"].pk})
    assert r.status_code == 404
    r = api(role).post("/discipline-records", {**BODY, "cadre_id": 10**12})
    assert r.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_discipline_supersede(api, world, role):
    old = record(world)
    r = api(role).post(f"/discipline-records/{old.pk}/supersede", {**BODY, "reason": "复核更正"})
    expected = 201 if role in WRITERS else 403 if role in SEES else 404
    assert r.status_code == expected, r.json()
    if expected == 201:
        d = r.json()
        assert d["supersedes_id"] == old.pk and d["standing"] is True
        assert [(x["id"], x["standing"]) for x in d["chain"]] == [(old.pk, False), (d["id"], True)]
        again = api(role).post(
            f"/discipline-records/{old.pk}/supersede", {**BODY, "reason": "再改"}
        )
        assert again.status_code == 400
        (err,) = again.json()["errors"]
        assert err["field"] == "record_id" and "已被更正" in err["reason"]
        listed = api(role).get("/discipline-records", {"standing_only": "true"}).json()
        assert [x["id"] for x in listed["results"]] == [d["id"]]


def test_discipline_errors_name_the_field_in_chinese(api, world):
    cadre = world.cadres["tm_a"].pk
    r = api("county").post(
        "/discipline-records",
        {**BODY, "cadre_id": cadre, "occurred_on": "2099-01-01", "outcome": "开除"},
    )
    assert r.status_code == 400
    errors = {e["field"]: e["reason"] for e in r.json()["errors"]}
    assert "不能晚于" in errors["occurred_on"] and "不是有效值" in errors["outcome"]
    r = api("county").post("/discipline-records", {**BODY, "cadre_id": cadre, "found_by": "=x"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "found_by"
    r = api("county").post("/discipline-records", {**BODY, "cadre_id": cadre, "bogus": 1})
    assert r.status_code == 400


def test_discipline_records_cannot_be_deleted(api, world):
    r = record(world)
    for method in ("DELETE", "PUT", "PATCH"):
        assert api("admin").send(method, f"/discipline-records/{r.pk}", {}).status_code == 405
    assert DisciplineRecord.objects.filter(pk=r.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_talk_list_and_create(api, world, role):
    t = talk(world)
    body = api(role).get("/talks").json()
    assert [x["id"] for x in body["results"]] == ([t.pk] if role in TALKERS else [])
    r = api(role).post(
        "/talks",
        {
            "cadre_id": world.cadres["tm_a"].pk,
            "held_on": "2025-06-01",
            "talker": "李部长",
            "topics": "工作安排",
            "follow_up": "协调经费",
        },
    )
    assert r.status_code == (201 if role in TALKERS else 403), r.json()
    if role in TALKERS:
        assert r.json()["talker_kind_label"] and r.json()["follow_up"] == "协调经费"


def test_talk_outside_scope_404_and_bad_field_400(api, world):
    body = {
        "cadre_id": world.cadres["fs_a"].pk,
        "held_on": "2025-06-01",
        "talker": "王",
        "topics": "x",
    }
    assert api("unit").post("/talks", body).status_code == 404
    r = api("county").post("/talks", {**body, "held_on": "1999-01-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "held_on"
    assert Talk.objects.count() == 0


OVERDUE = {  # on 2026-05-31, with 线美玲 talked with on 2026-04-01 and nobody else
    "admin": {"岳文华", "排早腊", "李国强"},
    "prefecture": {"岳文华", "排早腊", "李国强"},
    "county": {"岳文华", "排早腊"},
    "township": {"岳文华", "排早腊"},
    "unit": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_talk_overdue(api, world, role):
    talk(world, held_on=dt.date(2026, 4, 1))
    r = api(role).get("/talks/overdue", {"on": "2026-05-31"})
    assert r.status_code == 200
    rows = r.json()["results"]
    assert {x["cadre_name"] for x in rows} == OVERDUE.get(role, set())
    for x in rows:
        assert x["last_talk"] is None and x["due_since"] == "2026-02-28"
        assert x["findings"][0]["clause"] == "GUA.3.TALK"
    assert api(role).get("/talks/overdue", {"on": "2026-13-01"}).status_code == 400
