"""培训保障 (MGT.7, GUA.2): the organiser's trainings without their participants and the
year's coverage still missing; the unit's subsidy months overdue, exams missing and cover
lapsed; the year's fund entitlements nothing has been allocated to yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Exists, OuterRef, Q

from zhucun.accounts.models import User, UserRole
from zhucun.core.links import page_url
from zhucun.params.selectors import parameters_current
from zhucun.registry.models import Jurisdiction, Level, Posting, PostingStatus
from zhucun.support.models import FundKind, Insurance, TrainingAttendance, TrainingEvent
from zhucun.support.selectors import funds as fund_read
from zhucun.support.selectors import subsidies as subsidy_read
from zhucun.support.selectors import training as training_read
from zhucun.support.selectors import welfare as welfare_read

from ..items import TodoItem
from ..registry import provider

R = UserRole
FUND_CLAUSES = {
    FundKind.FS: "GUA.2.FS_FUND",
    FundKind.VILLAGE: "GUA.2.VILLAGE_FUND",
    FundKind.UNIT: "GUA.2.UNIT_FUND",
}
FUND_TITLES = {
    FundKind.FS: "本年度尚未拨付工作经费的第一书记",
    FundKind.VILLAGE: "本年度尚未拨付工作经费的村",
    FundKind.UNIT: "本年度尚未拨付单位工作经费的驻村干部",
}


def _year_end(today: dt.date) -> dt.date:
    return dt.date(today.year, 12, 31)


def _organiser(user: User) -> Jurisdiction | None:
    """The prefecture or county whose trainings ``user`` organises, or None."""
    j = user.jurisdiction if user.jurisdiction_id else None
    if j is None or j.level not in (Level.PREFECTURE, Level.COUNTY):
        return None
    return j


@provider(R.PREFECTURE, R.COUNTY)
def training_attendance_to_record(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.7.ANNUAL: a training the body organised has ended and no participant is recorded
    (participants' days count as on duty only once recorded, MGT.1.DAYS)."""
    organiser = _organiser(user)
    if organiser is None:
        return
    n = (
        TrainingEvent.objects.filter(organiser=organiser, end__lt=today)
        .filter(~Exists(TrainingAttendance.objects.filter(event=OuterRef("pk"))))
        .count()
    )
    url = page_url("web:training_list") + f"?year={today.year}"
    yield TodoItem("training_record", "待登记参训人员的集中培训", n, url, "MGT.7.ANNUAL")


@provider(R.PREFECTURE, R.COUNTY)
def training_coverage(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.7.ANNUAL / MGT.7.COVER, by 31 December: before the body has held this year's
    training, that training is due; after, the cadres it has still to cover — every first
    secretary for the prefecture, every cadre for a county."""
    organiser = _organiser(user)
    if organiser is None:
        return
    due = _year_end(today)
    held = TrainingEvent.objects.filter(organiser=organiser, start__year=today.year).exists()
    if not held:
        url = page_url("web:training_list") + f"?year={today.year}"
        yield TodoItem(
            "training_hold", "本年度尚未组织驻村干部集中轮训", 1, url, "MGT.7.ANNUAL", due=due
        )
        return
    missing = Q(no_prefecture=True) if organiser.level == Level.PREFECTURE else Q(no_county=True)
    n = (
        training_read.coverage_gaps(user=user, year=today.year)
        .order_by()
        .aggregate(n=Count("pk", filter=missing))["n"]
    )
    url = page_url("web:training_gaps") + f"?year={today.year}"
    title = (
        "本年度未参加州级培训的第一书记"
        if organiser.level == Level.PREFECTURE
        else "本年度未参加县级轮训的驻村干部"
    )
    yield TodoItem("training_gap", title, n, url, "MGT.7.COVER", due=due)


@provider(R.PREFECTURE, R.COUNTY, R.UNIT)
def funds_unallocated(user: User, today: dt.date) -> Iterator[TodoItem]:
    """GUA.2.*_FUND: this year's entitlements with nothing allocated yet, for the body that
    records them (the prefecture and counties the first secretaries' and villages' funds, the
    unit its own cadres' fund) — one query per kind."""
    kinds = (FundKind.UNIT,) if user.role == R.UNIT else (FundKind.FS, FundKind.VILLAGE)
    year = today.year
    for kind in kinds:
        n = (
            fund_read.base_queryset(user=user, year=year, kind=kind)
            .filter(allocated_sum=0)
            .order_by()
            .count()
        )
        url = page_url("web:funds_gaps") + f"?year={year}&kind={kind}&list=short"
        yield TodoItem(f"fund_{kind}", FUND_TITLES[kind], n, url, FUND_CLAUSES[kind])


@provider(R.UNIT)
def subsidies_overdue(user: User, today: dt.date) -> Iterator[TodoItem]:
    """GUA.2.PAY: months in post with a subsidy not paid by the end of the following quarter;
    the deadline shown is the oldest month's last day to pay."""
    params = parameters_current()
    qs = subsidy_read.overdue_payments(user=user, today=today, params=params)
    n = qs.count()
    if not n:
        return
    oldest = subsidy_read.overdue_rows(list(qs[:1]), params=params)
    due = oldest[0]["overdue_from"] - dt.timedelta(days=1) if oldest else None
    yield TodoItem(
        "subsidy_overdue",
        "逾期未发放的驻村补助(人·月·项)",
        n,
        page_url("web:subsidies_overdue"),
        "GUA.2.PAY",
        due=due,
        overdue=n,
    )


@provider(R.UNIT)
def exams_missing(user: User, today: dt.date) -> Iterator[TodoItem]:
    """GUA.2.EXAM: the unit arranges one physical exam a year for each cadre in post."""
    n = welfare_read.missing_exams(user=user, year=today.year).order_by().count()
    url = page_url("web:welfare") + f"?year={today.year}"
    yield TodoItem(
        "exam_missing", "本年度尚未体检的驻村干部", n, url, "GUA.2.EXAM", due=_year_end(today)
    )


@provider(R.UNIT)
def insurance_lapsed(user: User, today: dt.date) -> Iterator[TodoItem]:
    """GUA.2.INSURE: the unit's cadres in post with no accident insurance covering today."""
    covered = Insurance.objects.filter(
        cadre_id=OuterRef("cadre_id"), start__lte=today, end__gte=today
    )
    n = (
        Posting.objects.filter(subsidy_read.postings_scope_q(user), status=PostingStatus.ACTIVE)
        .filter(~Exists(covered))
        .count()
    )
    url = page_url("web:welfare") + "#gap-table"
    yield TodoItem("insurance_lapsed", "当前无人身意外伤害保险的驻村干部", n, url, "GUA.2.INSURE")
