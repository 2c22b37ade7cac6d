"""MGT.3 / MGT.1.DAYS — attendance rate, the township's monthly ranking, interviews, duty days.

"乡镇每月统计驻村工作队员出勤情况,将出勤率排名末3位队员名单,逐级上报县(市)委组织部、州委
组织部。对驻村工作队员出勤率达不到正常工作日且无正常理由的,按干管权限,由各级组织部门约谈
乡镇驻村工作协调小组长、派出单位分管领导和驻村工作队员。"

Public API
----------
``attendance_rate(duty_days, workdays)``
    ``Fraction(duty_days, workdays)``, exact and not capped (duty on a weekend may lift it
    above 1 if the caller counts such days; pass duty *working* days for a rate ≤ 1).
    ``ValueError`` for 0 or negative working days or negative duty days.
``RankRow(cadre_id, rate, rank, bottom_rank, is_bottom, tie, boundary_tie=False)``
``rank_township(rates, *, params=None, on, jurisdiction=())``
    The REFERENCE computation of the monthly ranking (MGT.3.RANK), written for clarity, not
    speed (O(n²)); the database's window functions must give the same rows:

    * ``rank`` = 1 + the number of cadres with a strictly higher rate — SQL
      ``RANK() OVER (ORDER BY rate DESC)``, standard competition ranking "1224".
    * ``bottom_rank`` = 1 + the number of cadres with a strictly lower rate — SQL
      ``RANK() OVER (ORDER BY rate ASC)``.
    * ``is_bottom`` = ``bottom_rank`` ≤ ``rank_bottom_count`` (3): the 末3位 with every tie
      at the boundary included, so the bottom set has at least min(n, 3) members and may have
      more.  Rates 1, 0.9, 0.8, 0.8, 0.8: the three 0.8s have bottom_rank 1, 0.9 has 4 ⇒ the
      bottom set is the three 0.8s.  Rates 1, 0.9, 0.9, 0.8: 0.8 has 1, both 0.9s have 2 ⇒
      three cadres.  Rates 1, 0.9, 0.9, 0.9, 0.8: 0.8 has 1, the 0.9s have 2 ⇒ four cadres.
      A cadre at full attendance (rate ≥ 1) is never on the bottom list, ties or not: a
      township where nobody falls short has no bottom list (无).
    * ``tie`` = ``is_bottom`` and another cadre has exactly the same rate (all cadres of one
      rate share their ``bottom_rank``, so that cadre is in the bottom set too).
    * ``boundary_tie`` = ``is_bottom`` and the cadres of this rate reach past the count
      (``bottom_rank`` + their number − 1 > ``rank_bottom_count``): the reason the list has
      more than 3 names.
    * Rows come in ``(rate descending, cadre_id ascending)`` order; the order of equal rates
      changes no field.  Rates compare exactly (``Fraction``): the database should compare
      ``duty_days × other_workdays`` crosswise, or integer duty days when all cadres of the
      township share the month's working days — never rounded floats.
    * ``ValueError`` for a cadre listed twice.  No cadres ⇒ ``[]``.
``ranking_published(*, params=None, on, jurisdiction=())``
    ``rank_publication_enabled``: whether the ranking may be shown publicly (the "Later
    rules" of CLAUSES.md: a jurisdiction may switch publication off; the bottom list is still
    reported up the line).
``needs_interview(*, duty_workdays, workdays, valid_reason, params=None, on,
jurisdiction=())``
    MGT.3.TALK: ``duty_workdays`` < ``workdays`` × ``talk_min_attendance_ratio`` (1: "达不到
    正常工作日") and no valid reason.
``interview_findings(*, name, duty_workdays, workdays, valid_reason, params=None, on,
jurisdiction=(), period="")``
    ``needs_interview`` ⇒ an error naming the three to interview (乡镇驻村工作协调小组长、派出
    单位分管领导、驻村工作队员), by the organisation departments by cadre-management authority;
    below the ratio *with* a valid reason ⇒ info (not listed); otherwise ``[]``.
``duty_days_findings(*, name, days, year, as_of, params=None, jurisdiction=(), since=None)``
    MGT.1.DAYS, "每年在岗时间不少于…天(含因公出差)", ``days`` being the on-duty days of
    ``year`` so far (business trips, training and meetings included, see ``counts_as_duty``):

    * ``min_days_on_duty_per_year`` unset (the source lost the number) ⇒ one ``info``:
      "原文缺失此数值,须由本辖区设置" — never an invented minimum;
    * the year is over (``as_of`` after 31 December) and ``days`` < the minimum ⇒ error;
    * during the year, ``days`` < ⌊minimum × elapsed days / days in the year⌋ (elapsed days
      count 1 January to ``as_of``, both included) ⇒ warning "behind the pace".

    ``since`` (the day the posting began, when in ``year``) prorates both: the year's
    requirement becomes ⌊minimum × posted days / days in the year⌋ and the pace counts from
    ``since``.  Before the counting starts, nothing is due.  The minimum is looked up on
    ``as_of`` or, once the year is over, on 31 December of ``year``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from .dates import month_label
from .errors import ParameterUnset
from .findings import Finding
from .loader import get_parameters
from .parameters import Parameters

INTERVIEWEES: tuple[str, ...] = ("乡镇驻村工作协调小组长", "派出单位分管领导", "驻村工作队员")


def attendance_rate(duty_days: int, workdays: int) -> Fraction:
    """On-duty days over the period's working days, exact."""
    if workdays <= 0:
        raise ValueError(f"正常工作日数须为正数:{workdays}")
    if duty_days < 0:
        raise ValueError(f"在岗天数不能为负数:{duty_days}")
    return Fraction(duty_days, workdays)


