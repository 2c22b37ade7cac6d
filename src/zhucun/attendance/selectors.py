"""Read side of attendance: scoped querysets for lists, the team's day, approval queues,
rankings and interview lists (ordered and paginated in the database), plus the on-duty-day
counts of MGT.1.DAYS and the missing diary days of MGT.1.DIARY, computed in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from zhucun.accounts.models import CADRE_ROLES, User, UserRole
from zhucun.params.selectors import parameters_current
from zhucun.policy import Finding
from zhucun.policy.attendance import duty_days_findings, ranking_published
from zhucun.registry import scopes as registry_scopes
from zhucun.registry.models import Cadre, Posting, PostingStatus, Village

from . import scopes
from .models import (
    CheckIn,
    DiaryEntry,
    FraudSignal,
    Interview,
    LeaveRequest,
    LeaveState,
    MonthClose,
    MonthlyAttendance,
    MonthlySummary,
)
from .models.leave import DUTY_KINDS, TAKEN_STATES
from .services._common import days_between, month_end, month_start

# ---- check-ins and signals -----------------------------------------------------------------


def checkin_list(
    *,
    user: User,
    day: dt.date | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    village: Any = None,
    cadre: Any = None,
    status: str = "",
    exceptions_only: bool = False,
    q: str = "",
) -> QuerySet[CheckIn]:
    """Check-ins in scope; ``exceptions_only``: those not counted (off fence, low accuracy,
    late, no position) awaiting the township — except on a day the cadre already has a counted
    check-in: a second tap from elsewhere is kept (never lost) but creates no work for the
    township (issue 10); its fraud signals, if any, still reach the township."""
    qs = scopes.checkins_visible(user).select_related("cadre", "village__jurisdiction")
    if day:
        qs = qs.filter(day=day)
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    if village:
        qs = qs.filter(village_id=village)
    if cadre:
        qs = qs.filter(cadre_id=cadre)
    if status:
        qs = qs.filter(status=status)
    if q:  # the cadre's name
        qs = qs.filter(cadre__name__contains=q)
    if exceptions_only:
        counted_that_day = CheckIn.objects.filter(
            cadre_id=OuterRef("cadre_id"), day=OuterRef("day"), counts=True
        )
        qs = (
            qs.filter(counts=False).exclude(reviews__isnull=False).exclude(Exists(counted_that_day))
        )
    return qs.order_by("-day", "-device_time", "-id")


def fraud_signal_list(
    *, user: User, open_only: bool = True, village: Any = None
) -> QuerySet[FraudSignal]:
    qs = scopes.fraud_signals_visible(user).select_related(
        "cadre", "village__jurisdiction", "checkin"
    )
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    if village:
        qs = qs.filter(village_id=village)
    return qs.order_by("-created_at", "-id")


def team_today(*, user: User, day: dt.date, village: Any = None) -> QuerySet[Posting]:
    """The team(s) in scope on ``day``: each active posting annotated with ``checked_in``
    (a counted check-in), ``checkin_status`` (the day's latest check-in) and ``away_kind`` /
    ``away_state`` (leave covering the day)."""
    qs = registry_scopes.postings_visible(user).filter(status=PostingStatus.ACTIVE)
    if village:
        qs = qs.filter(village_id=village)
    todays = CheckIn.objects.filter(cadre_id=OuterRef("cadre_id"), day=day)
    leave = LeaveRequest.objects.filter(
        cadre_id=OuterRef("cadre_id"), state__in=TAKEN_STATES, start__lte=day
    ).filter(Q(actual_end__gte=day) | Q(actual_end__isnull=True, end__gte=day))
    return (
        qs.select_related("cadre", "village__jurisdiction")
        .annotate(
            checked_in=Exists(todays.filter(counts=True)),
            checkin_status=Subquery(todays.order_by("-device_time").values("status")[:1]),
            away_kind=Subquery(leave.values("kind")[:1]),
        )
        .order_by("village__jurisdiction__code", "role", "cadre__name")
    )


# ---- leave ---------------------------------------------------------------------------------


def leave_list(
    *,
    user: User,
    state: str = "",
    kind: str = "",
    cadre: Any = None,
    village: Any = None,
    q: str = "",
    start_from: dt.date | None = None,
    start_to: dt.date | None = None,
) -> QuerySet[LeaveRequest]:
    """Leave in scope; ``q`` the cadre's name; ``start_from``/``start_to`` the first day of the
    leave within (inclusive)."""
    qs = scopes.leave_visible(user).select_related("cadre", "village__jurisdiction", "decided_by")
    if q:
        qs = qs.filter(cadre__name__contains=q)
    if start_from:
        qs = qs.filter(start__gte=start_from)
    if start_to:
        qs = qs.filter(start__lte=start_to)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if cadre:
        qs = qs.filter(cadre_id=cadre)
    if village:
        qs = qs.filter(village_id=village)
    return qs.order_by("-start", "-id")


def leave_approval_queue(*, user: User) -> QuerySet[LeaveRequest]:
    """The pending requests ``user`` is the routed approver of."""
    qs = leave_list(user=user, state=LeaveState.PENDING)
    if user.role == UserRole.TOWNSHIP:
        return qs.filter(approver_level="township")
    if user.role == UserRole.FIRST_SECRETARY:
        return qs.filter(approver_level="first_secretary").exclude(cadre_id=user.cadre_id)
    return qs.none()


# ---- diary ---------------------------------------------------------------------------------


def diary_list(
    *, user: User, cadre: Any = None, month: dt.date | None = None
) -> QuerySet[DiaryEntry]:
    qs = scopes.diary_visible(user).select_related("cadre").prefetch_related("photos")
    if cadre:
        qs = qs.filter(cadre_id=cadre)
    if month:
        qs = qs.filter(day__gte=month_start(month), day__lte=month_end(month))
    return qs.order_by("-day", "cadre__name")


def _duty_day_union(days: Sequence[dt.date], cadre_sql: str) -> str:
    """SQL of (cadre_id, day) on duty among ``days``: counted check-ins ∪ duty leave days.
    Expects params: the days, then cadre_sql's params twice."""
    ops = connection.ops
    end = ops.quote_name("end")
    taken = ", ".join(f"'{s}'" for s in TAKEN_STATES)
    kinds = ", ".join(f"'{k}'" for k in DUTY_KINDS)
    values = ", ".join(["(%s)"] * len(days))
    return f"""WITH days(day) AS (VALUES {values}),
duty AS (
    SELECT c.cadre_id, c.day FROM {CheckIn._meta.db_table} c
    WHERE c.counts AND c.day IN (SELECT day FROM days) AND c.cadre_id IN ({cadre_sql})
    UNION
    SELECT l.cadre_id, days.day FROM {LeaveRequest._meta.db_table} l
    JOIN days ON days.day >= l.start AND days.day <= COALESCE(l.actual_end, l.{end})
    WHERE l.state IN ({taken}) AND l.kind IN ({kinds}) AND l.cadre_id IN ({cadre_sql})
)"""


def duty_days_by_cadre(cadres: QuerySet[Cadre], *, start: dt.date, end: dt.date) -> dict[int, int]:
    """On-duty days (MGT.1.DAYS, 含因公出差) of each cadre in ``cadres`` between ``start``
    and ``end``: COUNT(DISTINCT day) of counted check-ins ∪ approved business-trip, training
    and meeting days — one SQL query."""
    days = days_between(start, end)
    if not days:
        return {}
    try:
        sub, sub_params = cadres.values("pk").query.sql_with_params()
    except EmptyResultSet:  # an empty queryset (e.g. .none(), or a page without cadres)
        return {}
    sql = _duty_day_union(days, sub) + " SELECT cadre_id, COUNT(*) FROM duty GROUP BY cadre_id"
    d = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(d(x) for x in days), *sub_params, *sub_params])
        return {row[0]: row[1] for row in cursor.fetchall()}


