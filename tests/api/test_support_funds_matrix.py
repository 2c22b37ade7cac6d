"""驻村工作经费 through the API (GUA.2.FS_FUND, GUA.2.VILLAGE_FUND, GUA.2.UNIT_FUND): every role ×
every endpoint with the exact status and rows — readers see their scope, village roles see
nothing; fs and village funds recorded by the prefecture and county (403 for other readers,
404 outside the scope), the unit fund by the cadre's unit; amounts as decimal strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.api.test_permission_matrix import ROLES
from zhucun.registry.models import DispatchingUnit
from zhucun.support.models import FundRecord

YEAR = 2025
READERS = {"admin", "prefecture", "county", "township", "unit"}
AREA = {"admin", "prefecture", "county"}
UNIT = {"admin", "unit"}
# fs_a (德宏州农业农村局, village A in 芒市) is seen by the area roles and the admin;
FS_A_READERS = {"admin", "prefecture", "county", "township"}
# tm_a (芒市人民医院) by the area roles and her unit
TM_A_READERS = {"admin", "prefecture", "county", "township", "unit"}


def _record(world, kind="fs", cadre=None, village=None, allocated="100", spent="0"):
    return FundRecord.objects.create(
        year=YEAR,
        kind=kind,
        cadre=cadre,
        village=village,
        allocated=Decimal(allocated),
        spent=Decimal(spent),
        on=dt.date(2025, 3, 1),
        note="拨付",
        recorded_by=world.admin,
    )


@pytest.mark.parametrize("role", ROLES)
def test_fund_entitlements(api, world, role):
    body = api(role).get("/fund-entitlements", {"year": YEAR, "kind": "fs"}).json()
    ids = {x["cadre_id"] for x in body["results"]}
    assert (world.cadres["fs_a"].pk in ids) == (role in FS_A_READERS)
    if role in FS_A_READERS:
        row = next(x for x in body["results"] if x["cadre_id"] == world.cadres["fs_a"].pk)
        assert row["entitled"] == "10000.00" and row["months"] == 12 and row["unset"] == ""
    body = api(role).get("/fund-entitlements", {"year": YEAR, "kind": "unit"}).json()
    ids = {x["cadre_id"] for x in body["results"]}
    assert (world.cadres["tm_a"].pk in ids) == (role in TM_A_READERS)
    if role not in READERS:
        assert body["count"] == 0


def test_fund_entitlements_unset_reason_and_bad_kind(api, world):
    DispatchingUnit.objects.filter(pk=world.units["mangshi"].pk).update(level="township")
    body = api("county").get("/fund-entitlements", {"year": YEAR, "kind": "unit"}).json()
    row = next(x for x in body["results"] if x["cadre_id"] == world.cadres["tm_a"].pk)
    assert row["entitled"] is None and "GUA.2.UNIT_FUND" in row["unset"]
    assert row["shortfall"] is None
    r = api("county").get("/fund-entitlements", {"year": YEAR, "kind": "bogus"})
    assert r.status_code == 400
    r = api("county").get("/fund-entitlements", {"year": 1800})
    assert r.status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_fund_totals(api, world, role):
    r = api(role).get("/fund-totals", {"year": YEAR})
    assert r.status_code == 200
    totals = {t["kind"]: t for t in r.json()["totals"]}
    assert set(totals) == {"fs", "village", "unit"}
    expected_fs = {
        "admin": "30000.00",
        "prefecture": "30000.00",
        "county": "20000.00",
        "township": "20000.00",
        "unit": "0.00",
    }
    assert totals["fs"]["entitled"] == expected_fs.get(role, "0.00")


@pytest.mark.parametrize("role", ROLES)
def test_fund_record_create_fs(api, world, role):
    r = api(role).post(
        "/fund-records",
        {
            "year": YEAR,
            "kind": "fs",
            "cadre_id": world.cadres["fs_a"].pk,
            "allocated": "5000.50",
            "on": "2025-03-01",
            "note": "德财农〔2025〕3号",
        },
    )
    expected = 201 if role in AREA else 403
    assert r.status_code == expected, r.json()
    if expected == 201:
        assert r.json()["allocated"] == "5000.50" and r.json()["cadre_name"] == "岳文华"
    assert FundRecord.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_fund_record_create_unit(api, world, role):
    r = api(role).post(
        "/fund-records",
        {
            "year": YEAR,
            "kind": "unit",
            "cadre_id": world.cadres["tm_a"].pk,
            "allocated": "5000",
            "on": "2025-03-01",
            "note": "院内拨付",
        },
    )
    assert r.status_code == (201 if role in UNIT else 403), r.json()


@pytest.mark.parametrize("role", ROLES)
def test_fund_record_create_village(api, world, role):
    r = api(role).post(
        "/fund-records",
        {
            "year": YEAR,
            "kind": "village",
            "village_id": world.villages["C"].pk,
            "allocated": "10000",
            "on": "2025-03-01",
            "note": "州财政拨付",
        },
    )
    # village C is in 瑞丽: the 芒市 county does not find it
    expected = {"admin": 201, "prefecture": 201, "county": 404}.get(role, 403)
    assert r.status_code == expected, r.json()


def test_fund_record_errors(api, world):
    county = api("county")
    base = {
        "year": YEAR,
        "kind": "fs",
        "cadre_id": world.cadres["fs_a"].pk,
        "on": "2025-03-01",
        "note": "拨付",
    }
    r = county.post("/fund-records", {**base, "allocated": "1.234"})
    assert r.status_code == 400
    (err,) = r.json()["errors"]
    assert err["field"] == "allocated" and "两位小数" in err["reason"]
    r = county.post("/fund-records", {**base, "allocated": "100", "spent": "100.01"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "spent"
    assert "支出不得超过已拨付" in r.json()["errors"][0]["reason"]
    r = county.post(
        "/fund-records", {**base, "cadre_id": world.cadres["fs_c"].pk, "allocated": "1"}
    )
    assert r.status_code == 404
    r = county.post("/fund-records", {**base, "allocated": 12.5})
    assert r.status_code == 400  # amounts are strings in the API


@pytest.mark.parametrize("role", ROLES)
def test_fund_records_list(api, world, role):
    rec = _record(world, cadre=world.cadres["fs_a"])
    body = api(role).get("/fund-records", {"year": YEAR, "kind": "fs"}).json()
    ids = [x["id"] for x in body["results"]]
    assert (rec.pk in ids) == (role in FS_A_READERS)


@pytest.mark.parametrize("role", ROLES)
def test_fund_gaps(api, world, role):
    _record(world, cadre=world.cadres["fs_a"], allocated="10000", spent="0")
    _record(world, cadre=world.cadres["fs_b"], allocated="4000", spent="4000")
    short = api(role).get("/fund-gaps", {"year": YEAR, "kind": "fs", "list": "short"}).json()
    left = api(role).get("/fund-gaps", {"year": YEAR, "kind": "fs", "list": "unspent"}).json()
    short_ids = {x["cadre_id"] for x in short["results"]}
    left_ids = {x["cadre_id"] for x in left["results"]}
    if role in FS_A_READERS:
        assert world.cadres["fs_b"].pk in short_ids and world.cadres["fs_a"].pk not in short_ids
        row = next(x for x in short["results"] if x["cadre_id"] == world.cadres["fs_b"].pk)
        assert row["shortfall"] == "6000.00"
        assert left_ids == {world.cadres["fs_a"].pk}
        assert left["results"][0]["unspent"] == "10000.00"
    else:
        assert short_ids == left_ids == set()
