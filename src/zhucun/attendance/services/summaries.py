"""MGT.3.SUMMARY and MGT.3.TALK: the first secretary's monthly on-duty summary of the team
(built from the month close rows and the diary — nothing retyped), signed by the village
party secretary and submitted to the township; and the record of an interview.

Summary states: prepared → signed → submitted. If the township-month is re-closed after a
correction, the summary can be prepared again (its signature is then cleared, audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.core.limits import max_length
from zhucun.policy.dates import month_label
from zhucun.registry.models import Role

from .. import scopes
from ..models import DiaryEntry, Interview, MonthClose, MonthlyAttendance, MonthlySummary
from ..models import SummaryState as S
from ._common import cadre_posting, month_end, month_start, parse_date, text

# MGT.3.TALK settled reading: the organisation department that manages the cadre (by the level
# of the dispatching unit) holds and records the interview; the township supplies the list.
INTERVIEW_ROLES = (UserRole.COUNTY, UserRole.PREFECTURE, UserRole.ADMIN)


def _summary_rows(month: dt.date, village_id: int) -> list[dict[str, Any]]:
    rows = (
        MonthlyAttendance.objects.filter(month=month, village_id=village_id)
        .select_related("cadre")
        .order_by("cadre__name", "cadre_id")
    )
    diaries = dict(
        DiaryEntry.objects.filter(village_id=village_id, day__gte=month, day__lte=month_end(month))
        .values("cadre_id")
        .annotate(n=Count("pk"))
        .values_list("cadre_id", "n")
    )
    return [
        {
            "cadre_id": r.cadre_id,
            "name": r.cadre.name,
            "workdays": r.workdays,
            "duty_workdays": r.duty_workdays,
            "excused_workdays": r.excused_workdays,
            "rate": str(r.rate),
            "valid_reason": r.valid_reason,
            "needs_interview": r.needs_interview,
            "diary_entries": diaries.get(r.cadre_id, 0),
        }
        for r in rows
    ]


@transaction.atomic
def summary_prepare(*, actor: User, month: dt.date, note: str = "") -> MonthlySummary:
    """The first secretary prepares the team's summary of a closed month."""
    posting = cadre_posting(actor)
    if posting.role not in (Role.FIRST_SECRETARY, Role.TEAM_LEADER):
        raise Forbidden("月度在岗情况由第一书记(工作队长)汇总(MGT.3.SUMMARY)")
    month = month_start(month)
    village = posting.village
    close = MonthClose.objects.filter(month=month, township_id=village.township_id).first()
    if close is None:
        raise ValidationFailed({"month": f"{month_label(month)}尚未结账,请待乡镇统计后再汇总"})
    errors: dict[str, str] = {}
    note = text(
        note, "note", errors, "说明", max_len=max_length(MonthlySummary, "note"), required=False
    )
    if errors:
        raise ValidationFailed(errors)
    summary = (
        MonthlySummary.objects.select_for_update().filter(month=month, village=village).first()
    )
    rows = _summary_rows(month, village.pk)
    now = timezone.now()
    if summary is None:
        summary = MonthlySummary.objects.create(
            month=month,
            village=village,
            close_version=close.version,
            rows=rows,
            note=note,
            prepared_by=posting.cadre,
            prepared_at=now,
        )
        event_record(
            actor=actor,
            action="summary.prepare",
            obj=summary,
            after={"month": month, "version": close.version, "rows": rows},
        )
        return summary
    if summary.state != S.PREPARED and summary.close_version == close.version:
        raise ValidationFailed({"state": f"汇总已{summary.get_state_display()},不能重新汇总"})
    before = {"state": summary.state, "version": summary.close_version, "rows": summary.rows}
    summary.state = S.PREPARED
    summary.close_version, summary.rows, summary.note = close.version, rows, note
    summary.prepared_by, summary.prepared_at = posting.cadre, now
    summary.signed_by, summary.signed_at, summary.submitted_at = None, None, None
    summary.save()
    event_record(
        actor=actor,
        action="summary.prepare",
        obj=summary,
        before=before,
        after={"state": summary.state, "version": close.version, "rows": rows},
    )
    return summary


