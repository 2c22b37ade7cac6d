"""签到 (MGT.1.CHECKIN, MGT.1.LIVE, MGT.1.FRAUD): the phone's one-tap check-in (idempotent on
the client key: 201 the first time, 200 with the same body on every resend), the check-ins in
scope, the township's review of exceptions, fraud signals and the team's day.

``POST /checkins`` is the hot path: it runs the service's queries and nothing else (the
response is built from the row the service returns)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from zhucun.attendance import selectors
from zhucun.attendance import services as att
from zhucun.attendance.models import CheckIn, CheckInReview, CheckInStatus, FraudSignal, LeaveKind
from zhucun.core.errors import NotFound, ValidationFailed

from ..attendance_schemas import (
    CheckInBatchReviewIn,
    CheckInBatchReviewOut,
    CheckInCreate,
    CheckInOut,
    CheckInPage,
    CheckInQuery,
    CheckInReviewIn,
    CheckInRowOut,
    FraudSignalOut,
    FraudSignalPage,
    FraudSignalQuery,
    SignalResolveIn,
    TeamTodayOut,
    TeamTodayQuery,
)
from ..common import ObjectId, paginate, read_dates, responses, user_of
from .attendance_common import device_moment, findings_out, local, name_of

router = Router(tags=["签到"])

STATUS_LABELS = dict(CheckInStatus.choices)
KIND_LABELS = dict(LeaveKind.choices)


def checkin_out(c: CheckIn) -> dict[str, Any]:
    return {
        "id": c.pk,
        "client_key": str(c.client_key),
        "day": c.day,
        "status": c.status,
        "status_label": STATUS_LABELS.get(c.status, c.status),
        "counts": c.counts,
        "distance_m": c.distance_m,
        "device_time": local(c.device_time),
        "received_at": local(c.received_at),
        "findings": findings_out(c.findings),
    }


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def checkin_row(c: CheckIn) -> dict[str, Any]:
    return {
        **checkin_out(c),
        "cadre_id": c.cadre_id,
        "cadre_name": c.cadre.name,
        "village_id": c.village_id,
        "village_name": c.village.jurisdiction.name,
        "lat": _float(c.lat),
        "lng": _float(c.lng),
        "accuracy_m": c.accuracy_m,
        "device_id": c.device_id,
        "no_position_reason": c.no_position_reason,
        "review_decision": getattr(c, "review_decision", None),
        "review_reason": getattr(c, "review_reason", None),
        "source": c.source,
        "address": c.address,
    }


def _with_review(qs: Any) -> Any:
    latest = CheckInReview.objects.filter(checkin_id=OuterRef("pk")).order_by("-decided_at", "-id")
    return qs.annotate(
        review_decision=Subquery(latest.values("decision")[:1]),
        review_reason=Subquery(latest.values("reason")[:1]),
    )


@router.post(
    "/checkins",
    response={**responses(CheckInOut, 201), 200: CheckInOut},
    summary="签到(离线补传时重复提交只记录一次)",
)
def checkin_create(request: HttpRequest, payload: CheckInCreate) -> Status[dict[str, Any]]:
    checkin, created = att.checkin_record_input(actor=user_of(request), data=checkin_input(payload))
    return Status(201 if created else 200, checkin_out(checkin))


def checkin_input(payload: CheckInCreate) -> att.CheckInInput:
    """The cleaned check-in of a request body (also for the lean path, api/fastpath.py)."""
    return att.checkin_clean(
        client_key=payload.client_key,
        lat=payload.lat,
        lng=payload.lng,
        accuracy_m=payload.accuracy_m,
        device_time=device_moment(payload.device_time),
        received_at=None,
        device_id=payload.device_id,
        no_position_reason=payload.no_position_reason,
        offline=payload.offline,
    )


@router.get("/checkins", response=responses(CheckInPage), summary="签到记录")
def checkin_list(request: HttpRequest, filters: Query[CheckInQuery]) -> dict[str, Any]:
    dates = read_dates(
        {"day_from": filters.day_from, "day_to": filters.day_to},
        optional=frozenset({"day_from", "day_to"}),
    )
    qs = selectors.checkin_list(
        user=user_of(request),
        start=dates["day_from"],
        end=dates["day_to"],
        village=filters.village,
        cadre=filters.cadre,
        status=filters.status,
        exceptions_only=filters.exceptions,
    )
    if filters.client_key:
        qs = qs.filter(client_key=_client_key(filters.client_key))
    return paginate(_with_review(qs), filters, checkin_row)


def _client_key(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValidationFailed({"client_key": "签到键应为UUID(手机生成的签到键)"}) from None


@router.post(
    "/checkins/review",
    response=responses(CheckInBatchReviewOut),
    summary="批量核实签到异常(同一决定和理由,全部成功或全部不核实)",
)
def checkins_review(request: HttpRequest, payload: CheckInBatchReviewIn) -> dict[str, Any]:
    user = user_of(request)
    reviews = att.checkins_review(
        actor=user, checkin_ids=payload.ids, accept=payload.accept, reason=payload.reason
    )
    ids = [r.checkin_id for r in reviews]
    fresh = {c.pk: c for c in _with_review(selectors.checkin_list(user=user)).filter(pk__in=ids)}
    return {"reviewed": len(reviews), "results": [checkin_row(fresh[i]) for i in ids]}


@router.post(
    "/checkins/{id}/review",
    response=responses(CheckInRowOut),
    summary="核实签到异常(乡镇党委认可或不认可)",
)
def checkin_review(
    request: HttpRequest, payload: CheckInReviewIn, id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    review = att.checkin_review(
        actor=user, checkin_id=id, accept=payload.accept, reason=payload.reason
    )
    fresh = _with_review(selectors.checkin_list(user=user)).filter(pk=review.checkin_id).first()
    if fresh is None:  # pragma: no cover - the reviewer saw it a moment ago
        raise NotFound("签到记录不存在或不在您的管辖范围内")
    return checkin_row(fresh)


# ---- fraud signals -------------------------------------------------------------------------


def signal_out(s: FraudSignal) -> dict[str, Any]:
    return {
        "id": s.pk,
        "cadre_id": s.cadre_id,
        "cadre_name": s.cadre.name,
        "village_id": s.village_id,
        "village_name": s.village.jurisdiction.name,
        "checkin_id": s.checkin_id,
        "checkin_day": s.checkin.day,
        "clause": s.clause,
        "kind": s.kind,
        "severity": s.severity,
        "message": s.message,
        "created_at": local(s.created_at),
        "resolved": s.resolved_at is not None,
        "resolved_at": local(s.resolved_at),
        "resolved_by": name_of(s.resolved_by),
        "resolution_note": s.resolution_note,
    }


@router.get("/fraud-signals", response=responses(FraudSignalPage), summary="异常签到提示")
def fraud_signal_list(request: HttpRequest, filters: Query[FraudSignalQuery]) -> dict[str, Any]:
    qs = selectors.fraud_signal_list(
        user=user_of(request), open_only=filters.open_only, village=filters.village
    ).select_related("resolved_by")
    return paginate(qs, filters, signal_out)


@router.post(
    "/fraud-signals/{id}/resolve",
    response=responses(FraudSignalOut),
    summary="记录异常签到提示的核查意见",
)
def fraud_signal_resolve(
    request: HttpRequest, payload: SignalResolveIn, id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    signal = att.fraud_signal_resolve(actor=user, signal_id=id, note=payload.note)
    fresh = (
        selectors.fraud_signal_list(user=user, open_only=False)
        .select_related("resolved_by")
        .filter(pk=signal.pk)
        .first()
    )
    return signal_out(fresh or signal)


# ---- the team's day ------------------------------------------------------------------------

TEAM_STATES = {
    "done": "已签到",
    "pending": "签到异常(待乡镇确认)",
    "away": "请假外出",
    "none": "未签到",
}


def _state(p: Any) -> str:
    if p.checked_in:
        return "done"
    if p.checkin_status:
        return "pending"
    if p.away_kind:
        return "away"
    return "none"


def team_row(p: Any) -> dict[str, Any]:
    state = _state(p)
    return {
        "posting_id": p.pk,
        "cadre_id": p.cadre_id,
        "cadre_name": p.cadre.name,
        "role": p.role,
        "role_label": p.get_role_display(),
        "village_id": p.village_id,
        "village_name": p.village.jurisdiction.name,
        "state": state,
        "state_label": (
            KIND_LABELS.get(p.away_kind, TEAM_STATES[state])
            if state == "away"
            else TEAM_STATES[state]
        ),
        "checked_in": bool(p.checked_in),
        "checkin_status": p.checkin_status,
        "away_kind": p.away_kind,
        "away_kind_label": KIND_LABELS.get(p.away_kind) if p.away_kind else None,
    }


@router.get(
    "/team/today",
    response=responses(TeamTodayOut),
    summary="今日在岗(谁已签到、谁请假外出及原因、谁未签到)",
)
def team_today(request: HttpRequest, filters: Query[TeamTodayQuery]) -> dict[str, Any]:
    day = read_dates({"day": filters.day}, optional=frozenset({"day"}))["day"]
    day = day or timezone.localdate()
    qs = selectors.team_today(user=user_of(request), day=day, village=filters.village)
    pending = Q(checked_in=False) & Q(checkin_status__isnull=False)
    away = Q(checked_in=False) & Q(checkin_status__isnull=True) & Q(away_kind__isnull=False)
    totals = qs.order_by().aggregate(
        done=Count("pk", filter=Q(checked_in=True)),
        pending=Count("pk", filter=pending),
        away=Count("pk", filter=away),
        all=Count("pk"),
    )
    summary = {k: totals[k] or 0 for k in ("done", "pending", "away")}
    summary["none"] = (totals["all"] or 0) - sum(summary.values())
    return {"day": day, "summary": summary, **paginate(qs, filters, team_row)}