@dataclass(frozen=True)
class RankRow:
    """One cadre's place in the township's monthly ranking (see ``rank_township``)."""

    cadre_id: int
    rate: Fraction
    rank: int
    bottom_rank: int
    is_bottom: bool
    tie: bool
    boundary_tie: bool = False


def rank_township(
    rates: Sequence[tuple[int, Fraction]],
    *,
    params: Parameters | None = None,
    on: date,
    jurisdiction: str | Sequence[str] = (),
) -> list[RankRow]:
    """The reference ranking of one township's month (see module doc)."""
    ids = [cadre_id for cadre_id, _ in rates]
    if len(ids) != len(set(ids)):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"出勤率排名中干部重复出现:{twice}")
    params = params or get_parameters()
    count = params.int_value("rank_bottom_count", on=on, jurisdiction=jurisdiction)
    all_rates = [Fraction(rate) for _, rate in rates]
    rows: list[RankRow] = []
    for cadre_id, raw in rates:
        rate = Fraction(raw)
        rank = 1 + sum(1 for other in all_rates if other > rate)
        bottom_rank = 1 + sum(1 for other in all_rates if other < rate)
        same = sum(1 for other in all_rates if other == rate)
        is_bottom = bottom_rank <= count and rate < 1  # full attendance is never "bottom"
        rows.append(
            RankRow(
                cadre_id=cadre_id,
                rate=rate,
                rank=rank,
                bottom_rank=bottom_rank,
                is_bottom=is_bottom,
                tie=is_bottom and same > 1,
                boundary_tie=is_bottom and bottom_rank + same - 1 > count,
            )
        )
    rows.sort(key=lambda row: (-row.rate, row.cadre_id))
    return rows


def ranking_published(
    *, params: Parameters | None = None, on: date, jurisdiction: str | Sequence[str] = ()
) -> bool:
    """Whether the jurisdiction publishes the ranking (``rank_publication_enabled``)."""
    params = params or get_parameters()
    return params.flag_value("rank_publication_enabled", on=on, jurisdiction=jurisdiction)


def _talk_threshold(
    workdays: int, params: Parameters | None, on: date, jurisdiction: str | Sequence[str]
) -> tuple[Fraction, Fraction]:
    params = params or get_parameters()
    ratio = params.fraction_value("talk_min_attendance_ratio", on=on, jurisdiction=jurisdiction)
    return ratio, workdays * ratio


def needs_interview(
    *,
    duty_workdays: int,
    workdays: int,
    valid_reason: bool,
    params: Parameters | None = None,
    on: date,
    jurisdiction: str | Sequence[str] = (),
) -> bool:
    """MGT.3.TALK: below the month's working days (× ratio) and no valid reason."""
    if workdays < 0 or duty_workdays < 0:
        raise ValueError("工作日数和在岗天数不能为负数")
    _, needed = _talk_threshold(workdays, params, on, jurisdiction)
    return not valid_reason and duty_workdays < needed


