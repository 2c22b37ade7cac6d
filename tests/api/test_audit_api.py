"""Issue 10 (for integrators): a scoped read API for the audit trail, GET /api/v1/audit."""

from __future__ import annotations

import pytest

from zhucun.audit.models import Event
from zhucun.registry import services as reg


def _events(api, role, **query):
    r = api(role).get("/audit", query)
    assert r.status_code == 200, r.json()
    return r.json()


def test_admin_and_prefecture_read_the_whole_trail_newest_first(api, world):
    body = _events(api, "prefecture", page_size=200)
    assert body["count"] == Event.objects.count()
    seqs = [e["seq"] for e in body["results"]]
    assert seqs == sorted(seqs, reverse=True)


def test_a_county_reads_only_the_events_of_objects_in_its_scope(api, world):
    fs_a, fs_c = world.cadres["fs_a"], world.cadres["fs_c"]  # 芒市 / 瑞丽
    mine = _events(api, "county", object_type="registry.cadre", object_id=str(fs_a.pk))
    assert mine["count"] >= 1 and mine["results"][0]["action"] == "cadre.create"
    other = _events(api, "county", object_type="registry.cadre", object_id=str(fs_c.pk))
    assert other["count"] == 0  # another county's cadre: as if it did not exist
    everything = _events(api, "county", page_size=200)
    assert everything["count"] < Event.objects.count()
    assert str(fs_c.pk) not in {
        e["object_id"] for e in everything["results"] if e["object_type"] == "registry.cadre"
    }


def test_the_actor_reads_their_own_events(api, world):
    county = world.users["county"]
    reg.cadre_update(actor=county, cadre_id=world.cadres["fs_a"].pk, data={"post": "副科长"})
    body = _events(api, "county", action="cadre.update")
    assert body["count"] == 1 and body["results"][0]["actor_name"] == str(county)


@pytest.mark.parametrize("role", ["unit", "first_secretary", "team_member", "village_secretary"])
def test_roles_without_an_audit_trail_are_refused(api, world, role):
    r = api(role).get("/audit")
    assert r.status_code == 403 and "审计日志" in r.json()["detail"]


def test_personal_data_in_events_is_masked_as_on_the_cadres_page(api, world):
    fs_a = world.cadres["fs_a"]
    full = _events(api, "county", object_type="registry.cadre", object_id=str(fs_a.pk))
    masked = _events(api, "township", object_type="registry.cadre", object_id=str(fs_a.pk))
    created = [e for e in full["results"] if e["action"] == "cadre.create"][0]
    created_t = [e for e in masked["results"] if e["action"] == "cadre.create"][0]
    assert created["after"]["id_number"] == fs_a.id_number  # the county sees it in full
    assert created_t["after"]["id_number"] != fs_a.id_number
    assert "*" in created_t["after"]["id_number"]
    assert fs_a.birth_date.isoformat() not in str(created_t)


def test_bad_dates_are_field_errors(api, world):
    r = api("admin").get("/audit", {"since": "昨天"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "since"
