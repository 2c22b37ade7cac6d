"""召回撤换 through the API (MGT.4.CAUSE, MGT.4.CONSEQ): every role × every endpoint with the
exact status — recording is the county's body's (召回工作由县级驻村工作领导协调机构负责): a
role that sees the posting gets 403, one that does not 404; recalls and the replacements due
are read by the county, prefecture, township (by village) and the unit (by its cadre), and
nobody else; a cadre's 干部管理档案 answers exactly like the cadre's detail."""

from __future__ import annotations

import pytest

from tests.api.test_permission_matrix import ROLES
from tests.review.recall_helpers import BAN_END, recall
from zhucun.review.models import Recall

WRITERS = {"admin", "county"}
READERS = {"admin", "prefecture", "county", "township", "unit"}
BODY = {
    "cause": "performance",
    "evidence": "2026年第1季度三讲三评满意度62%",
    "deciding_body": "芒市驻村工作领导协调机构",
    "decided_on": "2026-03-15",
    "reference": "芒驻村〔2026〕9号",
}


@pytest.mark.parametrize("role", ROLES)
def test_mgt_4_cause_record_matrix(api, world, role):
    r = api(role).post("/recalls", {**BODY, "posting_id": world.postings["tm_a"].pk})
    if role in WRITERS:
        assert r.status_code == 201, r.json()
        body = r.json()
        assert body["ban_until"] == BAN_END.isoformat() and body["cause"] == "performance"
        assert body["replaced"] is False
    else:
        # every other role sees 线美玲's posting (village, township, unit, own): 403 with reason
        assert r.status_code == 403, r.json()
        assert Recall.objects.count() == 0


def test_mgt_4_cause_record_outside_county_is_404_and_errors_name_fields(api, world):
    county = api("county")
    r = county.post("/recalls", {**BODY, "posting_id": world.postings["fs_c"].pk})
    assert r.status_code == 404
    r = county.post("/recalls", {**BODY, "posting_id": world.postings["tm_a"].pk, "cause": "bad"})
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} == {"cause"}
    r = county.post(
        "/recalls", {**BODY, "posting_id": world.postings["tm_a"].pk, "decided_on": "x"}
    )
    assert r.status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_mgt_4_conseq_read_matrix(api, world, role):
    rec = recall(world)
    client = api(role)
    ids = [x["id"] for x in client.get("/recalls").json()["results"]]
    due = [x["id"] for x in client.get("/replacements-due").json()["results"]]
    detail = client.get(f"/recalls/{rec.pk}")
    if role in READERS:
        assert ids == [rec.pk] and due == [rec.pk]
        assert detail.status_code == 200 and detail.json()["ban_until"] == "2029-03-15"
    else:
        assert ids == [] and due == []
        assert detail.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_mgt_4_conseq_cadre_file_matrix(api, world, role):
    recall(world)
    cadre = world.cadres["tm_a"]
    client = api(role)
    shown = client.get(f"/cadres/{cadre.pk}")
    file = client.get(f"/cadres/{cadre.pk}/file")
    assert file.status_code == shown.status_code
    if shown.status_code == 200:
        assert shown.json()["promotion_ban_until"] == BAN_END.isoformat()
        entries = file.json()["results"]
        assert [e["clause"] for e in entries] == ["MGT.4.CONSEQ"]
        assert entries[0]["ban_until"] == BAN_END.isoformat()
        listed = {c["id"]: c for c in client.get("/cadres", {"page_size": 200}).json()["results"]}
        assert listed[cadre.pk]["promotion_ban_until"] == BAN_END.isoformat()
        other = world.cadres["fs_b"].pk
        if other in listed:
            assert listed[other]["promotion_ban_until"] is None


def test_anonymous_is_401(api, world):
    for path in ("/recalls", "/replacements-due", f"/cadres/{world.cadres['tm_a'].pk}/file"):
        assert api(None).get(path).status_code == 401
    assert api(None).post("/recalls", BODY).status_code == 401
