"""SEL.METHOD.NEED through the API: village needs (read, PATCH, filter) and the ranked
candidates of GET /villages/{id}/candidates with reasons and screening findings."""

from __future__ import annotations

from tests.world import cadre_data
from zhucun.registry import services as reg


def test_village_needs_are_read_written_and_filtered(api, world):
    county = api("county")
    a = world.villages["A"].pk
    assert county.get(f"/villages/{a}").json()["needs"] == []
    r = county.patch(f"/villages/{a}", {"needs": ["基层治理", "industry"]})
    assert r.status_code == 200, r.json()
    assert r.json()["needs"] == ["industry", "governance"]
    assert r.json()["need_labels"] == ["产业发展", "基层治理"]
    names = {v["name"] for v in county.get("/villages", {"need": "governance"}).json()["results"]}
    assert names == {"弄坎村"}
    r = county.patch(f"/villages/{a}", {"needs": ["开矿"]})
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "needs" and "开矿" in r.json()["errors"][0]["reason"]
    r = county.patch(f"/villages/{a}", {"needs": "产业发展"})  # a list, strictly
    assert r.status_code == 400
    # outside the county: as if it did not exist
    assert county.patch(f"/villages/{world.villages['C'].pk}", {"needs": []}).status_code == 404


def test_candidates_ranked_with_reasons_and_screening(api, world):
    admin = world.admin
    reg.village_update(actor=admin, village_id=world.villages["A"].pk, data={"needs": ["industry"]})
    reg.cadre_create(
        actor=admin,
        data=cadre_data(name="农专", serial=71, unit_name="芒市人民医院", agri_specialty=True),
    )
    reg.cadre_create(
        actor=admin,
        data=cadre_data(
            name="预备",
            serial=72,
            unit_name="芒市人民医院",
            party_status="probationary",
            full_member_since=None,
        ),
    )
    r = api("unit").get(
        f"/villages/{world.villages['A'].pk}/candidates",
        {"role": "first_secretary", "on": "2026-03-02"},
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["needs"] == ["industry"] and body["need_labels"] == ["产业发展"]
    assert body["role_label"] == "第一书记" and body["on"] == "2026-03-02"
    assert [c["name"] for c in body["results"]] == ["农专", "赵小兵", "预备"]
    assert [c["rank"] for c in body["results"]] == [1, 2, 3]
    first, last = body["results"][0], body["results"][2]
    assert first["eligible"] and first["needs_met"] == ["industry"]
    assert any(
        f["clause"] == "SEL.METHOD.NEED" and "产业发展" in f["message"] for f in first["reasons"]
    )
    assert {f["severity"] for c in body["results"] for f in c["reasons"]} == {"info"}
    # the probationary member fails SEL.SRC.FS_PARTY: listed, last, marked — not refused
    assert not last["eligible"]
    assert any(
        f["clause"] == "SEL.SRC.FS_PARTY" and f["severity"] == "error" for f in last["screening"]
    )


def test_candidates_bad_query_is_a_chinese_400(api, world):
    unit = api("unit")
    path = f"/villages/{world.villages['A'].pk}/candidates"
    r = unit.get(path, {"role": "captain"})
    assert r.status_code == 400
    r = unit.get(path, {"on": "2026-13-40"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "on"
    assert unit.get("/villages/999999/candidates").status_code == 404
    r = unit.get(path, {"on": "2000-01-01"})  # no parameter in force: a 400 naming the clause
    assert r.status_code == 400 and "SEL.SRC.AGE" in str(r.json())