@dataclass
class DutyDaysRow:
    cadre: Cadre
    days: int
    since: dt.date | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> str:
        if any(f.data.get("gap") for f in self.findings):
            return "未设置"
        if any(f.severity == "error" for f in self.findings):
            return "未达标"
        if any(f.severity == "warning" for f in self.findings):
            return "进度落后"
        return "正常"


def duty_days_rows(*, cadres: Sequence[Cadre], year: int, as_of: dt.date) -> list[DutyDaysRow]:
    """MGT.1.DAYS for a page of cadres: their on-duty days of ``year`` up to ``as_of`` (one
    query) and the policy's findings — "未设置" while the jurisdiction has not set the minimum
    (the source lost it), never an invented one."""
    cadres = list(cadres)
    first = dt.date(year, 1, 1)
    last = min(as_of, dt.date(year, 12, 31))
    ids = [c.pk for c in cadres]
    counts = duty_days_by_cadre(Cadre.objects.filter(pk__in=ids), start=first, end=last)
    postings = {
        p.cadre_id: p
        for p in Posting.objects.filter(
            cadre_id__in=ids, status=PostingStatus.ACTIVE
        ).select_related("village__jurisdiction")
    }
    params = parameters_current()
    rows = []
    for c in cadres:
        p = postings.get(c.pk)
        since = p.arrival_date if p and p.arrival_date.year == year else None
        code = p.village.jurisdiction.code if p else ()
        days = counts.get(c.pk, 0)
        found = duty_days_findings(
            name=c.name,
            days=days,
            year=year,
            as_of=as_of,
            params=params,
            jurisdiction=code,
            since=since,
        )
        rows.append(DutyDaysRow(c, days, since, found))
    return rows


