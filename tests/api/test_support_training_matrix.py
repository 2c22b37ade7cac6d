"""集中培训 (MGT.7) through the API: every role × every endpoint with the exact status —
outside the scope 404, a role that sees but may not write 403, a bad field 400 with the field
and a Chinese reason."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import PREFIX
from tests.api.test_permission_matrix import ROLES
from tests.support.training_helpers import YEAR, attend, event
from zhucun.support.models import TrainingAttendance, TrainingEvent

READERS = {"admin", "prefecture", "county", "township", "unit"}
ORGANISERS = {"admin", "prefecture", "county"}
WRITERS = {"admin", "county"}  # of 芒市's event
SEES = {"admin", "prefecture", "county", "township", "unit"}  # 芒市's event, 线美玲 attending
BODY = {
    "title": "驻村干部轮训",
    "start": "2025-05-06",
    "end": "2025-05-08",
    "days": "3",
    "content": "政策",
}


@pytest.fixture
def ev(world):
    e = event(world)
    attend(world, e, "tm_a")
    return e


@pytest.mark.parametrize("role", ROLES)
def test_training_event_list_and_detail(api, world, ev, role):
    r = api(role).get("/training-events", {"year": YEAR})
    assert r.status_code == (200 if role in READERS else 403)
    if role in READERS:
        assert [x["id"] for x in r.json()["results"]] == ([ev.pk] if role in SEES else [])
    got = api(role).get(f"/training-events/{ev.pk}")
    assert got.status_code == (200 if role in SEES else 404)
    if role in SEES:
        names = [p["cadre_name"] for p in got.json()["participants"]]
        assert names == ["线美玲"] and got.json()["level_label"] == "县级"
    assert api(role).get("/training-events/999999").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_training_event_create(api, world, role):
    r = api(role).post("/training-events", BODY)
    assert r.status_code == (201 if role in ORGANISERS else 403), r.json()
    assert TrainingEvent.objects.count() == (1 if role in ORGANISERS else 0)
    if role in ORGANISERS:
        level = "county" if role == "county" else "prefecture"
        assert r.json()["level"] == level


def test_training_event_create_errors_name_field(api, world):
    r = api("county").post("/training-events", {**BODY, "days": "5", "end": "2025-05-01"})
    assert r.status_code == 400
    fields = {e["field"] for e in r.json()["errors"]}
    assert "end" in fields
    r = api("county").post("/training-events", {**BODY, "bogus": 1})
    assert r.status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_training_attendance(api, world, ev, role):
    r = api(role).post(
        f"/training-events/{ev.pk}/attendance",
        {"cadre_ids": [world.cadres["fs_a"].pk, world.cadres["tm_a"].pk]},
    )
    expected = 200 if role in WRITERS else 403 if role in SEES else 404
    assert r.status_code == expected, r.json()
    assert TrainingAttendance.objects.filter(event=ev).count() == (2 if expected == 200 else 1)


def test_training_attendance_out_of_area_400(api, world, ev):
    r = api("county").post(
        f"/training-events/{ev.pk}/attendance", {"cadre_ids": [world.cadres["fs_c"].pk]}
    )
    assert r.status_code == 400
    assert "不在芒市辖区驻村" in r.json()["errors"][0]["reason"]
    assert TrainingAttendance.objects.filter(event=ev).count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_training_import(api, world, ev, role):
    fs = world.cadres["fs_a"]
    sheet = f"干部编号,姓名\n{fs.pk},{fs.name}\n".encode()
    client = api(role)
    r = client.client.post(
        f"{PREFIX}/training-events/{ev.pk}/import",
        {"file": SimpleUploadedFile("签到.csv", sheet)},
        headers=client.headers,
    )
    expected = 200 if role in WRITERS else 403 if role in SEES else 404
    assert r.status_code == expected, r.json()
    assert TrainingAttendance.objects.filter(event=ev).count() == (2 if expected == 200 else 1)
    if expected == 200:
        assert r.json()["added"] == 1


def test_training_import_bad_rows_400(api, world, ev):
    client = api("county")
    r = client.client.post(
        f"{PREFIX}/training-events/{ev.pk}/import",
        {"file": SimpleUploadedFile("签到.csv", "干部编号,姓名\n1,王五\n".encode())},
        headers=client.headers,
    )
    assert r.status_code == 400
    assert "第2行" in r.json()["errors"][0]["reason"]


@pytest.mark.parametrize("role", ROLES)
def test_training_days_and_gaps(api, world, ev, role):
    days = api(role).get("/training-days", {"year": YEAR})
    gaps = api(role).get("/training-gaps", {"year": YEAR})
    assert days.status_code == gaps.status_code == (200 if role in READERS else 403)
    if role in READERS:
        rows = {x["cadre_name"]: x for x in days.json()["results"]}
        assert rows["线美玲"]["short"] is True and rows["线美玲"]["days"] in ("2", "2.0", 2)
        if role == "unit":
            assert set(rows) <= {"线美玲", "赵小兵"}
        names = {x["cadre_name"] for x in gaps.json()["results"]}
        if role != "unit":
            assert "岳文华" in names
