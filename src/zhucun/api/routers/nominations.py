"""选派提名 (SEL.METHOD.FLOW): list, detail with steps, findings and the actions the caller's
role may take now, and one endpoint per step. Each step calls its service in
zhucun.selection.services, which decides scope, role and rules; a warning that a written
reason would let through answers 400 with ``"needs_reason": true`` — send the same body again
with ``reasons`` {clause id: text}."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from zhucun.accounts.models import User
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.registry import validation
from zhucun.registry.models import Role
from zhucun.selection import ranking, services
from zhucun.selection.models import Nomination, NominationSource, NominationState
from zhucun.selection.selectors import nomination_list as select_nominations
from zhucun.selection.selectors import nominations_visible
from zhucun.selection.workflow import TRANSITIONS, allowed_actions

from ..common import ObjectId, paginate, read_dates, responses, user_of
from ..schemas import page_of
from ..selection_schemas import (
    CandidateQuery,
    NominationCreate,
    NominationDecide,
    NominationDetailOut,
    NominationOut,
    NominationPost,
    NominationPropose,
    NominationQuery,
    NominationReject,
    NominationReview,
    NominationWithdraw,
    VillageCandidatesOut,
)

router = Router(tags=["选派提名"])

NominationPage = page_of(NominationOut)
STATE_LABELS = dict(NominationState.choices)
STEP_LABELS = {"create": "录入", **{k: t.label for k, t in TRANSITIONS.items()}}


def findings_out(findings: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Stored findings (``findings_json``) as {clause, severity, message}."""
    return [
        {"clause": f["clause"], "severity": f["severity"], "message": f["message"]}
        for f in findings
    ]


def out(n: Nomination) -> dict[str, Any]:
    village = n.village
    return {
        "id": n.pk,
        "cadre_id": n.cadre_id,
        "cadre_name": n.cadre.name,
        "unit_id": n.unit_id,
        "unit_name": n.unit.name,
        "role": n.role,
        "role_label": n.get_role_display(),
        "village_id": n.village_id,
        "village_name": village.jurisdiction.name if village else None,
        "source": n.source,
        "source_label": n.get_source_display(),
        "state": n.state,
        "state_label": n.get_state_display(),
        "dispatch_date": n.dispatch_date,
        "posting_id": n.posting_id,
        "note": n.note,
        "created_at": n.created_at,
        "updated_at": n.updated_at,
    }


def detail_out(n: Nomination, user: User) -> dict[str, Any]:
    steps = [
        {
            "id": s.pk,
            "action": s.action,
            "action_label": STEP_LABELS.get(s.action, s.action),
            "from_state": s.from_state,
            "to_state": s.to_state,
            "to_state_label": STATE_LABELS.get(s.to_state, s.to_state),
            "actor_name": s.actor_name,
            "at": s.at,
            "note": s.note,
            "findings": findings_out(s.findings),
        }
        for s in n.steps.order_by("at", "id")
    ]
    return {
        **out(n),
        "basic_attested": n.basic_attested,
        "no1_attested": n.no1_attested,
        "attested_by": n.attested_by,
        "checkpoints": {str(k): bool(v) for k, v in n.checkpoints.items()},
        "reviewer_name": n.reviewer_name,
        "findings": findings_out(n.findings),
        "warning_reasons": {str(k): str(v) for k, v in n.warning_reasons.items()},
        "steps": steps,
        "allowed_actions": allowed_actions(n.state, user.role),
    }


def _after(user: User, n: Nomination) -> dict[str, Any]:
    """The nomination as the caller now sees it."""
    fresh = nominations_visible(user).filter(pk=n.pk).first()
    return detail_out(fresh or n, user)


@router.get("/nominations", response=responses(NominationPage), summary="选派提名列表")
def nomination_list(request: HttpRequest, filters: Query[NominationQuery]) -> dict[str, Any]:
    qs = select_nominations(user=user_of(request), state=filters.state, q=filters.q.strip())
    return paginate(qs, filters, out)


@router.get("/nominations/{id}", response=responses(NominationDetailOut), summary="选派提名详情")
def nomination_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    n = nominations_visible(user).filter(pk=id).first()
    if n is None:
        raise NotFound("提名不存在或不在您的管辖范围内")
    return detail_out(n, user)


@router.post("/nominations", response=responses(NominationDetailOut, 201), summary="录入选派提名")
def nomination_create(request: HttpRequest, payload: NominationCreate) -> Status[dict[str, Any]]:
    user = user_of(request)
    errors: dict[str, str] = {}
    choices: dict[str, str] = {}
    for name, kind in (("role", Role), ("source", NominationSource)):
        try:
            choices[name] = validation.choice(getattr(payload, name), kind)
        except validation.FieldError as exc:
            errors[name] = str(exc)
    try:
        dates = read_dates({"dispatch_date": payload.dispatch_date})
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    n = services.nomination_create(
        actor=user,
        cadre_id=payload.cadre_id,
        role=choices["role"],
        source=choices["source"],
        dispatch_date=dates["dispatch_date"],
        village_id=payload.village_id,
        note=payload.note,
    )
    return Status(201, _after(user, n))


