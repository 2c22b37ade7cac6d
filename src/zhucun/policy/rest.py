"""MGT.1.REST — rotation rest (轮休).

"除周末和法定节假日外,非特殊时期每季度可安排驻村干部轮休1次,时间不超过1周,每批轮休人员
不超过三分之一。"

Public API
----------
``quarter_of(d)``
    ``(year, quarter)`` with quarters 1–4 of the calendar year (Jan–Mar is 1).
``rest_limit(team_size, params=None, on, jurisdiction=())``
    How many of a team of ``team_size`` may rest at once: ⌊team_size × rest_max_team_fraction⌋
    ("不超过三分之一" includes the third itself and a person is not divisible, so rounded
    down), but never below ``rest_min_team_batch`` (settled reading of CLAUSES.md: every
    cadre's once-a-quarter rest must be usable, even in a team of one or two): 1 → 1, 2 → 1,
    3 → 1, 5 → 1, 6 → 2.  A team of 0 rests nobody.  ``ValueError`` for a negative size.
``check_rest(*, name, start, end, rests_this_quarter, team_size, resting_by_day,
special_periods, params=None, jurisdiction=())``
    The findings about one person's request to rest from ``start`` to ``end`` (both
    included), every one citing MGT.1.REST, in this order:

    * ``end`` before ``start`` ⇒ one error and nothing else.
    * length (calendar days, both ends included) above ``rest_max_days`` ⇒ error ("时间不
      超过1周": 7 days pass, 8 do not).
    * a rest may cross a quarter's end (settled reading of CLAUSES.md) and counts for the
      quarter in which it starts: ``rests_this_quarter`` (this person's rests already
      approved in the quarter of ``start``, this request not included) + 1 above
      ``rest_max_per_quarter`` ⇒ error.
    * overlap with a special period (``(start, end, label)`` declared by the county or the
      prefecture; both ends included) ⇒ one error each, naming it ("非特殊时期").
    * the ⅓ rule: ``team_size`` counts the whole team, the requester included;
      ``resting_by_day[d]`` counts the *others* of the team already approved to rest on ``d``
      (a missing day is 0).  On each day where ``resting_by_day[d] + 1`` exceeds
      ``rest_limit`` (never below one person) ⇒ one error naming the day, the count and the
      limit.

    Parameters are looked up on ``start``.  Every calendar day of the request is counted;
    the caller decides whether to ask for weekdays only (the policy's "除周末和法定节假日外"
    says rest is *in addition to* weekends and holidays, not that they are excluded from it).
    ``ValueError`` for a team size below 1 or a negative rest count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from .findings import Finding, Severity
from .loader import get_parameters
from .numbers import fraction_text
from .parameters import Parameters

_CLAUSE = "MGT.1.REST"
_ONE_DAY = timedelta(days=1)
_MONTHS_PER_QUARTER = 3


def quarter_of(d: date) -> tuple[int, int]:
    """``(year, quarter)``, quarter 1–4."""
    return d.year, (d.month - 1) // _MONTHS_PER_QUARTER + 1


def rest_limit(
    team_size: int,
    params: Parameters | None = None,
    on: date | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> int:
    """⌊team_size × rest_max_team_fraction⌋, at least ``rest_min_team_batch``, in force on
    ``on`` (required)."""
    if on is None:
        raise TypeError("rest_limit 需要 on(参数生效日期)")
    if team_size < 0:
        raise ValueError(f"工作队人数不能为负数:{team_size}")
    params = params or get_parameters()
    if team_size == 0:
        return 0
    fraction = params.fraction_value("rest_max_team_fraction", on=on, jurisdiction=jurisdiction)
    floor = params.int_value("rest_min_team_batch", on=on, jurisdiction=jurisdiction)
    return max(math.floor(team_size * fraction), floor)


def _days(start: date, end: date) -> list[date]:
    return [start + _ONE_DAY * i for i in range((end - start).days + 1)]


def check_rest(
    *,
    name: str,
    start: date,
    end: date,
    rests_this_quarter: int,
    team_size: int,
    resting_by_day: Mapping[date, int],
    special_periods: Sequence[tuple[date, date, str]],
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> list[Finding]:
    """The MGT.1.REST findings about one rest request (see module doc)."""
    if team_size < 1:
        raise ValueError(f"工作队人数须至少为1(含申请人):{team_size}")
    if rests_this_quarter < 0:
        raise ValueError(f"本季度已轮休次数不能为负数:{rests_this_quarter}")
    params = params or get_parameters()
    base: dict[str, Any] = {"name": name, "start": start.isoformat(), "end": end.isoformat()}
    span = f"{name} 申请 {start.isoformat()} 至 {end.isoformat()} 轮休"

    def error(check: str, message: str, severity: Severity = "error", **data: Any) -> Finding:
        return Finding(
            _CLAUSE,
            severity,
            f"{message}({_CLAUSE})",
            {**base, "check": check, **data},
        )

    if end < start:
        return [error("dates", f"{span}:结束日期早于开始日期")]
    findings: list[Finding] = []

    def limit(param: str) -> int:
        return params.int_value(param, on=start, jurisdiction=jurisdiction)

    length = (end - start).days + 1
    max_days = limit("rest_max_days")
    if length > max_days:
        findings.append(
            error(
                "length",
                f"{span}共{length}天,超过“时间不超过{max_days}天”的上限",
                days=length,
                limit=max_days,
            )
        )
    year, quarter = quarter_of(start)
    per_quarter = limit("rest_max_per_quarter")
    if rests_this_quarter + 1 > per_quarter:
        findings.append(
            error(
                "per_quarter",
                f"{span}:{year}年第{quarter}季度已轮休{rests_this_quarter}次,"
                f"每季度可安排轮休{per_quarter}次",
                quarter=[year, quarter],
                count=rests_this_quarter,
                limit=per_quarter,
            )
        )
    for p_start, p_end, label in special_periods:
        if p_start <= end and start <= p_end:
            findings.append(
                error(
                    "special_period",
                    f"{span}与特殊时期“{label}”({p_start.isoformat()} 至 {p_end.isoformat()})"
                    "重叠,“非特殊时期”方可安排轮休",
                    period=label,
                    period_start=p_start.isoformat(),
                    period_end=p_end.isoformat(),
                )
            )
    fraction = params.fraction_value("rest_max_team_fraction", on=start, jurisdiction=jurisdiction)
    allowed = rest_limit(team_size, params, start, jurisdiction)
    min_batch = limit("rest_min_team_batch")
    shown = f"{fraction.numerator}/{fraction.denominator}"
    for day in _days(start, end):
        others = resting_by_day.get(day, 0)
        if others + 1 > allowed:
            findings.append(
                error(
                    "team_fraction",
                    f"{span}:{day.isoformat()} 已有{others}人轮休,加上本人为{others + 1}人,"
                    f"超过工作队{team_size}人的“每批轮休人员不超过{fraction_text(fraction)}”"
                    f"上限{allowed}人(向下取整,至少{min_batch}人)",
                    day=day.isoformat(),
                    count=others + 1,
                    limit=allowed,
                    team_size=team_size,
                    fraction=shown,
                )
            )
    return findings
