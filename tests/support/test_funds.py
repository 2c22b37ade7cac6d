"""GUA.2.FS_FUND, GUA.2.VILLAGE_FUND, GUA.2.UNIT_FUND: the yearly entitlements computed from
the registry and the parameters (Done-when of issue 15, part 2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhucun.registry.models import DispatchingUnit, Posting
from zhucun.support.selectors import funds as sel

from .funds_helpers import arrive_mid_year, make_key, prorate_off, row_of, rows

YEAR = 2025


def test_gua2_fs_of_prefecture_unit_in_key_village_fs_village_and_unit_amounts(world):
    """GUA.2.FS_FUND 10000, GUA.2.VILLAGE_FUND key village 20000, GUA.2.UNIT_FUND prefecture
    unit 10000 — a whole year in post."""
    make_key(world)
    admin = world.users["admin"]
    fs = row_of(admin, YEAR, "fs", cadre=world.cadres["fs_a"])
    assert (fs.months, fs.entitled.value, fs.standard.value) == (
        12,
        Decimal("10000.00"),
        Decimal("10000"),
    )
    village = row_of(admin, YEAR, "village", village=world.villages["A"])
    assert village.entitled.value == Decimal("20000.00")
    assert village.level == "重点村/薄弱村"
    unit = row_of(admin, YEAR, "unit", cadre=world.cadres["fs_a"])
    assert unit.entitled.value == Decimal("10000.00")
    assert unit.level == "州级"


def test_gua2_village_fund_other_village_10000(world):
    """GUA.2.VILLAGE_FUND: a village without the key/weak flags gets the other amount."""
    row = row_of(world.users["admin"], YEAR, "village", village=world.villages["B"])
    assert row.entitled.value == Decimal("10000.00")
    assert row.level == "其他村"


def test_gua2_unit_fund_team_member_of_county_unit_5000(world):
    """GUA.2.UNIT_FUND: a team member of a county unit → 5000.00; no FS fund row for them."""
    admin = world.users["admin"]
    assert row_of(admin, YEAR, "unit", cadre=world.cadres["tm_a"]).entitled.value == Decimal(
        "5000.00"
    )
    assert world.cadres["tm_a"].pk not in {r.cadre_id for r in rows(admin, YEAR, "fs")}


def test_gua2_fs_fund_arrival_mid_march_prorated_to_nine_whole_months(world):
    """GUA.2.FS_FUND with fund_prorate_by_months: arrival 2026-03-16 → April to December,
    9 whole months → 10000 × 9 / 12 = 7500.00."""
    arrive_mid_year(world)
    row = row_of(world.users["admin"], 2026, "fs", cadre=world.cadres["spare"])
    assert row.months == 9
    assert row.entitled.value == Decimal("7500.00")
    unit = row_of(world.users["admin"], 2026, "unit", cadre=world.cadres["spare"])
    assert unit.entitled.value == Decimal("3750.00")


def test_gua2_fs_fund_flag_off_full_amount(world):
    """fund_prorate_by_months false for the prefecture → the full 10000.00 for any month."""
    arrive_mid_year(world)
    prorate_off(world)
    row = row_of(world.users["admin"], 2026, "fs", cadre=world.cadres["spare"])
    assert (row.months, row.entitled.value) == (9, Decimal("10000"))


def test_gua2_unit_fund_township_level_unit_is_unset_with_reason(world):
    """GUA.2.UNIT_FUND: a unit level without a standard gives the reason, never a number."""
    DispatchingUnit.objects.filter(pk=world.units["mangshi"].pk).update(level="township")
    row = row_of(world.users["admin"], YEAR, "unit", cadre=world.cadres["tm_a"])
    assert row.entitled.value is None
    assert "GUA.2.UNIT_FUND" in row.entitled.unset
    assert row.shortfall is None
    total = next(
        t for t in sel.fund_totals(user=world.users["admin"], year=YEAR) if t.kind == "unit"
    )
    assert total.unset_rows == 1


def test_gua2_months_end_mid_year_and_two_fs_postings_counted_once(world):
    """A posting ended 2025-06-20 covers January to May (5 months); a second FS posting of the
    same cadre from 2025-07-01 adds July–December: 11 months, never more than 12."""
    p = world.postings["fs_b"]
    Posting.objects.filter(pk=p.pk).update(actual_end=dt.date(2025, 6, 20), status="ended")
    admin = world.users["admin"]
    assert row_of(admin, YEAR, "fs", cadre=world.cadres["fs_b"]).months == 5
    Posting.objects.create(
        cadre=world.cadres["fs_b"],
        village=world.villages["B"],
        role="first_secretary",
        arrival_date=dt.date(2025, 7, 1),
        status="active",
    )
    row = row_of(admin, YEAR, "fs", cadre=world.cadres["fs_b"])
    assert row.months == 11
    assert row.entitled.value == Decimal("9166.67")


def test_gua2_village_months_union_of_team_presence(world):
    """GUA.2.VILLAGE_FUND: a village counts the months with at least one posting covering the
    whole month — not the sum of its cadres' months."""
    admin = world.users["admin"]
    # village A: the TM leaves mid-June, the FS stays → still 12 months (not 12 + 5)
    Posting.objects.filter(pk=world.postings["tm_a"].pk).update(
        actual_end=dt.date(2025, 6, 20), status="ended"
    )
    assert row_of(admin, YEAR, "village", village=world.villages["A"]).months == 12
    # the FS leaves on 2025-03-10 too → January and February only
    Posting.objects.filter(pk=world.postings["fs_a"].pk).update(
        actual_end=dt.date(2025, 3, 10), status="ended"
    )
    row = row_of(admin, YEAR, "village", village=world.villages["A"])
    assert row.months == 5  # the TM's January to May
    # before any arrival (2023) the village has no row
    assert world.villages["A"].pk not in {r.village_id for r in rows(admin, 2023, "village")}


def test_gua2_scope_county_sees_only_its_area(world):
    """The county of 芒市 reads the villages of 芒市 (A, B), not 瑞丽's C; a team member none."""
    county = world.users["county"]
    ids = {r.village_id for r in rows(county, YEAR, "village")}
    assert ids == {world.villages["A"].pk, world.villages["B"].pk}
    assert rows(world.users["team_member"], YEAR, "fs") == []
    unit_rows = rows(world.users["unit"], YEAR, "unit")
    assert {r.cadre_id for r in unit_rows} == {world.cadres["tm_a"].pk}


def test_gua2_totals_per_kind(world):
    """fund_totals: the entitled sum per kind (3 FS × 10000; villages 10000 × 3; units)."""
    totals = {t.kind: t for t in sel.fund_totals(user=world.users["admin"], year=YEAR)}
    assert totals["fs"].entitled == Decimal("30000.00")
    assert totals["village"].entitled == Decimal("30000.00")
    # fs_a, fs_b prefecture 10000 each; tm_a, fs_c county 5000 each
    assert totals["unit"].entitled == Decimal("30000.00")
    assert totals["unit"].rows == 4
