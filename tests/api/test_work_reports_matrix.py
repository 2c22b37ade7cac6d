"""工作报告 (MGT.6.*, GUA.1.BIND, MGT.3.SUMMARY) through the API: every role × every endpoint
with the exact status — outside the scope 404, a role that reads but may not write 403, a
bad field 400 with the field and a Chinese reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.api.test_permission_matrix import ROLES
from zhucun.work.models import Report
from zhucun.work.services.reports import report_open, urgent_report

LAST_MONTH = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
OPENERS = {
    "monthly": "first_secretary",
    "quarterly": "township",
    "hearing": "unit",
    "unit_visit": "unit",
}
URGENT_READERS = {"admin", "prefecture", "county", "township", "first_secretary", "team_member"}


def monthly(world):
    return report_open(
        actor=world.users["first_secretary"], kind="monthly", period_start=LAST_MONTH
    )


@pytest.mark.parametrize("role", ROLES)
def test_mgt_6_report_list_and_detail(api, world, role):
    r = monthly(world)
    body = api(role).get("/reports", {"kind": "monthly"}).json()
    assert [x["id"] for x in body["results"]] == [r.pk]  # every role reads village A's report
    got = api(role).get(f"/reports/{r.pk}")
    assert got.status_code == 200
    d = got.json()
    assert d["draft"]["kind"] == "monthly" and d["body"] == d["draft_text"]
    assert all(line["op"] == "same" for line in d["diff"])
    assert api(role).get("/reports/999999").status_code == 404
    assert api(role).get("/reports", {"kind": "bogus"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", sorted(OPENERS))
def test_mgt_6_report_open(api, world, role, kind):
    r = api(role).post("/reports", {"kind": kind, "period_start": LAST_MONTH.isoformat()})
    ok = OPENERS[kind] == role
    assert r.status_code == (201 if ok else 403), r.json()
    assert Report.objects.filter(kind=kind).count() == (1 if ok else 0)
    if ok:  # opening again returns the same report
        again = api(role).post("/reports", {"kind": kind, "period_start": LAST_MONTH.isoformat()})
        assert again.status_code == 201 and again.json()["id"] == r.json()["id"]


def test_mgt_6_report_open_bad_fields(api, world):
    fs = api("first_secretary")
    r = fs.post("/reports", {"kind": "monthly", "period_start": "2099-01-01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "period_start"
    assert fs.post("/reports", {"kind": "urgent", "period_start": "2025-01-01"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_mgt_6_report_save_and_submit(api, world, role):
    r = monthly(world)
    saved = api(role).post(f"/reports/{r.pk}/save", {"body": "本月工作:召开支委会"})
    ok = role == "first_secretary"
    assert saved.status_code == (200 if ok else 403)
    sub = api(role).post(f"/reports/{r.pk}/submit")
    assert sub.status_code == (200 if ok else 403)
    r.refresh_from_db()
    assert (r.submitted_at is not None) == ok
    if ok:
        assert api(role).post(f"/reports/{r.pk}/save", {"body": "改"}).status_code == 400
        d = api(role).get(f"/reports/{r.pk}").json()
        assert {"op": "added", "text": "本月工作:召开支委会"} in d["diff"]


def test_mgt_6_report_save_bad_body(api, world):
    r = monthly(world)
    got = api("first_secretary").post(f"/reports/{r.pk}/save", {"body": "=HYPERLINK()"})
    assert got.status_code == 400 and got.json()["errors"][0]["field"] == "body"


@pytest.mark.parametrize("role", ROLES)
def test_mgt_6_urgent_create(api, world, role):
    r = api(role).post("/reports/urgent", {"title": "山洪", "body": "冲毁村道"})
    ok = role in ("first_secretary", "team_member")
    assert r.status_code == (201 if ok else 403), r.json()
    if ok:
        assert r.json()["submitted_at"] is not None


@pytest.mark.parametrize("role", ROLES)
def test_mgt_6_urgent_acknowledge(api, world, role):
    u = urgent_report(actor=world.users["team_member"], title="山洪", body="冲毁村道")
    r = api(role).post(f"/reports/{u.pk}/acknowledge", {"note": "已处置"})
    expected = 200 if role == "township" else (403 if role in URGENT_READERS else 404)
    assert r.status_code == expected, r.json()
    listed = [x["id"] for x in api(role).get("/reports", {"kind": "urgent"}).json()["results"]]
    assert listed == ([u.pk] if role in URGENT_READERS else [])


@pytest.mark.parametrize("role", ROLES)
def test_mgt_6_overdue_and_missing_summaries(api, world, role):
    for kind in ("monthly", "quarterly", "hearing", "unit_visit"):
        r = api(role).get("/reports/overdue", {"kind": kind})
        assert r.status_code == 200
        for row in r.json()["results"]:
            assert row["days_overdue"] >= 1
    assert api(role).get("/reports/overdue", {"kind": "urgent"}).status_code == 400
    assert api(role).get("/summaries/missing").status_code == 200


def test_mgt_6_overdue_monthly_lists_township_villages(api, world):
    rows = api("township").get("/reports/overdue", {"kind": "monthly"}).json()["results"]
    names = {x["subject_name"] for x in rows}
    assert names <= {"弄坎村", "拉勐村"}


def test_anonymous_refused(api, world):
    assert api(None).get("/reports").status_code == 401
    assert api(None).post("/reports/urgent", {"title": "a", "body": "b"}).status_code == 401
