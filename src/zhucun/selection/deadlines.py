"""SEL.METHOD.APPOINT10 and SEL.METHOD.TRANSFER15: what is due, what is overdue.

The list is filtered and paginated in the database (postings still open); the due dates are
worked out per row on the State Council calendar plus the years an administrator entered.
A row in a year the calendar does not know says "请录入YYYY年节假日安排" — never a guess."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy import (
    CalendarUnknownError,
    Finding,
    WorkCalendar,
    appointment_due,
    deadline_findings,
    party_transfer_due,
)
from zhucun.registry import scopes
from zhucun.registry.models import PartyStatus, Posting, PostingStatus, Role

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

    @property
    def status(self) -> str:
        if self.unknown_year:
            return f"请录入{self.unknown_year}年节假日安排"
        if self.done_on:
            return "已完成(逾期)" if any(f.severity == "info" for f in self.findings) else "已完成"
        if any(f.severity == "error" for f in self.findings):
            return "已逾期"
        if any(f.severity == "warning" for f in self.findings):
            return "即将到期"
        return "未到期"


def deadline_queryset(*, user: User, kind: str, open_only: bool = True) -> QuerySet[Posting]:
    qs = scopes.postings_visible(user).filter(status=PostingStatus.ACTIVE)
    if kind == "appoint":
        qs = qs.filter(role__in=[Role.FIRST_SECRETARY, Role.TEAM_LEADER])
        if open_only:
            qs = qs.filter(fs_appointed_on__isnull=True)
    else:
        qs = qs.filter(cadre__party_status__in=[PartyStatus.FULL, PartyStatus.PROBATIONARY])
        if open_only:
            qs = qs.filter(party_transfer_on__isnull=True)
    return qs.select_related("cadre", "village__jurisdiction", "village__township").order_by(
        "arrival_date", "id"
    )


def deadline_rows(
    postings: list[Posting], *, kind: str, today: dt.date, calendar: WorkCalendar | None = None
) -> list[DeadlineRow]:
    calendar = calendar or work_calendar()
    params = parameters_current()
    rows = []
    for p in postings:
        done = p.fs_appointed_on if kind == "appoint" else p.party_transfer_on
        code = p.village.jurisdiction.code
        try:
            if kind == "appoint":
                due = appointment_due(
                    arrival=p.arrival_date, calendar=calendar, params=params, jurisdiction=code
                )
            else:
                due = party_transfer_due(
                    reported=p.arrival_date, calendar=calendar, params=params, jurisdiction=code
                )
            findings = deadline_findings(
                kind=kind,
                name=p.cadre.name,
                start=p.arrival_date,
                done_on=done,
                today=today,
                calendar=calendar,
                params=params,
                jurisdiction=code,
            )
            rows.append(DeadlineRow(p, kind, p.arrival_date, done, due, findings))
        except CalendarUnknownError as exc:
            rows.append(DeadlineRow(p, kind, p.arrival_date, done, None, [], unknown_year=exc.year))
    return rows


@transaction.atomic
def posting_record_milestone(
    *, actor: User, posting_id: int, kind: str, on: dt.date, note: str = ""
) -> Posting:
    """Record the FS appointment (township party committee) or the party-relation transfer."""
    if kind not in KINDS:
        raise ValidationFailed({"kind": "应为 appoint(第一书记任命)或 transfer(党组织关系转接)"})
    if actor.role not in (UserRole.ADMIN, UserRole.COUNTY, UserRole.TOWNSHIP):
        raise Forbidden(f"{KINDS[kind]}由乡镇党委或县级组织部门登记")
    p = scopes.postings_visible(actor).select_for_update(of=("self",)).filter(pk=posting_id).first()
    if p is None:
        raise NotFound()
    field = "fs_appointed_on" if kind == "appoint" else "party_transfer_on"
    errors = {}
    if kind == "appoint" and p.role not in (Role.FIRST_SECRETARY, Role.TEAM_LEADER):
        errors["kind"] = f"{p.cadre.name}不是第一书记(工作队长),无需任命"
    if kind == "transfer" and p.cadre.party_status == PartyStatus.NONE:
        errors["kind"] = f"{p.cadre.name}不是党员,无需转接党组织关系"
    if on < p.arrival_date:
        errors["on"] = f"日期不能早于到岗日期{p.arrival_date}"
    if on > dt.date.today():
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


__all__ = ["DeadlineRow", "deadline_queryset", "deadline_rows", "posting_record_milestone", "Q"]
