"""MGT.7 (training) and GUA.2 (funds, subsidies, exams, insurance): the figures of 组织保障.

Every amount is a ``Decimal`` in yuan from the parameter file; a standard the source does not
give (GUA.2.LIVING: 生活补助, 通信补贴) is unset until the jurisdiction sets it, and every figure
that needs it says so (``Amount.unset``) instead of guessing.

Public API
----------
``Amount(value, unset)``
    A figure or the reason it cannot be computed (the parameter that is not set).
``whole_months_in_post(*, year, arrival, end)``
    The calendar months of ``year`` the posting covers from their first to their last day
    (a posting arriving on 16 March counts from April) — the reading of "pro-rated by whole
    months in post".
``prorate(*, amount, months, params=None, on, jurisdiction=())``
    ``fund_prorate_by_months`` on: amount × months / 12, rounded half up to the fen; off: the
    full amount whenever ``months`` > 0.
``fs_fund(...)`` / ``village_fund(*, key_or_weak, ...)`` / ``unit_fund(*, unit_level, ...)``
    GUA.2.FS_FUND, GUA.2.VILLAGE_FUND, GUA.2.UNIT_FUND for a year: the standard amounts,
    pro-rated. A unit of another level than province / prefecture / county has no standard
    (``Amount.unset`` names it).
``living_subsidy(*, duty_days, ...)`` / ``communication_subsidy(...)``
    GUA.2.LIVING: per on-duty day / per month — unset standards give ``Amount.unset``.
``transport_subsidy(*, one_way_km, ...)``
    GUA.2.TRAVEL: ``transport_round_trips_per_month`` × 2 × one-way km × ``transport_yuan_per_km``,
    exact.
``pay_overdue_from(*, month, params=None, jurisdiction=())``
    GUA.2.PAY settled reading: a month unpaid by the last day of the quarter following its
    quarter (``subsidy_pay_max_delay_quarters``) is overdue from the next day (July ⇒ 1 January).
``training_findings(*, name, days, year, params=None, jurisdiction=())``
    MGT.7.DAYS: fewer concentrated training days than ``training_min_days_per_year`` ⇒ warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .errors import ParameterUnset
from .findings import Finding
from .loader import get_parameters
from .parameters import Parameters

_MONTHS = 12
_FEN = Decimal("0.01")
_QUARTER_MONTHS = 3
UNIT_FUND_PARAMS = {
    "province": "unit_fund_province_yuan",
    "prefecture": "unit_fund_prefecture_yuan",
    "county": "unit_fund_county_yuan",
}


@dataclass(frozen=True)
class Amount:
    """A computed amount in yuan, or why there is none (the unset parameter's note)."""

    value: Decimal | None
    unset: str = ""

    @property
    def known(self) -> bool:
        return self.value is not None


def _month_add(first: date, n: int) -> date:
    index = first.year * _MONTHS + first.month - 1 + n
    return date(index // _MONTHS, index % _MONTHS + 1, 1)


def whole_months_in_post(*, year: int, arrival: date, end: date | None) -> int:
    """The calendar months of ``year`` covered by the posting from first to last day."""
    count = 0
    for m in range(1, _MONTHS + 1):
        first = date(year, m, 1)
        last = _month_add(first, 1) - timedelta(days=1)
        if arrival <= first and (end is None or end >= last):
            count += 1
    return count


def _money(params: Parameters, name: str, on: date, jurisdiction: str | Sequence[str]) -> Amount:
    try:
        return Amount(params.decimal_value(name, on=on, jurisdiction=jurisdiction))
    except ParameterUnset:
        note = params.entry(name).gap_note or "须由本辖区设置"
        return Amount(None, f"{params.entry(name).description}尚未设置:{note}")


def prorate(
    *,
    amount: Amount,
    months: int,
    params: Parameters | None = None,
    on: date,
    jurisdiction: str | Sequence[str] = (),
) -> Amount:
    if amount.value is None:
        return amount
    if months <= 0:
        return Amount(Decimal(0))
    params = params or get_parameters()
    if not params.flag_value("fund_prorate_by_months", on=on, jurisdiction=jurisdiction):
        return amount
    value = (amount.value * months / _MONTHS).quantize(_FEN, rounding=ROUND_HALF_UP)
    return Amount(value)


def _year_fund(
    name: str,
    *,
    months: int,
    year: int,
    params: Parameters | None,
    jurisdiction: str | Sequence[str],
) -> Amount:
    params = params or get_parameters()
    on = date(year, 1, 1)
    amount = _money(params, name, on, jurisdiction)
    return prorate(amount=amount, months=months, params=params, on=on, jurisdiction=jurisdiction)


def fs_fund(
    *,
    year: int,
    months: int,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> Amount:
    """GUA.2.FS_FUND: the provincial work fund of a first secretary for ``year``."""
    return _year_fund(
        "fs_work_fund_yuan", months=months, year=year, params=params, jurisdiction=jurisdiction
    )


def village_fund(
    *,
    key_or_weak: bool,
    year: int,
    months: int,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> Amount:
    """GUA.2.VILLAGE_FUND: the prefectural fund of a village with a team for ``year``."""
    name = "village_fund_key_weak_yuan" if key_or_weak else "village_fund_other_yuan"
    return _year_fund(name, months=months, year=year, params=params, jurisdiction=jurisdiction)


def unit_fund(
    *,
    unit_level: str,
    year: int,
    months: int,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> Amount:
    """GUA.2.UNIT_FUND: the unit's fund for one of its cadres, by the unit's level."""
    name = UNIT_FUND_PARAMS.get(unit_level)
    if name is None:
        return Amount(
            None, "派出单位层级不是省级、州级或县级,原文未规定其工作经费标准(GUA.2.UNIT_FUND)"
        )
    return _year_fund(name, months=months, year=year, params=params, jurisdiction=jurisdiction)


def living_subsidy(
    *,
    duty_days: int,
    on: date,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> Amount:
    """GUA.2.LIVING: on-duty days × the daily standard (unset ⇒ the gap, never a number)."""
    params = params or get_parameters()
    rate = _money(params, "living_subsidy_yuan_per_day", on, jurisdiction)
    if rate.value is None:
        return rate
    return Amount((rate.value * duty_days).quantize(_FEN))


def communication_subsidy(
    *, on: date, params: Parameters | None = None, jurisdiction: str | Sequence[str] = ()
) -> Amount:
    """GUA.2.LIVING: the monthly communication subsidy (unset ⇒ the gap)."""
    params = params or get_parameters()
    return _money(params, "communication_subsidy_yuan_per_month", on, jurisdiction)


def transport_subsidy(
    *,
    one_way_km: Decimal,
    on: date,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> Amount:
    """GUA.2.TRAVEL: round trips per month × 2 × one-way km × rate per km, exact."""
    if one_way_km < 0:
        raise ValueError("单程公里数不能为负数")
    params = params or get_parameters()
    rate = params.decimal_value("transport_yuan_per_km", on=on, jurisdiction=jurisdiction)
    trips = params.int_value("transport_round_trips_per_month", on=on, jurisdiction=jurisdiction)
    return Amount((trips * 2 * Decimal(one_way_km) * rate).quantize(_FEN))


def pay_overdue_from(
    *, month: date, params: Parameters | None = None, jurisdiction: str | Sequence[str] = ()
) -> date:
    """GUA.2.PAY: the first day on which ``month``'s subsidy, still unpaid, is overdue."""
    params = params or get_parameters()
    first = month.replace(day=1)
    delay = params.int_value("subsidy_pay_max_delay_quarters", on=first, jurisdiction=jurisdiction)
    quarter_start = first.replace(month=(first.month - 1) // _QUARTER_MONTHS * _QUARTER_MONTHS + 1)
    return _month_add(quarter_start, _QUARTER_MONTHS * (delay + 1))


def training_findings(
    *,
    name: str,
    days: Decimal | int,
    year: int,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> list[Finding]:
    """MGT.7.DAYS: concentrated training days in ``year`` below the minimum."""
    params = params or get_parameters()
    minimum = params.int_value(
        "training_min_days_per_year", on=date(year, 1, 1), jurisdiction=jurisdiction
    )
    if days >= minimum:
        return []
    return [
        Finding(
            "MGT.7.DAYS",
            "warning",
            f"{name} {year}年集中培训{days}天,少于“每年集中培训时间不少于{minimum}天”(MGT.7.DAYS)",
            {"name": name, "year": year, "days": str(days), "limit": minimum},
        )
    ]
