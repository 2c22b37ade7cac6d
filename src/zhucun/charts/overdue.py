"""Deadlines missed, month by month (stacked bar): for each month in which deadlines fell due,
how many of them were missed — still not done, or done after the due day.

* 月度工作报告 (MGT.6.MONTHLY): the report of month M of each village that had a first
  secretary in post during M, due on ``monthly_report_due_day`` of M+1 (the parameter of the
  village's township, as on the overdue list of the reports pages).
* 党组织关系转接 (SEL.METHOD.TRANSFER15): a party member's transfer, due on the
  ``party_transfer_within_working_days``-th working day after reporting (the township's
  parameter, on the State Council calendar as the deadline page counts it).

Only deadlines already past count. The due days are worked out in Python for each township
(reports) and for each distinct (township, reporting day) (transfers) — a calendar rule SQL
cannot hold — and the counting is done in the database: one aggregate query for the reports,
one query for the distinct reporting days and one aggregate query for the transfers.

SEL.METHOD.APPOINT10 is not drawn: its clock starts when the village's team is complete,
worked out village by village on the deadline page, where its overdue items are listed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy import CalendarUnknownError, WorkCalendar, party_transfer_due
from zhucun.policy.dates import month_label
from zhucun.policy.work import monthly_report_due
from zhucun.registry import scopes
from zhucun.registry.models import Jurisdiction, PartyStatus, Posting, PostingStatus, Role
from zhucun.work.models import Report

from .base import TOTAL, Area, Chart, Series, month_add

OVERDUE_MONTHS = 12
REPORTS = "MGT.6.MONTHLY"
TRANSFER = "SEL.METHOD.TRANSFER15"
# how far back reporting days are read: a transfer due in the window was reported at most
# this long before it (a reading bound, not a policy figure; the deadline is 15 working days)
ARRIVAL_LOOKBACK = dt.timedelta(days=366)
SERIES = [
    ("月度工作报告·逾期未报送", "报告", REPORTS),
    ("月度工作报告·逾期报送", "报告", REPORTS),
    ("党组织关系转接·逾期未转接", "转接", TRANSFER),
    ("党组织关系转接·逾期转接", "转接", TRANSFER),
]


class _MemoCalendar(WorkCalendar):
    """The system's calendar, remembering each day's answer (many reporting days share days)."""

    def __init__(self, base: WorkCalendar) -> None:
        super().__init__(extra=base.extra, extra_years=base.extra_years)
        self._days: dict[dt.date, bool] = {}

    def is_workday(self, day: dt.date) -> bool:
        if day not in self._days:
            self._days[day] = super().is_workday(day)
        return self._days[day]


def _day_after_start(day: dt.date) -> dt.datetime:
    """The first moment (Beijing time) after ``day``: submitted at or after it ⇒ late."""
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(0), timezone.get_current_timezone()
    )


def _in_post(first: dt.date, last: dt.date) -> Exists:
    return Exists(
        Posting.objects.filter(
            village_id=OuterRef("pk"), role=Role.FIRST_SECRETARY, arrival_date__lte=last
        )
        .exclude(status=PostingStatus.PLANNED)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=first))
    )


def reports_since() -> dt.date | None:
    """The first month the system holds a monthly report of (anywhere): months before it were
    reported outside the system and are not counted as missing."""
    found = Report.objects.filter(kind="monthly").aggregate(m=Min("period_start"))["m"]
    return found  # type: ignore[no-any-return]


def report_counts(
    user: User, area: Area, months: list[dt.date], today: dt.date, since: dt.date | None
) -> list[tuple[int, int]]:
    """(missing, late) per due month of ``months``: the reports of the month before, from the
    month ``since`` on (nothing without it)."""
    villages = scopes.villages_visible(user).filter(**area.village_q())
    townships = list(
        Jurisdiction.objects.filter(pk__in=villages.values("township_id"))
        .order_by()
        .values_list("pk", "code")
    )
    params = parameters_current()
    counts: dict[str, Count] = {}
    for i, due_month in enumerate(months):
        month = month_add(due_month, -1)
        if since is None or month < since:
            continue
        last = due_month - dt.timedelta(days=1)
        by_due: dict[dt.date, list[int]] = {}
        for pk, code in townships:
            due = monthly_report_due(month=month, params=params, jurisdiction=code)
            if today > due:
                by_due.setdefault(due, []).append(pk)
        if not by_due:
            continue
        reports = Report.objects.filter(
            kind="monthly",
            village_id=OuterRef("pk"),
            period_start=month,
            submitted_at__isnull=False,
        )
        passed = Q(township_id__in=[pk for ids in by_due.values() for pk in ids])
        late = Q(pk__in=[])
        for due, ids in by_due.items():
            late |= Q(township_id__in=ids) & Exists(
                reports.filter(submitted_at__gte=_day_after_start(due))
            )
        due_here = _in_post(month, last)
        counts[f"missing_{i}"] = Count("pk", filter=due_here & passed & ~Exists(reports))
        counts[f"late_{i}"] = Count("pk", filter=due_here & late)
    found = villages.order_by().aggregate(**counts) if counts else {}
    return [(found.get(f"missing_{i}", 0), found.get(f"late_{i}", 0)) for i in range(len(months))]


def transfer_counts(
    user: User, area: Area, months: list[dt.date], today: dt.date
) -> tuple[list[tuple[int, int]], set[int]]:
    """(not done, done late) per due month of ``months``; and the years the calendar lacks."""
    first, end = months[0], month_add(months[-1], 1)
    members = (
        scopes.postings_visible(user)
        .filter(**area.village_q("village__"))
        .exclude(status=PostingStatus.PLANNED)
        .filter(cadre__party_status__in=[PartyStatus.FULL, PartyStatus.PROBATIONARY])
    )
    pairs = list(
        members.filter(arrival_date__gte=first - ARRIVAL_LOOKBACK, arrival_date__lte=today)
        .order_by()
        .values_list("village__township_id", "village__township__code", "arrival_date")
        .distinct()
    )
    calendar, params = _MemoCalendar(work_calendar()), parameters_current()
    unknown: set[int] = set()
    dues: dict[dt.date, dict[dt.date, set[int]]] = {}  # reporting day → due day → townships
    townships_of: dict[dt.date, set[int]] = {}
    for township_id, code, arrival in pairs:
        townships_of.setdefault(arrival, set()).add(township_id)
        try:
            due = party_transfer_due(
                reported=arrival, calendar=calendar, params=params, jurisdiction=code
            )
        except CalendarUnknownError as exc:
            unknown.add(exc.year)
            continue
        if first <= due < end and today > due:
            dues.setdefault(arrival, {}).setdefault(due, set()).add(township_id)
    out = [(0, 0)] * len(months)
    whens = _due_whens(dues, townships_of)
    if not whens:
        return out, unknown
    rows = (
        members.annotate(due_day=Case(*whens, output_field=DateField()))
        .filter(due_day__isnull=False)
        .order_by()
        .values("due_day")
        .annotate(
            open=Count(
                "pk",
                filter=Q(party_transfer_on__isnull=True)
                & (Q(actual_end__isnull=True) | Q(actual_end__gt=F("due_day"))),
            ),
            late=Count("pk", filter=Q(party_transfer_on__gt=F("due_day"))),
        )
    )
    for r in rows:
        due = r["due_day"]
        i = (due.year - first.year) * 12 + due.month - first.month
        out[i] = (out[i][0] + r["open"], out[i][1] + r["late"])
    return out, unknown


def _due_whens(
    dues: dict[dt.date, dict[dt.date, set[int]]], townships_of: dict[dt.date, set[int]]
) -> list[When]:
    """One ``When`` per due day: the reporting days all of whose townships fall due that day
    (the usual case: one value of the parameter for the whole area), and the (township,
    reporting day) pairs of a township whose parameter differs."""
    by_due: dict[dt.date, Q] = {}
    whole: dict[dt.date, list[dt.date]] = {}
    for arrival, per_due in dues.items():
        for due, townships in per_due.items():
            if townships == townships_of[arrival]:
                whole.setdefault(due, []).append(arrival)
            else:
                q = Q(arrival_date=arrival, village__township_id__in=sorted(townships))
                by_due[due] = by_due.get(due, Q(pk__in=[])) | q
    for due, arrivals in whole.items():
        by_due[due] = by_due.get(due, Q(pk__in=[])) | Q(arrival_date__in=sorted(arrivals))
    return [When(q, then=Value(due)) for due, q in sorted(by_due.items())]


def overdue_chart(*, user: User, area: Area, today: dt.date, months: int = OVERDUE_MONTHS) -> Chart:
    this_month = today.replace(day=1)
    window = [month_add(this_month, i - months + 1) for i in range(months)]
    since = reports_since()
    reports = report_counts(user, area, window, today, since)
    transfers, unknown = transfer_counts(user, area, window, today)
    labels = [month_label(m) for m in window]
    within = parameters_current().int_value(
        "party_transfer_within_working_days", on=today, jurisdiction=area.code or ()
    )
    chart = Chart(
        name="overdue",
        title="逾期事项走势",
        kind="bar",
        caption=(
            "按到期月份统计已过期限而未按时完成的事项:第一书记月度工作报告(每月向乡镇报告,"
            f"{REPORTS};统计上月报告)与党员党组织关系转接(报到后{within}个工作日内,{TRANSFER})。"
            "“逾期未…”为至今仍未完成,“逾期…”为超过期限后才完成。第一书记任命时限"
            "(SEL.METHOD.APPOINT10)自工作队配齐之日起算、逐村核算,见时限提醒页面。"
        ),
        clauses=[REPORTS, TRANSFER],
        area=area,
        period=f"{labels[0]}至{labels[-1]}",
        x_label="到期月份",
        y_label="件数",
        categories=labels,
        headers=["到期月份", *(name for name, _, _ in SERIES), "合计(件)"],
    )
    figures = [[*reports[i], *transfers[i]] for i in range(len(window))]
    for k, (name, stack, clause) in enumerate(SERIES):
        chart.series.append(
            Series(name=name, data=[row[k] for row in figures], stack=stack, clause=clause)
        )
    total: list[Any] = [0] * (len(SERIES) + 1)
    for label, row in zip(labels, figures, strict=True):
        line = [*row, sum(row)]
        total = [a + b for a, b in zip(total, line, strict=True)]
        chart.rows.append([label, *line])
        chart.row_codes.append("")
    chart.rows.append([TOTAL, *total])
    chart.row_codes.append("")
    if since is None:
        chart.notes.append("系统中尚无月度工作报告记录,报告逾期情况暂不统计。")
    elif since > window[0]:
        chart.notes.append(
            f"月度工作报告自系统中首份报告的月份({month_label(since)})起统计,此前的月份不计。"
        )
    for year in sorted(unknown):
        chart.notes.append(
            f"请录入{year}年节假日安排:该年报到的党组织关系转接期限无法计算,未计入。"
        )
    return chart
