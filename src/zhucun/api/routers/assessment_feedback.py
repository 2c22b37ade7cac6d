"""考核结果反馈 (MGT.5.FEEDBACK, GUA.3.PRIORITY) through the API: the finalised results the
caller reads (a unit: its cadres'; the county, township and prefecture: their area's) and the
unit's 签收. Scope and role are decided by zhucun.assessment.selectors.feedback and
zhucun.assessment.services.feedback."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import BaseModel, Field

from zhucun.assessment.models import Assessment
from zhucun.assessment.selectors import feedback as sel
from zhucun.assessment.services.feedback import assessment_results_receive
from zhucun.policy.assessment import GRADE_LABELS, KIND_LABELS, priority_findings

from ..common import paginate, responses, user_of
from ..schemas import Body, Int, PageQuery, page_of

router = Router(tags=["考核结果反馈"])

Year = Annotated[Int, Field(ge=sel.YEAR_MIN, le=sel.YEAR_MAX)]


class ResultQuery(PageQuery):
    year: int | None = Field(None, ge=sel.YEAR_MIN, le=sel.YEAR_MAX, description="考核年度")
    unreceived: bool = Field(False, description="仅派出单位尚未签收的")


class ReceiveIn(Body):
    """派出单位签收本单位干部已确定等次的考核结果"""

    year: Year | None = Field(None, description="考核年度;不填为全部年度")


class ReceiveOut(BaseModel):
    received: int = Field(description="本次签收的考核结果条数")


class ResultOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    unit_id: int
    unit_name: str
    county_id: int
    county_name: str
    village_name: str
    township_name: str
    role_label: str
    kind: str
    kind_label: str
    year: int
    grade: str
    grade_label: str
    finalised_at: dt.datetime | None
    unit_received_at: dt.datetime | None = Field(description="派出单位签收时间;未签收为 null")
    priority: str | None = Field(description="考核“优秀”的运用提示(GUA.3.PRIORITY),其他等次为 null")


ResultPage = page_of(ResultOut)


def result_out(a: Assessment) -> dict[str, Any]:
    village = a.posting.village
    found = priority_findings(name=a.cadre.name, year=a.year, grade=a.grade)
    return {
        "id": a.pk,
        "cadre_id": a.cadre_id,
        "cadre_name": a.cadre.name,
        "unit_id": a.cadre.unit_id,
        "unit_name": a.cadre.unit.name,
        "county_id": a.county_id,
        "county_name": a.county.name,
        "village_name": village.jurisdiction.name,
        "township_name": village.township.name,
        "role_label": a.posting.get_role_display(),
        "kind": a.kind,
        "kind_label": KIND_LABELS.get(a.kind, a.kind),
        "year": a.year,
        "grade": a.grade,
        "grade_label": GRADE_LABELS.get(a.grade, a.grade),
        "finalised_at": a.finalised_at,
        "unit_received_at": a.unit_received_at,
        "priority": found[0].message if found else None,
    }


@router.get("/assessment-results", response=responses(ResultPage), summary="考核结果(反馈派出单位)")
def assessment_result_list(request: HttpRequest, filters: Query[ResultQuery]) -> dict[str, Any]:
    qs = sel.results_for_unit(
        user=user_of(request), year=filters.year, unreceived_only=filters.unreceived
    )
    return paginate(qs, filters, result_out)


@router.post(
    "/assessment-results/receive", response=responses(ReceiveOut), summary="派出单位签收考核结果"
)
def assessment_result_receive(request: HttpRequest, payload: ReceiveIn) -> dict[str, Any]:
    return {"received": assessment_results_receive(actor=user_of(request), year=payload.year)}
