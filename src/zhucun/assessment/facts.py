"""The facts an assessment draft assembles (MGT.5.ANNUAL), so nobody retypes what the system
knows — a registry of providers.

Registry
--------
``FACT_PROVIDERS: dict[str, FactProvider]``
    key → provider, in the order the 考核登记表 shows them. A provider has ``key``, a Chinese
    ``label``, the ``clause`` it serves, ``compute(assessments) -> {assessment pk: value}``
    (the value JSON-able; ONE batch — a page of the list or the one assessment being
    finalised — in a fixed number of queries, never one per assessment) and ``display(value)
    -> str`` (how the page and the exports print it; ``None`` → "—").
``register(provider)``
    Adds or replaces a provider. The core facts (attendance by month, on-duty days against
    MGT.1.DAYS, diary days, 三讲三评 satisfaction) are registered here; an app above the
    assessment app registers its own from its ``AppConfig.ready`` (the review app: standing
    discipline records and talks of the period, ``zhucun.review.assessment_facts``) — the
    assessment app never imports those apps.
``PENDING_FACTS``
    The columns whose capability has not landed yet (meetings, visits, reports, training):
    shown as "待相应模块上线", never invented. When a module lands it registers a provider
    with the same key and the column fills itself.
``facts_for(assessments)``
    pk → {key: value}: the frozen JSON of a finalised assessment, the providers' live values
    for a draft.
``fact_rows(facts)``
    The rows a page or an export shows: [{key, label, clause, text}], pending ones included.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from zhucun.attendance.models import DiaryEntry, MonthlyAttendance
from zhucun.attendance.selectors import duty_days_by_cadre
from zhucun.params.selectors import parameters_current
from zhucun.policy.assessment import Tally, duty_days_minimum, percent, satisfaction
from zhucun.registry.models import Cadre

from .models import Assessment, AssessmentState, SjspTally

PENDING = "待相应模块上线"
NONE = "—"


@dataclass(frozen=True)
class FactProvider:
    key: str
    label: str
    clause: str
    compute: Callable[[Sequence[Assessment]], dict[int, Any]]
    display: Callable[[Any], str]


FACT_PROVIDERS: dict[str, FactProvider] = {}

# (key, label, clause) of the facts whose module has not landed yet
PENDING_FACTS: tuple[tuple[str, str, str], ...] = (
    ("meetings", "参加会议情况", "MGT.5.ANNUAL"),
    ("visits", "走访农户情况", "MGT.5.ANNUAL"),
    ("reports", "工作报告情况", "MGT.5.ANNUAL"),
    ("training", "参加培训天数", "MGT.5.ANNUAL"),
)


def register(provider: FactProvider) -> None:
    FACT_PROVIDERS[provider.key] = provider


def facts_for(assessments: Sequence[Assessment]) -> dict[int, dict[str, Any]]:
    """pk → {key: value}: frozen for the finalised, live (the providers) for drafts."""
    out: dict[int, dict[str, Any]] = {
        a.pk: dict(a.facts) for a in assessments if a.state == AssessmentState.FINAL
    }
    drafts = [a for a in assessments if a.state != AssessmentState.FINAL]
    if drafts:
        live: dict[int, dict[str, Any]] = {a.pk: {} for a in drafts}
        for key, provider in FACT_PROVIDERS.items():
            values = provider.compute(drafts)
            for a in drafts:
                live[a.pk][key] = values.get(a.pk)
        out.update(live)
    return out


def fact_rows(facts: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for key, provider in FACT_PROVIDERS.items():
        value = facts.get(key)
        text = NONE if value is None else provider.display(value)
        rows.append({"key": key, "label": provider.label, "clause": provider.clause, "text": text})
    for key, label, clause in PENDING_FACTS:
        if key not in FACT_PROVIDERS:
            rows.append({"key": key, "label": label, "clause": clause, "text": PENDING})
    return rows


# ---- helpers for providers -----------------------------------------------------------------


def period_end(a: Assessment) -> dt.date:
    """The period's end, never after today (a running year counts what has happened)."""
    return min(a.period_end, timezone.localdate())


def by_period(assessments: Sequence[Assessment]) -> dict[tuple[dt.date, dt.date], list[int]]:
    """(start, end) → cadre ids: one query per distinct period (an annual batch has one or a
    few; arrivals during the year start later)."""
    groups: dict[tuple[dt.date, dt.date], list[int]] = defaultdict(list)
    for a in assessments:
        groups[(a.period_start, period_end(a))].append(a.cadre_id)
    return groups


def span(assessments: Sequence[Assessment]) -> tuple[dt.date, dt.date]:
    return min(a.period_start for a in assessments), max(period_end(a) for a in assessments)


def within(a: Assessment, day: dt.date) -> bool:
    return a.period_start <= day <= period_end(a)


# ---- core providers --------------------------------------------------------------------------


def _attendance(assessments: Sequence[Assessment]) -> dict[int, Any]:
    """MGT.3.RANK: the closed months of the period (one query)."""
    first, last = span(assessments)
    rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in (
        MonthlyAttendance.objects.filter(
            cadre_id__in={a.cadre_id for a in assessments},
            month__gte=first.replace(day=1),
            month__lte=last,
        )
        .order_by("month")
        .values("cadre_id", "month", "rate", "duty_workdays", "workdays", "needs_interview")
    ):
        rows[r["cadre_id"]].append(r)
    out: dict[int, Any] = {}
    for a in assessments:
        start = a.period_start.replace(day=1)
        out[a.pk] = [
            {
                "month": r["month"].isoformat()[:7],
                "rate": str(Decimal(r["rate"]).quantize(Decimal("0.0001"))),
                "duty_workdays": r["duty_workdays"],
                "workdays": r["workdays"],
                "needs_interview": bool(r["needs_interview"]),
            }
            for r in rows.get(a.cadre_id, [])
            if start <= r["month"] <= a.period_end
        ]
    return out


