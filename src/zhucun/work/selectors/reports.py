"""Reading reports (MGT.6.*, GUA.1.BIND, MGT.3.SUMMARY): who reads which report, the list,
the overdue lists and the missing on-duty summaries — computed in the database (anti-joins
with Exists), a fixed number of queries whatever the number of villages — the urgent inbox
and the reader's diff (what the author changed against the system's draft).

Overdue lists look back over the complete periods up to ``today``: the last
``MONTHS_BACK`` months, ``QUARTERS_BACK`` quarters, ``HALVES_BACK`` half-years and the last
year; a report is overdue from the day after its due day (policy.work.is_overdue) while not
submitted."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from typing import Any

from django.db.models import (
    CharField,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)

from zhucun.accounts.models import User, UserRole
from zhucun.attendance.models import MonthlySummary
from zhucun.attendance.models.month import SummaryState
from zhucun.params.selectors import parameters_current
from zhucun.policy.parameters import Parameters
from zhucun.policy.work import (
    half_year_bounds,
    hearing_due,
    monthly_report_due,
    quarterly_report_due,
    unit_visit_due,
)
from zhucun.registry import scopes
from zhucun.registry.models import (
    DispatchingUnit,
    Jurisdiction,
    Level,
    Posting,
    PostingStatus,
    Role,
    Village,
)

from ..drafts import draft_text, month_bounds, quarter_bounds
from ..models import Report
from ..scope import AREA_ROLES, TEAM_ROLES, village_q

MONTHS_BACK = 3
QUARTERS_BACK = 2
HALVES_BACK = 2
OVERDUE_KINDS = ("monthly", "quarterly", "hearing", "unit_visit")
UNIT_READERS = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.UNIT})
URGENT_READERS = frozenset({UserRole.ADMIN, *AREA_ROLES, *TEAM_ROLES})


# ---- scope -----------------------------------------------------------------------------------


def townships_readable(user: User) -> QuerySet[Jurisdiction]:
    """The townships whose quarterly report ``user`` reads: its own, or those under a county
    or prefecture (admin: all)."""
    qs = Jurisdiction.objects.filter(level=Level.TOWNSHIP)
    if user.role == UserRole.ADMIN:
        return qs
    if user.role in AREA_ROLES and user.jurisdiction_id:
        return qs.filter(path__startswith=user.jurisdiction.path)
    return qs.none()


def units_readable(user: User) -> QuerySet[DispatchingUnit]:
    """Units whose hearings and yearly visits ``user`` reads (the unit itself, the county
    and prefecture where its cadres serve)."""
    if user.role not in UNIT_READERS:
        return DispatchingUnit.objects.none()
    return scopes.units_visible(user)


def report_q(user: User) -> Q:
    """A filter on Report for what ``user`` may read."""
    if user.role == UserRole.ADMIN:
        return Q()
    monthly = Q(kind="monthly") & village_q(user)
    quarterly = Q(kind="quarterly", township__in=townships_readable(user).values("pk"))
    unit = Q(kind__in=("hearing", "unit_visit"), unit__in=units_readable(user).values("pk"))
    found = monthly | quarterly | unit
    if user.role in URGENT_READERS:
        found |= Q(kind="urgent") & village_q(user)
    return found


def report_list(*, user: User, kind: str | None = None) -> QuerySet[Report]:
    qs = Report.objects.filter(report_q(user))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related(
        "village__jurisdiction", "village__township", "township", "unit", "author"
    ).order_by("-period_start", "kind", "-pk")


def report_get(*, user: User, report_id: int) -> Report | None:
    return report_list(user=user).filter(pk=report_id).first()


def urgent_inbox(*, user: User) -> QuerySet[Report]:
    """MGT.6.URGENT: the urgent reports ``user`` reads, the unacknowledged first (newest
    first within each)."""
    if user.role not in URGENT_READERS:
        return Report.objects.none()
    return (
        Report.objects.filter(Q(kind="urgent") & village_q(user))
        .select_related("village__jurisdiction", "village__township", "author", "acknowledged_by")
        .order_by(F("acknowledged_at").desc(nulls_first=True), "-submitted_at", "-pk")
    )


def urgent_waiting(*, user: User) -> int:
    return urgent_inbox(user=user).filter(acknowledged_at__isnull=True).count()


def report_diff(report: Report) -> list[dict[str, str]]:
    """The author's changes against the draft, line by line: ``[{op, text}]`` with ``op``
    "same", "added" or "removed" (difflib over the draft's text and the body)."""
    if not report.draft:
        return [{"op": "same", "text": line} for line in report.body.splitlines()]
    before = draft_text(report.draft).splitlines()
    after = report.body.splitlines()
    out: list[dict[str, str]] = []
    for line in difflib.ndiff(before, after):
        code, text = line[:2], line[2:]
        if code == "  ":
            out.append({"op": "same", "text": text})
        elif code == "+ ":
            out.append({"op": "added", "text": text})
        elif code == "- ":
            out.append({"op": "removed", "text": text})
    return out


def diff_counts(diff: list[dict[str, str]]) -> dict[str, int]:
    return {
        "added": sum(1 for d in diff if d["op"] == "added"),
        "removed": sum(1 for d in diff if d["op"] == "removed"),
    }


# ---- overdue lists ---------------------------------------------------------------------------


def _months_back(today: dt.date, n: int) -> list[dt.date]:
    first = today.replace(day=1)
    out = []
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        out.append(first)
    return out


def _quarters_back(today: dt.date, n: int) -> list[tuple[int, int]]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(n):
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        out.append((year, quarter))
    return out


def _halves_back(today: dt.date, n: int) -> list[tuple[int, int]]:
    year, half = today.year, 1 if today.month <= 6 else 2
    out = []
    for _ in range(n):
        year, half = (year, 1) if half == 2 else (year - 1, 2)
        out.append((year, half))
    return out


def _submitted(kind: str, start: dt.date, field: str) -> Exists:
    return Exists(
        Report.objects.filter(
            kind=kind, period_start=start, submitted_at__isnull=False, **{field: OuterRef("pk")}
        )
    )


def _in_post(first: dt.date, last: dt.date, **where: Any) -> QuerySet[Posting]:
    return (
        Posting.objects.filter(arrival_date__lte=last, **where)
        .exclude(status=PostingStatus.PLANNED)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=first))
    )


