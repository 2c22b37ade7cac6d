"""GUA.2.LIVING / GUA.2.TRAVEL / GUA.2.PAY: the subsidy table and the overdue payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.attendance.test_mgt_3_month_close import store_checkin
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.services import parameter_set
from zhucun.support.selectors import subsidies as read
from zhucun.support.services import subsidies as write

D = dt.date
JULY = D(2025, 7, 1)
MANGSHI = "533103000000"


def set_param(world, name, value):
    parameter_set(
        actor=world.users["county"],
        name=name,
        jurisdiction_code=MANGSHI,
        effective=D(2020, 1, 1),
        value=value,
        note="芒财〔2025〕1号",
    )


def row_of(world, month=JULY, cadre="tm_a"):
    qs = read.subsidy_table(user=world.users["unit"], month=month)
    rows = read.subsidy_rows(qs, month=month)
    return next(r for r in rows if r.cadre.pk == world.cadres[cadre].pk)


def test_gua_2_travel_transport_is_2_x_km_x_rate_exact(world):
    """GUA.2.TRAVEL: 37.4 km one way → 1 round trip × 2 × 37.4 × 2.5 = 187.00 exactly."""
    write.distance_set(
        actor=world.users["unit"],
        posting_id=world.postings["tm_a"].pk,
        one_way_km="37.4",
        origin="芒市人民医院",
        source="高德地图驾车里程",
    )
    row = row_of(world)
    assert row.transport.value == Decimal("187.00")
    assert isinstance(row.transport.value, Decimal)
    assert str(row.transport.value) == "187.00"


def test_gua_2_travel_no_distance_says_so(world):
    row = row_of(world)
    assert row.transport.value is None and row.transport.unset == read.NO_DISTANCE


def test_gua_2_travel_distance_rules(world):
    pid = world.postings["tm_a"].pk
    with pytest.raises(ValidationFailed) as e:
        write.distance_set(
            actor=world.users["unit"], posting_id=pid, one_way_km="37.45", origin="x", source="y"
        )
    assert "one_way_km" in e.value.errors
    with pytest.raises(ValidationFailed):
        write.distance_set(
            actor=world.users["unit"], posting_id=pid, one_way_km="0", origin="x", source="y"
        )
    # the county of the village may enter it too; the township only reads
    write.distance_set(
        actor=world.users["county"], posting_id=pid, one_way_km="12", origin="芒市", source="核实"
    )
    with pytest.raises(Forbidden):
        write.distance_set(
            actor=world.users["township"], posting_id=pid, one_way_km="1", origin="x", source="y"
        )
    with pytest.raises(NotFound):  # another unit's cadre
        write.distance_set(
            actor=world.users["unit"],
            posting_id=world.postings["fs_c"].pk,
            one_way_km="1",
            origin="x",
            source="y",
        )


def test_gua_2_living_unset_shows_the_gap_then_days_x_100(world):
    """GUA.2.LIVING: unset standard → the gap text, no number; set to 100 → days × 100."""
    for day in (3, 4, 7):
        store_checkin(world.cadres["tm_a"], world.villages["A"], D(2025, 7, day))
    row = row_of(world)
    assert row.duty_days == 3
    assert row.living.value is None and "尚未设置" in row.living.unset
    assert row.incomplete
    set_param(world, "living_subsidy_yuan_per_day", "100")
    row = row_of(world)
    assert row.living.value == Decimal("300.00")


def test_gua_2_pay_payment_rules(world):
    cadre = world.cadres["tm_a"].pk
    unit = world.users["unit"]
    write.subsidy_payment_record(
        actor=unit,
        cadre_id=cadre,
        month="2025-07",
        kind="living",
        amount="300.00",
        paid_on=D(2025, 8, 5),
    )
    with pytest.raises(ValidationFailed) as e:
        write.subsidy_payment_record(
            actor=unit,
            cadre_id=cadre,
            month="2025-07",
            kind="生活补助",
            amount="1",
            paid_on=D(2025, 8, 5),
        )
    assert "已登记发放" in e.value.errors["month"]
    with pytest.raises(ValidationFailed) as e:
        write.subsidy_payment_record(
            actor=unit,
            cadre_id=cadre,
            month="2025-08",
            kind="living",
            amount="1.005",
            paid_on=D(2025, 7, 31),
        )
    assert set(e.value.errors) == {"amount", "paid_on"}
    with pytest.raises(Forbidden):
        write.subsidy_payment_record(
            actor=world.users["county"],
            cadre_id=cadre,
            month="2025-07",
            kind="transport",
            amount="1",
            paid_on=D(2025, 8, 5),
        )
    row = row_of(world)
    assert row.paid["living"] == Decimal("300.00") and row.paid["transport"] is None


def overdue(world, today, role="unit"):
    qs = read.overdue_payments(user=world.users[role], today=today)
    return {
        (
            x["cadre_id"],
            x["due_month"]
            if isinstance(x["due_month"], dt.date)
            else D.fromisoformat(x["due_month"]),
            x["due_kind"],
        )
        for x in qs
    }


def test_gua_2_pay_july_unpaid_overdue_from_1_january(world):
    """GUA.2.PAY settled reading: July unpaid is not overdue on 31 December, overdue on 1
    January; a paid month is not listed; communication unset ⇒ never overdue."""
    set_param(world, "living_subsidy_yuan_per_day", "100")
    cadre = world.cadres["tm_a"].pk
    assert (cadre, JULY, "living") not in overdue(world, D(2025, 12, 31))
    on_jan = overdue(world, D(2026, 1, 1))
    assert (cadre, JULY, "living") in on_jan
    assert (cadre, JULY, "transport") in on_jan
    assert not any(k == "communication" for _c, _m, k in on_jan)
    write.subsidy_payment_record(
        actor=world.users["unit"],
        cadre_id=cadre,
        month=JULY,
        kind="living",
        amount="0",
        paid_on=D(2025, 8, 5),
    )
    after = overdue(world, D(2026, 1, 1))
    assert (cadre, JULY, "living") not in after and (cadre, JULY, "transport") in after
    # the county sees the cadres posted in its area; the unit only its own
    county = overdue(world, D(2026, 1, 1), role="county")
    assert (world.cadres["fs_a"].pk, JULY, "living") in county
    assert not any(c == world.cadres["fs_a"].pk for c, _m, _k in after)
    assert overdue(world, D(2026, 1, 1), role="first_secretary") == set()


def test_gua_2_pay_overdue_rows_name_cadre_and_date(world):
    set_param(world, "living_subsidy_yuan_per_day", "100")
    qs = read.overdue_payments(user=world.users["unit"], today=D(2026, 1, 1))
    assert qs.count() > 0
    rows = read.overdue_rows(list(qs[:5]))
    assert all(r["clause"] == "GUA.2.PAY" and "线美玲" in r["message"] for r in rows)