def _attendance_text(value: list[dict[str, Any]]) -> str:
    if not value:
        return "考核期内尚无月度出勤结算"
    parts = []
    for m in value:
        flag = "(需约谈)" if m["needs_interview"] else ""
        rate = f"{float(Decimal(m['rate'])):.1%}"
        parts.append(f"{int(m['month'][5:])}月{rate}({m['duty_workdays']}/{m['workdays']}天){flag}")
    return ";".join(parts)


def _duty_days(assessments: Sequence[Assessment]) -> dict[int, Any]:
    """MGT.1.DAYS: on-duty days of the period (counted check-ins ∪ duty leave, the
    attendance app's count) against the minimum if the jurisdiction has set it."""
    counts: dict[tuple[dt.date, dt.date, int], int] = {}
    for (start, end), cadres in by_period(assessments).items():
        if end < start:
            continue
        found = duty_days_by_cadre(Cadre.objects.filter(pk__in=cadres), start=start, end=end)
        for cadre_id, n in found.items():
            counts[(start, end, cadre_id)] = n
    params = parameters_current()
    out: dict[int, Any] = {}
    for a in assessments:
        end = period_end(a)
        minimum = None
        if a.kind == "annual":
            minimum = duty_days_minimum(params=params, on=a.period_end, jurisdiction=a.county.code)
        out[a.pk] = {
            "days": counts.get((a.period_start, end, a.cadre_id), 0),
            "start": a.period_start.isoformat(),
            "end": end.isoformat(),
            "minimum": minimum,
        }
    return out


def _duty_days_text(value: dict[str, Any]) -> str:
    text = f"在岗{value['days']}天({value['start']}至{value['end']})"
    if value.get("minimum") is not None:
        return f"{text};本辖区规定每年不少于{value['minimum']}天(MGT.1.DAYS)"
    return f"{text};每年在岗天数标准本辖区尚未设置(原文缺失)"


def _diaries(assessments: Sequence[Assessment]) -> dict[int, Any]:
    """MGT.1.DIARY: days with a diary entry in the period (one query per distinct period)."""
    days: dict[tuple[dt.date, dt.date, int], int] = {}
    for (start, end), cadres in by_period(assessments).items():
        for row in (
            DiaryEntry.objects.filter(cadre_id__in=cadres, day__range=(start, end))
            .order_by()
            .values("cadre_id")
            .annotate(n=Count("day", distinct=True))
        ):
            days[(start, end, row["cadre_id"])] = row["n"]
    return {a.pk: days.get((a.period_start, period_end(a), a.cadre_id), 0) for a in assessments}


def quarters_of(a: Assessment) -> list[tuple[int, int]]:
    """The quarters the period touches, in order."""
    out = []
    year, quarter = a.period_start.year, (a.period_start.month - 1) // 3 + 1
    last = (a.period_end.year, (a.period_end.month - 1) // 3 + 1)
    while (year, quarter) <= last:
        out.append((year, quarter))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return out


def _tally_json(t: Tally) -> dict[str, Any]:
    value = satisfaction(t)
    return {
        "satisfied": t.satisfied,
        "total": t.total,
        "satisfaction": None if value is None else str(value),
    }


def _sjsp(assessments: Sequence[Assessment]) -> dict[int, Any]:
    """MGT.8.SJSP: the satisfaction of each quarter of the period and pooled over them (one
    aggregate query over the tallies, all voter groups summed)."""
    first, last = span(assessments)
    sums: dict[tuple[int, int, int], Tally] = {}
    votes = ("good", "fairly_good", "average", "poor")
    for r in (
        SjspTally.objects.filter(
            cadre_id__in={a.cadre_id for a in assessments},
            event__year__gte=first.year,
            event__year__lte=last.year,
        )
        .order_by()
        .values("cadre_id", "event__year", "event__quarter")
        .annotate(**{v: Sum(v) for v in votes})
    ):
        key = (r["cadre_id"], r["event__year"], r["event__quarter"])
        sums[key] = Tally(**{v: int(r[v] or 0) for v in votes})
    out: dict[int, Any] = {}
    for a in assessments:
        quarters = []
        pooled = []
        for year, quarter in quarters_of(a):
            t = sums.get((a.cadre_id, year, quarter))
            if t is None:
                continue
            pooled.append(t)
            quarters.append({"year": year, "quarter": quarter, **_tally_json(t)})
        out[a.pk] = {"quarters": quarters, "pooled": _tally_json(Tally.sum(pooled))}
    return out


def _sjsp_text(value: dict[str, Any]) -> str:
    from fractions import Fraction

    def one(d: dict[str, Any]) -> str:
        if d["satisfaction"] is None:
            return "无评价票"
        return f"{percent(Fraction(d['satisfaction']))}({d['satisfied']}/{d['total']})"

    if not value["quarters"]:
        return "考核期内尚无“三讲三评”评价"
    parts = [f"{q['year']}年第{q['quarter']}季度{one(q)}" for q in value["quarters"]]
    return ";".join(parts) + f";合计满意度{one(value['pooled'])}"


register(FactProvider("attendance", "月度出勤率", "MGT.3.RANK", _attendance, _attendance_text))
register(FactProvider("duty_days", "在岗天数", "MGT.1.DAYS", _duty_days, _duty_days_text))
register(FactProvider("diaries", "驻村日志天数", "MGT.1.DIARY", _diaries, lambda v: f"{v}天"))
register(FactProvider("sjsp", "“三讲三评”满意度", "MGT.8.SJSP", _sjsp, _sjsp_text))
