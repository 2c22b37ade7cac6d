"""Reads for MGT.2 (meetings, tasks, weeks without a meeting) and DUT.LIST (key-task lists and
the villages' progress). Everything is scoped by work/scope.py and computed in the database;
the missing-weeks list runs a fixed number of queries whatever the number of villages:

1. the first-secretary postings of the readable villages that overlap the month;
2. the meetings of those villages in the month's weeks, counted by village and week in SQL;
3. the approved leave and rotation rest (not counted as duty, MGT.1.DAYS) of those first
   secretaries overlapping the weeks;
4. the working-day calendar (two small queries) and the parameters, once.

Excused weeks (policy.work.week_excused): a week none of whose working days is a day on which
the village's first secretary is on duty — each working day lies outside the first
secretary's posting or inside their approved leave/rotation rest — or a week without working
days (the National Day week). Such weeks are left out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from zhucun.accounts.models import User
from zhucun.attendance.models import LeaveRequest
from zhucun.attendance.models.leave import EXCUSED_KINDS, TAKEN_STATES
from zhucun.core.errors import NotFound
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy.work import (
    PROGRESS_LABELS,
    missing_meeting_findings,
    month_weeks,
    week_days,
    week_excused,
)
from zhucun.registry.models import Posting, PostingStatus, Role, Village

from ..models import KeyTaskItem, KeyTaskList, KeyTaskProgress, Meeting, Task
from ..scope import village_q, villages_readable

_DAYS_IN_WEEK = 7


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    after = (first + dt.timedelta(days=32)).replace(day=1)
    return first, after - dt.timedelta(days=1)


def meeting_list(
    *, user: User, village: int | None = None, month: dt.date | None = None
) -> QuerySet[Meeting]:
    qs = Meeting.objects.filter(village_q(user)).select_related("village__jurisdiction")
    if village is not None:
        qs = qs.filter(village_id=village)
    if month is not None:
        first, last = month_bounds(month)
        qs = qs.filter(held_on__gte=first, held_on__lte=last)
    return qs.order_by("-held_on", "-id")


def meeting_get(*, user: User, pk: int) -> Meeting:
    m = (
        Meeting.objects.filter(village_q(user), pk=pk)
        .select_related("village__jurisdiction", "recorded_by")
        .prefetch_related("attendees", "tasks__owner")
        .first()
    )
    if m is None:
        raise NotFound("会议记录不存在或不在您的管辖范围内")
    return m


def missing_meeting_weeks(*, user: User, month: dt.date, today: dt.date) -> list[dict[str, Any]]:
    """MGT.2: (village, week Monday, finding) for each ended, unexcused week of ``month``
    without enough meetings, for the readable villages with a first secretary posted in the
    month. Ordered by village code and week."""
    weeks = [m for m in month_weeks(month) if m + dt.timedelta(days=_DAYS_IN_WEEK - 1) < today]
    if not weeks:
        return []
    start, end = weeks[0], weeks[-1] + dt.timedelta(days=_DAYS_IN_WEEK - 1)
    postings = list(
        Posting.objects.filter(
            village__in=villages_readable(user).values("pk"),
            role=Role.FIRST_SECRETARY,
            arrival_date__lte=end,
        )
        .exclude(status=PostingStatus.PLANNED)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=start))
        .values(
            "village_id",
            "cadre_id",
            "arrival_date",
            "actual_end",
            "village__jurisdiction__name",
            "village__jurisdiction__code",
            "village__township__name",
            "village__township__parent__code",
        )
    )
    if not postings:
        return []
    village_ids = {p["village_id"] for p in postings}
    held: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for row in (
        Meeting.objects.filter(village_id__in=village_ids, week__gte=start, week__lte=weeks[-1])
        .values("village_id", "week")
        .annotate(n=Count("id"))
    ):
        held[row["village_id"]][row["week"]] = row["n"]
    away: dict[int, set[dt.date]] = defaultdict(set)
    for lv in (
        LeaveRequest.objects.filter(
            village_id__in=village_ids,
            cadre_id__in={p["cadre_id"] for p in postings},
            kind__in=EXCUSED_KINDS,
            state__in=TAKEN_STATES,
            start__lte=end,
        )
        .annotate(last=Coalesce("actual_end", "end"))
        .filter(last__gte=start)
        .values("village_id", "start", "last")
    ):
        d = max(lv["start"], start)
        while d <= min(lv["last"], end):
            away[lv["village_id"]].add(d)
            d += dt.timedelta(days=1)
    on_post: dict[int, set[dt.date]] = defaultdict(set)
    info: dict[int, dict[str, Any]] = {}
    for p in postings:
        info[p["village_id"]] = p
        d = max(p["arrival_date"], start)
        while d <= min(p["actual_end"] or end, end):
            on_post[p["village_id"]].add(d)
            d += dt.timedelta(days=1)
    calendar = work_calendar()
    working = {m: [d for d in week_days(m) if calendar.is_workday(d)] for m in weeks}
    params = parameters_current()
    rows: list[dict[str, Any]] = []
    for vid in sorted(village_ids, key=lambda v: info[v]["village__jurisdiction__code"]):
        p = info[vid]
        excused = [
            m
            for m in weeks
            if week_excused(
                working_days=[d for d in working[m] if d in on_post[vid]],
                away_days=away[vid],
            )
        ]
        name = p["village__jurisdiction__name"]
        days = [m for m, n in held[vid].items() for _ in range(n)]
        for f in missing_meeting_findings(
            village=name,
            weeks=weeks,
            meeting_days=days,
            excused=excused,
            params=params,
            on=month.replace(day=1),
            jurisdiction=p["village__township__parent__code"] or (),
        ):
            rows.append(
                {
                    "village_id": vid,
                    "village_name": name,
                    "township_name": p["village__township__name"] or "",
                    "week": dt.date.fromisoformat(f.data["week"]),
                    "held": f.data["held"],
                    "finding": f,
                }
            )
    return rows


def task_list(
    *, user: User, village: int | None = None, state: str | None = None
) -> QuerySet[Task]:
    qs = Task.objects.filter(village_q(user)).select_related(
        "owner", "village__jurisdiction", "meeting", "key_item"
    )
    if village is not None:
        qs = qs.filter(village_id=village)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("state", "due", "id")


def tasks_overdue(*, user: User, today: dt.date) -> QuerySet[Task]:
    """MGT.2: open tasks whose due day has passed (not overdue on the due day itself), with
    their owner; oldest due first (a queryset for the caller to paginate)."""
    return (
        Task.objects.filter(village_q(user), state="open", due__lt=today)
        .select_related("owner", "village__jurisdiction", "village__township")
        .order_by("due", "village_id", "id")
    )


# ---- key-task lists -----------------------------------------------------------------------------


def key_list_list(*, user: User) -> QuerySet[KeyTaskList]:
    """The lists issued to an area holding a village ``user`` reads (a team sees the lists of
    its township, county and prefecture; a body those above it and within it)."""
    covers = villages_readable(user).filter(
        jurisdiction__path__startswith=OuterRef("jurisdiction__path")
    )
    return (
        KeyTaskList.objects.filter(Exists(covers))
        .select_related("jurisdiction")
        .annotate(n_items=Count("items"))
        .order_by("-issued_on", "-id")
    )


def key_list_get(*, user: User, pk: int) -> KeyTaskList:
    kl = key_list_list(user=user).filter(pk=pk).first()
    if kl is None:
        raise NotFound("重点任务清单不存在或不在您的管辖范围内")
    return kl


def key_list_villages(*, key_list: KeyTaskList, user: User) -> QuerySet[Village]:
    return (
        villages_readable(user)
        .filter(jurisdiction__path__startswith=key_list.jurisdiction.path)
        .select_related("jurisdiction", "township")
        .order_by("jurisdiction__code")
    )


def key_progress_matrix(
    *, key_list: KeyTaskList, user: User, page: Any = 1, per_page: int = 25
) -> Page:
    """Villages × items of ``key_list``: a page of villages, each with its state per item
    (未开始 where the village has not reported). Three queries per page."""
    items = list(KeyTaskItem.objects.filter(list=key_list).order_by("due", "id"))
    pg = Paginator(key_list_villages(key_list=key_list, user=user), per_page).get_page(page)
    villages = list(pg.object_list)
    got = {
        (r.village_id, r.item_id): r
        for r in KeyTaskProgress.objects.filter(
            item__list=key_list, village_id__in=[v.pk for v in villages]
        )
    }
    rows = []
    for v in villages:
        cells = []
        for it in items:
            r = got.get((v.pk, it.pk))
            state = r.state if r else "not_started"
            cells.append(
                {
                    "item": it,
                    "state": state,
                    "label": PROGRESS_LABELS[state],
                    "note": r.note if r else "",
                }
            )
        rows.append({"village": v, "cells": cells})
    pg.object_list = rows
    pg.items = items  # type: ignore[attr-defined]
    return pg
