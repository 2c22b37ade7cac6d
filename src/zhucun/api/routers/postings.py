from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from zhucun.core.errors import ValidationFailed
from zhucun.registry import selectors, validation
from zhucun.registry.models import Posting
from zhucun.selection.services import posting_register
from zhucun.tenure.services import posting_close

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import PostingCreate, PostingEnd, PostingOut, PostingPage, PostingQuery

router = Router(tags=["驻村任职"])


def out(p: Posting) -> dict[str, Any]:
    cadre, village = p.cadre, p.village
    return {
        "id": p.pk,
        "cadre_id": cadre.pk,
        "cadre_name": cadre.name,
        "unit_name": cadre.unit.name,
        "village_id": village.pk,
        "village_code": village.jurisdiction.code,
        "village_name": village.jurisdiction.name,
        "township_name": village.township.name,
        "role": p.role,
        "role_label": p.get_role_display(),
        "arrival_date": p.arrival_date,
        "planned_end": p.planned_end,
        "actual_end": p.actual_end,
        "status": p.status,
        "status_label": p.get_status_display(),
        "personnel_unchanged": p.personnel_unchanged,
        "freed_from_unit_duties": p.freed_from_unit_duties,
        "no_village_election": p.no_village_election,
        "party_transfer_on": p.party_transfer_on,
    }


@router.get("/postings", response=responses(PostingPage), summary="驻村任职列表")
def posting_list(request: HttpRequest, filters: Query[PostingQuery]) -> dict[str, Any]:
    qs = selectors.posting_list(
        user=user_of(request),
        village=filters.village,
        status=filters.status,
        role=filters.role,
        county=filters.county,
        township=filters.township,
    )
    return paginate(qs, filters, out)


@router.get("/postings/{id}", response=responses(PostingOut), summary="驻村任职详情")
def posting_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    return out(selectors.posting_get(user=user_of(request), pk=id))


@router.post("/postings", response=responses(PostingOut, 201), summary="登记驻村任职")
def posting_create(request: HttpRequest, payload: PostingCreate) -> Status[dict[str, Any]]:
    user = user_of(request)
    data = payload.data()
    reasons = data.pop("reasons", {}) or {}
    posting = posting_register(actor=user, data=data, reasons=reasons)
    return Status(201, out(selectors.posting_get(user=user, pk=posting.pk)))


@router.post("/postings/{id}/end", response=responses(PostingOut), summary="结束驻村任职")
def posting_end(request: HttpRequest, payload: PostingEnd, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    try:
        end_date = validation.date(payload.end_date)
    except validation.FieldError as exc:
        raise ValidationFailed({"end_date": str(exc)}) from None
    # a public end is a term end: before the regular end it is refused (MGT.TERM); rotation
    # and recall end through their own workflows (posting_close with a reference)
    posting_close(
        actor=user,
        posting_id=id,
        end_date=end_date,
        cause="term",
        note=payload.note,
        gap_reason=payload.gap_reason,
    )
    return out(selectors.posting_get(user=user, pk=id))
