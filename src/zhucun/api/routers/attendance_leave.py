"""请销假 (MGT.1.LEAVE, MGT.1.REST): requests for leave and rotation rest, routed to the
township party committee (a first secretary's) or the first secretary (a team member's);
decide with a note (and, for a small team's rotation rest, the township's reason); 销假;
cancel; special periods declared by a county or the prefecture. The services decide routing,
scope and the ⅓ / once-a-quarter rules; a refusal names its clause."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from zhucun.attendance import selectors
from zhucun.attendance import services as att
from zhucun.attendance.models import LeaveKind, LeaveRequest, SpecialPeriod
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.registry import validation

from ..attendance_schemas import (
    LeaveCancel,
    LeaveCreate,
    LeaveDecide,
    LeaveOut,
    LeaveOverride,
    LeavePage,
    LeaveQuery,
    LeaveReturn,
    SpecialPeriodCreate,
    SpecialPeriodOut,
)
from ..common import ObjectId, paginate, read_dates, responses, user_of
from .attendance_common import findings_out, local, name_of

router = Router(tags=["请销假"])


def leave_out(r: LeaveRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "cadre_id": r.cadre_id,
        "cadre_name": r.cadre.name,
        "village_id": r.village_id,
        "village_name": r.village.jurisdiction.name,
        "kind": r.kind,
        "kind_label": r.get_kind_display(),
        "start": r.start,
        "end": r.end,
        "days": (r.end - r.start).days + 1,
        "reason": r.reason,
        "state": r.state,
        "state_label": r.get_state_display(),
        "approver_level": r.approver_level,
        "approver_level_label": r.get_approver_level_display(),
        "findings": findings_out(r.findings),
        "created_at": local(r.created_at),
        "decided_by": name_of(r.decided_by),
        "decided_at": local(r.decided_at),
        "decision_note": r.decision_note,
        "override_reason": r.override_reason,
        "returned_on": r.returned_on,
        "actual_end": r.actual_end,
    }


def _after(request: HttpRequest, leave: LeaveRequest) -> dict[str, Any]:
    """The request as the caller now sees it."""
    fresh = selectors.leave_list(user=user_of(request)).filter(pk=leave.pk).first()
    return leave_out(fresh or leave)


@router.get(
    "/leave", response=responses(LeavePage), summary="请假列表(本人的/待我审批的/管辖范围内)"
)
def leave_list(request: HttpRequest, filters: Query[LeaveQuery]) -> dict[str, Any]:
    user = user_of(request)
    if filters.view == "approve":
        qs = selectors.leave_approval_queue(user=user)
        if filters.state:
            qs = qs.filter(state=filters.state)
        if filters.kind:
            qs = qs.filter(kind=filters.kind)
        if filters.cadre:
            qs = qs.filter(cadre_id=filters.cadre)
        if filters.village:
            qs = qs.filter(village_id=filters.village)
    else:
        cadre = filters.cadre
        if filters.view == "mine":
            cadre = user.cadre_id or 0  # 0: nobody (the user is no cadre)
            if filters.cadre and filters.cadre != cadre:
                cadre = 0
        qs = selectors.leave_list(
            user=user, state=filters.state, kind=filters.kind, cadre=cadre, village=filters.village
        )
        if cadre == 0:
            qs = qs.none()
    return paginate(qs, filters, leave_out)


@router.post("/leave", response=responses(LeaveOut, 201), summary="请假(含轮休)")
def leave_create(request: HttpRequest, payload: LeaveCreate) -> Status[dict[str, Any]]:
    errors: dict[str, str] = {}
    kind = ""
    try:
        kind = validation.choice(payload.kind, LeaveKind)
    except validation.FieldError as exc:
        errors["kind"] = str(exc)
    try:
        dates = read_dates({"start": payload.start, "end": payload.end})
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    leave = att.leave_request_create(
        actor=user_of(request),
        kind=kind,
        start=dates["start"],
        end=dates["end"],
        reason=payload.reason,
    )
    return Status(201, _after(request, leave))


@router.post("/leave/{id}/decide", response=responses(LeaveOut), summary="审批请假")
def leave_decide(request: HttpRequest, payload: LeaveDecide, id: int = ObjectId) -> dict[str, Any]:
    leave = att.leave_decide(
        actor=user_of(request),
        leave_id=id,
        approve=payload.approve,
        note=payload.note,
        override_reason=payload.override_reason,
    )
    return _after(request, leave)


@router.post(
    "/leave/{id}/override",
    response=responses(LeaveOut),
    summary="乡镇党委记录小规模工作队轮休的理由",
)
def leave_override(
    request: HttpRequest, payload: LeaveOverride, id: int = ObjectId
) -> dict[str, Any]:
    leave = att.leave_override_record(actor=user_of(request), leave_id=id, reason=payload.reason)
    return _after(request, leave)


@router.post("/leave/{id}/return", response=responses(LeaveOut), summary="销假")
def leave_return(request: HttpRequest, payload: LeaveReturn, id: int = ObjectId) -> dict[str, Any]:
    back = read_dates({"returned_on": payload.returned_on}, optional=frozenset({"returned_on"}))
    leave = att.leave_return(
        actor=user_of(request),
        leave_id=id,
        returned_on=back["returned_on"] or timezone.localdate(),
    )
    return _after(request, leave)


@router.post("/leave/{id}/cancel", response=responses(LeaveOut), summary="撤回请假")
def leave_cancel(request: HttpRequest, payload: LeaveCancel, id: int = ObjectId) -> dict[str, Any]:
    leave = att.leave_cancel(actor=user_of(request), leave_id=id, reason=payload.reason)
    return _after(request, leave)


# ---- special periods -----------------------------------------------------------------------


def period_out(p: SpecialPeriod) -> dict[str, Any]:
    return {
        "id": p.pk,
        "jurisdiction_code": p.jurisdiction.code,
        "jurisdiction_name": p.jurisdiction.name,
        "start": p.start,
        "end": p.end,
        "reason": p.reason,
        "declared_by": str(p.declared_by),
        "declared_at": local(p.declared_at),
    }


@router.post(
    "/special-periods",
    response=responses(SpecialPeriodOut, 201),
    summary="宣布特殊时期(期间不安排轮休)",
)
def special_period_create(
    request: HttpRequest, payload: SpecialPeriodCreate
) -> Status[dict[str, Any]]:
    dates = read_dates({"start": payload.start, "end": payload.end})
    try:
        period = att.special_period_declare(
            actor=user_of(request),
            jurisdiction_code=payload.jurisdiction_code,
            start=dates["start"],
            end=dates["end"],
            reason=payload.reason,
        )
    except NotFound as exc:  # the jurisdiction named in the body: a field error, as elsewhere
        raise ValidationFailed({"jurisdiction_code": exc.message}) from None
    return Status(201, period_out(period))
