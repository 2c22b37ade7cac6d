"""GUA.2.EXAM and GUA.2.INSURE: the cadres without a physical exam in a year and the active
postings whose days are not all covered by an accident insurance, for the unit (its cadres)
and the area bodies (postings in their area)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import DateField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce

from zhucun.accounts.models import User
from zhucun.policy.dates import date_label
from zhucun.registry.models import Posting, PostingStatus

from ..models import Insurance, PhysicalExam
from .subsidies import postings_in_post, postings_scope_q


def missing_exams(*, user: User, year: int) -> QuerySet[Posting]:
    """GUA.2.EXAM: one posting per cadre in post during ``year`` without an exam that year."""
    done = PhysicalExam.objects.filter(cadre_id=OuterRef("cadre_id"), year=year)
    return (
        postings_in_post(user, dt.date(year, 1, 1), dt.date(year, 12, 31))
        .filter(~Exists(done))
        .select_related("cadre__unit", "village__jurisdiction")
        .order_by("cadre__unit__name", "cadre__name", "pk")
    )


def insurance_candidates(*, user: User, today: dt.date) -> QuerySet[Posting]:
    """The active postings in scope not covered from arrival to the planned end (or today) by
    one single policy (those are covered for sure); ``insurance_gap_rows`` computes a page."""
    one_policy = Insurance.objects.filter(
        cadre_id=OuterRef("cadre_id"),
        start__lte=OuterRef("arrival_date"),
        end__gte=OuterRef("until"),
    )
    return (
        Posting.objects.filter(postings_scope_q(user), status=PostingStatus.ACTIVE)
        .annotate(until=Coalesce("planned_end", Value(today), output_field=DateField()))
        .filter(~Exists(one_policy))
        .select_related("cadre__unit", "village__jurisdiction")
        .order_by("cadre__unit__name", "cadre__name", "pk")
    )


@dataclass(frozen=True)
class GapRow:
    posting: Posting
    start: dt.date  # the period that must be covered
    end: dt.date
    gap_from: dt.date | None  # the first day not covered (None: all covered)
    gap_to: dt.date | None
    policies: int

    @property
    def message(self) -> str:
        if self.gap_from is None or self.gap_to is None:
            return ""
        who = self.posting.cadre.name
        return (
            f"{who} {date_label(self.gap_from)}至{date_label(self.gap_to)}没有人身意外伤害保险"
            f"(任职期间须全程投保,GUA.2.INSURE)"
        )


def first_gap(
    start: dt.date, end: dt.date, policies: Iterable[tuple[dt.date, dt.date]]
) -> tuple[dt.date, dt.date] | None:
    """The first run of days in [start, end] covered by no policy (inclusive dates)."""
    day = start
    for p_start, p_end in sorted(policies):
        if p_end < day:
            continue
        if p_start > day:
            return day, min(end, p_start - dt.timedelta(days=1))
        day = p_end + dt.timedelta(days=1)
        if day > end:
            return None
    return (day, end) if day <= end else None


def insurance_gap_rows(postings: Iterable[Posting], *, today: dt.date) -> list[GapRow]:
    """The first gap of each posting of a page, from its cadre's policies (one query)."""
    items = list(postings)
    by_cadre: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for cadre_id, start, end in Insurance.objects.filter(
        cadre_id__in={p.cadre_id for p in items}
    ).values_list("cadre_id", "start", "end"):
        by_cadre.setdefault(cadre_id, []).append((start, end))
    rows = []
    for p in items:
        end = p.planned_end or today
        policies = by_cadre.get(p.cadre_id, [])
        gap = first_gap(p.arrival_date, end, policies) if end >= p.arrival_date else None
        rows.append(
            GapRow(
                posting=p,
                start=p.arrival_date,
                end=end,
                gap_from=gap[0] if gap else None,
                gap_to=gap[1] if gap else None,
                policies=len(policies),
            )
        )
    return rows


def insurance_gaps(*, user: User, today: dt.date) -> QuerySet[Posting]:
    """GUA.2.INSURE: the active postings to check (see ``insurance_candidates``)."""
    return insurance_candidates(user=user, today=today)
