"""Issue 11 endpoints, role × endpoint: upcoming term ends and coverage gaps (MGT.9.HANDOVER),
a posting's closure with the leave after term (MGT.TERM, GUA.3.LEAVE15), the handover record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhucun.audit.models import Event
from zhucun.registry.models import Posting

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
FS_A, TM_A, FS_B, FS_C = "岳文华", "线美玲", "排早腊", "李国强"


@pytest.fixture
def soon(world):
    """Every posting of the world ends in 30 days; nobody replaces them."""
    Posting.objects.update(planned_end=timezone.localdate() + dt.timedelta(days=30))


TERM_ENDS = {
    "admin": {FS_A, TM_A, FS_B, FS_C},
    "prefecture": {FS_A, TM_A, FS_B, FS_C},
    "county": {FS_A, TM_A, FS_B},
    "unit": {TM_A},
    "township": set(),
    "first_secretary": set(),
    "team_member": set(),
    "village_secretary": set(),
}
GAPS = {
    **TERM_ENDS,
    "township": {FS_A, TM_A, FS_B},
    "first_secretary": {FS_A, TM_A},
    "team_member": {TM_A},
    "village_secretary": {FS_A, TM_A},
}


@pytest.mark.parametrize("role", ROLES)
def test_mgt_9_handover_term_ends_and_gaps_by_role(api, world, soon, role):
    body = api(role).get("/term-ends").json()
    assert {r["cadre_name"] for r in body["results"]} == TERM_ENDS[role]
    gaps = api(role).get("/coverage-gaps").json()["results"]
    assert {r["cadre_name"] for r in gaps} == GAPS[role]
    for r in gaps:
        assert r["replacement_status"] == "none" and r["has_gap"] and r["gap_days"] is None


def test_anonymous_is_401(api, world):
    for path in ("/term-ends", "/coverage-gaps", f"/postings/{world.postings['fs_b'].pk}/handover"):
        assert api(None).get(path).status_code == 401


HANDOVER = {
    "handover_date": "2026-03-01",
    "ongoing_tasks": "项目验收",
    "households": "走访42户",
    "documents": "日志3本",
    "funds": "无",
}
# who may write fs_b's handover (拉勐村, 芒市): the organisation departments over it
WRITE = {"admin": 200, "prefecture": 200, "county": 200, "township": 403}


@pytest.mark.parametrize("role", ROLES)
def test_handover_put_and_get_by_role(api, world, role):
    path = f"/postings/{world.postings['fs_b'].pk}/handover"
    r = api(role).send("PUT", path, HANDOVER)
    assert r.status_code == WRITE.get(role, 404), r.json()
    if r.status_code == 200:
        assert r.json()["households"] == "走访42户"
        assert Event.objects.filter(action="handover.create").count() == 1
        assert api(role).get(path).json()["funds"] == "无"
    else:
        assert not Event.objects.filter(action__startswith="handover.").exists()


def test_handover_put_refuses_bad_date_and_extra_fields(api, world):
    path = f"/postings/{world.postings['fs_b'].pk}/handover"
    r = api("county").send("PUT", path, {**HANDOVER, "handover_date": "明天"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "handover_date"
    assert api("county").send("PUT", path, {**HANDOVER, "x": 1}).status_code == 400
    assert api("county").get(path).status_code == 404


def test_gua_3_leave15_closure_shows_leave_after_term(api, world):
    pk = world.postings["fs_b"].pk
    assert api("county").get(f"/postings/{pk}/closure").status_code == 404
    r = api("county").post(f"/postings/{pk}/end", {"end_date": "2026-03-01"})
    assert r.status_code == 200
    body = api("county").get(f"/postings/{pk}/closure").json()
    assert body["cause"] == "term" and body["regular_end"] == "2026-03-01"
    assert body["leave_after_term"]["start"] == "2026-03-02"
    assert body["leave_after_term"]["end"] == "2026-03-16"
    # the posting itself carries the MGT.STATUS fields
    p = api("county").get(f"/postings/{pk}").json()
    assert p["freed_from_unit_duties"] is True and p["no_village_election"] is True


def test_mgt_9_handover_api_end_before_replacement_needs_gap_reason(api, world):
    from zhucun.registry import services as reg

    reg.posting_create(
        actor=world.admin,
        data={
            "id_number": world.cadres["spare"].id_number,
            "village_code": world.villages["B"].jurisdiction.code,
            "role": "first_secretary",
            "arrival_date": dt.date(2026, 3, 6),
            "planned_end": None,
            "status": "planned",
        },
    )
    path = f"/postings/{world.postings['fs_b'].pk}/end"
    r = api("county").post(path, {"end_date": "2026-03-01"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["clause"] == "MGT.9.HANDOVER"
    r = api("county").post(path, {"end_date": "2026-03-01", "gap_reason": "乡镇党委书记代管"})
    assert r.status_code == 200
