"""The monthly reports' record (MGT.6.MONTHLY) as facts for other apps: the assessment draft's
"工作报告情况" (MGT.5.ANNUAL, registered into ``zhucun.assessment.facts`` from
``WorkConfig.ready``) and the quarterly review's ``overdue_reports`` (MGT.4.REVIEW, read by
the review app, which sits above this one).

``monthly_states(villages, first, last, today)`` → village id → [{month, due, state}] for the
months of ``first``..``last`` whose report is due by now or was submitted; ``state`` is
"on_time", "late" (submitted after the due day) or "overdue" (not submitted after the due
day). One query whatever the number of villages; due days from the parameters of each
village's township."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Q
from django.utils import timezone

from zhucun.assessment.facts import FactProvider, period_end, register, span
from zhucun.assessment.models import Assessment
from zhucun.params.selectors import parameters_current
from zhucun.policy.parameters import Parameters
from zhucun.policy.work import monthly_report_due
from zhucun.registry.models import Posting, PostingStatus, Role

from .models import Report

COUNTED = ("late", "overdue")


def months_of(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    m = first.replace(day=1)
    while m <= last:
        out.append(m)
        m = dt.date(m.year + m.month // 12, m.month % 12 + 1, 1)
    return out


def monthly_states(
    villages: dict[int, str],
    first: dt.date,
    last: dt.date,
    today: dt.date,
    params: Parameters | None = None,
) -> dict[int, list[dict[str, Any]]]:
    """``villages``: village id → its township's code (for the parameters)."""
    if not villages:
        return {}
    params = params or parameters_current()
    months = months_of(first, last)
    submitted: dict[tuple[int, dt.date], dt.date] = {}
    for r in Report.objects.filter(
        kind="monthly",
        village_id__in=list(villages),
        period_start__in=months,
        submitted_at__isnull=False,
    ).values("village_id", "period_start", "submitted_at"):
        submitted[(r["village_id"], r["period_start"])] = timezone.localdate(r["submitted_at"])
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for village_id, code in villages.items():
        for m in months:
            due = monthly_report_due(month=m, params=params, jurisdiction=code)
            sent = submitted.get((village_id, m))
            if sent is not None:
                state = "late" if sent > due else "on_time"
            elif today > due:
                state = "overdue"
            else:
                continue
            out[village_id].append({"month": m.isoformat(), "due": due.isoformat(), "state": state})
    return dict(out)


def late_or_missing(states: list[dict[str, Any]], first: dt.date, last: dt.date) -> int:
    return sum(
        1
        for s in states
        if s["state"] in COUNTED and first <= dt.date.fromisoformat(s["month"]) <= last
    )


# ---- the assessment's fact ("工作报告情况") ------------------------------------------------------


def _reports(assessments: Sequence[Assessment]) -> dict[int, Any]:
    """MGT.6.MONTHLY: the monthly reports of the villages where the cadre was first secretary
    during the period: submitted on time, late, overdue (two queries for the batch)."""
    first, last = span(assessments)
    fs = list(
        Posting.objects.filter(
            cadre_id__in={a.cadre_id for a in assessments},
            role=Role.FIRST_SECRETARY,
            arrival_date__lte=last,
        )
        .exclude(status=PostingStatus.PLANNED)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=first))
        .values("cadre_id", "village_id", "village__township__code", "arrival_date", "actual_end")
    )
    villages = {p["village_id"]: p["village__township__code"] for p in fs}
    states = monthly_states(villages, first, last, timezone.localdate())
    out: dict[int, Any] = {}
    for a in assessments:
        counts = {"on_time": 0, "late": 0, "overdue": 0}
        fs_any = False
        for p in fs:
            if p["cadre_id"] != a.cadre_id:
                continue
            fs_any = True
            start = max(a.period_start, p["arrival_date"].replace(day=1))
            end = min(period_end(a), p["actual_end"] or period_end(a))
            for s in states.get(p["village_id"], []):
                if start <= dt.date.fromisoformat(s["month"]) <= end:
                    counts[s["state"]] += 1
        out[a.pk] = counts if fs_any else None
    return out


def _reports_text(value: dict[str, Any]) -> str:
    submitted = value["on_time"] + value["late"]
    text = f"月度工作报告已报送{submitted}份(其中逾期报送{value['late']}份)"
    if value["overdue"]:
        text += f",逾期未报送{value['overdue']}份"
    return text + "(MGT.6.MONTHLY)"


def register_providers() -> None:
    register(FactProvider("reports", "工作报告情况", "MGT.6.MONTHLY", _reports, _reports_text))
