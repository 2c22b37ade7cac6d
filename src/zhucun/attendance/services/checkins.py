"""MGT.1.CHECKIN / MGT.1.FRAUD: the township's review of check-in exceptions and resolving
fraud signals. Recording check-ins is in ``checkin_record.py`` (the hot path), their input
cleaning in ``checkin_input.py``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed

from .. import scopes
from ..models import CheckInReview, FraudSignal, ReviewDecision
from ._common import text
from .monthclose import lock_township, month_reclose_touched

REVIEW_ROLES = (UserRole.TOWNSHIP, UserRole.ADMIN)
SIGNAL_ROLES = (UserRole.TOWNSHIP, UserRole.FIRST_SECRETARY, UserRole.ADMIN)


# ---- township review -----------------------------------------------------------------------


@transaction.atomic
def checkin_review(*, actor: User, checkin_id: Any, accept: bool, reason: str) -> CheckInReview:
    """The township accepts (counts) or rejects (does not count) a check-in, with a reason.
    A decision on a day of a closed month re-closes that township-month (audited)."""
    return checkins_review(actor=actor, checkin_ids=[checkin_id], accept=accept, reason=reason)[0]


MAX_REVIEW_BATCH = 500  # check-ins per request: a page of exceptions, not a whole county


@transaction.atomic
def checkins_review(
    *, actor: User, checkin_ids: list[Any], accept: bool, reason: str
) -> list[CheckInReview]:
    """Review many check-ins with one decision and one reason, all or nothing: one unknown or
    out-of-scope id and nothing is written. Each touched closed township-month is re-closed
    once, for all its touched days."""
    ids = [_int(i) for i in checkin_ids]
    if not ids:
        raise ValidationFailed({"ids": "请选择要核实的签到记录"})
    if len(ids) > MAX_REVIEW_BATCH:
        raise ValidationFailed({"ids": f"一次最多核实{MAX_REVIEW_BATCH}条签到记录"})
    if len(set(ids)) != len(ids):
        raise ValidationFailed({"ids": "签到记录编号重复"})
    found = {
        c.pk: c
        for c in scopes.checkins_visible(actor)
        .select_for_update(of=("self",))
        .select_related("cadre", "village__township")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    missing = [str(i) for i in ids if i not in found]
    if len(ids) == 1 and missing:
        raise NotFound("签到记录不存在或不在您的管辖范围内")
    if missing:
        raise ValidationFailed(
            {"ids": f"签到记录{'、'.join(missing)}不存在或不在您的管辖范围内,本次未作任何核实"}
        )
    if actor.role not in REVIEW_ROLES:
        raise Forbidden("签到异常由乡镇(街道)党(工)委核实认可(MGT.1.CHECKIN)")
    errors: dict[str, str] = {}
    reason = text(reason, "reason", errors, "理由", max_len=300)
    if errors:
        raise ValidationFailed(errors)
    decision = ReviewDecision.ACCEPT if accept else ReviewDecision.REJECT
    reviews, touched = [], {}
    for checkin in (found[i] for i in ids):
        reviews.append(
            CheckInReview.objects.create(
                checkin=checkin, decision=decision, reason=reason, decided_by=actor
            )
        )
        before = checkin.counts
        lock_township(checkin.village.township_id)
        if before != bool(accept):
            checkin.counts = bool(accept)
            checkin.save(update_fields=["counts"])
            touched.setdefault(checkin.village.township_id, []).append(checkin)
        event_record(
            actor=actor,
            action="checkin.review",
            obj=checkin,
            before={"counts": before},
            after={"counts": checkin.counts, "decision": decision},
            note=reason,
        )
    label = ReviewDecision(decision).label
    for township_id, changed in touched.items():
        names = "、".join(f"{c.cadre.name} {c.day}" for c in changed[:5])
        more = f"等{len(changed)}条" if len(changed) > 5 else ""
        month_reclose_touched(
            actor=actor,
            township_id=township_id,
            days=sorted({c.day for c in changed}),
            reason=f"签到核查:{names}{more} {label}",
        )
    return reviews


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
