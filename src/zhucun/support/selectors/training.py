"""MGT.7 read side: training events, each cadre's concentrated training days of a year
(MGT.7.DAYS) and the coverage gaps (MGT.7.COVER), computed in the database.

A year's events are those that START in it: an event from 30 December to 2 January counts
whole (its ``days``) in the year of its start, never split or counted twice.

Who sees what (support.scope): the admin everything; the prefecture, a county and a township
the events organised over their area (the prefecture's, their county's) and the cadres posted
in their area; a unit the events its cadres attended and its own cadres."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from zhucun.accounts.models import User, UserRole
from zhucun.params.selectors import parameters_current
from zhucun.policy.parameters import Parameters
from zhucun.registry.models import Jurisdiction, Level, Posting, PostingStatus, Role

from ..models import OrganiserLevel, TrainingAttendance, TrainingEvent
from ..scope import AREA_ROLES, READERS

DAYS = DecimalField(max_digits=8, decimal_places=1)
PARAM = "training_min_days_per_year"


def training_event_list(*, user: User, year: int | None = None) -> QuerySet[TrainingEvent]:
    """The events ``user`` sees, newest first (a queryset for the caller to paginate)."""
    qs = TrainingEvent.objects.select_related("organiser")
    if user.role not in READERS:
        return qs.none()
    if user.role in AREA_ROLES:
        if not user.jurisdiction_id:
            return qs.none()
        chain = user.jurisdiction.chain_codes()
        qs = qs.filter(
            Q(organiser__code__in=chain) | Q(organiser__path__startswith=user.jurisdiction.path)
        )
    elif user.role == UserRole.UNIT:
        mine = TrainingAttendance.objects.filter(event=OuterRef("pk"), cadre__unit_id=user.unit_id)
        qs = qs.filter(Exists(mine))
    if year is not None:
        qs = qs.filter(start__year=year)
    return qs.order_by("-start", "-id")


def training_event_get(*, user: User, pk: Any) -> TrainingEvent:
    from zhucun.core.errors import NotFound

    try:
        n = int(pk)
    except (TypeError, ValueError):
        raise NotFound("培训不存在或不在您的管辖范围内") from None
    event = training_event_list(user=user).filter(pk=n).first()
    if event is None:
        raise NotFound("培训不存在或不在您的管辖范围内")
    return event


def attendance_list(*, event: TrainingEvent) -> QuerySet[TrainingAttendance]:
    return (
        TrainingAttendance.objects.filter(event=event)
        .select_related("cadre__unit", "leave__village__jurisdiction")
        .order_by("cadre__name", "cadre_id")
    )


def postings_of_year(*, user: User, year: int) -> QuerySet[Posting]:
    """The postings in ``user``'s scope in post at some time in ``year``, one per cadre (the
    latest arrival of the year)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = (
        Posting.objects.exclude(status=PostingStatus.PLANNED)
        .filter(arrival_date__lte=last)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=first))
    )
    if user.role not in READERS:
        return qs.none()
    if user.role in AREA_ROLES:
        if not user.jurisdiction_id:
            return qs.none()
        qs = qs.filter(village__jurisdiction__path__startswith=user.jurisdiction.path)
    elif user.role == UserRole.UNIT:
        qs = qs.filter(cadre__unit_id=user.unit_id)
    later = qs.filter(cadre_id=OuterRef("cadre_id")).filter(
        Q(arrival_date__gt=OuterRef("arrival_date"))
        | Q(arrival_date=OuterRef("arrival_date"), pk__gt=OuterRef("pk"))
    )
    return qs.filter(~Exists(later))


def _counties(user: User) -> QuerySet[Jurisdiction]:
    counties = Jurisdiction.objects.filter(level=Level.COUNTY)
    if user.role in AREA_ROLES:
        if not user.jurisdiction_id:
            return counties.none()
        if user.role == UserRole.PREFECTURE:
            return counties.filter(path__startswith=user.jurisdiction.path)
        return counties.filter(code__in=user.jurisdiction.chain_codes())
    return counties


