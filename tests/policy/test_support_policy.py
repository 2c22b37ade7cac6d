"""GUA.2 (funds, subsidies, payment delay) and MGT.7.DAYS as pure policy (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhucun.policy import get_parameters
from zhucun.policy.parameters import Override
from zhucun.policy.support import (
    fs_fund,
    living_subsidy,
    pay_overdue_from,
    training_findings,
    transport_subsidy,
    unit_fund,
    village_fund,
    whole_months_in_post,
)

Y = 2026


def test_gua_2_fs_fund_village_and_unit_funds_match_the_parameters_exactly():
    """A first secretary of a prefecture unit in a key village; a team member of a county unit."""
    assert fs_fund(year=Y, months=12).value == Decimal(10000)
    assert village_fund(key_or_weak=True, year=Y, months=12).value == Decimal(20000)
    assert village_fund(key_or_weak=False, year=Y, months=12).value == Decimal(10000)
    assert unit_fund(unit_level="prefecture", year=Y, months=12).value == Decimal(10000)
    assert unit_fund(unit_level="county", year=Y, months=12).value == Decimal(5000)
    assert unit_fund(unit_level="province", year=Y, months=12).value == Decimal(20000)
    other = unit_fund(unit_level="township", year=Y, months=12)
    assert other.value is None and "GUA.2.UNIT_FUND" in other.unset


def test_gua_2_fs_fund_mid_year_posting_is_prorated_by_whole_months():
    months = whole_months_in_post(year=Y, arrival=date(2026, 3, 16), end=None)
    assert months == 9  # April … December: March is not a whole month in post
    assert fs_fund(year=Y, months=months).value == Decimal("7500.00")
    assert whole_months_in_post(year=Y, arrival=date(2025, 1, 1), end=date(2026, 5, 31)) == 5
    assert fs_fund(year=Y, months=7).value == Decimal("5833.33")  # half up to the fen
    params = get_parameters().with_overrides(
        [Override("fund_prorate_by_months", "533100", date(2021, 10, 19), False)]
    )
    assert fs_fund(year=Y, months=7, params=params).value == Decimal(10000)
    assert fs_fund(year=Y, months=0).value == Decimal(0)


def test_gua_2_travel_is_two_times_km_times_rate_exactly():
    assert transport_subsidy(one_way_km=Decimal("37.4"), on=date(Y, 5, 1)).value == Decimal(
        "187.00"
    )
    assert transport_subsidy(one_way_km=Decimal("0.1"), on=date(Y, 5, 1)).value == Decimal("0.50")
    with pytest.raises(ValueError, match="负数"):
        transport_subsidy(one_way_km=Decimal(-1), on=date(Y, 5, 1))


def test_gua_2_living_subsidy_unset_shows_the_gap_not_a_number():
    amount = living_subsidy(duty_days=20, on=date(Y, 5, 1))
    assert amount.value is None and "尚未设置" in amount.unset
    params = get_parameters().with_overrides(
        [Override("living_subsidy_yuan_per_day", "533100", date(2021, 10, 19), "100")]
    )
    assert living_subsidy(duty_days=20, on=date(Y, 5, 1), params=params).value == Decimal(2000)


@pytest.mark.parametrize(
    ("month", "overdue_from"),
    [
        (date(2026, 7, 1), date(2027, 1, 1)),  # the settled reading's example
        (date(2026, 9, 1), date(2027, 1, 1)),
        (date(2026, 10, 1), date(2027, 4, 1)),
        (date(2026, 1, 1), date(2026, 7, 1)),
    ],
)
def test_gua_2_pay_unpaid_month_overdue_from_the_day_after_the_following_quarter(
    month, overdue_from
):
    assert pay_overdue_from(month=month) == overdue_from


def test_mgt_7_days_fewer_training_days_than_the_parameter():
    [f] = training_findings(name="李明", days=2, year=Y)
    assert f.clause == "MGT.7.DAYS" and "2026年集中培训2天" in f.message and "3天" in f.message
    assert training_findings(name="李明", days=3, year=Y) == []
