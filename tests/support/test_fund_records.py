"""Allocations and spending against the fund entitlements (GUA.2.FS_FUND, VILLAGE_FUND,
UNIT_FUND): who records, scope (404), the amounts and the spending rule, and the gap lists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.support.selectors import funds as sel
from zhucun.support.services.funds import fund_record

from .funds_helpers import make_key

YEAR = 2025
ON = dt.date(2025, 4, 1)


def rec(actor, **kw):
    data = {"year": YEAR, "kind": "fs", "on": ON, "note": "云财农〔2025〕12号"}
    data.update(kw)
    return fund_record(actor=actor, **data)


def test_gua2_fs_fund_recorded_by_county_in_scope(world):
    """GUA.2.FS_FUND: the county of the village records; the record is audited."""
    r = rec(world.users["county"], cadre_id=world.cadres["fs_a"].pk, allocated="6000")
    assert r.allocated == Decimal("6000.00") and r.spent == Decimal("0.00")
    assert Event.objects.filter(action="fund.record", object_id=str(r.pk)).exists()


def test_gua2_fs_fund_other_county_404_and_unit_403(world):
    """Outside the area the cadre does not exist (404); a unit may not record it (403)."""
    with pytest.raises(NotFound):
        rec(world.users["county"], cadre_id=world.cadres["fs_c"].pk, allocated="1")
    with pytest.raises(Forbidden):
        rec(world.users["unit"], cadre_id=world.cadres["fs_a"].pk, allocated="1")
    with pytest.raises(Forbidden):
        rec(world.users["township"], cadre_id=world.cadres["fs_a"].pk, allocated="1")
    # a team member has no FS entitlement: not found, even for the admin
    with pytest.raises(NotFound):
        rec(world.users["admin"], cadre_id=world.cadres["tm_a"].pk, allocated="1")


def test_gua2_unit_fund_by_the_cadres_unit_only(world):
    """GUA.2.UNIT_FUND: 芒市人民医院 records for its cadre tm_a; not for another unit's cadre;
    the county may not record a unit fund."""
    r = rec(world.users["unit"], kind="unit", cadre_id=world.cadres["tm_a"].pk, allocated="5000")
    assert r.kind == "unit"
    with pytest.raises(NotFound):
        rec(world.users["unit"], kind="unit", cadre_id=world.cadres["fs_a"].pk, allocated="1")
    with pytest.raises(Forbidden):
        rec(world.users["county"], kind="unit", cadre_id=world.cadres["tm_a"].pk, allocated="1")


def test_gua2_village_fund_by_village_not_cadre(world):
    """GUA.2.VILLAGE_FUND: exactly one of cadre / village by kind."""
    rec(world.users["prefecture"], kind="village", village_id=world.villages["C"].pk, allocated="1")
    with pytest.raises(ValidationFailed) as exc:
        rec(
            world.users["prefecture"],
            kind="village",
            village_id=world.villages["A"].pk,
            cadre_id=world.cadres["fs_a"].pk,
            allocated="1",
        )
    assert "cadre_id" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        rec(world.users["county"], kind="fs", allocated="1")
    assert exc.value.errors["cadre_id"] == "请选择干部"


@pytest.mark.parametrize(
    "value",
    ["12.345", 12.345, "abc", "-5", True, "1e3", "=1+1", "12345678901"],
)
def test_gua2_amount_refused_with_chinese_reason(world, value):
    with pytest.raises(ValidationFailed) as exc:
        rec(world.users["county"], cadre_id=world.cadres["fs_a"].pk, allocated=value)
    assert not exc.value.errors["allocated"].isascii()


def test_gua2_amount_float_with_two_decimals_accepted(world):
    r = rec(world.users["county"], cadre_id=world.cadres["fs_a"].pk, allocated=12.5)
    assert r.allocated == Decimal("12.50")


def test_gua2_spending_cannot_exceed_allocated(world):
    """Chosen rule: the total spent may not exceed the total allocated (refused, figures named)."""
    county = world.users["county"]
    cid = world.cadres["fs_a"].pk
    rec(county, cadre_id=cid, allocated="3000")
    rec(county, cadre_id=cid, spent="2000")
    with pytest.raises(ValidationFailed) as exc:
        rec(county, cadre_id=cid, spent="1000.01")
    assert "支出不得超过已拨付" in exc.value.errors["spent"]
    assert "3000.01" in exc.value.errors["spent"]
    rec(county, cadre_id=cid, spent="1000.00")


def test_gua2_note_required_and_no_formula(world):
    with pytest.raises(ValidationFailed) as exc:
        rec(world.users["county"], cadre_id=world.cadres["fs_a"].pk, allocated="1", note="")
    assert "note" in exc.value.errors
    with pytest.raises(ValidationFailed):
        rec(world.users["county"], cadre_id=world.cadres["fs_a"].pk, allocated="1", note="=cmd")


def test_gua2_shortfalls_and_unspent_listed_exactly(world):
    """Shortfalls: allocated < entitled; unspent: allocated − spent > 0 — exactly these rows."""
    make_key(world)
    admin = world.users["admin"]
    rec(admin, cadre_id=world.cadres["fs_a"].pk, allocated="10000")  # full, none spent
    rec(admin, cadre_id=world.cadres["fs_b"].pk, allocated="4000", spent="4000")  # short, spent
    rec(admin, cadre_id=world.cadres["fs_c"].pk, allocated="10000", spent="10000")  # done
    short = sel.shortfalls(user=admin, year=YEAR, kind="fs")
    assert [(r.cadre_id, r.shortfall) for r in short] == [
        (world.cadres["fs_b"].pk, Decimal("6000.00"))
    ]
    left = sel.unspent(user=admin, year=YEAR, kind="fs")
    assert [(r.cadre_id, r.unspent) for r in left[0:10]] == [
        (world.cadres["fs_a"].pk, Decimal("10000.00"))
    ]
    # villages: none allocated → every village is short, none unspent
    assert len(sel.shortfalls(user=admin, year=YEAR, kind="village")) == 3
    assert sel.unspent(user=admin, year=YEAR, kind="village").count() == 0
    # the county of 芒市 sees only its own (fs_a, fs_b)
    county_short = sel.shortfalls(user=world.users["county"], year=YEAR, kind="fs")
    assert [r.cadre_id for r in county_short] == [world.cadres["fs_b"].pk]
