"""时限提醒: 第一书记任命 10个工作日 (SEL.METHOD.APPOINT10) and 党组织关系转接 15个工作日
(SEL.METHOD.TRANSFER15) — open items of the caller's scope, filtered and paginated in the
database, due dates on the State Council calendar (zhucun.selection.deadlines). A row in a
year whose holiday schedule is not entered has ``due`` null, ``unknown_year`` set and the
status "请录入YYYY年节假日安排" — never a guess."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from zhucun.registry.models import Posting
from zhucun.selection.deadlines import (
    KINDS,
    DeadlineRow,
    deadline_queryset,
    deadline_rows,
    posting_record_milestone,
)

from ..common import ObjectId, read_dates, responses, user_of
from ..selection_schemas import DeadlinePage, DeadlineQuery, MilestoneCreate, MilestoneOut

router = Router(tags=["时限提醒"])


def row_out(r: DeadlineRow) -> dict[str, Any]:
    p = r.posting
    return {
        "posting_id": p.pk,
        "cadre_id": p.cadre_id,
        "cadre_name": p.cadre.name,
        "village_id": p.village_id,
        "village_name": p.village.jurisdiction.name,
        "township_name": p.village.township.name,
        "role": p.role,
        "role_label": p.get_role_display(),
        "kind": r.kind,
        "kind_label": KINDS[r.kind],
        "start": r.start,
        "done_on": r.done_on,
        "due": r.due,
        "unknown_year": r.unknown_year,
        "status": r.status,
        "team_in_place": not r.team_short,
        "findings": [
            {"clause": f.clause, "severity": f.severity, "message": f.message} for f in r.findings
        ],
    }


@router.get("/deadlines", response=responses(DeadlinePage), summary="时限提醒(未办结事项)")
def deadline_list(request: HttpRequest, filters: Query[DeadlineQuery]) -> dict[str, Any]:
    qs = deadline_queryset(user=user_of(request), kind=filters.kind)
    start = (filters.page - 1) * filters.page_size
    postings = list(qs[start : start + filters.page_size])
    rows = deadline_rows(postings, kind=filters.kind, today=timezone.localdate())
    return {
        "count": qs.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": [row_out(r) for r in rows],
    }


def milestone_out(p: Posting, kind: str) -> dict[str, Any]:
    return {
        "posting_id": p.pk,
        "cadre_name": p.cadre.name,
        "kind": kind,
        "kind_label": KINDS[kind],
        "on": p.fs_appointed_on if kind == "appoint" else p.party_transfer_on,
        "fs_appointed_on": p.fs_appointed_on,
        "party_transfer_on": p.party_transfer_on,
    }


@router.post(
    "/postings/{id}/milestones",
    response=responses(MilestoneOut),
    summary="登记第一书记任命或党组织关系转接",
)
def posting_milestone_create(
    request: HttpRequest, payload: MilestoneCreate, id: int = ObjectId
) -> dict[str, Any]:
    on = read_dates({"on": payload.on})["on"]
    p = posting_record_milestone(
        actor=user_of(request), posting_id=id, kind=payload.kind, on=on, note=payload.note
    )
    return milestone_out(p, payload.kind)
