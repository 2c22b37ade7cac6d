"""集中培训 (MGT.7): events, participants (their training days are on duty, MGT.1.DAYS),
the sign-in sheet import, each cadre's concentrated training days (MGT.7.DAYS) and the coverage
gaps (MGT.7.COVER). Each write calls zhucun.support.services.training, which decides role,
scope and rules; outside the caller's scope an event answers 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.support.models import TEXT_MAX, TrainingEvent
from zhucun.support.scope import READERS, cadre_q
from zhucun.support.selectors import training as read
from zhucun.support.services import training as write

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import MAX_ID, Body, Int, PageQuery, Text, page_of

router = Router(tags=["集中培训"])

Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Date = Annotated[Text, Field(max_length=40)]
Year = Field(None, ge=2000, le=2100, description="年度(默认今年)")


class TrainingEventCreate(Body):
    """登记集中培训(MGT.7.ANNUAL):主办机构为本账号的州或县(市)"""

    title: Annotated[Text, Field(max_length=200)] = Field(..., description="培训名称")
    start: Date = Field(..., description="开始日期(YYYY-MM-DD)")
    end: Date = Field(..., description="结束日期(YYYY-MM-DD)")
    days: Annotated[Text, Field(max_length=10)] = Field(
        ..., description="集中培训天数(可为半天,如“2.5”;不超过开始至结束的日历日数)"
    )
    content: Annotated[Text, Field(max_length=TEXT_MAX)] = Field("", description="培训内容")


class AttendanceSet(Body):
    """参训人员(整体替换):新增的自动登记培训期间在岗,移除的撤回该在岗登记"""

    cadre_ids: list[Id] = Field(..., max_length=write.MAX_PARTICIPANTS, description="干部编号")


class TrainingEventQuery(PageQuery):
    year: int | None = Year


class TrainingYearQuery(PageQuery):
    year: int | None = Year


class TrainingGapQuery(TrainingYearQuery):
    county: Annotated[Text, Field(max_length=15)] = Field("", description="县(市)区划代码")
    unit_id: int | None = Field(None, ge=1, le=MAX_ID, description="派出单位编号")


class TrainingEventOut(BaseModel):
    id: int
    title: str
    level: str
    level_label: str
    organiser_code: str
    organiser_name: str
    start: dt.date
    end: dt.date
    days: Decimal
    content: str


class ParticipantOut(BaseModel):
    cadre_id: int
    cadre_name: str
    unit_name: str
    leave_id: int | None = Field(description="培训期间在岗的请假记录(类别:培训)")


class TrainingEventDetailOut(TrainingEventOut):
    participants: list[ParticipantOut] = Field(description="您可查看的参训人员")


class DaysOut(BaseModel):
    cadre_id: int
    cadre_name: str
    unit_name: str
    role_label: str
    village_name: str
    days: Decimal = Field(description="本年度集中培训天数(培训按开始日期计入年度)")
    limit: Decimal = Field(description="每年集中培训最少天数(MGT.7.DAYS)")
    short: bool = Field(description="少于最少天数")


class TrainingGapOut(BaseModel):
    cadre_id: int
    cadre_name: str
    unit_name: str
    role_label: str
    village_name: str
    county_name: str
    no_prefecture: bool = Field(description="第一书记本年度未参加州级培训")
    no_county: bool = Field(description="本年度未参加县级培训")


class ImportOut(BaseModel):
    added: int
    event: TrainingEventDetailOut


EventPage = page_of(TrainingEventOut)
DaysPage = page_of(DaysOut)
GapPage = page_of(TrainingGapOut)


def event_out(e: TrainingEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "title": e.title,
        "level": e.level,
        "level_label": e.get_level_display(),
        "organiser_code": e.organiser.code,
        "organiser_name": e.organiser.name,
        "start": e.start,
        "end": e.end,
        "days": e.days,
        "content": e.content,
    }


def event_detail(e: TrainingEvent, user: Any) -> dict[str, Any]:
    rows = read.attendance_list(event=e).filter(cadre_q(user))[: write.MAX_PARTICIPANTS]
    return {
        **event_out(e),
        "participants": [
            {
                "cadre_id": a.cadre_id,
                "cadre_name": a.cadre.name,
                "unit_name": a.cadre.unit.name,
                "leave_id": a.leave_id,
            }
            for a in rows
        ],
    }


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


def _reader(request: HttpRequest) -> Any:
    user = user_of(request)
    if user.role not in READERS:
        raise Forbidden("集中培训由州、县(市)组织,组织部门、乡镇(街道)和派出单位查阅(MGT.7)")
    return user


@router.get("/training-events", response=responses(EventPage), summary="集中培训列表")
def training_event_list(request: HttpRequest, filters: Query[TrainingEventQuery]) -> dict[str, Any]:
    qs = read.training_event_list(user=_reader(request), year=filters.year)
    return paginate(qs, filters, event_out)


@router.post(
    "/training-events", response=responses(TrainingEventDetailOut, 201), summary="登记集中培训"
)
def training_event_create(
    request: HttpRequest, payload: TrainingEventCreate
) -> Status[dict[str, Any]]:
    user = user_of(request)
    e = write.training_event_create(
        actor=user,
        title=payload.title,
        start=payload.start,
        end=payload.end,
        days=payload.days,
        content=payload.content,
    )
    return Status(201, event_detail(read.training_event_get(user=user, pk=e.pk), user))


@router.get(
    "/training-events/{id}",
    response=responses(TrainingEventDetailOut),
    summary="集中培训详情(含参训人员)",
)
def training_event_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    return event_detail(read.training_event_get(user=user, pk=id), user)


@router.post(
    "/training-events/{id}/attendance",
    response=responses(TrainingEventDetailOut),
    summary="登记参训人员(整体替换;培训期间计为在岗)",
)
def training_attendance_set(
    request: HttpRequest, payload: AttendanceSet, id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    write.training_attendance_set(actor=user, event_id=id, cadre_ids=payload.cadre_ids)
    return event_detail(read.training_event_get(user=user, pk=id), user)


@router.post(
    "/training-events/{id}/import",
    response=responses(ImportOut),
    summary="导入培训签到表",
    description=(
        "以 multipart/form-data 上传签到表(.xlsx 或 .csv):“姓名”列,以及“干部编号”或"
        "“身份证号后两位”列;有“签到”列的只导入填“√”的行。只增加参训人员;任何一行有误则"
        "不写入,逐行逐列列出原因。"
    ),
)
def training_import(
    request: HttpRequest, file: File[UploadedFile], id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    write.event_for_writing(user, id)
    limit = int(settings.ZHUCUN_UPLOAD_MAX_BYTES)
    if file.size is not None and file.size > limit:
        raise ValidationFailed({"file": f"文件超过了允许的最大大小 {limit / 1024 / 1024:g} MB"})
    added = write.training_attendance_import(
        actor=user, event_id=id, data=file.read(limit + 1), filename=file.name or ""
    )
    return {
        "added": len(added),
        "event": event_detail(read.training_event_get(user=user, pk=id), user),
    }


def _posting_base(p: Any) -> dict[str, Any]:
    return {
        "cadre_id": p.cadre_id,
        "cadre_name": p.cadre.name,
        "unit_name": p.cadre.unit.name,
        "role_label": p.get_role_display(),
        "village_name": p.village.jurisdiction.name,
    }


@router.get(
    "/training-days", response=responses(DaysPage), summary="驻村干部集中培训天数(MGT.7.DAYS)"
)
def training_days(request: HttpRequest, filters: Query[TrainingYearQuery]) -> dict[str, Any]:
    qs = read.training_days(user=_reader(request), year=_year(filters.year))
    return paginate(
        qs,
        filters,
        lambda p: {**_posting_base(p), "days": p.days, "limit": p.limit, "short": p.short},
    )


@router.get("/training-gaps", response=responses(GapPage), summary="培训覆盖缺口(MGT.7.COVER)")
def training_gaps(request: HttpRequest, filters: Query[TrainingGapQuery]) -> dict[str, Any]:
    qs = read.coverage_gaps(
        user=_reader(request),
        year=_year(filters.year),
        county=filters.county or None,
        unit=filters.unit_id,
    )
    return paginate(
        qs,
        filters,
        lambda p: {
            **_posting_base(p),
            "county_name": p.village.township.parent.name if p.village.township.parent else "",
            "no_prefecture": p.no_prefecture,
            "no_county": p.no_county,
        },
    )
