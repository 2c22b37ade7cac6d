"""MGT.1.CHECKIN / MGT.1.LIVE / MGT.1.FRAUD: recording the one-tap check-in, the township's
review of exceptions, and resolving fraud signals.

``checkin_record`` is the hot path (every cadre, every day, retried by offline phones). It is
idempotent on (cadre, client_key): a resend returns the stored check-in and writes nothing —
also when resends race (the unique constraint decides; the loser fetches the winner's row).
Query budget (measured in tests/attendance/test_mgt_1_checkin_queries.py): a resend costs 1
query; a first check-in 8–9 (lookup, posting, parameters, fraud facts, previous check-in,
insert, audit ×3), plus one for the fraud signals when there are any and one for the names
when a device is shared."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy.checkin import checkin_day, judge_checkin
from zhucun.policy.fraud import CheckinFact, fraud_signals
from zhucun.registry.models import Cadre

from .. import scopes
from ..models import CheckIn, CheckInReview, FraudSignal, ReviewDecision
from ..models.leave import EXCUSED_KINDS, LeaveRequest, LeaveState
from ._common import cadre_posting, findings_json, text
from .monthclose import lock_township, month_reclose_touched

REVIEW_ROLES = (UserRole.TOWNSHIP, UserRole.ADMIN)
SIGNAL_ROLES = (UserRole.TOWNSHIP, UserRole.FIRST_SECRETARY, UserRole.ADMIN)
_SIX = Decimal("0.000001")


# ---- input ---------------------------------------------------------------------------------


def _coordinate(
    value: Any, field: str, label: str, bound: int, errors: dict[str, str]
) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = f"{label}应为数字"
        return None
    if not d.is_finite() or not (-bound <= d <= bound):
        errors[field] = f"{label}应在-{bound}到{bound}之间"
        return None
    return d.quantize(_SIX)


def _moment(value: Any, field: str, label: str, errors: dict[str, str]) -> dt.datetime | None:
    moment: dt.datetime | None = None
    try:
        if isinstance(value, dt.datetime):
            moment = value
        elif (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        ):
            # Browsers send Date.now(): milliseconds since the epoch.
            moment = dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
        elif isinstance(value, str) and value.strip():
            moment = dt.datetime.fromisoformat(value.strip())
    except (ValueError, OverflowError, OSError):
        moment = None
    if moment is None:
        errors[field] = f"{label}格式无效(应为ISO 8601时间,如 2025-03-03T08:30:00+08:00)"
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _clean(
    *,
    client_key: Any,
    lat: Any,
    lng: Any,
    accuracy_m: Any,
    device_time: Any,
    received_at: Any,
    device_id: Any,
    no_position_reason: Any,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    try:
        key = client_key if isinstance(client_key, uuid.UUID) else uuid.UUID(str(client_key))
    except (TypeError, ValueError, AttributeError):
        errors["client_key"] = "客户端标识无效(应为UUID)"
        key = None
    la = _coordinate(lat, "lat", "纬度", 90, errors)
    ln = _coordinate(lng, "lng", "经度", 180, errors)
    if (la is None) != (ln is None) and "lat" not in errors and "lng" not in errors:
        errors["lng" if ln is None else "lat"] = "纬度和经度须同时提供"
    acc: float | None = None
    if accuracy_m is not None and accuracy_m != "":
        try:
            acc = float(accuracy_m)
        except (TypeError, ValueError):
            errors["accuracy_m"] = "定位精度应为数字(米)"
        else:
            if not math.isfinite(acc) or acc < 0:
                errors["accuracy_m"] = "定位精度应为不小于0的数字(米)"
    device = _moment(device_time, "device_time", "设备时间", errors)
    received = (
        timezone.now()
        if received_at is None
        else _moment(received_at, "received_at", "接收时间", errors)
    )
    device_id = text(device_id, "device_id", errors, "设备标识", max_len=128, required=False)
    reason = text(
        no_position_reason,
        "no_position_reason",
        errors,
        "无法定位原因",
        max_len=200,
        required=False,
    )
    if errors:
        raise ValidationFailed(errors, message="签到数据无效")
    return {
        "client_key": key,
        "lat": la,
        "lng": ln,
        "accuracy_m": acc,
        "device_time": device,
        "received_at": received,
        "device_id": device_id,
        "no_position_reason": reason,
    }


# ---- record --------------------------------------------------------------------------------


def checkin_record(
    *,
    actor: User,
    client_key: Any,
    lat: Any,
    lng: Any,
    accuracy_m: Any,
    device_time: Any,
    device_id: str = "",
    no_position_reason: str = "",
    received_at: Any = None,
    offline: bool | None = None,
) -> tuple[CheckIn, bool]:
    """Record the actor's check-in; returns (check-in, created). Resends return the stored
    one with created False and write nothing. The result is returned after the commit."""
    c = _clean(
        client_key=client_key,
        lat=lat,
        lng=lng,
        accuracy_m=accuracy_m,
        device_time=device_time,
        received_at=received_at,
        device_id=device_id,
        no_position_reason=no_position_reason,
    )
    if actor.role not in (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER) or not actor.cadre_id:
        raise Forbidden("只有驻村干部(第一书记、工作队员)本人可以签到")
    existing = CheckIn.objects.filter(cadre_id=actor.cadre_id, client_key=c["client_key"]).first()
    if existing is not None:
        return existing, False
    posting = cadre_posting(actor)
    village, cadre = posting.village, posting.cadre
    code = village.jurisdiction.code
    params = parameters_current()
    tz = settings.TIME_ZONE
    day = checkin_day(c["device_time"], c["received_at"], tz=tz, params=params, jurisdiction=code)
    point = (
        (float(village.checkin_lat), float(village.checkin_lng), village.checkin_datum)
        if village.checkin_lat is not None and village.checkin_lng is not None
        else None
    )
    flat = float(c["lat"]) if c["lat"] is not None else None
    flng = float(c["lng"]) if c["lng"] is not None else None
    judgement = judge_checkin(
        name=cadre.name,
        lat=flat,
        lng=flng,
        accuracy_m=c["accuracy_m"],
        point=point,
        radius_m=village.checkin_radius_m,
        device_time=c["device_time"],
        received_at=c["received_at"],
        params=params,
        jurisdiction=code,
        village=village.jurisdiction.name,
        tz=tz,
    )
    facts = _fraud_facts(cadre, c, day)
    current = CheckinFact(
        cadre.pk, cadre.name, flat, flng, c["device_time"], c["received_at"], c["device_id"]
    )
    signals = fraud_signals(
        current=current,
        previous=facts["previous"],
        other_cadres_on_device=facts["others"],
        identical_coordinates_count=facts["identical"],
        on_leave=facts["on_leave"],
        params=params,
        jurisdiction=code,
        offline=offline,
    )
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                cadre=cadre,
                village=village,
                day=day,
                status=judgement.status,
                counts=judgement.counts,
                distance_m=judgement.distance_m,
                findings=findings_json(judgement.findings),
                **c,
            )
            if signals:
                FraudSignal.objects.bulk_create(
                    FraudSignal(
                        cadre=cadre,
                        village=village,
                        checkin=checkin,
                        clause=f.clause,
                        kind=str(f.data.get("signal", "")),
                        severity=f.severity,
                        message=f.message[:300],
                        data=findings_json([f])[0]["data"],
                    )
                    for f in signals
                )
            event_record(
                actor=actor,
                action="checkin.record",
                obj=checkin,
                after={
                    "day": day,
                    "status": judgement.status,
                    "counts": judgement.counts,
                    "distance_m": judgement.distance_m,
                    "client_key": str(c["client_key"]),
                    "device_time": c["device_time"],
                    "received_at": c["received_at"],
                    "signals": [str(f.data.get("signal", "")) for f in signals],
                },
            )
    except IntegrityError:
        # A concurrent resend won the race on (cadre, client_key): return its row.
        existing = CheckIn.objects.filter(cadre=cadre, client_key=c["client_key"]).first()
        if existing is None:
            raise
        return existing, False
    return checkin, True


def _fraud_facts(cadre: Cadre, c: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """What the fraud rules need, in one query (plus one for the previous check-in)."""
    mine = CheckIn.objects.filter(cadre_id=OuterRef("pk"))
    leave = LeaveRequest.objects.filter(
        cadre_id=OuterRef("pk"),
        state__in=[LeaveState.APPROVED, LeaveState.RETURNED],
        kind__in=list(EXCUSED_KINDS),
        start__lte=day,
    ).filter(Q(actual_end__gte=day) | Q(actual_end__isnull=True, end__gte=day))
    ann: dict[str, Any] = {"on_leave": Exists(leave)}
    if c["lat"] is not None:
        same = (
            mine.filter(lat=c["lat"], lng=c["lng"])
            .order_by()
            .values("cadre_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        ann["identical"] = Coalesce(Subquery(same), 0)
    if c["device_id"]:
        ann["shared"] = Exists(
            CheckIn.objects.filter(device_id=c["device_id"]).exclude(cadre_id=OuterRef("pk"))
        )
    row = Cadre.objects.filter(pk=cadre.pk).annotate(**ann).values(*ann).get()
    others: list[str] = []
    if row.get("shared"):
        others = list(
            CheckIn.objects.filter(device_id=c["device_id"])
            .exclude(cadre_id=cadre.pk)
            .values_list("cadre__name", flat=True)
            .distinct()[:20]
        )
    prev = (
        CheckIn.objects.filter(cadre_id=cadre.pk, device_time__lte=c["device_time"])
        .order_by("-device_time", "-id")
        .values("lat", "lng", "device_time", "received_at", "device_id")
        .first()
    )
    previous = None
    if prev is not None:
        previous = CheckinFact(
            cadre.pk,
            cadre.name,
            float(prev["lat"]) if prev["lat"] is not None else None,
            float(prev["lng"]) if prev["lng"] is not None else None,
            prev["device_time"],
            prev["received_at"],
            prev["device_id"],
        )
    return {
        "on_leave": bool(row["on_leave"]),
        "identical": int(row.get("identical") or 0) + 1,  # the current one included
        "others": others,
        "previous": previous,
    }


# ---- township review -----------------------------------------------------------------------


@transaction.atomic
def checkin_review(*, actor: User, checkin_id: Any, accept: bool, reason: str) -> CheckInReview:
    """The township accepts (counts) or rejects (does not count) a check-in, with a reason.
    A decision on a day of a closed month re-closes that township-month (audited)."""
    checkin = (
        scopes.checkins_visible(actor)
        .select_for_update(of=("self",))
        .select_related("cadre", "village__township")
        .filter(pk=_int(checkin_id))
        .first()
    )
    if checkin is None:
        raise NotFound("签到记录不存在或不在您的管辖范围内")
    if actor.role not in REVIEW_ROLES:
        raise Forbidden("签到异常由乡镇(街道)党(工)委核实认可(MGT.1.CHECKIN)")
    errors: dict[str, str] = {}
    reason = text(reason, "reason", errors, "理由", max_len=300)
    if errors:
        raise ValidationFailed(errors)
    review = CheckInReview.objects.create(
        checkin=checkin,
        decision=ReviewDecision.ACCEPT if accept else ReviewDecision.REJECT,
        reason=reason,
        decided_by=actor,
    )
    before = checkin.counts
    lock_township(checkin.village.township_id)
    if before != bool(accept):
        checkin.counts = bool(accept)
        checkin.save(update_fields=["counts"])
    event_record(
        actor=actor,
        action="checkin.review",
        obj=checkin,
        before={"counts": before},
        after={"counts": checkin.counts, "decision": review.decision},
        note=reason,
    )
    if before != checkin.counts:
        month_reclose_touched(
            actor=actor,
            township_id=checkin.village.township_id,
            days=[checkin.day],
            reason=f"签到核查:{checkin.cadre.name} {checkin.day} {review.get_decision_display()}",
        )
    return review


@transaction.atomic
def fraud_signal_resolve(*, actor: User, signal_id: Any, note: str) -> FraudSignal:
    """The township or the first secretary records that a signal was looked into."""
    signal = (
        scopes.fraud_signals_visible(actor)
        .select_for_update(of=("self",))
        .filter(pk=_int(signal_id))
        .first()
    )
    if signal is None:
        raise NotFound("异常提示不存在或不在您的管辖范围内")
    if actor.role not in SIGNAL_ROLES:
        raise Forbidden("异常签到提示由乡镇党委和第一书记核查(MGT.1.FRAUD)")
    if actor.role == UserRole.FIRST_SECRETARY and signal.cadre_id == actor.cadre_id:
        raise Forbidden("不能核查本人的异常签到提示,请由乡镇党委核查")
    errors: dict[str, str] = {}
    note = text(note, "note", errors, "核查意见", max_len=300)
    if signal.resolved_at is not None:
        errors["signal_id"] = "该提示已核查"
    if errors:
        raise ValidationFailed(errors)
    signal.resolved_by = actor
    signal.resolved_at = timezone.now()
    signal.resolution_note = note
    signal.save(update_fields=["resolved_by", "resolved_at", "resolution_note"])
    event_record(actor=actor, action="fraud_signal.resolve", obj=signal, after={"note": note})
    return signal


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
