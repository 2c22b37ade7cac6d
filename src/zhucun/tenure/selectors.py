"""Read side of tenure: postings about to end with their replacement (MGT.9.HANDOVER), the
coverage gaps they will leave, the closures, the handover records, and a cadre's own history.

The replacement of a leaver is found in SQL (a subquery per leaver, the same rule as
``services.close.replacement_of``): the earliest planned/active posting of the same role in the
same village, of another cadre, arriving after the leaver arrived."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from zhucun.accounts.models import User, UserRole
from zhucun.params.selectors import parameters_current
from zhucun.policy.dates import anniversary
from zhucun.policy.tenure import Gap, coverage_gap, gap_days, gap_label, term_end_notice_window
from zhucun.policy.term import regular_term_end
from zhucun.registry import scopes
from zhucun.registry.models import Posting, PostingStatus
from zhucun.selection.models import Nomination
from zhucun.selection.workflow import OPEN_STATES

from .models import HandoverRecord, PostingClosure

LIVE = (PostingStatus.PLANNED, PostingStatus.ACTIVE)
# who sees the upcoming term ends (MGT.9.HANDOVER: 派出单位 and 县委组织部)
TERM_END_ROLES = {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.UNIT}


@dataclass(frozen=True)
class Ending:
    """A posting that ends within the window, and what follows it."""

    posting: Posting
    end: dt.date  # the leaver's last day: actual end, else planned end, else regular end
    regular_end: dt.date
    replacement: Posting | None
    nominated: bool  # an open nomination for the same village and role
    gap: Gap  # the uncovered days (no replacement: from the day after the end, open)

    @property
    def gap_days(self) -> int | None:
        """Days uncovered; None when nobody is on the way (open-ended)."""
        return gap_days(self.gap) if self.replacement is not None else None

    @property
    def has_gap(self) -> bool:
        return self.replacement is None or self.gap is not None

    @property
    def replacement_status(self) -> str:
        if self.replacement is not None:
            return "posted"
        return "nominated" if self.nominated else "none"

    @property
    def replacement_label(self) -> str:
        r = self.replacement
        if r is not None:
            return f"已派驻:{r.cadre.name},{r.arrival_date:%Y-%m-%d}到岗"
        return "已提名,尚未派驻" if self.nominated else "尚无接替人员"

    @property
    def gap_text(self) -> str:
        if self.replacement is None:
            return f"自{self.end + dt.timedelta(days=1):%Y-%m-%d}起无人接替"
        return gap_label(self.gap)


def _replacement_subquery(field: str) -> Subquery:
    return Subquery(
        Posting.objects.filter(
            village_id=OuterRef("village_id"),
            role=OuterRef("role"),
            status__in=LIVE,
            arrival_date__gt=OuterRef("arrival_date"),
        )
        .exclude(cadre_id=OuterRef("cadre_id"))
        .order_by("arrival_date", "pk")
        .values(field)[:1]
    )


def endings_queryset(
    *, user: User, today: dt.date, until: dt.date, years: int, earliest_arrival: bool = False
) -> QuerySet[Posting]:
    """Postings in ``user``'s scope whose last day may fall in [today, until], annotated
    ``repl_id`` (the replacement, see the module doc) and ``nominated`` (an open nomination
    for the same village and role). Without a planned end the regular end (arrival +
    ``years``) decides: the arrival is bounded in SQL (``earliest_arrival``: from below too,
    for counts that are not checked row by row)."""
    no_planned_end = Q(planned_end__isnull=True, arrival_date__lte=anniversary(until, -years))
    if earliest_arrival:
        no_planned_end &= Q(arrival_date__gte=anniversary(today, -years))
    window = Q(status__in=LIVE) & (
        Q(planned_end__gte=today, planned_end__lte=until) | no_planned_end
    ) | Q(status=PostingStatus.ENDED, actual_end__gte=today, actual_end__lte=until)
    open_nomination = Nomination.objects.filter(
        village_id=OuterRef("village_id"), role=OuterRef("role"), state__in=list(OPEN_STATES)
    )
    return (
        scopes.postings_visible(user)
        .filter(window)
        .annotate(
            repl_id=_replacement_subquery("pk"),
            nominated=Exists(open_nomination),
        )
    )


def endings(*, user: User, today: dt.date, until: dt.date) -> list[Ending]:
    """Postings in ``user``'s scope whose last day falls in [today, until], soonest first."""
    params = parameters_current()
    years = params.int_value("term_min_years", on=today)
    qs = endings_queryset(user=user, today=today, until=until, years=years).select_related(
        "cadre__unit", "village__jurisdiction", "village__township"
    )
    rows = list(qs)
    repl = {
        p.pk: p
        for p in Posting.objects.filter(
            pk__in=[r.repl_id for r in rows if r.repl_id]
        ).select_related("cadre")
    }
    out: list[Ending] = []
    for p in rows:
        code = p.village.jurisdiction.code
        regular = regular_term_end(arrival=p.arrival_date, params=params, jurisdiction=code)
        end = p.actual_end or p.planned_end or regular
        if not today <= end <= until:
            continue
        r = repl.get(p.repl_id) if p.repl_id else None
        gap = (
            coverage_gap(leaver_end=end, replacement_arrival=r.arrival_date)
            if r is not None
            else (end + dt.timedelta(days=1), end + dt.timedelta(days=1))
        )
        out.append(
            Ending(
                posting=p,
                end=end,
                regular_end=regular,
                replacement=r,
                nominated=bool(p.nominated),
                gap=gap,
            )
        )
    out.sort(key=lambda e: (e.end, e.posting.village_id, e.posting.pk))
    return out


def notice_until(*, today: dt.date) -> dt.date:
    return term_end_notice_window(today=today, params=parameters_current())[1]


def term_ends_upcoming(*, user: User, today: dt.date) -> list[Ending]:
    """MGT.9.HANDOVER: postings ending within ``term_end_notice_days`` with the replacement's
    status (none / nominated / posted with the arrival date)."""
    return endings(user=user, today=today, until=notice_until(today=today))


def coverage_gaps(*, user: User, today: dt.date, horizon_days: int | None = None) -> list[Ending]:
    """The endings within the horizon (default ``term_end_notice_days``) that leave the
    village uncovered for a while: no replacement, or one arriving after the day after."""
    until = (
        notice_until(today=today)
        if horizon_days is None
        else today + dt.timedelta(days=horizon_days)
    )
    return [e for e in endings(user=user, today=today, until=until) if e.has_gap]


def closure_of(posting: Posting) -> PostingClosure | None:
    return PostingClosure.objects.filter(posting=posting).select_related("leave").first()


def handover_list(*, user: User) -> QuerySet[HandoverRecord]:
    return HandoverRecord.objects.filter(posting__in=scopes.postings_visible(user)).select_related(
        "posting__cadre__unit",
        "posting__village__jurisdiction",
        "posting__village__township",
        "successor__cadre",
    )


def handover_get(*, user: User, pk: int) -> HandoverRecord | None:
    return handover_list(user=user).filter(pk=pk).first()


def own_history(*, user: User) -> QuerySet[Posting]:
    """A cadre user's own postings, current and ended (an ended cadre still signs in)."""
    if not user.cadre_id:
        return Posting.objects.none()
    return (
        Posting.objects.filter(cadre_id=user.cadre_id)
        .select_related("village__jurisdiction", "village__township", "closure__leave")
        .order_by("-arrival_date")
    )
