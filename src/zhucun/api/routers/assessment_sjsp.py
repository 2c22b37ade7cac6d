"""“三讲三评” (MGT.8.SJSP): events, the counted votes (JSON rows or the township's sheet),
each cadre's satisfaction (an exact fraction and a percent), the villages without an event
and the rectifications with their plan and close. Each write calls its service in
zhucun.assessment.services.sjsp, which decides role, scope and rules; outside the caller's
scope an event or a rectification answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.api.selection_schemas import FindingOut
from zhucun.assessment.models import TEXT_MAX, Rectification, SjspEvent
from zhucun.assessment.selectors import sjsp as read
from zhucun.assessment.services import sjsp as write
from zhucun.assessment.services import sjsp_import
from zhucun.core.errors import ValidationFailed
from zhucun.policy.assessment import VOTER_GROUP_LABELS, percent
from zhucun.policy.review import quarter_label

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import MAX_ID, Body, Int, PageQuery, Text, page_of

router = Router(tags=["三讲三评"])

Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Date = Annotated[Text, Field(max_length=40)]
GROUPS_TEXT = "、".join(f"{k}({v})" for k, v in VOTER_GROUP_LABELS.items())


def _text(n: int) -> Any:
    return Annotated[Text, Field(max_length=n)]


class EventCreate(Body):
    """录入“三讲三评”活动(每村每季度一次)"""

    village_id: Id = Field(..., description="村(社区)编号")
    year: Annotated[Int, Field(ge=2000, le=2100)] = Field(..., description="年度")
    quarter: Annotated[Int, Field(ge=1, le=4)] = Field(..., description="季度(1~4)")
    held_on: Date = Field(..., description="活动日期(YYYY-MM-DD)")
    summary: _text(TEXT_MAX) = Field(..., description="三讲情况")


class TallyRow(Body):
    cadre_id: Id = Field(..., description="驻村干部编号(本村该季度的工作队成员)")
    group: _text(16) = Field(..., description=f"评价人类别(代码或中文):{GROUPS_TEXT}")
    good: Int = Field(..., description="“好”票数")
    fairly_good: Int = Field(..., description="“较好”票数")
    average: Int = Field(..., description="“一般”票数")
    poor: Int = Field(..., description="“差”票数")


class TalliesIn(Body):
    """录入票数:每行一名干部、一类评价人;同一干部同一类别的原有票数被替换"""

    rows: list[TallyRow] = Field(..., max_length=100, description="票数行")


class PlanIn(Body):
    plan: _text(TEXT_MAX) = Field(..., description="整改措施")
    due: Date = Field(..., description="整改期限(YYYY-MM-DD,晚于活动日期)")


class CloseIn(Body):
    closed_on: Date = Field(..., description="整改完成日期(YYYY-MM-DD)")
    closing_note: _text(write.NOTE_MAX) = Field(..., description="整改情况")


class EventQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    quarter: int | None = Field(None, ge=1, le=4, description="季度")


class MissingQuery(PageQuery):
    year: int = Field(..., ge=2000, le=2100, description="年度")
    quarter: int = Field(..., ge=1, le=4, description="季度")


class RectificationQuery(PageQuery):
    open: bool = Field(True, description="只列未完成的整改")


class VotesOut(BaseModel):
    group: str
    group_label: str
    good: int
    fairly_good: int
    average: int
    poor: int


class CadreResultOut(BaseModel):
    cadre_id: int
    cadre_name: str
    unit_name: str
    tallies: list[VotesOut]
    good: int
    fairly_good: int
    average: int
    poor: int
    total: int
    satisfaction: str | None = Field(description="满意度(精确分数,如 13/15);无票数时为空")
    satisfaction_percent: str | None = Field(description="满意度(百分数,保留一位小数)")
    findings: list[FindingOut]
    rectification_id: int | None


class EventOut(BaseModel):
    id: int
    village_id: int
    village_name: str
    township_name: str
    year: int
    quarter: int
    quarter_label: str
    held_on: dt.date
    summary: str
    recorded_at: dt.datetime


class EventDetailOut(EventOut):
    threshold: str | None = Field(description="须整改的满意度标准(分数);本辖区尚未设置时为空")
    cadres: list[CadreResultOut]


class SjspVillageMissingOut(BaseModel):
    village_id: int
    village_name: str
    township_name: str
    team_size: int


class RectificationOut(BaseModel):
    id: int
    event_id: int
    cadre_id: int
    cadre_name: str
    village_name: str
    quarter_label: str
    satisfaction: str
    threshold: str
    plan: str
    due: dt.date | None
    closed_on: dt.date | None
    closing_note: str
    overdue: bool


class TalliesOut(BaseModel):
    written: int
    event: EventDetailOut


EventPage = page_of(EventOut)
MissingPage = page_of(SjspVillageMissingOut)
RectificationPage = page_of(RectificationOut)


def event_out(e: SjspEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "village_id": e.village_id,
        "village_name": e.village.jurisdiction.name,
        "township_name": e.village.township.name,
        "year": e.year,
        "quarter": e.quarter,
        "quarter_label": quarter_label(e.year, e.quarter),
        "held_on": e.held_on,
        "summary": e.summary,
        "recorded_at": e.recorded_at,
    }


def event_detail(e: SjspEvent, user: Any) -> dict[str, Any]:
    limit = read.event_threshold(e)
    cadres = []
    for r in read.event_rows(e, user):
        t, value = r["total"], r["satisfaction"]
        cadres.append(
            {
                "cadre_id": r["cadre"].pk,
                "cadre_name": r["cadre"].name,
                "unit_name": r["cadre"].unit.name,
                "tallies": [
                    {"group": g["group"], "group_label": g["label"], **g["votes"]}
                    for g in r["groups"]
                    if g["votes"]
                ],
                "good": t.good,
                "fairly_good": t.fairly_good,
                "average": t.average,
                "poor": t.poor,
                "total": t.total,
                "satisfaction": str(value) if value is not None else None,
                "satisfaction_percent": percent(value) if value is not None else None,
                "findings": [
                    {"clause": f.clause, "severity": f.severity, "message": f.message}
                    for f in r["findings"]
                ],
                "rectification_id": r["rectification"].pk if r["rectification"] else None,
            }
        )
    return {
        **event_out(e),
        "threshold": str(limit) if limit is not None else None,
        "cadres": cadres,
    }


def rectification_out(r: Rectification) -> dict[str, Any]:
    overdue = getattr(r, "overdue", None)
    if overdue is None:
        overdue = bool(r.closed_on is None and r.due and r.due < timezone.localdate())
    return {
        "id": r.pk,
        "event_id": r.event_id,
        "cadre_id": r.cadre_id,
        "cadre_name": r.cadre.name,
        "village_name": r.event.village.jurisdiction.name,
        "quarter_label": quarter_label(r.event.year, r.event.quarter),
        "satisfaction": r.satisfaction,
        "threshold": r.threshold,
        "plan": r.plan,
        "due": r.due,
        "closed_on": r.closed_on,
        "closing_note": r.closing_note,
        "overdue": bool(overdue),
    }


@router.get("/sjsp-events", response=responses(EventPage), summary="“三讲三评”活动列表")
def sjsp_event_list(request: HttpRequest, filters: Query[EventQuery]) -> dict[str, Any]:
    qs = read.sjsp_event_list(user=user_of(request), year=filters.year, quarter=filters.quarter)
    return paginate(qs, filters, event_out)


@router.post("/sjsp-events", response=responses(EventDetailOut, 201), summary="录入“三讲三评”活动")
def sjsp_event_create(request: HttpRequest, payload: EventCreate) -> Status[dict[str, Any]]:
    user = user_of(request)
    e = write.sjsp_event_record(
        actor=user,
        village_id=payload.village_id,
        year=payload.year,
        quarter=payload.quarter,
        held_on=payload.held_on,
        summary=payload.summary,
    )
    return Status(201, event_detail(read.sjsp_event_get(user=user, pk=e.pk), user))


@router.get(
    "/sjsp-events/{id}",
    response=responses(EventDetailOut),
    summary="“三讲三评”活动详情(各驻村干部票数与满意度)",
)
def sjsp_event_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    return event_detail(read.sjsp_event_get(user=user, pk=id), user)


@router.post(
    "/sjsp-events/{id}/tallies",
    response=responses(TalliesOut),
    summary="录入“三讲三评”票数",
    description="全部行校验通过才写入;之后按三类评价人合计计算满意度,低于标准的生成整改记录(MGT.8.SJSP)。",
)
def sjsp_tallies(request: HttpRequest, payload: TalliesIn, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    rows = [r.model_dump() for r in payload.rows]
    written = write.sjsp_tallies_record(actor=user, event_id=id, rows=rows)
    return {
        "written": len(written),
        "event": event_detail(read.sjsp_event_get(user=user, pk=id), user),
    }


@router.post(
    "/sjsp-events/{id}/import",
    response=responses(TalliesOut),
    summary="导入“三讲三评”票数登记表",
    description="以 multipart/form-data 上传票数登记表(.xlsx 或 .csv,格式同页面下载的模板);任何一行有误则不写入,逐行逐列列出原因。",
)
def sjsp_import_upload(
    request: HttpRequest, file: File[UploadedFile], id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    write.event_check(user, id)
    limit = int(settings.ZHUCUN_UPLOAD_MAX_BYTES)
    if file.size is not None and file.size > limit:
        raise ValidationFailed({"file": f"文件超过了允许的最大大小 {limit / 1024 / 1024:g} MB"})
    written = sjsp_import.sjsp_tallies_import(
        actor=user, event_id=id, data=file.read(limit + 1), filename=file.name or ""
    )
    return {
        "written": len(written),
        "event": event_detail(read.sjsp_event_get(user=user, pk=id), user),
    }


@router.get(
    "/sjsp-missing",
    response=responses(MissingPage),
    summary="未开展“三讲三评”的村(按乡镇)",
)
def sjsp_missing(request: HttpRequest, filters: Query[MissingQuery]) -> dict[str, Any]:
    qs = read.missing_events(user=user_of(request), year=filters.year, quarter=filters.quarter)
    return paginate(
        qs,
        filters,
        lambda v: {
            "village_id": v.pk,
            "village_name": v.jurisdiction.name,
            "township_name": v.township.name,
            "team_size": v.team_size,
        },
    )


@router.get("/rectifications", response=responses(RectificationPage), summary="“三讲三评”整改名单")
def rectification_list(request: HttpRequest, filters: Query[RectificationQuery]) -> dict[str, Any]:
    qs = read.rectification_list(user=user_of(request), open_only=filters.open)
    return paginate(qs, filters, rectification_out)


@router.post(
    "/rectifications/{id}/plan",
    response=responses(RectificationOut),
    summary="填写整改措施和期限",
)
def rectification_plan(request: HttpRequest, payload: PlanIn, id: int = ObjectId) -> dict[str, Any]:
    r = write.rectification_plan_set(
        actor=user_of(request), rectification_id=id, plan=payload.plan, due=payload.due
    )
    return rectification_out(r)


@router.post("/rectifications/{id}/close", response=responses(RectificationOut), summary="整改完成")
def rectification_close(
    request: HttpRequest, payload: CloseIn, id: int = ObjectId
) -> dict[str, Any]:
    r = write.rectification_close(
        actor=user_of(request),
        rectification_id=id,
        closed_on=payload.closed_on,
        closing_note=payload.closing_note,
    )
    return rectification_out(r)
