"""“三讲三评” (MGT.8.SJSP) through the API: every role × every endpoint with the exact status —
outside the scope 404 (as for a record never written), a role that sees but may not write
403, a bad field 400 with the field and a Chinese reason."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import PREFIX
from tests.api.test_permission_matrix import ROLES
from tests.assessment.sjsp_helpers import HELD, event, record, set_threshold
from zhucun.assessment.models import Rectification, SjspEvent, SjspTally

SEES = {"admin", "prefecture", "county", "township", "unit", "first_secretary"}
WRITERS = {"admin", "county", "township"}
AREA = {"admin", "prefecture", "county", "township", "first_secretary"}


@pytest.fixture
def ev(world):
    """弄坎村 2026 Q3 with 线美玲 (芒市人民医院, the unit's cadre) below 90 %."""
    set_threshold(world)
    e = event(world)
    record(world, e, cadre="tm_a", good=10, fairly_good=6, average=13, poor=1)
    return e


def rows(world, good=20):
    return {
        "rows": [
            {
                "cadre_id": world.cadres["fs_a"].pk,
                "group": "群众",
                "good": good,
                "fairly_good": 7,
                "average": 2,
                "poor": 1,
            }
        ]
    }


@pytest.mark.parametrize("role", ROLES)
def test_sjsp_event_list_and_detail(api, world, ev, role):
    body = api(role).get("/sjsp-events").json()
    assert [x["id"] for x in body["results"]] == ([ev.pk] if role in SEES else [])
    got = api(role).get(f"/sjsp-events/{ev.pk}")
    assert got.status_code == (200 if role in SEES else 404)
    if role in SEES:
        d = got.json()
        assert d["threshold"] == "9/10"
        names = {c["cadre_name"]: c for c in d["cadres"]}
        assert set(names) == ({"线美玲"} if role == "unit" else {"线美玲", "岳文华"})
        x = names["线美玲"]
        assert (x["satisfaction"], x["satisfaction_percent"]) == ("8/15", "53.3%")
        assert x["findings"][0]["clause"] == "MGT.8.SJSP" and x["rectification_id"]
    assert api(role).get("/sjsp-events/999999").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_sjsp_event_create(api, world, role):
    body = {
        "village_id": world.villages["B"].pk,
        "year": 2026,
        "quarter": 3,
        "held_on": HELD.isoformat(),
        "summary": "三讲",
    }
    r = api(role).post("/sjsp-events", body)
    assert r.status_code == (201 if role in WRITERS else 403), r.json()
    assert SjspEvent.objects.count() == (1 if role in WRITERS else 0)
    if role in WRITERS:
        again = api(role).post("/sjsp-events", body)
        assert again.status_code == 400
        assert again.json()["errors"][0]["field"] == "quarter"


def test_sjsp_event_create_outside_scope_and_bad_fields(api, world):
    body = {
        "village_id": world.villages["C"].pk,
        "year": 2026,
        "quarter": 3,
        "held_on": HELD.isoformat(),
        "summary": "三讲",
    }
    assert api("county").post("/sjsp-events", body).status_code == 404
    body["village_id"] = world.villages["B"].pk
    r = api("county").post("/sjsp-events", {**body, "held_on": "2026-01-05"})
    assert r.status_code == 400 and "不能早于" in r.json()["errors"][0]["reason"]
    assert api("county").post("/sjsp-events", {**body, "quarter": 5}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_sjsp_tallies(api, world, ev, role):
    r = api(role).post(f"/sjsp-events/{ev.pk}/tallies", rows(world))
    expected = 200 if role in WRITERS else 403 if role in SEES else 404
    assert r.status_code == expected, r.json()
    assert SjspTally.objects.count() == (2 if expected == 200 else 1)
    if expected == 200:
        assert r.json()["written"] == 1


def test_sjsp_tallies_bad_rows_400_nothing_written(api, world, ev):
    bad = rows(world, good=-1)
    bad["rows"].append(
        {
            "cadre_id": world.cadres["fs_c"].pk,
            "group": "群众",
            "good": 1,
            "fairly_good": 0,
            "average": 0,
            "poor": 0,
        }
    )
    r = api("township").post(f"/sjsp-events/{ev.pk}/tallies", bad)
    assert r.status_code == 400
    fields = {e["field"]: e["reason"] for e in r.json()["errors"]}
    assert "负数" in fields["rows.1.good"] and "工作队成员" in fields["rows.2.cadre_id"]
    assert SjspTally.objects.count() == 1


def _sheet(world) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        ["干部编号", "姓名", "村(社区)干部", "", "", "", "党员", "", "", "", "群众", "", "", ""]
    )
    w.writerow(["", ""] + ["好", "较好", "一般", "差"] * 3)
    w.writerow([world.cadres["fs_a"].pk, "岳文华", *[1] * 12])
    return out.getvalue().encode("utf-8-sig")


@pytest.mark.parametrize("role", ROLES)
def test_sjsp_import(api, world, ev, role):
    client = api(role)
    r = client.client.post(
        f"{PREFIX}/sjsp-events/{ev.pk}/import",
        {"file": SimpleUploadedFile("票数.csv", _sheet(world))},
        headers=client.headers,
    )
    expected = 200 if role in WRITERS else 403 if role in SEES else 404
    assert r.status_code == expected, r.json()
    assert SjspTally.objects.count() == (4 if expected == 200 else 1)


def test_sjsp_import_bad_file_400(api, world, ev):
    client = api("township")
    r = client.client.post(
        f"{PREFIX}/sjsp-events/{ev.pk}/import",
        {
            "file": SimpleUploadedFile(
                "票数.csv", _sheet(world).replace(b"\xe5\xb2\xb3", b"\xe7\x8e\x8b")
            )
        },
        headers=client.headers,
    )
    assert r.status_code == 400
    assert "第3行" in r.json()["errors"][0]["reason"]


@pytest.mark.parametrize("role", ROLES)
def test_sjsp_missing(api, world, ev, role):
    r = api(role).get("/sjsp-missing", {"year": 2026, "quarter": 3})
    assert r.status_code == 200
    names = {x["village_name"] for x in r.json()["results"]}
    expected = {
        "admin": {"拉勐村", "团结村"},
        "prefecture": {"拉勐村", "团结村"},
        "county": {"拉勐村"},
        "township": {"拉勐村"},
    }.get(role, set())
    assert names == expected
    assert api(role).get("/sjsp-missing", {"year": 2026, "quarter": 9}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_sjsp_rectifications(api, world, ev, role):
    rect = Rectification.objects.get()
    listed = api(role).get("/rectifications").json()["results"]
    assert [x["id"] for x in listed] == ([rect.pk] if role in SEES else [])
    r = api(role).post(f"/rectifications/{rect.pk}/plan", {"plan": "入户走访", "due": "2026-10-31"})
    expected = 200 if role in WRITERS else 403 if role in SEES else 404
    assert r.status_code == expected, r.json()
    if expected == 200:
        c = api(role).post(
            f"/rectifications/{rect.pk}/close",
            {"closed_on": "2026-10-30", "closing_note": "已整改"},
        )
        assert c.status_code == 200 and c.json()["closed_on"] == "2026-10-30"
        assert api(role).get("/rectifications").json()["results"] == []
        assert len(api(role).get("/rectifications", {"open": "false"}).json()["results"]) == 1
    else:
        c = api(role).post(
            f"/rectifications/{rect.pk}/close", {"closed_on": "2026-10-30", "closing_note": "x"}
        )
        assert c.status_code == expected


def test_sjsp_rectification_bad_fields(api, world, ev):
    rect = Rectification.objects.get()
    r = api("county").post(f"/rectifications/{rect.pk}/plan", {"plan": "=x", "due": "2026-09-01"})
    assert r.status_code == 400
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"plan", "due"}
    r = api("county").post(
        f"/rectifications/{rect.pk}/close", {"closed_on": "2026-10-30", "closing_note": "x"}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "plan"
