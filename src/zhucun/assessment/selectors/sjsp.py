"""MGT.8.SJSP reads: events, each cadre's votes and satisfaction, rectifications, the villages
whose quarter has no event, and the township summary — counted and summed in the database;
only a page's rows get their exact Fraction and finding in Python.

``cadre_satisfaction`` is the one place other parts of the system (the annual assessment, the
quarterly review) ask for a cadre's 三讲三评 votes."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import NotFound
from zhucun.params.selectors import parameters_current
from zhucun.policy.assessment import (
    VOTER_GROUP_LABELS,
    VOTER_GROUPS,
    VOTES,
    Tally,
    satisfaction,
    sjsp_findings,
    threshold,
)
from zhucun.policy.review import quarter_bounds
from zhucun.registry import scopes
from zhucun.registry.models import Cadre, Jurisdiction, Level, Posting, PostingStatus, Village

from ..models import Rectification, SjspEvent, SjspTally
from ..scope import SJSP_READERS, sjsp_cadre_q, sjsp_event_q
from ..services.sjsp import EVENT_NOT_FOUND, RECOUNT_NOTE, team_q


def _count(qs: QuerySet[Any], group: str, expr: Any) -> Coalesce:
    """``COUNT`` of a correlated ``qs`` (grouped on the outer key ``group``) as a subquery."""
    sub = qs.order_by().values(group).annotate(c=expr).values("c")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def sjsp_event_list(
    *, user: User, year: int | None = None, quarter: int | None = None
) -> QuerySet[SjspEvent]:
    """The events ``user`` may read, newest quarter first, by township and village; each with
    the number of cadres evaluated and of open rectifications."""
    qs = SjspEvent.objects.filter(sjsp_event_q(user)).select_related(
        "village__jurisdiction", "village__township"
    )
    if year:
        qs = qs.filter(year=year)
    if quarter:
        qs = qs.filter(quarter=quarter)
    tallies = SjspTally.objects.filter(sjsp_cadre_q(user), event=OuterRef("pk"))
    open_ = Rectification.objects.filter(
        sjsp_cadre_q(user), event=OuterRef("pk"), closed_on__isnull=True
    )
    return qs.annotate(
        cadres_evaluated=_count(tallies, "event_id", Count("cadre_id", distinct=True)),
        open_rectifications=_count(open_, "event_id", Count("pk")),
    ).order_by("-year", "-quarter", "village__township__code", "village__jurisdiction__code")


def sjsp_event_get(*, user: User, pk: int) -> SjspEvent:
    event = (
        SjspEvent.objects.filter(sjsp_event_q(user), pk=pk)
        .select_related("village__jurisdiction", "village__township", "recorded_by")
        .first()
    )
    if event is None:
        raise NotFound(EVENT_NOT_FOUND)
    return event


def event_threshold(event: SjspEvent) -> Fraction | None:
    """The threshold in force for the event's village on its day (None: unset)."""
    return threshold(
        params=parameters_current(), on=event.held_on, jurisdiction=event.village.jurisdiction.code
    )


def event_rows(event: SjspEvent, user: User) -> list[dict[str, Any]]:
    """Per cadre the user may see (the team of the quarter and whoever has votes): the votes
    by group, the sum (SQL), satisfaction as an exact Fraction, the finding and the
    rectification."""
    cadre_q = sjsp_cadre_q(user)
    postings = Posting.objects.filter(team_q(event.village_id, event.year, event.quarter))
    team = list(
        Cadre.objects.filter(pk__in=postings.filter(cadre_q).values("cadre_id"))
        .select_related("unit")
        .order_by("name", "pk")
    )
    by_group: dict[tuple[int, str], dict[str, int]] = {}
    for row in (
        SjspTally.objects.filter(cadre_q, event=event)
        .order_by()
        .values("cadre_id", "group", *VOTES)
    ):
        by_group[(row["cadre_id"], row["group"])] = {v: row[v] for v in VOTES}
    sums = {
        row["cadre_id"]: Tally(**{v: int(row[v] or 0) for v in VOTES})
        for row in SjspTally.objects.filter(cadre_q, event=event)
        .order_by()
        .values("cadre_id")
        .annotate(**{v: Sum(v) for v in VOTES})
    }
    rects = {r.cadre_id: r for r in Rectification.objects.filter(cadre_q, event=event)}
    params = parameters_current()
    code = event.village.jurisdiction.code
    rows = []
    for cadre in team:
        total = sums.get(cadre.pk, Tally())
        findings = sjsp_findings(
            name=cadre.name, tally=total, params=params, on=event.held_on, jurisdiction=code
        )
        rows.append(
            {
                "cadre": cadre,
                "groups": [
                    {
                        "group": g,
                        "label": VOTER_GROUP_LABELS[g],
                        "votes": by_group.get((cadre.pk, g)),
                    }
                    for g in VOTER_GROUPS
                ],
                "total": total,
                "satisfaction": satisfaction(total),
                "findings": findings,
                "rectification": rects.get(cadre.pk),
            }
        )
    return rows