def _row_values(qs: QuerySet[Any], *, kind: str, start: dt.date, due: dt.date, **names: Any) -> Any:
    return (
        qs.order_by()
        .annotate(
            kind_key=Value(kind, output_field=CharField()),
            period=Value(start, output_field=DateField()),
            due_day=Value(due, output_field=DateField()),
            **names,
        )
        .values("pk", "kind_key", "period", "due_day", *names)
    )


def _due_groups(
    codes: list[tuple[int, str]], compute: Any, today: dt.date
) -> dict[dt.date, list[int]]:
    """due day → ids, only the groups already overdue on ``today``."""
    groups: dict[dt.date, list[int]] = defaultdict(list)
    for pk, code in codes:
        due = compute(code)
        if today > due:
            groups[due].append(pk)
    return groups


def overdue_reports(
    *, user: User, kind: str, today: dt.date, params: Parameters | None = None
) -> Any:
    """The expected reports of ``kind`` not submitted after their due day, as one SQL
    query (a UNION of a few periods) of rows ``{pk, kind_key, period, due_day, subject_name,
    parent_name}`` — ``pk`` is the village, township or unit — ordered by period and name; the
    caller paginates. Empty for a kind ``user`` does not oversee."""
    params = params or parameters_current()
    parts: list[QuerySet[Any]] = []
    if kind == "monthly":
        villages = Village.objects.filter(pk__in=scopes.villages_visible(user).values("pk"))
        if user.role not in {UserRole.ADMIN, *AREA_ROLES, UserRole.VILLAGE_SECRETARY, *TEAM_ROLES}:
            return Village.objects.none().values("pk")
        townships = list(
            Jurisdiction.objects.filter(pk__in=villages.values("township_id"))
            .order_by()
            .values_list("pk", "code")
        )
        for month in _months_back(today, MONTHS_BACK):
            first, last = month_bounds(month)
            groups = _due_groups(
                townships,
                lambda code, m=month: monthly_report_due(month=m, params=params, jurisdiction=code),
                today,
            )
            for due, ids in groups.items():
                fs = _in_post(first, last, village_id=OuterRef("pk"), role=Role.FIRST_SECRETARY)
                qs = villages.filter(township_id__in=ids).filter(
                    Exists(fs), ~_submitted("monthly", first, "village_id")
                )
                parts.append(
                    _row_values(
                        qs,
                        kind=kind,
                        start=first,
                        due=due,
                        subject_name=F("jurisdiction__name"),
                        parent_name=F("township__name"),
                    )
                )
    elif kind == "quarterly":
        towns = townships_readable(user)
        codes = list(towns.order_by().values_list("pk", "code"))
        for year, quarter in _quarters_back(today, QUARTERS_BACK):
            first, _ = quarter_bounds(year, quarter)
            groups = _due_groups(
                codes,
                lambda code, y=year, q=quarter: quarterly_report_due(
                    year=y, quarter=q, params=params, jurisdiction=code
                ),
                today,
            )
            for due, ids in groups.items():
                qs = towns.filter(pk__in=ids).filter(~_submitted("quarterly", first, "township_id"))
                parts.append(
                    _row_values(
                        qs,
                        kind=kind,
                        start=first,
                        due=due,
                        subject_name=F("name"),
                        parent_name=F("parent__name"),
                    )
                )
    elif kind in ("hearing", "unit_visit"):
        units = units_readable(user)
        periods: list[tuple[dt.date, dt.date, dt.date]] = []
        if kind == "hearing":
            for year, half in _halves_back(today, HALVES_BACK):
                first, last = half_year_bounds(year, half)
                periods.append((first, last, hearing_due(year, half)))
        else:
            year = today.year - 1
            periods.append((dt.date(year, 1, 1), dt.date(year, 12, 31), unit_visit_due(year)))
        for first, last, due in periods:
            if not today > due:
                continue
            qs = units.filter(
                Exists(_in_post(first, last, cadre__unit_id=OuterRef("pk"))),
                ~_submitted(kind, first, "unit_id"),
            )
            parts.append(
                _row_values(
                    qs,
                    kind=kind,
                    start=first,
                    due=due,
                    subject_name=F("name"),
                    parent_name=F("jurisdiction__name"),
                )
            )
    if not parts:
        return (
            Village.objects.none()
            .annotate(
                kind_key=Value("", output_field=CharField()),
                period=Value(today, output_field=DateField()),
                due_day=Value(today, output_field=DateField()),
                subject_name=Value("", output_field=CharField()),
                parent_name=Value("", output_field=CharField()),
            )
            .values("pk", "kind_key", "period", "due_day", "subject_name", "parent_name")
        )
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-period", "subject_name", "pk")