def diary_missing(
    *, cadre: Cadre | int, month: dt.date, until: dt.date | None = None
) -> list[dt.date]:
    """MGT.1.DIARY: the on-duty days of ``month`` (up to ``until``) without a diary entry."""
    cadre_id = cadre if isinstance(cadre, int) else cadre.pk
    start = month_start(month)
    end = min(month_end(month), until) if until else month_end(month)
    days = days_between(start, end)
    if not days:
        return []
    d = connection.ops.adapt_datefield_value
    sql = (
        _duty_day_union(days, "%s")
        + f"""
SELECT DISTINCT duty.day FROM duty
WHERE NOT EXISTS (SELECT 1 FROM {DiaryEntry._meta.db_table} e
                  WHERE e.cadre_id = duty.cadre_id AND e.day = duty.day)
ORDER BY duty.day"""
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(d(x) for x in days), cadre_id, cadre_id])
        return [
            x if isinstance(x, dt.date) else dt.date.fromisoformat(x) for (x,) in cursor.fetchall()
        ]


# ---- month close, rankings, interviews -----------------------------------------------------


def rankings_published(*, user: User, on: dt.date) -> bool:
    """Whether ``user`` may see rankings: always for the township and above (the bottom list
    is reported up the line); for cadres only if their jurisdiction publishes the ranking
    (``rank_publication_enabled``, "Later rules" of CLAUSES.md)."""
    if user.role not in CADRE_ROLES:
        return True
    village_id = registry_scopes.own_village_id(user)
    code = (
        Village.objects.filter(pk=village_id).values_list("jurisdiction__code", flat=True).first()
        if village_id
        else None
    )
    return ranking_published(params=parameters_current(), on=on, jurisdiction=code or ())


def monthly_list(
    *, user: User, month: dt.date, township: str = "", county: str = "", village: Any = None
) -> QuerySet[MonthlyAttendance]:
    """The month close rows in scope (figures only; pages hide rank columns from cadres when
    ``rankings_published`` is False)."""
    qs = (
        scopes.monthly_visible(user)
        .filter(month=month_start(month))
        .select_related("cadre__unit", "village__jurisdiction", "township__parent")
    )
    if township:
        qs = qs.filter(township__code=township)
    if county:
        qs = qs.filter(township__parent__code=county)
    if village:
        qs = qs.filter(village_id=village)
    return qs.order_by("township__code", "rank", "cadre__name", "cadre_id")


def ranking_list(
    *,
    user: User,
    month: dt.date,
    township: str = "",
    county: str = "",
    bottom_only: bool = False,
) -> QuerySet[MonthlyAttendance]:
    """MGT.3.RANK: per township, by rank; ``bottom_only``: the 末3位 (ties included) across the
    townships in scope. Empty for cadres where publication is switched off."""
    if not rankings_published(user=user, on=month_end(month_start(month))):
        return MonthlyAttendance.objects.none()
    qs = monthly_list(user=user, month=month, township=township, county=county)
    if bottom_only:
        qs = qs.filter(is_bottom=True).order_by("township__code", "bottom_rank", "cadre__name")
    return qs