def cadre_satisfaction(
    *, cadre_ids: Iterable[int], year: int, quarter: int | None = None, area_path: str = ""
) -> dict[int, Tally]:
    """{cadre_id: the votes of every group summed} over the events of ``year`` (and of
    ``quarter`` if given; in the area ``area_path`` if given, e.g. a review's county),
    summed in SQL; a cadre without votes is absent."""
    qs = SjspTally.objects.filter(cadre_id__in=list(cadre_ids), event__year=year)
    if quarter is not None:
        qs = qs.filter(event__quarter=quarter)
    if area_path:
        qs = qs.filter(event__village__jurisdiction__path__startswith=area_path)
    return {
        row["cadre_id"]: Tally(**{v: int(row[v] or 0) for v in VOTES})
        for row in qs.order_by().values("cadre_id").annotate(**{v: Sum(v) for v in VOTES})
    }


def rectification_list(*, user: User, open_only: bool = True) -> QuerySet[Rectification]:
    """The rectifications ``user`` may read (a unit: its cadres'); open = not closed, overdue
    = open with its due date passed. Open first, the earliest due first."""
    today = timezone.localdate()
    qs = (
        Rectification.objects.filter(
            sjsp_cadre_q(user), event__in=SjspEvent.objects.filter(sjsp_event_q(user))
        )
        .select_related("cadre__unit", "event__village__jurisdiction", "event__village__township")
        .annotate(
            overdue=Case(
                When(closed_on__isnull=True, due__lt=today, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    if open_only:
        qs = qs.filter(closed_on__isnull=True)
    open_first = Case(
        When(closed_on__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return qs.order_by(open_first, "due", "-closed_on", "event__held_on", "pk")


def _villages(user: User) -> QuerySet[Village]:
    if user.role == UserRole.UNIT or user.role not in SJSP_READERS:
        return Village.objects.none()  # a unit sees its cadres' events, not the area's gaps
    return scopes.villages_visible(user)


def _posted(year: int, quarter: int) -> Exists:
    first, last = quarter_bounds(year, quarter)
    return Exists(
        Posting.objects.filter(village=OuterRef("pk"), arrival_date__lte=last)
        .exclude(status=PostingStatus.PLANNED)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=first))
    )


def missing_events(*, user: User, year: int, quarter: int) -> QuerySet[Village]:
    """MGT.8.SJSP: the villages in ``user``'s area whose team served in the quarter and which
    have no 三讲三评 event for it, by township; each with the team's size."""
    first, last = quarter_bounds(year, quarter)
    held = SjspEvent.objects.filter(village=OuterRef("pk"), year=year, quarter=quarter)
    team = (
        Posting.objects.filter(village=OuterRef("pk"), arrival_date__lte=last)
        .exclude(status=PostingStatus.PLANNED)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=first))
    )
    return (
        _villages(user)
        .filter(_posted(year, quarter))
        .filter(~Exists(held))
        .select_related("jurisdiction", "township")
        .annotate(team_size=_count(team, "village_id", Count("cadre_id", distinct=True)))
        .order_by("township__code", "jurisdiction__code")
    )


def township_summary(*, user: User, year: int, quarter: int) -> QuerySet[Jurisdiction]:
    """Per township of ``user``'s area: villages with a team in the quarter, events held,
    cadres evaluated, cadres below the threshold (a rectification not closed by a recount) and
    open rectifications — each a SQL aggregate."""
    villages = _villages(user)
    townships = Jurisdiction.objects.filter(
        level=Level.TOWNSHIP, pk__in=villages.values("township_id")
    )
    posted = villages.filter(_posted(year, quarter), township=OuterRef("pk"))
    events = SjspEvent.objects.filter(
        village__in=villages, village__township=OuterRef("pk"), year=year, quarter=quarter
    )
    tallies = SjspTally.objects.filter(
        event__in=SjspEvent.objects.filter(village__in=villages, year=year, quarter=quarter),
        event__village__township=OuterRef("pk"),
    )
    rects = Rectification.objects.filter(
        event__in=SjspEvent.objects.filter(village__in=villages, year=year, quarter=quarter),
        event__village__township=OuterRef("pk"),
    )
    return (
        townships.annotate(
            villages_posted=_count(posted, "township_id", Count("pk")),
            events_held=_count(events, "village__township_id", Count("pk")),
            cadres_evaluated=_count(
                tallies, "event__village__township_id", Count("cadre_id", distinct=True)
            ),
            cadres_below=_count(
                rects.exclude(closing_note=RECOUNT_NOTE),
                "event__village__township_id",
                Count("cadre_id", distinct=True),
            ),
            open_rectifications=_count(
                rects.filter(closed_on__isnull=True), "event__village__township_id", Count("pk")
            ),
        )
        .filter(Q(villages_posted__gt=0) | Q(events_held__gt=0))
        .order_by("code")
    )


def summary_totals(*, user: User, year: int, quarter: int) -> dict[str, int]:
    """The 合计 row of the township summary, counted over the same sets in SQL."""
    villages = _villages(user)
    events = SjspEvent.objects.filter(village__in=villages, year=year, quarter=quarter)
    rects = Rectification.objects.filter(event__in=events)
    return {
        "villages_posted": villages.filter(_posted(year, quarter)).count(),
        "events_held": events.count(),
        "cadres_evaluated": SjspTally.objects.filter(event__in=events)
        .values("cadre_id")
        .distinct()
        .count(),
        "cadres_below": rects.exclude(closing_note=RECOUNT_NOTE)
        .values("cadre_id")
        .distinct()
        .count(),
        "open_rectifications": rects.filter(closed_on__isnull=True).count(),
    }
