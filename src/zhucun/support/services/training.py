"""MGT.7: training events organised by the prefecture or a county, and who attended.

An organiser (a prefecture or county user; the admin acts as the prefecture) records an event
in its own jurisdiction — the level follows from it. Attendance is the set of cadres posted
(in post at some time between the event's start and end) in villages of the organiser's area.
Attending creates, in the same transaction, an approved attendance leave of kind "培训"
(MGT.1.DAYS: training away from the village counts as on duty) linked one-to-one from the
attendance, so nobody enters those days a second time; removing a cadre withdraws that leave
(state "已撤回", never deleted) and re-closes the months already closed. All-or-nothing: one
cadre that cannot attend refuses the whole change, naming them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.attendance.models import LeaveKind, LeaveRequest, LeaveState
from zhucun.attendance.models.leave import LIVE_STATES
from zhucun.attendance.services.monthclose import month_reclose_touched
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.policy.leave import leave_approver, overlap_findings
from zhucun.registry import validation
from zhucun.registry.models import Jurisdiction, Level, Posting, PostingStatus

from ..models import TEXT_MAX, OrganiserLevel, TrainingAttendance, TrainingEvent
from ..scope import ORGANISERS

CLAUSE = "MGT.7.ANNUAL"
MAX_PARTICIPANTS = 5000


def organiser_of(actor: User) -> Jurisdiction:
    """The jurisdiction whose training ``actor`` records (403 for anyone else)."""
    if actor.role not in ORGANISERS:
        raise Forbidden("集中培训由州级或县级驻村工作领导协调机构组织和登记(MGT.7.ANNUAL)")
    if actor.role == UserRole.ADMIN:
        j = Jurisdiction.objects.filter(level=Level.PREFECTURE).order_by("code").first()
    else:
        j = actor.jurisdiction if actor.jurisdiction_id else None
    if j is None or j.level not in (Level.PREFECTURE, Level.COUNTY):
        raise Forbidden("您的账号未关联州或县(市)辖区,不能组织培训")
    return j


def _days_between(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


@transaction.atomic
def training_event_create(
    *, actor: User, title: Any, start: Any, end: Any, days: Any, content: Any = ""
) -> TrainingEvent:
    """MGT.7.ANNUAL: record a concentrated training of the actor's prefecture or county."""
    organiser = organiser_of(actor)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field, label, fn in (
        ("title", "培训名称", lambda v: validation.identity_text(v, max_length=200)),
        ("start", "开始日期", lambda v: validation.date(v)),
        ("end", "结束日期", lambda v: validation.date(v)),
        ("content", "培训内容", lambda v: validation.text(v, max_length=TEXT_MAX, required=False)),
    ):
        raw = {"title": title, "start": start, "end": end, "content": content}[field]
        try:
            values[field] = fn(raw)
        except validation.FieldError as exc:
            errors[field] = f"{label}{exc}"
    s, e = values.get("start"), values.get("end")
    if s and e and e < s:
        errors["end"] = "结束日期不能早于开始日期"
    try:
        n = Decimal(str(days).strip())
        if not n.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["days"] = "集中培训天数应为数字(可为半天,如2.5)"
    else:
        if n <= 0:
            errors["days"] = "集中培训天数应大于0"
        elif n != n.quantize(Decimal("0.1")):
            errors["days"] = "集中培训天数最多保留一位小数"
        elif s and e and e >= s and n > (e - s).days + 1:
            errors["days"] = f"集中培训天数{n}天超过了开始至结束日期的{(e - s).days + 1}个日历日"
        values["days"] = n
    if errors:
        raise ValidationFailed(errors)
    level = OrganiserLevel.PREFECTURE if organiser.level == Level.PREFECTURE else "county"
    event = TrainingEvent.objects.create(
        organiser=organiser,
        level=level,
        title=values["title"],
        start=s,
        end=e,
        days=values["days"],
        content=values["content"],
        recorded_by=actor,
    )
    event_record(
        actor=actor, action="training.event_create", obj=event, after=model_snapshot(event)
    )
    return event


