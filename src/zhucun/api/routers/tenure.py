"""任期与交接 (issue 11): upcoming term ends and forward coverage gaps (MGT.9.HANDOVER), how a
posting ended (MGT.TERM, GUA.3.LEAVE15) and its handover record (交接清单)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from zhucun.core.errors import NotFound
from zhucun.registry import selectors
from zhucun.tenure import selectors as tenure
from zhucun.tenure.models import HandoverRecord
from zhucun.tenure.selectors import Ending
from zhucun.tenure.services import handover_save

from ..common import ObjectId, responses, user_of
from ..tenure_schemas import ClosureOut, EndingPage, EndingQuery, HandoverIn, HandoverOut

router = Router(tags=["任期与交接"])


def ending_out(e: Ending) -> dict[str, Any]:
    p, r = e.posting, e.replacement
    open_gap = r is None
    return {
        "posting_id": p.pk,
        "cadre_id": p.cadre_id,
        "cadre_name": p.cadre.name,
        "unit_name": p.cadre.unit.name,
        "village_id": p.village_id,
        "village_name": p.village.jurisdiction.name,
        "township_name": p.village.township.name,
        "role": p.role,
        "role_label": p.get_role_display(),
        "arrival_date": p.arrival_date,
        "end": e.end,
        "regular_end": e.regular_end,
        "replacement_status": e.replacement_status,
        "replacement_label": e.replacement_label,
        "replacement_posting_id": r.pk if r else None,
        "replacement_name": r.cadre.name if r else None,
        "replacement_arrival": r.arrival_date if r else None,
        "gap_first": e.gap[0] if e.gap else None,
        "gap_last": None if open_gap or not e.gap else e.gap[1],
        "gap_days": e.gap_days,
        "has_gap": e.has_gap,
        "gap_text": e.gap_text,
    }


def _page(rows: list[Ending], q: EndingQuery) -> dict[str, Any]:
    start = (q.page - 1) * q.page_size
    return {
        "count": len(rows),
        "page": q.page,
        "page_size": q.page_size,
        "results": [ending_out(e) for e in rows[start : start + q.page_size]],
    }


@router.get("/term-ends", response=responses(EndingPage), summary="即将期满的驻村任职")
def term_end_list(request: HttpRequest, filters: Query[EndingQuery]) -> dict[str, Any]:
    user = user_of(request)
    if user.role not in tenure.TERM_END_ROLES:
        rows: list[Ending] = []
    else:
        rows = tenure.term_ends_upcoming(user=user, today=timezone.localdate())
    return _page(rows, filters)


@router.get("/coverage-gaps", response=responses(EndingPage), summary="即将出现的交接空档")
def coverage_gap_list(request: HttpRequest, filters: Query[EndingQuery]) -> dict[str, Any]:
    rows = tenure.coverage_gaps(user=user_of(request), today=timezone.localdate())
    return _page(rows, filters)


@router.get("/postings/{id}/closure", response=responses(ClosureOut), summary="任职结束记录")
def posting_closure(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    posting = selectors.posting_get(user=user_of(request), pk=id)
    c = tenure.closure_of(posting)
    if c is None:
        raise NotFound("该任职尚未结束或没有结束记录")
    leave = c.leave
    return {
        "posting_id": posting.pk,
        "cause": c.cause,
        "cause_label": c.get_cause_display(),
        "end_date": c.end_date,
        "regular_end": c.regular_end,
        "reference": c.reference,
        "gap_reason": c.gap_reason,
        "note": c.note,
        "leave_after_term": None
        if leave is None
        else {
            "id": leave.pk,
            "start": leave.start,
            "end": leave.end,
            "state": leave.state,
            "state_label": leave.get_state_display(),
        },
    }


def handover_out(h: HandoverRecord) -> dict[str, Any]:
    s = h.successor
    return {
        "id": h.pk,
        "posting_id": h.posting_id,
        "cadre_name": h.posting.cadre.name,
        "successor_posting_id": s.pk if s else None,
        "successor_name": s.cadre.name if s else None,
        "handover_date": h.handover_date,
        "ongoing_tasks": h.ongoing_tasks,
        "households": h.households,
        "documents": h.documents,
        "funds": h.funds,
        "receiver_name": h.receiver_name,
        "received_on": h.received_on,
    }


@router.get("/postings/{id}/handover", response=responses(HandoverOut), summary="交接清单")
def handover_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    selectors.posting_get(user=user, pk=id)  # 404 outside the scope
    record = tenure.handover_list(user=user).filter(posting_id=id).first()
    if record is None:
        raise NotFound("该任职尚无交接清单")
    return handover_out(record)


@router.put("/postings/{id}/handover", response=responses(HandoverOut), summary="填写交接清单")
def handover_put(request: HttpRequest, payload: HandoverIn, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    record = handover_save(actor=user, posting_id=id, data=payload.model_dump())
    return handover_out(tenure.handover_list(user=user).get(pk=record.pk))
