"""补助发放、体检与保险 (GUA.2.LIVING/TRAVEL/PAY/EXAM/INSURE) through the API: every role ×
every endpoint with the exact status — outside the scope 404, a role that reads but may not
write 403, a bad field 400 with the field and a Chinese reason."""

from __future__ import annotations

import pytest

from tests.api.test_permission_matrix import ROLES
from zhucun.support.models import Insurance, PhysicalExam, PostingDistance, SubsidyPayment

READERS = {"admin", "prefecture", "county", "township", "unit"}  # see 线美玲 (tm_a, 芒市)
UNIT_WRITERS = {"admin", "unit"}
DISTANCE_WRITERS = {"admin", "unit", "county"}


@pytest.mark.parametrize("role", ROLES)
def test_subsidy_table(api, world, role):
    r = api(role).get("/subsidies", {"month": "2025-07"})
    assert r.status_code == 200
    ids = {x["cadre_id"] for x in r.json()["results"]}
    assert (world.cadres["tm_a"].pk in ids) == (role in READERS)
    if role in READERS:
        row = next(x for x in r.json()["results"] if x["cadre_id"] == world.cadres["tm_a"].pk)
        assert row["living"]["value"] is None and "尚未设置" in row["living"]["unset"]
        assert row["transport"] == {"value": None, "unset": "未登记里程"}
        assert row["incomplete"] is True
    assert api(role).get("/subsidies", {"month": "2025-13"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_payment_create(api, world, role):
    body = {
        "cadre_id": world.cadres["tm_a"].pk,
        "month": "2025-07",
        "kind": "transport",
        "amount": "187.00",
        "paid_on": "2025-08-05",
    }
    r = api(role).post("/subsidy-payments", body)
    expected = 201 if role in UNIT_WRITERS else 403 if role in READERS else 404
    assert r.status_code == expected, r.json()
    assert SubsidyPayment.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        assert r.json()["amount"] == "187.00" and r.json()["kind_label"] == "交通费补助"
        again = api(role).post("/subsidy-payments", body)
        assert again.status_code == 400 and again.json()["errors"][0]["field"] == "month"


@pytest.mark.parametrize("role", ROLES)
def test_overdue(api, world, role):
    r = api(role).get("/subsidy-payments/overdue", {"on": "2026-01-01"})
    assert r.status_code == 200
    ids = {x["cadre_id"] for x in r.json()["results"]}
    assert (world.cadres["tm_a"].pk in ids) == (role in READERS)
    assert all(x["kind"] == "transport" for x in r.json()["results"])  # the others unset


@pytest.mark.parametrize("role", ROLES)
def test_distance_put(api, world, role):
    pid = world.postings["tm_a"].pk
    body = {"one_way_km": "37.4", "origin": "芒市人民医院", "source": "地图里程"}
    r = api(role).send("PUT", f"/postings/{pid}/distance", body)
    expected = 200 if role in DISTANCE_WRITERS else 403 if role in READERS else 404
    assert r.status_code == expected, r.json()
    assert PostingDistance.objects.count() == (1 if expected == 200 else 0)
    if expected == 200:
        assert r.json()["one_way_km"] == "37.4"
        row = next(
            x
            for x in api(role).get("/subsidies", {"month": "2025-07"}).json()["results"]
            if x["posting_id"] == pid
        )
        assert row["transport"]["value"] == "187.00"


@pytest.mark.parametrize("role", ROLES)
def test_exam_create_and_missing(api, world, role):
    body = {
        "cadre_id": world.cadres["tm_a"].pk,
        "year": 2025,
        "exam_on": "2025-04-02",
        "place": "芒市人民医院",
    }
    missing = api(role).get("/exams/missing", {"year": 2025})
    assert missing.status_code == 200
    ids = {x["cadre_id"] for x in missing.json()["results"]}
    assert (world.cadres["tm_a"].pk in ids) == (role in READERS)
    r = api(role).post("/exams", body)
    expected = 201 if role in UNIT_WRITERS else 403 if role in READERS else 404
    assert r.status_code == expected, r.json()
    assert PhysicalExam.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_insurance_create_and_gaps(api, world, role):
    body = {
        "cadre_id": world.cadres["tm_a"].pk,
        "policy_number": "PICC-1",
        "insurer": "中国人民财产保险",
        "start": "2024-03-01",
        "end": "2025-02-28",
    }
    r = api(role).post("/insurance", body)
    expected = 201 if role in UNIT_WRITERS else 403 if role in READERS else 404
    assert r.status_code == expected, r.json()
    assert Insurance.objects.count() == (1 if expected == 201 else 0)
    gaps = api(role).get("/insurance/gaps", {"on": "2025-06-01"})
    assert gaps.status_code == 200
    rows = [x for x in gaps.json()["results"] if x["cadre_id"] == world.cadres["tm_a"].pk]
    assert bool(rows) == (role in READERS)
    if rows:
        assert rows[0]["gap_from"] == ("2025-03-01" if expected == 201 else "2024-03-01")


def test_errors_name_the_field_in_chinese(api, world):
    r = api("unit").post(
        "/subsidy-payments",
        {
            "cadre_id": world.cadres["tm_a"].pk,
            "month": "2025-07",
            "kind": "生活补助",
            "amount": "1.005",
            "paid_on": "2025-06-30",
        },
    )
    assert r.status_code == 400
    fields = {e["field"] for e in r.json()["errors"]}
    assert fields == {"amount", "paid_on"}
    r = api("unit").send(
        "PUT",
        f"/postings/{world.postings['tm_a'].pk}/distance",
        {"one_way_km": "-3", "origin": "=x", "source": "y"},
    )
    assert r.status_code == 400
    assert {e["field"] for e in r.json()["errors"]} >= {"one_way_km"}