def _load(actor: User, summary_id: Any) -> MonthlySummary:
    try:
        pk = int(summary_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    summary = (
        scopes.summaries_visible(actor)
        .select_for_update(of=("self",))
        .select_related("village")
        .filter(pk=pk)
        .first()
    )
    if summary is None:
        raise NotFound("月度汇总不存在或不在您的管辖范围内")
    return summary


def _current_version(summary: MonthlySummary) -> int | None:
    return (
        MonthClose.objects.filter(month=summary.month, township_id=summary.village.township_id)
        .values_list("version", flat=True)
        .first()
    )


@transaction.atomic
def summary_sign(*, actor: User, summary_id: Any) -> MonthlySummary:
    """The village party secretary of that village signs the prepared summary."""
    summary = _load(actor, summary_id)
    if actor.role != UserRole.VILLAGE_SECRETARY or actor.village_id != summary.village_id:
        raise Forbidden("月度在岗情况汇总由本村党组织书记签字(MGT.3.SUMMARY)")
    if summary.state != S.PREPARED:
        raise ValidationFailed({"state": f"汇总当前状态为“{summary.get_state_display()}”,不能签字"})
    if _current_version(summary) != summary.close_version:
        raise ValidationFailed({"state": "乡镇已更正本月考勤,请第一书记重新汇总后再签字"})
    summary.state = S.SIGNED
    summary.signed_by, summary.signed_at = actor, timezone.now()
    summary.save(update_fields=["state", "signed_by", "signed_at"])
    event_record(
        actor=actor,
        action="summary.sign",
        obj=summary,
        before={"state": S.PREPARED},
        after={"state": summary.state},
    )
    return summary


@transaction.atomic
def summary_submit(*, actor: User, summary_id: Any) -> MonthlySummary:
    """The first secretary submits the signed summary to the township party committee."""
    summary = _load(actor, summary_id)
    posting = cadre_posting(actor)
    if posting.village_id != summary.village_id or posting.role not in (
        Role.FIRST_SECRETARY,
        Role.TEAM_LEADER,
    ):
        raise Forbidden("月度在岗情况汇总由第一书记报乡镇党委(MGT.3.SUMMARY)")
    if summary.state != S.SIGNED:
        raise ValidationFailed({"state": "须经村党组织书记签字后才能上报(MGT.3.SUMMARY)"})
    summary.state = S.SUBMITTED
    summary.submitted_at = timezone.now()
    summary.save(update_fields=["state", "submitted_at"])
    event_record(
        actor=actor,
        action="summary.submit",
        obj=summary,
        before={"state": S.SIGNED},
        after={"state": summary.state},
    )
    return summary


@transaction.atomic
def interview_record(
    *,
    actor: User,
    cadre_id: Any,
    month: dt.date,
    township_leader: str,
    unit_leader: str,
    held_on: Any,
    record: str,
) -> Interview:
    """MGT.3.TALK: record an interview of a cadre about a closed month, by the organisation
    department that manages the cadre (county for county-level units, prefecture for
    prefecture- and province-level units)."""
    try:
        cid = int(cadre_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    month = month_start(month)
    rows = MonthlyAttendance.objects.filter(month=month, cadre_id=cid)
    row = (
        rows.filter(scopes.scope_q(actor) | scopes.managed_q(actor)).first()
        if actor.role != UserRole.ADMIN
        else rows.first()
    )
    if row is None:
        raise NotFound("该干部本月考勤记录不存在或不在您的管辖范围内")
    if actor.role not in INTERVIEW_ROLES or not rows.filter(scopes.managed_q(actor)).exists():
        raise Forbidden(
            "约谈由管理该干部的组织部门(按派出单位层级:县级单位由县委组织部,州级、省级单位由"
            "州委组织部)约谈并记录;乡镇党委报送约谈名单(MGT.3.TALK)"
        )
    errors: dict[str, str] = {}
    township_leader = text(
        township_leader, "township_leader", errors, "乡镇驻村工作协调小组长", max_len=64
    )
    unit_leader = text(unit_leader, "unit_leader", errors, "派出单位分管领导", max_len=64)
    record = text(record, "record", errors, "约谈记录", max_len=max_length(Interview, "record"))
    day = parse_date(held_on, "held_on", errors, "约谈日期")
    if day and day < month:
        errors["held_on"] = "约谈日期不能早于所约谈的月份"
    if day and day > timezone.localdate():
        errors["held_on"] = "约谈日期不能晚于今天"
    if errors:
        raise ValidationFailed(errors)
    interview = Interview.objects.create(
        month=month,
        cadre_id=cid,
        village_id=row.village_id,
        township_leader=township_leader,
        unit_leader=unit_leader,
        held_on=day,
        record=record,
        recorded_by=actor,
    )
    event_record(
        actor=actor,
        action="interview.record",
        obj=interview,
        after={
            "month": month,
            "cadre": cid,
            "township_leader": township_leader,
            "unit_leader": unit_leader,
            "held_on": day,
            "needs_interview": row.needs_interview,
        },
    )
    return interview