def event_for_writing(actor: User, event_id: Any) -> TrainingEvent:
    """The event the actor organised (404 when outside what it sees, 403 when it only reads)."""
    from ..selectors.training import training_event_list  # the read side decides visibility

    try:
        pk = int(event_id)
    except (TypeError, ValueError):
        raise NotFound("培训不存在或不在您的管辖范围内") from None
    event = training_event_list(user=actor).filter(pk=pk).select_related("organiser").first()
    if event is None:
        raise NotFound("培训不存在或不在您的管辖范围内")
    organiser = organiser_of(actor)
    if actor.role != UserRole.ADMIN and event.organiser_id != organiser.pk:
        raise Forbidden("只有主办该培训的州或县(市)可以登记参训人员")
    return event


def event_postings(event: TrainingEvent) -> QuerySet[Posting]:
    """The postings in the organiser's area in post at some time during the event, one per
    cadre (the latest arrival): who may attend, and the posting their leave hangs on."""
    from zhucun.registry.selectors import postings_in_period

    return postings_in_period(
        area_path=event.organiser.path, first=event.start, last=event.end
    ).exclude(status=PostingStatus.PLANNED)


@transaction.atomic
def training_attendance_set(
    *, actor: User, event_id: Any, cadre_ids: Iterable[Any]
) -> list[TrainingAttendance]:
    """Make the attendance of the event exactly ``cadre_ids``: add the new ones (with their
    on-duty training leave), withdraw the leave of those removed. All or nothing."""
    event = event_for_writing(actor, event_id)
    TrainingEvent.objects.select_for_update().filter(pk=event.pk).first()
    wanted: set[int] = set()
    bad = []
    for raw in list(cadre_ids)[: MAX_PARTICIPANTS + 1]:
        try:
            wanted.add(int(raw))
        except (TypeError, ValueError):
            bad.append(str(raw)[:20])
    if bad:
        raise ValidationFailed({"cadre_ids": "干部编号应为整数:" + "、".join(bad[:5])})
    if len(wanted) > MAX_PARTICIPANTS:
        raise ValidationFailed({"cadre_ids": f"一次最多登记{MAX_PARTICIPANTS}名参训人员"})
    return _apply(actor, event, wanted)


def _apply(actor: User, event: TrainingEvent, wanted: set[int]) -> list[TrainingAttendance]:
    current = {
        a.cadre_id: a
        for a in TrainingAttendance.objects.filter(event=event)
        .select_related("leave__village", "cadre")
        .order_by()
    }
    adding = wanted - set(current)
    removing = set(current) - wanted
    postings = {
        p.cadre_id: p
        for p in event_postings(event)
        .filter(cadre_id__in=adding)
        .select_related("cadre", "village__jurisdiction")
    }
    outside = sorted(adding - set(postings))
    if outside:
        raise ValidationFailed(
            {
                "cadre_ids": (
                    f"干部编号{'、'.join(map(str, outside[:10]))}在{event.start}至{event.end}"
                    f"期间不在{event.organiser.name}辖区驻村,不能登记参加本次培训"
                )
            }
        )
    errors: dict[str, str] = {}
    busy = LeaveRequest.objects.filter(
        cadre_id__in=adding, state__in=LIVE_STATES, start__lte=event.end
    ).filter(Q(actual_end__gte=event.start) | Q(actual_end__isnull=True, end__gte=event.start))
    existing: dict[int, list[tuple[dt.date, dt.date, str]]] = {}
    for r in busy.order_by():
        existing.setdefault(r.cadre_id, []).append((r.start, r.effective_end, r.kind))
    for cadre_id, spans in existing.items():
        p = postings[cadre_id]
        found = overlap_findings(
            name=p.cadre.name, start=event.start, end=event.end, existing=spans
        )
        errors[f"cadre{cadre_id}"] = "；".join(f.message for f in found)
    if errors:
        raise ValidationFailed(errors, "参训人员的请假时间与培训时间重叠,请先撤回或销假")
    out = []
    for cadre_id in sorted(adding):
        out.append(_add(actor, event, postings[cadre_id]))
    for cadre_id in sorted(removing):
        _remove(actor, event, current[cadre_id])
    return out


