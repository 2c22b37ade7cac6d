"""Team composition of a village, checked with the same policy functions everywhere
(posting, coverage report): SEL.SCOPE.CAT3/OTHER/COVER, SEL.COND.NO5, SEL.SRC.XD."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy import (
    CompositionAllowance,
    Finding,
    Parameters,
    TeamMember,
    check_team,
    spouse_findings,
)
from zhucun.registry import scopes
from zhucun.registry.models import Posting, PostingStatus, Village

from ..adapters import team_member_of
from ..models import CompositionException

MAX_ALLOWED_COUNT = 50  # a sanity bound on a typed head count, not a policy number


def exception_in_force(village: Village, on: dt.date) -> CompositionException | None:
    return (
        village.composition_exceptions.filter(valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from")
        .first()
    )


def allowance_of(exc: CompositionException) -> CompositionAllowance:
    """The policy's view of a recorded SEL.SCOPE.ADJUST exception."""
    return CompositionAllowance(
        reason=exc.reason,
        max_team_size=exc.max_team_size,
        min_first_secretaries=exc.min_first_secretaries,
        min_team_members=exc.min_team_members,
        decided_by=exc.decided_by,
        until=exc.valid_until,
    )


def team_findings(
    *,
    village: Village,
    on: dt.date,
    extra: TeamMember | None = None,
    members: list[TeamMember] | None = None,
    params: Parameters | None = None,
    may_have_exception: bool = True,
) -> list[Finding]:
    """Findings for the village's active team (plus ``extra``, a cadre about to be posted).
    ``params``: the parameters in force, when the caller checks many villages at once;
    ``may_have_exception`` False: the caller knows no SEL.SCOPE.ADJUST exception is in force
    on ``on`` (the coverage query's ``has_exception``), so none is looked up."""
    if members is None:
        members = [
            team_member_of(p)
            for p in Posting.objects.filter(
                village=village, status=PostingStatus.ACTIVE
            ).select_related("cadre")
        ]
    if extra is not None:
        members = [*members, extra]
    exc = exception_in_force(village, on) if may_have_exception else None
    findings = check_team(
        categories=village.categories,
        members=members,
        on=on,
        params=params if params is not None else parameters_current(),
        jurisdiction=village.jurisdiction.code,
        village_name=village.jurisdiction.name,
        exception=allowance_of(exc) if exc else None,
    )
    # SEL.COND.NO5 across villages: a spouse posted anywhere else at the same time.
    ids = {m.cadre_id for m in members}
    spouse_ids = {m.spouse_id for m in members if m.spouse_id and m.spouse_id not in ids}
    if spouse_ids:
        by_spouse = {m.spouse_id: m for m in members}
        for p in Posting.objects.filter(
            cadre_id__in=spouse_ids, status=PostingStatus.ACTIVE
        ).select_related("cadre", "village__jurisdiction"):
            findings += spouse_findings(
                cadre_name=by_spouse[p.cadre_id].name,
                spouse_name=p.cadre.name,
                spouse_village=p.village.jurisdiction.name,
            )
    return findings


@transaction.atomic
def composition_exception_create(
    *,
    actor: User,
    village_id: int,
    reason: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    max_team_size: int | None = None,
    min_first_secretaries: int | None = None,
    min_team_members: int | None = None,
    decided_by: str = "",
) -> CompositionException:
    """SEL.SCOPE.ADJUST: record a reasoned exception to the composition rule for a village.

    Settled reading: the exception states the composition it allows (at least one of
    ``max_team_size``, ``min_first_secretaries``, ``min_team_members``), its reason, who
    decided it (``decided_by``; default: the actor's body) and until when (``valid_until``,
    required). Beyond what it allows, the composition error is back."""
    if actor.role not in (UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY):
        raise Forbidden("只有州、县组织部门可以登记选派调整")
    village = scopes.villages_editable(actor).filter(pk=village_id).first()
    errors = {}
    if village is None:
        errors["village_id"] = "村(社区)不存在或不在您的管辖范围内"
    if len(reason.strip()) < 4:
        errors["reason"] = "请写明调整理由(如疫情防控、边境管控、基层治理、强边固防)"
    if valid_until is None:
        errors["valid_until"] = "请填写截止日期:选派调整须写明有效期限"
    elif valid_until < valid_from:
        errors["valid_until"] = "截止日期不能早于生效日期"
    limits = {
        "max_team_size": max_team_size,
        "min_first_secretaries": min_first_secretaries,
        "min_team_members": min_team_members,
    }
    if all(v is None for v in limits.values()):
        errors["max_team_size"] = (
            "请写明例外允许的组成(全队最多人数、第一书记或工作队员最少人数,至少填一项)"
        )
    for field, value in limits.items():
        if value is not None and not 0 <= value <= MAX_ALLOWED_COUNT:
            errors[field] = f"人数须在0到{MAX_ALLOWED_COUNT}之间"
    decided_by = (decided_by or str(actor)).strip()
    if len(decided_by) > 100:
        errors["decided_by"] = "决定机关(会议)不能超过100个字"
    if len(reason) > 500:
        errors["reason"] = "调整理由不能超过500个字"
    if errors:
        raise ValidationFailed(errors)
    exc = CompositionException.objects.create(
        village=village,
        reason=reason.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        approved_by=actor,
        decided_by=decided_by,
        **limits,
    )
    event_record(actor=actor, action="selection.exception", obj=exc, after=model_snapshot(exc))
    return exc
