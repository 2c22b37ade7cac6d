"""SEL.METHOD.APPOINT10 and SEL.METHOD.TRANSFER15: what is due, what is overdue.

The list is filtered and paginated in the database (postings still open); the due dates are
worked out per row on the State Council calendar plus the years an administrator entered.
A row in a year the calendar does not know says "请录入YYYY年节假日安排" — never a guess."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy import (
    CalendarUnknownError,
    Finding,
    Parameters,
    TeamMember,
    WorkCalendar,
    appointment_due,
    deadline_findings,
    party_transfer_due,
    team_in_place_on,
)
from zhucun.registry import scopes
from zhucun.registry.models import PartyStatus, Posting, PostingStatus, Role

from .adapters import team_member_of
from .models import CompositionException
from .services.team import allowance_of

KINDS = {"appoint": "第一书记任命", "transfer": "党组织关系转接"}


@dataclass
class DeadlineRow:
    posting: Posting
    kind: str
    start: dt.date
    done_on: dt.date | None
    due: dt.date | None
    findings: list[Finding]
    unknown_year: int | None = None
    team_short: bool = False  # APPOINT10: the team is not yet in place, the clock not started

    @property
    def status(self) -> str:
        if self.team_short and not self.done_on:
            return "工作队尚未配齐,任命时限未开始计算"
        if self.unknown_year:
            return f"请录入{self.unknown_year}年节假日安排"
        if self.done_on:
            return "已完成(逾期)" if any(f.severity == "info" for f in self.findings) else "已完成"
        if any(f.severity == "error" for f in self.findings):
            return "已逾期"
        if any(f.severity == "warning" for f in self.findings):
            return "即将到期"
        return "未到期"


def deadline_queryset(
    *, user: User, kind: str, open_only: bool = True, county: str = "", township: str = ""
) -> QuerySet[Posting]:
    """Open items of ``kind`` in the user's scope, earliest arrival first (the worst first);
    ``county``/``township`` (division codes) narrow it to the villages there."""
    qs = scopes.postings_visible(user).filter(status=PostingStatus.ACTIVE)
    if county:
        qs = qs.filter(village__township__parent__code=county)
    if township:
        qs = qs.filter(village__township__code=township)
    if kind == "appoint":
        qs = qs.filter(role=Role.FIRST_SECRETARY)
        if open_only:
            qs = qs.filter(fs_appointed_on__isnull=True)
    else:
        qs = qs.filter(cadre__party_status__in=[PartyStatus.FULL, PartyStatus.PROBATIONARY])
        if open_only:
            qs = qs.filter(party_transfer_on__isnull=True)
    return qs.select_related("cadre", "village__jurisdiction", "village__township").order_by(
        "arrival_date", "id"
    )


def appointment_clock_starts(
    postings: list[Posting], *, params: Parameters
) -> dict[int, dt.date | None]:
    """SEL.METHOD.APPOINT10 (settled reading): per first secretary's posting, the day the
    village's team is in place — the first day its composition rule holds, or the first
    secretary's arrival if later; ``None`` while the team has never been complete. One query
    for the villages of ``postings`` (a page of them) and one for their exceptions."""
    village_ids = {p.village_id for p in postings}
    exceptions: dict[int, list[CompositionException]] = {}
    for row in CompositionException.objects.filter(village_id__in=village_ids).order_by(
        "-valid_from", "-id"
    ):
        exceptions.setdefault(row.village_id, []).append(row)
    stints: dict[int, list[tuple[TeamMember, dt.date, dt.date | None]]] = {}
    for other in (
        Posting.objects.filter(village_id__in=village_ids)
        .exclude(status=PostingStatus.PLANNED)
        .select_related("cadre")
    ):
        stints.setdefault(other.village_id, []).append(
            (team_member_of(other), other.arrival_date, other.actual_end)
        )
    starts: dict[int, dt.date | None] = {}
    for p in postings:
        exc = _in_force(exceptions.get(p.village_id, []), p.arrival_date)
        starts[p.pk] = team_in_place_on(
            categories=p.village.categories,
            stints=stints.get(p.village_id, []),
            not_before=p.arrival_date,
            params=params,
            jurisdiction=p.village.jurisdiction.code,
            exception=allowance_of(exc) if exc else None,
        )
    return starts


def _in_force(rows: list[CompositionException], on: dt.date) -> CompositionException | None:
    """``services.team.exception_in_force`` over rows already read (newest ``valid_from``
    first): the page's exceptions in one query, not one per posting."""
    for row in rows:
        if row.valid_from <= on and (row.valid_until is None or row.valid_until >= on):
            return row
    return None


