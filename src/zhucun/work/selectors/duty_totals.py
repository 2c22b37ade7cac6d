"""DUT.1–DUT.5 totals per village, township or county and month, computed in SQL.

Readings (documented here and on the page):

* Diary entries: an entry counts once for each duty it is tagged with. The tags are a JSON
  list; JSON containment differs between SQLite and PostgreSQL, so the list is cast to text
  and searched for the quoted code (``"DUT.1"``) — the same on both (the codes are fixed
  strings with no characters JSON escapes).
* Tasks: the team's tasks created or due in the month, by their duty.
* Visits: a visit has no duty field; every visit counts under DUT.2 巩固脱贫成果 (household
  visits and return-to-poverty monitoring are what DUT.2 names).
* Reports: a report does not record a duty; the village teams' reports submitted in the month
  are a separate total column.

One page of areas costs the page's query plus four aggregate queries (diary, tasks, visits,
reports), each grouped by area in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, TextField
from django.db.models.functions import Cast

from zhucun.accounts.models import User
from zhucun.attendance.models import DUTY_CODES, DiaryEntry
from zhucun.registry.models import Jurisdiction

from ..models import Report, Task, Visit
from ..scope import villages_readable
from .meetings import month_bounds

LEVELS = {"village": "村", "township": "乡镇(街道)", "county": "县(市)"}
VISIT_DUTY = "DUT.2"
# The Village FK path to the area of each level, from a row's ``village``.
_AREA = {
    "village": "village__jurisdiction_id",
    "township": "village__township_id",
    "county": "village__township__parent_id",
}


def duty_areas(*, user: User, level: str) -> QuerySet[Jurisdiction]:
    """The areas of ``level`` holding a village ``user`` reads."""
    villages = villages_readable(user)
    if level == "village":
        ids = villages.values("jurisdiction_id")
    elif level == "township":
        ids = villages.values("township_id")
    else:
        ids = villages.values("township__parent_id")
    return Jurisdiction.objects.filter(pk__in=ids).order_by("code")


def _grouped(qs: QuerySet[Any], area: str, area_ids: list[int], **counts: Any) -> dict[int, Any]:
    rows = qs.filter(**{f"{area}__in": area_ids}).values(area).annotate(**counts).order_by()
    return {r[area]: r for r in rows}


def duty_totals(
    *, user: User, month: dt.date, level: str = "village", page: Any = 1, per_page: int = 25
) -> Page:
    """A page of areas of ``level``; each row: area, per duty (DUT.1–5) diary entries, tasks
    and visits, and the reports total."""
    if level not in LEVELS:
        level = "village"
    first, last = month_bounds(month)
    pg = Paginator(duty_areas(user=user, level=level), per_page).get_page(page)
    areas = list(pg.object_list)
    ids = [a.pk for a in areas]
    readable = Q(village__in=villages_readable(user).values("pk"))
    area = _AREA[level]
    codes = list(DUTY_CODES)
    diary = _grouped(
        DiaryEntry.objects.filter(readable, day__gte=first, day__lte=last).annotate(
            tags=Cast("duties", TextField())
        ),
        area,
        ids,
        **{f"d{i}": Count("pk", filter=Q(tags__contains=f'"{c}"')) for i, c in enumerate(codes)},
    )
    tasks = _grouped(
        Task.objects.filter(readable).filter(
            Q(due__gte=first, due__lte=last)
            | Q(created_at__date__gte=first, created_at__date__lte=last)
        ),
        area,
        ids,
        **{f"t{i}": Count("pk", filter=Q(duty=c)) for i, c in enumerate(codes)},
    )
    visits = _grouped(
        Visit.objects.filter(readable, visited_on__gte=first, visited_on__lte=last),
        area,
        ids,
        n=Count("pk"),
    )
    reports = _grouped(
        Report.objects.filter(
            readable,
            village__isnull=False,
            submitted_at__date__gte=first,
            submitted_at__date__lte=last,
        ),
        area,
        ids,
        n=Count("pk"),
    )
    rows = []
    for a in areas:
        d, t = diary.get(a.pk, {}), tasks.get(a.pk, {})
        v = visits.get(a.pk, {}).get("n", 0)
        cells = [
            {
                "code": c,
                "label": DUTY_CODES[c],
                "diary": d.get(f"d{i}", 0),
                "tasks": t.get(f"t{i}", 0),
                "visits": v if c == VISIT_DUTY else 0,
            }
            for i, c in enumerate(codes)
        ]
        rows.append(
            {
                "area": a,
                "cells": cells,
                "reports": reports.get(a.pk, {}).get("n", 0),
            }
        )
    pg.object_list = rows
    return pg
