"""The team's work: MGT.2 (weekly meeting, task list), DUT.1–5 / DUT.LIST, MGT.8.GROUPS and
MGT.8.VISITS (village groups, visits), MGT.6.* and GUA.1.BIND (reports, hearings, visits).

Public API
----------
``VISIT_PURPOSES`` / ``VISIT_PURPOSE_LABELS``
    返贫监测, 帮扶救助, 关心慰问 (MGT.8.VISITS), 政策宣传, 其他.
``RISK_LABELS``
    Household risk flags (DUT.2): 返贫致贫风险.
``REPORT_KIND_LABELS``
    月度工作报告 (MGT.6.MONTHLY), 季度工作报告 (MGT.6.QUARTERLY), 半年听取汇报 (MGT.6.HALFYEAR),
    年度到村调研 (GUA.1.BIND), 突发情况报告 (MGT.6.URGENT).
``week_of(day)`` / ``week_days(monday)``
    The ISO week (Monday … Sunday) of a day, as its Monday; its seven days.
``month_weeks(month)``
    The ISO weeks that belong to a month: those whose Thursday falls in it (the ISO rule
    that gives each week to exactly one year, here to one month); in order.
``week_excused(*, working_days, away_days)``
    A week is excused from MGT.2 when none of its working days (by the State Council
    calendar) is a day the first secretary — who calls the meeting — is on duty: every working
    day is covered by approved rest or leave (``away_days``), or the week has no working day.
``missing_meeting_findings(*, village, weeks, meeting_days, excused, params=None, on, jurisdiction=())``
    MGT.2: each week of ``weeks`` without ``meetings_per_week`` meetings and not excused ⇒ a
    warning naming the village, the week and the rule.
``monthly_report_due(*, month, params=None, jurisdiction=())``
    MGT.6.MONTHLY: the report of ``month`` is due on ``monthly_report_due_day`` of the next month.
``quarterly_report_due(*, year, quarter, params=None, jurisdiction=())``
    MGT.6.QUARTERLY: the township's report is due on ``township_report_due_day`` of the month
    after the quarter.
``half_year_bounds(year, half)`` / ``hearing_due(year, half)``
    MGT.6.HALFYEAR: the unit hears its cadres once in each half-year, by its last day.
``unit_visit_due(year)``
    GUA.1.BIND: the unit's leadership visits the village once a year, by 31 December.
``is_overdue(*, due, on, submitted_on=None)``
    Not overdue on the due day; overdue from the day after, until submitted (a report
    submitted after its due day stays "late").
``unvisited_findings(*, village, group, month, visits, params=None, jurisdiction=())``
    MGT.8.VISITS: fewer than ``visits_min_per_month`` visits to a contacted group in a month.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from .dates import date_label, month_label
from .findings import Finding
from .loader import get_parameters
from .parameters import Parameters

_WEEK = 7
_THURSDAY = 3
_MONTHS = 12

VISIT_PURPOSE_LABELS: dict[str, str] = {
    "monitoring": "返贫监测",
    "assistance": "帮扶救助",
    "caring": "关心慰问",
    "policy": "政策宣传",
    "other": "其他",
}
VISIT_PURPOSES: tuple[str, ...] = tuple(VISIT_PURPOSE_LABELS)

RISK_LABELS: dict[str, str] = {"return_to_poverty": "返贫致贫风险"}

REPORT_KIND_LABELS: dict[str, str] = {
    "monthly": "第一书记月度工作报告",
    "quarterly": "乡镇季度工作报告",
    "hearing": "派出单位半年听取汇报",
    "unit_visit": "派出单位负责同志年度到村调研",
    "urgent": "突发情况报告",
}
REPORT_CLAUSES: dict[str, str] = {
    "monthly": "MGT.6.MONTHLY",
    "quarterly": "MGT.6.QUARTERLY",
    "hearing": "MGT.6.HALFYEAR",
    "unit_visit": "GUA.1.BIND",
    "urgent": "MGT.6.URGENT",
}
TASK_STATE_LABELS: dict[str, str] = {"open": "进行中", "done": "已完成"}
PROGRESS_LABELS: dict[str, str] = {
    "not_started": "未开始",
    "in_progress": "推进中",
    "done": "已完成",
}


def week_of(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def week_days(monday: date) -> tuple[date, ...]:
    return tuple(monday + timedelta(days=i) for i in range(_WEEK))


def week_label(monday: date) -> str:
    sunday = monday + timedelta(days=_WEEK - 1)
    return f"{date_label(monday)}至{date_label(sunday)}"


def month_weeks(month: date) -> tuple[date, ...]:
    """The Mondays of the ISO weeks whose Thursday lies in ``month``."""
    first = month.replace(day=1)
    monday = week_of(first)
    if (monday + timedelta(days=_THURSDAY)).month != first.month:
        monday += timedelta(days=_WEEK)
    weeks = []
    while (monday + timedelta(days=_THURSDAY)).month == first.month:
        weeks.append(monday)
        monday += timedelta(days=_WEEK)
    return tuple(weeks)


def week_excused(*, working_days: Iterable[date], away_days: Iterable[date]) -> bool:
    """No working day of the week on which the first secretary is on duty (see module doc)."""
    return set(working_days) <= set(away_days)


def missing_meeting_findings(
    *,
    village: str,
    weeks: Sequence[date],
    meeting_days: Iterable[date],
    excused: Iterable[date] = (),
    params: Parameters | None = None,
    on: date,
    jurisdiction: str | Sequence[str] = (),
) -> list[Finding]:
    """MGT.2: the weeks of ``weeks`` (Mondays) without enough meetings."""
    params = params or get_parameters()
    per_week = params.int_value("meetings_per_week", on=on, jurisdiction=jurisdiction)
    held: dict[date, int] = {}
    for d in meeting_days:
        held[week_of(d)] = held.get(week_of(d), 0) + 1
    skip = set(excused)
    found = []
    for monday in weeks:
        if monday in skip or held.get(monday, 0) >= per_week:
            continue
        found.append(
            Finding(
                "MGT.2",
                "warning",
                f"{village} {week_label(monday)}召开工作例会{held.get(monday, 0)}次,"
                f"少于“每周召开{per_week}次工作例会”(MGT.2)",
                {
                    "village": village,
                    "week": monday.isoformat(),
                    "held": held.get(monday, 0),
                    "limit": per_week,
                },
            )
        )
    return found


def _next_month(month: date) -> date:
    index = month.year * _MONTHS + month.month  # the month after, 0-based
    return date(index // _MONTHS, index % _MONTHS + 1, 1)


def monthly_report_due(
    *, month: date, params: Parameters | None = None, jurisdiction: str | Sequence[str] = ()
) -> date:
    params = params or get_parameters()
    nxt = _next_month(month.replace(day=1))
    day = params.int_value("monthly_report_due_day", on=nxt, jurisdiction=jurisdiction)
    return nxt.replace(day=day)


def quarterly_report_due(
    *,
    year: int,
    quarter: int,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> date:
    params = params or get_parameters()
    last_month = date(year, quarter * 3, 1)
    nxt = _next_month(last_month)
    day = params.int_value("township_report_due_day", on=nxt, jurisdiction=jurisdiction)
    return nxt.replace(day=day)


def half_year_bounds(year: int, half: int) -> tuple[date, date]:
    """1 January – 30 June, or 1 July – 31 December."""
    if half not in (1, 2):
        raise ValueError(f"半年应为1(上半年)或2(下半年),而不是{half}")
    start = date(year, 1 + (half - 1) * _MONTHS // 2, 1)
    after = date(year + 1, 1, 1) if half == 2 else date(year, 1 + _MONTHS // 2, 1)
    return start, after - timedelta(days=1)


def hearing_due(year: int, half: int) -> date:
    return half_year_bounds(year, half)[1]


def unit_visit_due(year: int) -> date:
    return date(year + 1, 1, 1) - timedelta(days=1)


def is_overdue(*, due: date, on: date, submitted_on: date | None = None) -> bool:
    """Overdue from the day after ``due`` while not submitted by ``on``."""
    if submitted_on is not None and submitted_on <= on:
        return False
    return on > due


def overdue_findings(
    *, kind: str, subject: str, period: str, due: date, on: date, submitted_on: date | None
) -> list[Finding]:
    """MGT.6.* / GUA.1.BIND: one error for a report not submitted after its due day."""
    if not is_overdue(due=due, on=on, submitted_on=submitted_on):
        return []
    clause = REPORT_CLAUSES[kind]
    days = (on - due).days
    return [
        Finding(
            clause,
            "error",
            f"{subject} {period}{REPORT_KIND_LABELS[kind]}应于{date_label(due)}前报送,"
            f"已逾期{days}天({clause})",
            {"subject": subject, "due": due.isoformat(), "days_overdue": days, "kind": kind},
        )
    ]


def unvisited_findings(
    *,
    village: str,
    group: str,
    month: date,
    visits: int,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> list[Finding]:
    """MGT.8.VISITS: a contacted group visited fewer than ``visits_min_per_month`` times."""
    params = params or get_parameters()
    minimum = params.int_value("visits_min_per_month", on=month, jurisdiction=jurisdiction)
    if visits >= minimum:
        return []
    return [
        Finding(
            "MGT.8.VISITS",
            "warning",
            f"{village}{group} {month_label(month)}走访{visits}次,少于“每月到组到户走访”"
            f"的{minimum}次(MGT.8.VISITS)",
            {
                "village": village,
                "group": group,
                "month": month.isoformat(),
                "visits": visits,
                "limit": minimum,
            },
        )
    ]
