"""驻村工作 (MGT.2, DUT.LIST, MGT.6.*, GUA.1.BIND, MGT.8.VISITS): reports to write by their due
day, overdue reports of those one oversees, urgent reports and visit risks for the township to
acknowledge, weeks without a meeting, key tasks to report on, tasks one owns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Exists, Min, OuterRef, Q

from zhucun.accounts.models import User, UserRole
from zhucun.core.links import page_url
from zhucun.params.selectors import parameters_current
from zhucun.policy.dates import month_label
from zhucun.policy.work import (
    REPORT_CLAUSES,
    half_year_bounds,
    hearing_due,
    monthly_report_due,
    quarterly_report_due,
    unit_visit_due,
)
from zhucun.registry.models import Posting, PostingStatus, Role
from zhucun.work.models import KeyTaskItem, KeyTaskProgress, Report, Task
from zhucun.work.scope import village_q
from zhucun.work.selectors import meetings as meeting_read
from zhucun.work.selectors import reports as report_read
from zhucun.work.selectors import visits as visit_read

from ..items import TodoItem
from ..registry import provider

R = UserRole
Period = tuple[dt.date, dt.date, dt.date]  # first day, last day, due day


def _month_add(first: dt.date, n: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def _last_day(first: dt.date, months: int) -> dt.date:
    return _month_add(first, months) - dt.timedelta(days=1)


def _unsubmitted(
    kind: str, periods: list[Period], today: dt.date, **subject: object
) -> tuple[int, dt.date | None, int]:
    """(how many of ``periods`` have no submitted report of ``kind`` for ``subject``, the
    earliest due day among them, how many are past it) — one query."""
    if not periods:
        return 0, None, 0
    done = set(
        Report.objects.filter(
            kind=kind,
            period_start__in=[p[0] for p in periods],
            submitted_at__isnull=False,
            **subject,
        ).values_list("period_start", flat=True)
    )
    dues = [due for first, _, due in periods if first not in done]
    return len(dues), min(dues, default=None), sum(1 for d in dues if today > d)


def _report_item(
    kind: str, title: str, found: tuple[int, dt.date | None, int], note: str = ""
) -> TodoItem:
    n, due, late = found
    return TodoItem(
        f"report_{kind}",
        title,
        n,
        page_url("web:work_reports"),
        REPORT_CLAUSES[kind],
        due=due,
        overdue=late,
        note=note,
    )


@provider(R.FIRST_SECRETARY)
def monthly_reports_to_write(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.6.MONTHLY: the first secretary reports each complete month to the township by the
    township's due day; the last ``MONTHS_BACK`` months in post are looked at (as the
    township's overdue list)."""
    posting = (
        Posting.objects.filter(
            cadre_id=user.cadre_id, status=PostingStatus.ACTIVE, role=Role.FIRST_SECRETARY
        )
        .values("village_id", "arrival_date", "village__township__code")
        .first()
    )
    if posting is None:
        return
    params = parameters_current()
    code = posting["village__township__code"] or ()
    this_month = today.replace(day=1)
    periods = []
    for back in range(report_read.MONTHS_BACK, 0, -1):
        first = _month_add(this_month, -back)
        last = _last_day(first, 1)
        if posting["arrival_date"] <= last:
            due = monthly_report_due(month=first, params=params, jurisdiction=code)
            periods.append((first, last, due))
    found = _unsubmitted("monthly", periods, today, village_id=posting["village_id"])
    yield _report_item("monthly", "待报送的月度工作报告", found)