def month_close_summary(result: Any) -> dict[str, Any]:
    """A month close's result as integrators read it (the API and ``close-month --json``):
    per township its version, whether this close changed it, its rows, and how many are on its
    bottom list and its interview list (counted in one query)."""
    counts = {
        row["township_id"]: row
        for row in MonthlyAttendance.objects.filter(
            month=result.month, township_id__in=[t.township_id for t in result.townships]
        )
        .values("township_id")
        .annotate(
            bottom=Count("pk", filter=Q(is_bottom=True)),
            interview=Count("pk", filter=Q(needs_interview=True)),
        )
    }
    return {
        "month": f"{result.month:%Y-%m}",
        "workdays": result.workdays,
        "changed": len(result.changed),
        "townships": [
            {
                "code": t.code,
                "name": t.name,
                "version": t.version,
                "changed": t.changed,
                "rows": t.rows,
                "bottom": counts.get(t.township_id, {}).get("bottom", 0),
                "interview": counts.get(t.township_id, {}).get("interview", 0),
            }
            for t in result.townships
        ],
    }


def townships_without_bottom(
    *, user: User, month: dt.date, township: str = "", county: str = ""
) -> QuerySet[MonthClose]:
    """MGT.3.RANK: the townships in scope that closed ``month`` and where nobody fell short of
    full attendance: their bottom list is 无 (a cadre at full attendance is never on it)."""
    month = month_start(month)
    qs = month_close_list(user=user, month=month)
    if township:
        qs = qs.filter(township__code=township)
    if county:
        qs = qs.filter(township__parent__code=county)
    bottom = MonthlyAttendance.objects.filter(
        month=month, township_id=OuterRef("township_id"), is_bottom=True
    )
    return qs.exclude(Exists(bottom)).order_by("township__code")


def interview_list(
    *, user: User, month: dt.date, township: str = ""
) -> QuerySet[MonthlyAttendance]:
    """MGT.3.TALK: cadres of the month below the working days without a valid reason, with
    ``interviewed`` (an interview recorded)."""
    qs = monthly_list(user=user, month=month, township=township).filter(needs_interview=True)
    done = Interview.objects.filter(cadre_id=OuterRef("cadre_id"), month=OuterRef("month"))
    return qs.annotate(interviewed=Exists(done))


def interview_records(*, user: User, month: dt.date) -> QuerySet[Interview]:
    """MGT.3.TALK: the interviews of ``month`` the user may see, by date."""
    return (
        scopes.interviews_visible(user)
        .filter(month=month_start(month))
        .select_related("cadre", "village__jurisdiction")
        .order_by("held_on", "id")
    )


def interview_list_managed(*, user: User, month: dt.date) -> QuerySet[MonthlyAttendance]:
    """MGT.3.TALK: the interview list of the cadres whose organisation department ``user`` is
    (by the level of the dispatching unit), wherever they serve; the townships supply it."""
    done = Interview.objects.filter(cadre_id=OuterRef("cadre_id"), month=OuterRef("month"))
    return (
        MonthlyAttendance.objects.filter(scopes.managed_q(user), month=month_start(month))
        .filter(needs_interview=True)
        .select_related("cadre__unit", "village__jurisdiction")
        .annotate(interviewed=Exists(done))
        .order_by("village__jurisdiction__code", "cadre_id")
    )


def month_close_list(*, user: User, month: dt.date | None = None) -> QuerySet[MonthClose]:
    qs = MonthClose.objects.select_related("township__parent", "closed_by")
    if user.role != UserRole.ADMIN:
        if (
            user.role in (UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP)
            and user.jurisdiction_id
        ):
            qs = qs.filter(township__path__startswith=user.jurisdiction.path)
        else:
            village_id = registry_scopes.own_village_id(user)
            qs = qs.filter(township__township_villages__id=village_id) if village_id else qs.none()
    if month:
        qs = qs.filter(month=month_start(month))
    return qs.order_by("-month", "township__code")


def summary_list(
    *, user: User, month: dt.date | None = None, state: str = ""
) -> QuerySet[MonthlySummary]:
    qs = scopes.summaries_visible(user).select_related(
        "village__jurisdiction", "prepared_by", "signed_by"
    )
    if month:
        qs = qs.filter(month=month_start(month))
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-month", "village__jurisdiction__code")