def interview_findings(
    *,
    name: str,
    duty_workdays: int,
    workdays: int,
    valid_reason: bool,
    params: Parameters | None = None,
    on: date,
    jurisdiction: str | Sequence[str] = (),
    period: str = "",
) -> list[Finding]:
    """The MGT.3.TALK finding about one cadre's month (see module doc)."""
    if workdays < 0 or duty_workdays < 0:
        raise ValueError("工作日数和在岗天数不能为负数")
    ratio, needed = _talk_threshold(workdays, params, on, jurisdiction)
    if duty_workdays >= needed:
        return []
    when = period or month_label(on)
    need_text = f"{workdays}个正常工作日" if ratio == 1 else f"{workdays}个正常工作日的{ratio}"
    head = f"{name} {when}在岗{duty_workdays}个工作日,达不到{need_text}"
    data: dict[str, Any] = {
        "name": name,
        "period": when,
        "duty_workdays": duty_workdays,
        "workdays": workdays,
        "ratio": str(ratio),
        "valid_reason": valid_reason,
    }
    if valid_reason:
        return [
            Finding(
                "MGT.3.TALK",
                "info",
                f"{head},已记录正常理由,不列入约谈名单(MGT.3.TALK)",
                data,
            )
        ]
    return [
        Finding(
            "MGT.3.TALK",
            "error",
            f"{head}且无正常理由,列入约谈名单:按干管权限由组织部门约谈"
            f"{'、'.join(INTERVIEWEES)}(MGT.3.TALK)",
            {**data, "interviewees": list(INTERVIEWEES)},
        )
    ]


def duty_days_findings(
    *,
    name: str,
    days: int,
    year: int,
    as_of: date,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
    since: date | None = None,
) -> list[Finding]:
    """MGT.1.DAYS findings about one cadre's on-duty days in ``year`` (see module doc)."""
    if days < 0:
        raise ValueError(f"在岗天数不能为负数:{days}")
    params = params or get_parameters()
    first, last = date(year, 1, 1), date(year, 12, 31)
    over = as_of > last
    lookup_on = last if over else as_of
    base: dict[str, Any] = {"name": name, "year": year, "days": days, "as_of": as_of.isoformat()}
    try:
        minimum = params.int_value(
            "min_days_on_duty_per_year", on=lookup_on, jurisdiction=jurisdiction
        )
    except ParameterUnset as exc:
        if not exc.gap:
            raise
        note = params.entry("min_days_on_duty_per_year").gap_note
        return [
            Finding(
                "MGT.1.DAYS",
                "info",
                f"{name} {year}年在岗{days}天;“每年在岗时间不少于…天”原文缺失此数值,"
                f"须由本辖区设置,设置前不作判断。{note}(MGT.1.DAYS)",
                {**base, "minimum": None, "gap": True},
            )
        ]
    start = max(first, since) if since is not None else first
    if start > last or as_of < start:
        return []
    year_days = (last - first).days + 1
    required = minimum if start == first else minimum * ((last - start).days + 1) // year_days
    data = {**base, "minimum": minimum, "required": required, "counted_from": start.isoformat()}
    prorated = "" if start == first else f"(自{start.isoformat()}驻村,按比例折算为{required}天)"
    if over:
        if days >= required:
            return []
        return [
            Finding(
                "MGT.1.DAYS",
                "error",
                f"{name} {year}年在岗{days}天,少于“每年在岗时间不少于{minimum}天(含因公出差)”"
                f"的要求{prorated}(MGT.1.DAYS)",
                {**data, "shortfall": required - days},
            )
        ]
    elapsed = (as_of - start).days + 1
    pace = minimum * elapsed // year_days
    if days >= pace:
        return []
    return [
        Finding(
            "MGT.1.DAYS",
            "warning",
            f"{name} 截至{as_of.isoformat()}本年在岗{days}天,按每年不少于{minimum}天折算"
            f"此时应至少在岗{pace}天,进度落后{pace - days}天(MGT.1.DAYS)",
            {**data, "pace": pace, "elapsed_days": elapsed, "behind": pace - days},
        )
    ]