def minimum_days_expression(
    user: User, year: int, params: Parameters | None = None
) -> tuple[Case | Value, Decimal]:
    """MGT.7.DAYS: the minimum of ``year`` as SQL, looked up once per county (a CASE on the
    village's path when the counties differ); and the home (prefecture) value."""
    params = params or parameters_current()
    on = dt.date(year, 1, 1)
    home = Decimal(params.int_value(PARAM, on=on))
    differing = []
    for path, code in _counties(user).values_list("path", "code"):
        limit = Decimal(params.int_value(PARAM, on=on, jurisdiction=code))
        if limit != home:
            differing.append((path, limit))
    if not differing:
        return Value(home, output_field=DAYS), home
    return (
        Case(
            *[
                When(village__jurisdiction__path__startswith=path, then=Value(limit))
                for path, limit in differing
            ],
            default=Value(home),
            output_field=DAYS,
        ),
        home,
    )


def _attended(year: int) -> QuerySet[TrainingAttendance]:
    return TrainingAttendance.objects.filter(cadre_id=OuterRef("cadre_id"), event__start__year=year)


def training_days(
    *, user: User, year: int, short_only: bool = False, params: Parameters | None = None
) -> QuerySet[Posting]:
    """MGT.7.DAYS: each cadre in post during ``year`` in ``user``'s scope (their latest
    posting of the year), annotated ``days`` (Sum of the attended events' days, 0 when none),
    ``limit`` (the parameter for the village's county) and ``short`` (days < limit). Those
    short first, then by county, village and name."""
    total = (
        _attended(year).values("cadre_id").annotate(total=Sum("event__days")).values("total")[:1]
    )
    limit, _home = minimum_days_expression(user, year, params)
    qs = (
        postings_of_year(user=user, year=year)
        .select_related("cadre__unit", "village__jurisdiction", "village__township__parent")
        .annotate(
            days=Coalesce(Subquery(total, output_field=DAYS), Value(Decimal(0)), output_field=DAYS),
            limit=limit,
        )
        .annotate(
            short=Case(
                When(days__lt=F("limit"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    if short_only:
        qs = qs.filter(short=True)
    return qs.order_by("-short", "village__jurisdiction__path", "cadre__name", "id")


def coverage_gaps(
    *, user: User, year: int, county: str | None = None, unit: Any = None
) -> QuerySet[Posting]:
    """MGT.7.COVER: the cadres in post during ``year`` in ``user``'s scope missing a coverage:
    ``no_prefecture`` (a first secretary with no prefecture-level event attended in the year)
    and/or ``no_county`` (any cadre — first secretary, team leader or member — with no
    county-level event attended). Filter by ``county`` (code) and ``unit`` (id); ordered by
    county, unit and name."""
    pref = _attended(year).filter(event__level=OrganiserLevel.PREFECTURE)
    cty = _attended(year).filter(event__level=OrganiserLevel.COUNTY)
    qs = (
        postings_of_year(user=user, year=year)
        .select_related("cadre__unit", "village__jurisdiction", "village__township__parent")
        .annotate(
            no_prefecture=Case(
                When(Q(role=Role.FIRST_SECRETARY) & ~Exists(pref), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            no_county=~Exists(cty),
        )
        .filter(Q(no_prefecture=True) | Q(no_county=True))
    )
    if county:
        qs = qs.filter(village__township__parent__code=str(county))
    if unit not in (None, ""):
        try:
            qs = qs.filter(cadre__unit_id=int(unit))
        except (TypeError, ValueError):
            qs = qs.none()
    return qs.order_by("village__township__parent__code", "cadre__unit__name", "cadre__name", "id")


def gap_counties(*, user: User) -> QuerySet[Jurisdiction]:
    """The counties of the filter."""
    return _counties(user).order_by("code")


__all__ = [
    "attendance_list",
    "coverage_gaps",
    "gap_counties",
    "minimum_days_expression",
    "postings_of_year",
    "training_days",
    "training_event_get",
    "training_event_list",
]
