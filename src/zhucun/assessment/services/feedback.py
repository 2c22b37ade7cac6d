"""MGT.5.FEEDBACK: "由县级驻村工作领导协调机构反馈派出单位,作为评先评优、提拔使用、晋升职级、
评定职称的重要依据". A finalised result reaches the cadre's unit (its inbox); the unit
acknowledges it (签收), which records when it was received. Nothing of the result changes."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, ValidationFailed

from ..models import Assessment, AssessmentState
from ..selectors.feedback import YEAR_MAX, YEAR_MIN

RECEIVERS_TEXT = "考核结果由县级驻村工作领导协调机构反馈派出单位,由派出单位签收(MGT.5.FEEDBACK)"


@transaction.atomic
def assessment_results_receive(*, actor: User, year: int | None = None) -> int:
    """The unit acknowledges its cadres' finalised results not yet received (of ``year``, or
    every year); returns how many it received. One audit event per result."""
    if actor.role != UserRole.UNIT or not actor.unit_id:
        raise Forbidden(RECEIVERS_TEXT)
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX
    ):
        raise ValidationFailed({"year": f"考核年度应为{YEAR_MIN}至{YEAR_MAX}之间的年份"})
    qs = Assessment.objects.filter(
        cadre__unit_id=actor.unit_id,
        state=AssessmentState.FINAL,
        unit_received_at__isnull=True,
    )
    if year is not None:
        qs = qs.filter(year=year)
    # locked in id order: two clicks at once receive each result once
    pending = list(qs.select_for_update().order_by("pk"))
    if not pending:
        return 0
    now = timezone.now()
    Assessment.objects.filter(pk__in=[a.pk for a in pending]).update(unit_received_at=now)
    for a in pending:
        a.unit_received_at = now
        event_record(
            actor=actor,
            action="assessment.receive",
            obj=a,
            before={"unit_received_at": None},
            after={
                "unit_received_at": now.isoformat(),
                "cadre_id": a.cadre_id,
                "year": a.year,
                "kind": a.kind,
                "grade": a.grade,
            },
        )
    return len(pending)
