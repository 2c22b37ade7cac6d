"""召回撤换 (MGT.4.CAUSE, MGT.4.CONSEQ): list and record recalls (the county's body), a recall's
detail, the replacements still due (派出单位另行选派顶替) and a cadre's 干部管理档案 entries.
Scope and rules are decided by ``review.services.recall`` and ``review.selectors.recall``;
outside the caller's scope a recall answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.policy.review import RECALL_CAUSE_LABELS
from zhucun.registry import selectors as registry
from zhucun.registry.models import CadreFileEntry
from zhucun.review.models import Recall
from zhucun.review.selectors import recall as sel
from zhucun.review.services.recall import recall_record

from ..common import ObjectId, paginate, read_dates, responses, user_of
from ..schemas import MAX_ID, Body, Int, PageQuery, Text, page_of

router = Router(tags=["召回撤换"])

Id = Annotated[Int, Field(ge=1, le=MAX_ID)]


def _text(n: int) -> Any:
    return Annotated[Text, Field(max_length=n)]


class RecallIn(Body):
    """登记召回撤换(县级驻村工作领导协调机构)"""

    posting_id: Id = Field(..., description="被召回的在岗任职编号")
    cause: _text(16) = Field(
        ...,
        description="召回情形:" + ";".join(f"{k}={v}" for k, v in RECALL_CAUSE_LABELS.items()),
    )
    evidence: _text(2000) = Field(..., description="事实依据")
    deciding_body: _text(100) = Field(..., description="决定机构")
    decided_on: _text(40) = Field(..., description="召回决定日期(YYYY-MM-DD),即任职结束日期")
    reference: _text(100) = Field(..., description="召回文号")
    review_entry_id: Id | None = Field(None, description="所依据的季度研判对象编号(可选)")


class RecallOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    unit_id: int
    unit_name: str
    posting_id: int
    village_id: int
    village_name: str
    township_name: str
    role_label: str
    cause: str
    cause_label: str
    evidence: str
    deciding_body: str
    decided_on: dt.date
    reference: str
    review_entry_id: int | None
    ban_until: dt.date = Field(description="不得提拔使用和晋升职级至(含)(MGT.4.CONSEQ)")
    replacement_due: dt.date = Field(description="顶替人员选派期限")
    replaced: bool = Field(description="派出单位是否已另行选派顶替")
    overdue: bool = Field(description="未选派且已过期限")
    recorded_at: dt.datetime


class CadreFileEntryOut(BaseModel):
    id: int
    clause: str
    kind: str
    recorded_on: dt.date
    text: str
    ban_until: dt.date | None
    source: str


RecallPage = page_of(RecallOut)
CadreFileEntryPage = page_of(CadreFileEntryOut)


def recall_out(r: Recall) -> dict[str, Any]:
    p = r.posting
    return {
        "id": r.pk,
        "cadre_id": r.cadre_id,
        "cadre_name": r.cadre.name,
        "unit_id": r.cadre.unit_id,
        "unit_name": r.cadre.unit.name,
        "posting_id": r.posting_id,
        "village_id": p.village_id,
        "village_name": p.village.jurisdiction.name,
        "township_name": p.village.township.name,
        "role_label": p.get_role_display(),
        "cause": r.cause,
        "cause_label": RECALL_CAUSE_LABELS.get(r.cause, r.cause),
        "evidence": r.evidence,
        "deciding_body": r.deciding_body,
        "decided_on": r.decided_on,
        "reference": r.reference,
        "review_entry_id": r.review_entry_id,
        "ban_until": r.ban_until,
        "replacement_due": r.replacement_due,
        "replaced": bool(getattr(r, "replaced", False)),
        "overdue": bool(getattr(r, "overdue", False)),
        "recorded_at": r.recorded_at,
    }


def entry_out(e: CadreFileEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "clause": e.clause,
        "kind": e.kind,
        "recorded_on": e.recorded_on,
        "text": e.text,
        "ban_until": e.ban_until,
        "source": e.source,
    }


@router.get("/recalls", response=responses(RecallPage), summary="召回撤换列表")
def recall_list(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    qs = sel.recall_list(user=user_of(request), today=timezone.localdate())
    return paginate(qs, filters, recall_out)


@router.get("/recalls/{id}", response=responses(RecallOut), summary="召回撤换详情")
def recall_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    return recall_out(sel.recall_get(user=user_of(request), pk=id, today=timezone.localdate()))


@router.post("/recalls", response=responses(RecallOut, 201), summary="登记召回撤换")
def recall_create(request: HttpRequest, payload: RecallIn) -> Status[dict[str, Any]]:
    user = user_of(request)
    d = read_dates({"decided_on": payload.decided_on})
    recall = recall_record(
        actor=user,
        posting_id=payload.posting_id,
        cause=payload.cause,
        evidence=payload.evidence,
        deciding_body=payload.deciding_body,
        decided_on=d["decided_on"],
        reference=payload.reference,
        review_entry_id=payload.review_entry_id,
    )
    fresh = sel.recall_get(user=user, pk=recall.pk, today=timezone.localdate())
    return Status(201, recall_out(fresh))


@router.get("/replacements-due", response=responses(RecallPage), summary="待另行选派顶替")
def replacements_due(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    qs = sel.replacements_due(user=user_of(request), today=timezone.localdate())
    return paginate(qs, filters, recall_out)


@router.get("/cadres/{id}/file", response=responses(CadreFileEntryPage), summary="干部管理档案记载")
def cadre_file(request: HttpRequest, filters: Query[PageQuery], id: int = ObjectId) -> Any:
    qs = registry.cadre_file(user=user_of(request), cadre_id=id)
    return paginate(qs, filters, entry_out)
