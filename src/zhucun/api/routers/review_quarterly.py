"""季度分析研判 (MGT.4.REVIEW) through the API: the reviews the caller may read (prefecture:
its counties'; county: its own), the county's start, the rows one page at a time with their
facts and MGT.4.CAUSE suggestions [{clause, severity, message, data}], a conclusion per
cadre, the signing and the corrections of a signed review. Each change calls
zhucun.review.services.quarterly, which decides scope, role and rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.core.errors import NotFound
from zhucun.policy.review import CONCLUSION_LABELS, quarter_label
from zhucun.review.models import QuarterlyReview, ReviewCorrection
from zhucun.review.selectors import quarterly as sel
from zhucun.review.services import quarterly as svc

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import MAX_ID, Body, Int, PageQuery, Text, page_of

router = Router(tags=["季度分析研判"])

CadreIdPath = Path(..., ge=1, le=MAX_ID, description="干部编号")


class ReviewQuery(PageQuery):
    state: Text = Field("", max_length=8, description="状态:draft(研判中)/signed(已签发并报州)")
    year: int | None = Field(None, ge=2000, le=2099, description="年度")
    quarter: int | None = Field(None, ge=1, le=4, description="季度")


class EntryQuery(PageQuery):
    suggested: bool = Field(False, description="仅显示有召回情形提示的")


class ReviewStart(Body):
    """开始季度研判(县级驻村工作领导协调机构,本县)"""

    year: Annotated[Int, Field(ge=2000, le=2099)] = Field(..., description="年度")
    quarter: Annotated[Int, Field(ge=1, le=4)] = Field(..., description="季度(1至4)")


class ReviewConclude(Body):
    """研判结论"""

    conclusion: Annotated[Text, Field(max_length=10)] = Field(
        ..., description="continue(继续驻村)/talk(提醒谈话)/recall(召回)"
    )
    note: Annotated[Text, Field(max_length=500)] = Field("", description="研判意见")


class ReviewSign(Body):
    """签发并报州"""

    meeting: Annotated[Text, Field(max_length=200)] = Field(..., description="研判会议(名称、日期)")


class ReviewCorrect(Body):
    """更正已签发研判的结论"""

    conclusion: Annotated[Text, Field(max_length=10)] = Field(
        ..., description="continue/talk/recall"
    )
    reason: Annotated[Text, Field(max_length=500)] = Field(..., description="更正理由")


class ReviewOut(BaseModel):
    id: int
    county_code: str
    county_name: str
    year: int
    quarter: int
    label: str
    state: str
    state_label: str
    meeting: str
    entry_count: int | None
    started_at: dt.datetime
    signed_at: dt.datetime | None
    signed_by: str | None


class SuggestionOut(BaseModel):
    clause: str
    severity: str
    message: str
    data: dict[str, Any]


class EntryOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    village_name: str
    role_label: str
    facts: dict[str, Any] = Field(
        description="研判依据:months, rates, absent_months, fraud_open, discipline, "
        "missing_diaries, satisfaction(本季度三讲三评满意度,精确分数如“13/15”,无评议为null), "
        "sjsp_votes({satisfied, total}), incompetent(本季度确定为不称职的考核,如“2025年度”), "
        "overdue_reports(待报告模块)"
    )
    suggestions: list[SuggestionOut]
    conclusion: str
    conclusion_label: str
    note: str
    corrected: str | None = Field(None, description="签发后最近一次更正的结论")


class ConclusionOut(BaseModel):
    id: int
    cadre_id: int
    conclusion: str
    conclusion_label: str
    note: str


class CorrectionOut(BaseModel):
    id: int
    entry_id: int
    cadre_id: int
    conclusion: str
    conclusion_label: str
    reason: str
    recorded_at: dt.datetime


ReviewPage = page_of(ReviewOut)
EntryPage = page_of(EntryOut)


def review_out(r: QuarterlyReview) -> dict[str, Any]:
    return {
        "id": r.pk,
        "county_code": r.county.code,
        "county_name": r.county.name,
        "year": r.year,
        "quarter": r.quarter,
        "label": quarter_label(r.year, r.quarter),
        "state": r.state,
        "state_label": r.get_state_display(),
        "meeting": r.meeting,
        "entry_count": getattr(r, "entry_count", None),
        "started_at": r.started_at,
        "signed_at": r.signed_at,
        "signed_by": (r.signed_by.display_name or r.signed_by.username) if r.signed_by else None,
    }


def _review(request: HttpRequest, id: int) -> QuarterlyReview:
    review = sel.review_list(user=user_of(request)).filter(pk=id).first()
    if review is None:
        raise NotFound(svc.NOT_FOUND)
    return review


@router.get("/reviews", response=responses(ReviewPage), summary="季度研判列表")
def review_list(request: HttpRequest, filters: Query[ReviewQuery]) -> dict[str, Any]:
    qs = sel.review_list(
        user=user_of(request), year=filters.year, quarter=filters.quarter, state=filters.state
    )
    return paginate(qs, filters, review_out)


@router.post("/reviews", response=responses(ReviewOut, 201), summary="开始季度研判")
def review_start(request: HttpRequest, payload: ReviewStart) -> Status[dict[str, Any]]:
    user = user_of(request)
    r = svc.review_start(actor=user, year=payload.year, quarter=payload.quarter)
    return Status(201, review_out(_review(request, r.pk)))


@router.get("/reviews/{id}", response=responses(ReviewOut), summary="季度研判详情")
def review_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    return review_out(_review(request, id))


@router.get("/reviews/{id}/entries", response=responses(EntryPage), summary="季度研判对象(分页)")
def review_entries(
    request: HttpRequest, filters: Query[EntryQuery], id: int = ObjectId
) -> dict[str, Any]:
    review = _review(request, id)
    qs = sel.review_rows(review=review, suggested_only=filters.suggested)
    start = (filters.page - 1) * filters.page_size
    rows = list(qs[start : start + filters.page_size])
    facts = sel.rows_page_facts(rows, review=review)
    results = []
    for e in rows:
        f = facts[e.pk]
        village = e.posting.village
        results.append(
            {
                "id": e.pk,
                "cadre_id": e.cadre_id,
                "cadre_name": e.cadre.name,
                "unit_name": e.cadre.unit.name,
                "village_name": f"{village.township.name} {village.jurisdiction.name}",
                "role_label": e.posting.get_role_display(),
                "facts": f.facts,
                "suggestions": f.suggestions,
                "conclusion": e.conclusion,
                "conclusion_label": CONCLUSION_LABELS.get(e.conclusion, ""),
                "note": e.note,
                "corrected": getattr(e, "corrected", None),
            }
        )
    return {
        "count": qs.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": results,
    }


@router.post(
    "/reviews/{id}/entries/{cadre_id}/conclusion",
    response=responses(ConclusionOut),
    summary="填写研判结论",
)
def review_conclude(
    request: HttpRequest, payload: ReviewConclude, id: int = ObjectId, cadre_id: int = CadreIdPath
) -> dict[str, Any]:
    e = svc.review_conclude(
        actor=user_of(request),
        review_id=id,
        cadre_id=cadre_id,
        conclusion=payload.conclusion,
        note=payload.note,
    )
    return {
        "id": e.pk,
        "cadre_id": e.cadre_id,
        "conclusion": e.conclusion,
        "conclusion_label": CONCLUSION_LABELS[e.conclusion],
        "note": e.note,
    }


@router.post("/reviews/{id}/sign", response=responses(ReviewOut), summary="签发研判并报州")
def review_sign(request: HttpRequest, payload: ReviewSign, id: int = ObjectId) -> dict[str, Any]:
    svc.review_sign(actor=user_of(request), review_id=id, meeting=payload.meeting)
    return review_out(_review(request, id))


@router.post(
    "/reviews/{id}/entries/{cadre_id}/corrections",
    response=responses(CorrectionOut, 201),
    summary="更正已签发研判的结论",
)
def review_correct(
    request: HttpRequest, payload: ReviewCorrect, id: int = ObjectId, cadre_id: int = CadreIdPath
) -> Status[dict[str, Any]]:
    c: ReviewCorrection = svc.review_correct(
        actor=user_of(request),
        review_id=id,
        cadre_id=cadre_id,
        conclusion=payload.conclusion,
        reason=payload.reason,
    )
    return Status(
        201,
        {
            "id": c.pk,
            "entry_id": c.entry_id,
            "cadre_id": cadre_id,
            "conclusion": c.conclusion,
            "conclusion_label": CONCLUSION_LABELS[c.conclusion],
            "reason": c.reason,
            "recorded_at": c.recorded_at,
        },
    )