@provider(R.TOWNSHIP)
def quarterly_reports_to_write(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.6.QUARTERLY: the township reports each complete quarter to the county by its due
    day (the last ``QUARTERS_BACK`` quarters)."""
    town = user.jurisdiction
    if town is None:
        return
    params = parameters_current()
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    periods = []
    for back in range(report_read.QUARTERS_BACK, 0, -1):
        first = _month_add(quarter_start, -3 * back)
        due = quarterly_report_due(
            year=first.year,
            quarter=(first.month - 1) // 3 + 1,
            params=params,
            jurisdiction=town.code,
        )
        periods.append((first, _last_day(first, 3), due))
    found = _unsubmitted("quarterly", periods, today, township_id=town.pk)
    yield _report_item("quarterly", "待报送的乡镇季度工作报告", found)


@provider(R.UNIT)
def unit_reports_to_write(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.6.HALFYEAR and GUA.1.BIND: the unit hears its cadres once each half-year (due on the
    half's last day) and its leadership visits once a year (due on 31 December) — the current
    and the last ``HALVES_BACK`` halves, this year and last, while a cadre of the unit was in
    post in the period."""
    if not user.unit_id:
        return
    half = 1 if today.month <= 6 else 2
    halves = [(today.year, half)]
    for _ in range(report_read.HALVES_BACK):
        y, h = halves[-1]
        halves.append((y, 1) if h == 2 else (y - 1, 2))
    hearing = [(*half_year_bounds(y, h), hearing_due(y, h)) for y, h in reversed(halves)]
    visit = [
        (dt.date(y, 1, 1), dt.date(y, 12, 31), unit_visit_due(y))
        for y in (today.year - 1, today.year)
    ]
    in_post = Posting.objects.filter(cadre__unit_id=user.unit_id).exclude(
        status=PostingStatus.PLANNED
    )

    def posted(first: dt.date, last: dt.date) -> Q:
        return Q(arrival_date__lte=last) & (Q(actual_end__isnull=True) | Q(actual_end__gte=first))

    periods = hearing + visit
    had = in_post.aggregate(
        **{f"p{i}": Count("pk", filter=posted(f, la)) for i, (f, la, _) in enumerate(periods)}
    )
    kept = [p for i, p in enumerate(periods) if had[f"p{i}"]]
    kept_hearing = [p for p in kept if p in hearing]
    kept_visit = [p for p in kept if p in visit]
    yield _report_item(
        "hearing",
        "待听取驻村干部半年工作汇报",
        _unsubmitted("hearing", kept_hearing, today, unit_id=user.unit_id),
    )
    yield _report_item(
        "unit_visit",
        "待完成单位领导年度到村调研",
        _unsubmitted("unit_visit", kept_visit, today, unit_id=user.unit_id),
    )


def _overdue_item(user: User, kind: str, title: str, today: dt.date) -> Iterator[TodoItem]:
    qs = report_read.overdue_reports(user=user, kind=kind, today=today)
    n = qs.count()
    if not n:
        return
    first = list(qs.order_by("due_day")[:1])
    due = first[0]["due_day"] if first else None
    if isinstance(due, str):  # a UNION's literal column on SQLite
        due = dt.date.fromisoformat(due)
    yield TodoItem(
        f"report_{kind}_overdue",
        title,
        n,
        page_url("web:work_report_overdue", kind),
        REPORT_CLAUSES[kind],
        due=due,
        overdue=n,
    )


@provider(R.TOWNSHIP)
def monthly_reports_overdue(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.6.MONTHLY: the first secretaries of the township's villages who have not reported."""
    yield from _overdue_item(user, "monthly", "逾期未报的第一书记月度工作报告", today)


@provider(R.COUNTY)
def quarterly_reports_overdue(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.6.QUARTERLY: the county's townships that have not reported their quarter."""
    yield from _overdue_item(user, "quarterly", "逾期未报的乡镇季度工作报告", today)


@provider(R.TOWNSHIP)
def urgent_to_acknowledge(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.6.URGENT: urgent reports wait at the township until acknowledged (due the day they
    are reported: 及时)."""
    counts = (
        report_read.urgent_inbox(user=user)
        .filter(acknowledged_at__isnull=True, township_id=user.jurisdiction_id)
        .aggregate(n=Count("pk"), first=Min("due"), late=Count("pk", filter=Q(due__lt=today)))
    )
    yield TodoItem(
        "urgent_acknowledge",
        "待签收的突发情况报告",
        counts["n"],
        page_url("web:work_reports") + "#urgent-inbox",
        "MGT.6.URGENT",
        due=counts["first"],
        overdue=counts["late"],
    )


@provider(R.TOWNSHIP)
def visit_risks(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.8.VISITS: households at risk of returning to poverty, flagged by a visit, wait for
    the township to acknowledge the follow-up."""
    n = visit_read.risk_visits(user=user).count()  # a risk found, households named or not
    yield TodoItem(
        "visit_risk", "待确认的返贫致贫风险走访", n, page_url("web:work_risks"), "MGT.8.VISITS"
    )


@provider(R.FIRST_SECRETARY)
def weeks_without_meeting(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.2: ended weeks of this month and the last without the team's meeting (a meeting
    held but not recorded can still be recorded with its date)."""
    this_month = today.replace(day=1)
    months = (_month_add(this_month, -1), this_month)
    rows = {m: meeting_read.missing_meeting_weeks(user=user, month=m, today=today) for m in months}
    n = sum(len(r) for r in rows.values())
    shown = next((m for m in months if rows[m]), this_month)
    url = page_url("web:work_meeting_list") + f"?month={shown:%Y-%m}"
    note = "、".join(f"{month_label(m)}共{len(rows[m])}周" for m in months if rows[m])
    yield TodoItem("meeting_missing", "未召开工作例会的周", n, url, "MGT.2", note=note)


@provider(R.FIRST_SECRETARY)
def key_tasks_to_report(user: User, today: dt.date) -> Iterator[TodoItem]:
    """DUT.LIST: the key tasks issued to the village that it has not reported done, with
    their deadlines."""
    village_id = (
        Posting.objects.filter(cadre_id=user.cadre_id, status=PostingStatus.ACTIVE)
        .values_list("village_id", flat=True)
        .first()
    )
    if village_id is None:
        return
    done = KeyTaskProgress.objects.filter(item=OuterRef("pk"), village_id=village_id, state="done")
    counts = (
        KeyTaskItem.objects.filter(list__in=meeting_read.key_list_list(user=user).values("pk"))
        .filter(~Exists(done))
        .aggregate(n=Count("pk"), first=Min("due"), late=Count("pk", filter=Q(due__lt=today)))
    )
    yield TodoItem(
        "key_task",
        "未完成的重点任务",
        counts["n"],
        page_url("web:work_keylists"),
        "DUT.LIST",
        due=counts["first"],
        overdue=counts["late"],
    )


@provider(R.FIRST_SECRETARY, R.TEAM_MEMBER)
def my_tasks(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.2: the open tasks of the team's list whose owner is the user (from a meeting's
    decisions or a key task); the owner marks them done."""
    if not user.cadre_id:
        return
    counts = Task.objects.filter(village_q(user), owner_id=user.cadre_id, state="open").aggregate(
        n=Count("pk"), first=Min("due"), late=Count("pk", filter=Q(due__lt=today))
    )
    yield TodoItem(
        "task_mine",
        "我负责的未完成任务",
        counts["n"],
        page_url("web:work_tasks") + "?state=open",
        "MGT.2",
        due=counts["first"],
        overdue=counts["late"],
    )
