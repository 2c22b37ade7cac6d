"""驻村干部考核 (MGT.5.ANNUAL, MGT.5.INPUT, MGT.5.GRADE) through the API: the assessments
the caller may read, the county's start of a year, one assessment with the facts the system
holds and the opinions heard, an opinion, the appraisal and grade, the finalising, and the
resident cadres' 优秀 quota of a county-year. Each change calls
zhucun.assessment.services.assessments, which decides scope, role and rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.assessment.facts import fact_rows, facts_for
from zhucun.assessment.models import Assessment
from zhucun.assessment.selectors import assessments as sel
from zhucun.assessment.services import assessments as svc
from zhucun.core.errors import NotFound
from zhucun.policy.assessment import GRADE_LABELS, KIND_LABELS, VOTER_GROUP_LABELS

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import Body, Int, PageQuery, Text, page_of

router = Router(tags=["驻村干部考核"])


class AssessmentQuery(PageQuery):
    county: Text = Field("", max_length=12, description="县(市)区划代码")
    year: int | None = Field(None, ge=2000, le=2099, description="年度")
    state: Text = Field("", max_length=8, description="状态:draft(考核中)/final(已确定等次)")
    kind: Text = Field("", max_length=10, description="annual(年度考核)/term_end(驻村期满考核)")


class QuotaQuery(BaseModel):
    county: Text = Field("", max_length=12, description="县(市)区划代码;县级用户可省略")
    year: int = Field(..., ge=2000, le=2099, description="年度")


class AssessmentStart(Body):
    """开始年度考核(县(市)党委组织部门,本县)"""

    year: Annotated[Int, Field(ge=2000, le=2099)] = Field(..., description="年度")


class OpinionIn(Body):
    """听取的意见"""

    group: Annotated[Text, Field(max_length=16)] = Field(
        ..., description="village_cadres(村(社区)干部)/party_members(党员)/villagers(群众)"
    )
    source: Annotated[Text, Field(max_length=200)] = Field(
        ..., description="听取方式(座谈、走访、个别谈话及人数)"
    )
    text: Annotated[Text, Field(max_length=2000)] = Field(..., description="意见")


class GradeIn(Body):
    """考核评语和等次"""

    appraisal: Annotated[Text, Field(max_length=2000)] = Field(..., description="考核评语")
    grade: Annotated[Text, Field(max_length=20)] = Field(
        ...,
        description="excellent(优秀)/competent(称职)/basically_competent(基本称职)/incompetent(不称职)",
    )
    quota_decision: Annotated[Text, Field(max_length=300)] = Field(
        "", description="超出优秀名额的研究决定"
    )


class OpinionOut(BaseModel):
    id: int
    group: str
    group_label: str
    source: str
    text: str
    recorded_at: dt.datetime


class FactOut(BaseModel):
    key: str
    label: str
    clause: str
    text: str


class AssessmentOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    village_name: str
    county_code: str
    kind: str
    kind_label: str
    year: int
    period_start: dt.date
    period_end: dt.date
    state: str
    state_label: str
    grade: str
    grade_label: str
    appraisal: str
    quota_decision: str
    opinion_groups: int | None = Field(None, description="已听取意见的类别数(共3类)")
    finalised_at: dt.datetime | None


class AssessmentDetailOut(AssessmentOut):
    facts: dict[str, Any] = Field(description="考核依据(草稿为系统实时汇总,确定等次后为冻结值)")
    fact_rows: list[FactOut]
    opinions: list[OpinionOut]


class StartOut(BaseModel):
    created: int


class QuotaOut(BaseModel):
    county_code: str
    year: int
    assessed: int
    quota: int | None = Field(description="优秀名额;本辖区尚未设置比例时为空")
    used: int
    remaining: int | None


AssessmentPage = page_of(AssessmentOut)


def assessment_out(a: Assessment) -> dict[str, Any]:
    village = a.posting.village
    return {
        "id": a.pk,
        "cadre_id": a.cadre_id,
        "cadre_name": a.cadre.name,
        "unit_name": a.cadre.unit.name,
        "village_name": f"{village.township.name} {village.jurisdiction.name}",
        "county_code": a.county.code,
        "kind": a.kind,
        "kind_label": KIND_LABELS[a.kind],
        "year": a.year,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "state": a.state,
        "state_label": a.get_state_display(),
        "grade": a.grade,
        "grade_label": GRADE_LABELS.get(a.grade, ""),
        "appraisal": a.appraisal,
        "quota_decision": a.quota_decision,
        "opinion_groups": getattr(a, "opinion_groups", None),
        "finalised_at": a.finalised_at,
    }


def _detail(request: HttpRequest, id: int) -> dict[str, Any]:
    a = sel.assessment_get(user=user_of(request), assessment_id=id)
    if a is None:
        raise NotFound(svc.NOT_FOUND)
    facts = facts_for([a])[a.pk]
    return {
        **assessment_out(a),
        "facts": facts,
        "fact_rows": fact_rows(facts),
        "opinions": [
            {
                "id": o.pk,
                "group": o.group,
                "group_label": VOTER_GROUP_LABELS[o.group],
                "source": o.source,
                "text": o.text,
                "recorded_at": o.recorded_at,
            }
            for o in sel.opinion_list(assessment=a)
        ],
    }


@router.get("/assessments", response=responses(AssessmentPage), summary="考核列表")
def assessment_list(request: HttpRequest, filters: Query[AssessmentQuery]) -> dict[str, Any]:
    qs = sel.assessment_list(
        user=user_of(request),
        county=filters.county,
        year=filters.year,
        state=filters.state,
        kind=filters.kind,
    )
    return paginate(qs, filters, assessment_out)


@router.post("/assessments", response=responses(StartOut, 201), summary="开始年度考核")
def assessment_start(request: HttpRequest, payload: AssessmentStart) -> Status[dict[str, Any]]:
    n = svc.assessment_start(actor=user_of(request), year=payload.year)
    return Status(201, {"created": n})


@router.get("/assessments/{id}", response=responses(AssessmentDetailOut), summary="考核详情")
def assessment_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    return _detail(request, id)


@router.post(
    "/assessments/{id}/opinions", response=responses(OpinionOut, 201), summary="录入听取的意见"
)
def assessment_opinion(
    request: HttpRequest, payload: OpinionIn, id: int = ObjectId
) -> Status[dict[str, Any]]:
    o = svc.assessment_opinion_add(
        actor=user_of(request),
        assessment_id=id,
        group=payload.group,
        source=payload.source,
        text=payload.text,
    )
    return Status(
        201,
        {
            "id": o.pk,
            "group": o.group,
            "group_label": VOTER_GROUP_LABELS[o.group],
            "source": o.source,
            "text": o.text,
            "recorded_at": o.recorded_at,
        },
    )


@router.post(
    "/assessments/{id}/grade", response=responses(AssessmentDetailOut), summary="填写评语和等次"
)
def assessment_grade(request: HttpRequest, payload: GradeIn, id: int = ObjectId) -> dict[str, Any]:
    svc.assessment_grade_set(
        actor=user_of(request),
        assessment_id=id,
        appraisal=payload.appraisal,
        grade=payload.grade,
        quota_decision=payload.quota_decision,
    )
    return _detail(request, id)


@router.post(
    "/assessments/{id}/finalise", response=responses(AssessmentDetailOut), summary="确定考核等次"
)
def assessment_finalise(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    svc.assessment_finalise(actor=user_of(request), assessment_id=id)
    return _detail(request, id)


@router.get("/assessment-quota", response=responses(QuotaOut), summary="驻村干部优秀名额")
def assessment_quota(request: HttpRequest, filters: Query[QuotaQuery]) -> dict[str, Any]:
    county = sel.quota_county(user=user_of(request), code=filters.county)
    if county is None:
        raise NotFound("县(市)不存在或不在您的管辖范围内")
    q = sel.quota_status(county=county, year=filters.year)
    return {
        "county_code": county.code,
        "year": q.year,
        "assessed": q.assessed,
        "quota": q.quota,
        "used": q.used,
        "remaining": q.remaining,
    }