def overdue_count(*, user: User, kind: str, today: dt.date) -> int:
    return int(overdue_reports(user=user, kind=kind, today=today).count())


# ---- MGT.3.SUMMARY -------------------------------------------------------------------------


def missing_summaries(
    *, user: User, today: dt.date, params: Parameters | None = None
) -> QuerySet[Any]:
    """MGT.3.SUMMARY: the teams (villages in scope with a first secretary in post during the
    last complete month) whose monthly on-duty summary of that month is missing or not yet
    submitted to the township after ``monthly_summary_due_day`` of this month — rows
    ``{pk, subject_name, parent_name, period, due_day, summary_state}`` (one SQL query)."""
    params = params or parameters_current()
    month = _months_back(today, 1)[0]
    first, last = month_bounds(month)
    if user.role not in {UserRole.ADMIN, *AREA_ROLES, UserRole.VILLAGE_SECRETARY, *TEAM_ROLES}:
        return Village.objects.none().values("pk")
    villages = Village.objects.filter(pk__in=scopes.villages_visible(user).values("pk"))
    townships = list(
        Jurisdiction.objects.filter(pk__in=villages.values("township_id"))
        .order_by()
        .values_list("pk", "code")
    )
    this_month = today.replace(day=1)
    overdue: list[int] = []
    dues: dict[int, dt.date] = {}
    for pk, code in townships:
        day = params.int_value("monthly_summary_due_day", on=this_month, jurisdiction=code)
        dues[pk] = this_month.replace(day=day)
        if today > dues[pk]:
            overdue.append(pk)
    summary = MonthlySummary.objects.filter(village_id=OuterRef("pk"), month=first)
    fs = _in_post(first, last, village_id=OuterRef("pk"), role=Role.FIRST_SECRETARY)
    due_of = dues[overdue[0]] if overdue else today
    return (
        villages.filter(township_id__in=overdue)
        .filter(Exists(fs), ~Exists(summary.filter(state=SummaryState.SUBMITTED)))
        .annotate(
            subject_name=F("jurisdiction__name"),
            parent_name=F("township__name"),
            period=Value(first, output_field=DateField()),
            due_day=Value(due_of, output_field=DateField()),
            summary_state=Subquery(summary.values("state")[:1]),
        )
        .values("pk", "subject_name", "parent_name", "period", "due_day", "summary_state")
        .order_by("parent_name", "subject_name", "pk")
    )