def _clock_starts(
    postings: list[Posting], *, kind: str, params: Parameters
) -> dict[int, dt.date | None]:
    if kind == "appoint":
        return appointment_clock_starts(postings, params=params)
    return {p.pk: p.arrival_date for p in postings}


def _due(
    p: Posting, *, kind: str, start: dt.date, calendar: WorkCalendar, params: Parameters
) -> dt.date:
    """The posting's deadline; CalendarUnknownError for a year the calendar does not know."""
    code = p.village.jurisdiction.code
    if kind == "appoint":
        return appointment_due(arrival=start, calendar=calendar, params=params, jurisdiction=code)
    return party_transfer_due(reported=start, calendar=calendar, params=params, jurisdiction=code)


def deadline_rows(
    postings: list[Posting], *, kind: str, today: dt.date, calendar: WorkCalendar | None = None
) -> list[DeadlineRow]:
    calendar = calendar or work_calendar()
    params = parameters_current()
    starts = _clock_starts(postings, kind=kind, params=params)
    rows = []
    for p in postings:
        done = p.fs_appointed_on if kind == "appoint" else p.party_transfer_on
        start = starts[p.pk]
        if start is None:  # the team is not yet in place: the clock has not started
            rows.append(DeadlineRow(p, kind, p.arrival_date, done, None, [], team_short=True))
            continue
        try:
            due = _due(p, kind=kind, start=start, calendar=calendar, params=params)
            findings = deadline_findings(
                kind=kind,
                name=p.cadre.name,
                start=start,
                done_on=done,
                today=today,
                calendar=calendar,
                params=params,
                jurisdiction=p.village.jurisdiction.code,
            )
            rows.append(DeadlineRow(p, kind, start, done, due, findings))
        except CalendarUnknownError as exc:
            rows.append(DeadlineRow(p, kind, start, done, None, [], unknown_year=exc.year))
    return rows


def deadline_dues(
    postings: list[Posting], *, kind: str, calendar: WorkCalendar
) -> dict[int, dt.date | None]:
    """Per open posting its deadline — ``deadline_rows`` without the findings, whose counts of
    working days late cost a walk over the calendar per row (the inbox needs only the dates;
    an open item is overdue once ``today`` is past its date). ``None``: the clock has not
    started (APPOINT10: the team is not in place) or the year's calendar is missing."""
    params = parameters_current()
    starts = _clock_starts(postings, kind=kind, params=params)
    dues: dict[int, dt.date | None] = {}
    for p in postings:
        start = starts[p.pk]
        try:
            due = (
                _due(p, kind=kind, start=start, calendar=calendar, params=params) if start else None
            )
        except CalendarUnknownError:
            due = None
        dues[p.pk] = due
    return dues


@transaction.atomic
def posting_record_milestone(
    *, actor: User, posting_id: int, kind: str, on: dt.date, note: str = ""
) -> Posting:
    """Record the FS appointment (township party committee) or the party-relation transfer."""
    if kind not in KINDS:
        raise ValidationFailed({"kind": "应为 appoint(第一书记任命)或 transfer(党组织关系转接)"})
    if kind == "appoint" and actor.role not in (UserRole.ADMIN, UserRole.TOWNSHIP):
        # settled reading of SEL.METHOD.APPOINT10: the township party committee appoints
        raise Forbidden("第一书记由乡镇(街道)党(工)委任命,由乡镇党委登记任命日期")
    if actor.role not in (UserRole.ADMIN, UserRole.COUNTY, UserRole.TOWNSHIP):
        raise Forbidden(f"{KINDS[kind]}由乡镇党委或县级组织部门登记")
    p = scopes.postings_visible(actor).select_for_update(of=("self",)).filter(pk=posting_id).first()
    if p is None:
        raise NotFound()
    field = "fs_appointed_on" if kind == "appoint" else "party_transfer_on"
    errors = {}
    if kind == "appoint" and p.role != Role.FIRST_SECRETARY:
        errors["kind"] = f"{p.cadre.name}不是第一书记,无需任命"
    if kind == "transfer" and p.cadre.party_status == PartyStatus.NONE:
        errors["kind"] = f"{p.cadre.name}不是党员,无需转接党组织关系"
    if on < p.arrival_date:
        errors["on"] = f"日期不能早于到岗日期{p.arrival_date}"
    if on > timezone.localdate():
        errors["on"] = "日期不能晚于今天"
    if errors:
        raise ValidationFailed(errors)
    before = {field: getattr(p, field)}
    setattr(p, field, on)
    p.save(update_fields=[field])
    event_record(
        actor=actor, action=f"posting.{kind}", obj=p, before=before, after={field: on}, note=note
    )
    return p


__all__ = [
    "DeadlineRow",
    "deadline_dues",
    "deadline_queryset",
    "deadline_rows",
    "posting_record_milestone",
    "Q",
]