@router.post(
    "/nominations/{id}/propose", response=responses(NominationDetailOut), summary="提出人选"
)
def nomination_propose(
    request: HttpRequest, payload: NominationPropose, id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    n = services.nomination_propose(
        actor=user,
        nomination_id=id,
        basic_attested=payload.basic_attested,
        no1_attested=payload.no1_attested,
        attested_by=payload.attested_by,
        reasons=payload.reasons,
        note=payload.note,
    )
    return _after(user, n)


@router.post(
    "/nominations/{id}/review", response=responses(NominationDetailOut), summary="审核备案"
)
def nomination_review(
    request: HttpRequest, payload: NominationReview, id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    n = services.nomination_review(
        actor=user,
        nomination_id=id,
        checkpoints=payload.checkpoints.model_dump(),
        reviewer_name=payload.reviewer_name,
        reasons=payload.reasons,
        note=payload.note,
    )
    return _after(user, n)


@router.post(
    "/nominations/{id}/decide", response=responses(NominationDetailOut), summary="研究确定"
)
def nomination_decide(
    request: HttpRequest, payload: NominationDecide, id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    n = services.nomination_decide(
        actor=user, nomination_id=id, reasons=payload.reasons, note=payload.note
    )
    return _after(user, n)


@router.post("/nominations/{id}/post", response=responses(NominationDetailOut), summary="派驻到村")
def nomination_post(
    request: HttpRequest, payload: NominationPost, id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    dates = read_dates(
        {"arrival_date": payload.arrival_date, "planned_end": payload.planned_end},
        optional=frozenset({"planned_end"}),
    )
    n = services.nomination_post(
        actor=user,
        nomination_id=id,
        village_id=payload.village_id,
        arrival_date=dates["arrival_date"],
        planned_end=dates["planned_end"],
        reasons=payload.reasons,
        note=payload.note,
    )
    return _after(user, n)


@router.post(
    "/nominations/{id}/reject", response=responses(NominationDetailOut), summary="不予通过"
)
def nomination_reject(
    request: HttpRequest, payload: NominationReject, id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    n = services.nomination_reject(actor=user, nomination_id=id, note=payload.note)
    return _after(user, n)


@router.post(
    "/nominations/{id}/withdraw", response=responses(NominationDetailOut), summary="撤回提名"
)
def nomination_withdraw(
    request: HttpRequest, payload: NominationWithdraw, id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    n = services.nomination_withdraw(actor=user, nomination_id=id, note=payload.note)
    return _after(user, n)


def _finding(f: Any) -> dict[str, str]:
    return {"clause": f.clause, "severity": f.severity, "message": f.message}


@router.get(
    "/villages/{id}/candidates",
    response=responses(VillageCandidatesOut),
    summary="因村精准组队:按村需求排序的人选",
)
def village_candidates(
    request: HttpRequest, filters: Query[CandidateQuery], id: int = ObjectId
) -> dict[str, Any]:
    """The unposted cadres the caller may nominate (a unit: its own; county and prefecture:
    those they see whose unit may be sent there) ranked for the village with reasons
    (SEL.SRC.POOL, SEL.SRC.FS_PRIORITY, SEL.METHOD.NEED) and screening findings. A ranking,
    never a refusal: who fails screening is listed last with ``eligible`` false."""
    user = user_of(request)
    on = read_dates({"on": filters.on or None}, optional=frozenset({"on"}))["on"]
    result = ranking.village_candidates(
        user=user,
        village_id=id,
        role=filters.role,
        on=on or timezone.localdate(),
        unit_id=filters.unit_id,
    )
    village = result.village
    assert village is not None
    return {
        "village_id": village.pk,
        "village_name": village.jurisdiction.name,
        "role": result.role,
        "role_label": dict(Role.choices)[result.role],
        "on": result.on,
        "needs": result.needs,
        "need_labels": result.need_labels,
        "count": len(result.rows),
        "results": [
            {
                "rank": row.ranked.rank,
                "cadre_id": row.cadre.pk,
                "name": row.cadre.name,
                "unit_id": row.cadre.unit_id,
                "unit_name": row.cadre.unit.name,
                "eligible": row.ranked.eligible,
                "needs_reason": row.ranked.needs_reason,
                "needs_met": list(row.ranked.needs_met),
                "reasons": [_finding(f) for f in row.ranked.reasons],
                "screening": [_finding(f) for f in row.ranked.screening],
            }
            for row in result.rows
        ],
    }
