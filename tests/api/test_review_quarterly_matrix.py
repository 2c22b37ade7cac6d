"""季度分析研判 through the API (MGT.4.REVIEW): every role × every endpoint with the exact
status — outside the reading scope 404, the prefecture (and admin) read but do not act 403,
only the county's own body acts — plus the facts and suggestions of the entries, the refusals
of a signed review and the audited correction."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.test_permission_matrix import ROLES
from tests.review.quarterly_helpers import (
    AFTER,
    MONTHS,
    QUARTER,
    YEAR,
    discipline,
    month_row,
    set_today,
)
from zhucun.review.models import QuarterlyReview, ReviewCorrection
from zhucun.review.services import quarterly as svc

READERS = {"admin", "prefecture", "county"}
ACTOR = "county"


@pytest.fixture
def review(world, monkeypatch):
    set_today(monkeypatch, AFTER)
    discipline(world.cadres["fs_a"], dt.date(2026, 8, 3), world.users["county"])
    for month in MONTHS[:2]:
        month_row(world.postings["tm_a"], month, short=True)
    return svc.review_start(actor=world.users["county"], year=YEAR, quarter=QUARTER)


def _signed(world, review):
    county = world.users["county"]
    for key in ("fs_a", "tm_a"):
        svc.review_conclude(
            actor=county, review_id=review.pk, cadre_id=world.cadres[key].pk, conclusion="talk"
        )
    return svc.review_sign(actor=county, review_id=review.pk, meeting="芒市领导小组会议")


def _act(role: str, ok: int) -> int:
    if role == ACTOR:
        return ok
    return 403 if role in READERS else 404


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(api, world, review, role):
    c = api(role)
    r = c.get("/reviews")
    assert r.status_code == 200
    assert [x["id"] for x in r.json()["results"]] == ([review.pk] if role in READERS else [])
    assert c.get(f"/reviews/{review.pk}").status_code == (200 if role in READERS else 404)
    entries = c.get(f"/reviews/{review.pk}/entries")
    assert entries.status_code == (200 if role in READERS else 404)


@pytest.mark.parametrize("role", ROLES)
def test_start_matrix(api, world, review, role):
    r = api(role).post("/reviews", {"year": 2026, "quarter": 2})
    assert r.status_code == (201 if role == ACTOR else 403)
    assert QuarterlyReview.objects.count() == (2 if role == ACTOR else 1)


@pytest.mark.parametrize("role", ROLES)
def test_conclude_matrix(api, world, review, role):
    cid = world.cadres["fs_a"].pk
    r = api(role).post(
        f"/reviews/{review.pk}/entries/{cid}/conclusion", {"conclusion": "talk", "note": "谈话"}
    )
    assert r.status_code == _act(role, 200)
    if r.status_code == 200:
        assert r.json()["conclusion_label"] == "提醒谈话"


@pytest.mark.parametrize("role", ROLES)
def test_sign_matrix(api, world, review, role):
    county = world.users["county"]
    for key in ("fs_a", "tm_a"):
        svc.review_conclude(
            actor=county, review_id=review.pk, cadre_id=world.cadres[key].pk, conclusion="talk"
        )
    r = api(role).post(f"/reviews/{review.pk}/sign", {"meeting": "芒市领导小组会议"})
    assert r.status_code == _act(role, 200)
    if r.status_code == 200:
        assert r.json()["state"] == "signed"


@pytest.mark.parametrize("role", ROLES)
def test_correction_matrix(api, world, review, role):
    _signed(world, review)
    cid = world.cadres["fs_a"].pk
    r = api(role).post(
        f"/reviews/{review.pk}/entries/{cid}/corrections",
        {"conclusion": "recall", "reason": "纪委通报后复议"},
    )
    assert r.status_code == _act(role, 201)
    assert ReviewCorrection.objects.count() == (1 if role == ACTOR else 0)


def test_entries_carry_facts_and_suggestions(api, world, review):
    c = api("prefecture")
    body = c.get(f"/reviews/{review.pk}/entries").json()
    assert body["count"] == 3
    rows = {e["cadre_name"]: e for e in body["results"]}
    (s,) = rows["线美玲"]["suggestions"]
    assert s["clause"] == "MGT.4.CAUSE" and s["data"]["months"] == ["2026-07-01", "2026-08-01"]
    assert rows["岳文华"]["suggestions"][0]["data"]["cause"] == "discipline"
    assert rows["排早腊"]["suggestions"] == []
    assert rows["排早腊"]["facts"]["satisfaction"] is None
    only = c.get(f"/reviews/{review.pk}/entries", {"suggested": "true"}).json()
    assert {e["cadre_name"] for e in only["results"]} == {"岳文华", "线美玲"}
    _signed(world, review)
    frozen = c.get(f"/reviews/{review.pk}/entries", {"suggested": "true"}).json()
    assert {e["cadre_name"] for e in frozen["results"]} == {"岳文华", "线美玲"}


def test_refusals_are_400_with_the_field(api, world, review):
    c = api("county")
    cid = world.cadres["fs_a"].pk
    r = c.post(f"/reviews/{review.pk}/entries/{cid}/conclusion", {"conclusion": "dismiss"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["field"] == "conclusion"
    r = c.post(f"/reviews/{review.pk}/sign", {"meeting": "会议"})
    assert r.status_code == 400 and "MGT.4.REVIEW" in r.text
    _signed(world, review)
    r = c.post(f"/reviews/{review.pk}/entries/{cid}/conclusion", {"conclusion": "recall"})
    assert r.status_code == 400 and "已签发" in r.text
    r = c.post(f"/reviews/{review.pk}/sign", {"meeting": "会议"})
    assert r.status_code == 400
    r = c.post("/reviews", {"year": 2026, "quarter": 3})
    assert r.status_code == 400 and "研判已经开始" in r.text
    r = c.post("/reviews", {"year": 2026, "quarter": 5})
    assert r.status_code in (400, 422)