def _add(actor: User, event: TrainingEvent, posting: Posting) -> TrainingAttendance:
    start = max(event.start, posting.arrival_date)
    end = min(event.end, posting.actual_end) if posting.actual_end else event.end
    leave = LeaveRequest.objects.create(
        cadre_id=posting.cadre_id,
        posting=posting,
        village_id=posting.village_id,
        kind=LeaveKind.TRAINING,
        start=start,
        end=end,
        reason=f"参加{event.get_level_display()}集中培训“{event.title}”"[:300],
        state=LeaveState.APPROVED,
        approver_level=leave_approver(posting.role),
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note="集中培训由主办机构登记参训,培训期间计为在岗(MGT.1.DAYS)",
    )
    event_record(actor=actor, action="leave.training", obj=leave, after=model_snapshot(leave))
    attendance = TrainingAttendance.objects.create(
        event=event, cadre_id=posting.cadre_id, leave=leave, recorded_by=actor
    )
    event_record(
        actor=actor,
        action="training.attendance_add",
        obj=attendance,
        after={"event": event.pk, "cadre": posting.cadre_id, "leave": leave.pk},
    )
    month_reclose_touched(
        actor=actor,
        township_id=posting.village.township_id,
        days=_days_between(start, end),
        reason=f"登记参训:{posting.cadre.name} {start}至{end} 培训",
    )
    return attendance


def _remove(actor: User, event: TrainingEvent, attendance: TrainingAttendance) -> None:
    leave = attendance.leave
    if leave is not None and leave.state != LeaveState.CANCELLED:
        was = leave.state
        leave.state = LeaveState.CANCELLED
        leave.save(update_fields=["state"])
        event_record(
            actor=actor,
            action="leave.cancel",
            obj=leave,
            before={"state": was},
            after={"state": leave.state},
            note=f"撤销参训登记:{event.title}"[:300],
        )
        month_reclose_touched(
            actor=actor,
            township_id=leave.village.township_id,
            days=_days_between(leave.start, leave.effective_end),
            reason=f"撤销参训:{attendance.cadre.name} {leave.start}至{leave.end} 培训",
        )
    snapshot = {"event": event.pk, "cadre": attendance.cadre_id, "leave": attendance.leave_id}
    event_record(
        actor=actor,
        action="training.attendance_remove",
        object_type="support.trainingattendance",
        object_id=str(attendance.pk),
        before=snapshot,
    )
    attendance.delete()


@transaction.atomic
def training_attendance_import(
    *, actor: User, event_id: Any, data: bytes, filename: str
) -> list[TrainingAttendance]:
    """MGT.7: add the cadres signed in on the sheet (training_sheet) to the event's
    attendance. Role and scope are checked before a byte of the file is read; nothing is
    written unless every row passes."""
    from .training_sheet import read_sheet

    event = event_for_writing(actor, event_id)
    TrainingEvent.objects.select_for_update().filter(pk=event.pk).first()
    eligible = {
        cadre_id: (name, id_number)
        for cadre_id, name, id_number in event_postings(event).values_list(
            "cadre_id", "cadre__name", "cadre__id_number"
        )
    }
    signed = read_sheet(data, filename, eligible)
    current = set(TrainingAttendance.objects.filter(event=event).values_list("cadre_id", flat=True))
    added = _apply(actor, event, current | set(signed))
    event_record(
        actor=actor,
        action="training.import",
        obj=event,
        after={"file": (filename or "")[:100], "signed": len(signed), "added": len(added)},
    )
    return added


def training_template_for(*, actor: User, event_id: Any) -> bytes:
    """The event's sign-in sheet to download, prefilled with who may attend."""
    from .training_sheet import training_template

    event = event_for_writing(actor, event_id)
    cadres = list(
        event_postings(event)
        .order_by("village__jurisdiction__path", "cadre__name")
        .values_list("cadre_id", "cadre__name", "cadre__id_number", "village__jurisdiction__name")[
            :MAX_PARTICIPANTS
        ]
    )
    return training_template(event, cadres)


__all__ = [
    "training_attendance_import",
    "training_template_for",
    "event_for_writing",
    "event_postings",
    "organiser_of",
    "training_attendance_set",
    "training_event_create",
]
