"""纪律处理记录 (MGT.10) and 谈心谈话 (GUA.3.TALK): lists, details, entry, correction by a
superseding record (never a delete), and the cadres due a talk. Each write calls its service
in zhucun.review.services, which decides role, scope and rules; outside the caller's scope a
record or a cadre answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.api.selection_schemas import FindingOut
from zhucun.params.selectors import parameters_current
from zhucun.policy.review import OUTCOME_LABELS, PROHIBITION_LABELS
from zhucun.registry.models import Posting
from zhucun.review.models import TEXT_MAX, DisciplineRecord, RecorderKind, Talk
from zhucun.review.selectors import discipline as discipline_read
from zhucun.review.selectors import talks as talk_read
from zhucun.review.services import discipline as discipline_write
from zhucun.review.services import talks as talk_write

from ..common import ObjectId, paginate, read_dates, responses, user_of
from ..schemas import MAX_ID, Body, Int, PageQuery, Text, page_of

router = Router(tags=["纪律处理与谈心谈话"])

Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Date = Annotated[Text, Field(max_length=40)]
KIND_LABELS = dict(RecorderKind.choices)


def _text(n: int) -> Any:
    return Annotated[Text, Field(max_length=n)]


OUTCOME_TEXT = "、".join(f"{k}({v})" for k, v in OUTCOME_LABELS.items())
PROHIBITION_TEXT = "、".join(f"{k}({v})" for k, v in PROHIBITION_LABELS.items())


class DisciplineFields(Body):
    occurred_on: Date = Field(..., description="发生日期(YYYY-MM-DD)")
    description: _text(TEXT_MAX) = Field(..., description="违纪违法事实")
    found_by: _text(discipline_write.FOUND_BY_MAX) = Field(..., description="发现人或发现途径")
    outcome: _text(16) = Field(..., description=f"处理结果(代码或中文):{OUTCOME_TEXT}")
    prohibition: _text(16) = Field(
        ..., description=f"八必须、八严禁类别(代码或中文):{PROHIBITION_TEXT}"
    )
    decided_on: Date | None = Field(None, description="处理日期(YYYY-MM-DD,可选)")


class DisciplineCreate(DisciplineFields):
    """录入纪律处理记录(MGT.10)"""

    cadre_id: Id = Field(..., description="干部编号")


class DisciplineSupersede(DisciplineFields):
    """更正纪律处理记录:新记录取代原记录,原记录保留但不再有效"""

    reason: _text(discipline_write.REASON_MAX) = Field(..., description="更正理由")


class DisciplineQuery(PageQuery):
    cadre_id: int | None = Field(None, ge=1, le=MAX_ID, description="干部编号")
    standing_only: bool = Field(False, description="只列有效记录(未被更正的)")


class DisciplineOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    occurred_on: dt.date
    description: str
    found_by: str
    outcome: str
    outcome_label: str
    prohibition: str
    prohibition_label: str
    decided_on: dt.date | None
    recorder_kind: str
    recorder_kind_label: str
    jurisdiction_name: str
    supersedes_id: int | None
    correction_reason: str
    standing: bool = Field(description="有效(未被更正)")
    recorded_at: dt.datetime


class DisciplineDetailOut(DisciplineOut):
    chain: list[DisciplineOut] = Field(description="更正链:最初的记录在前,有效记录在后")


DisciplinePage = page_of(DisciplineOut)


def discipline_out(r: DisciplineRecord, standing: bool | None = None) -> dict[str, Any]:
    return {
        "id": r.pk,
        "cadre_id": r.cadre_id,
        "cadre_name": r.cadre.name,
        "unit_name": r.cadre.unit.name,
        "occurred_on": r.occurred_on,
        "description": r.description,
        "found_by": r.found_by,
        "outcome": r.outcome,
        "outcome_label": OUTCOME_LABELS.get(r.outcome, r.outcome),
        "prohibition": r.prohibition,
        "prohibition_label": PROHIBITION_LABELS.get(r.prohibition, r.prohibition),
        "decided_on": r.decided_on,
        "recorder_kind": r.recorder_kind,
        "recorder_kind_label": KIND_LABELS.get(r.recorder_kind, r.recorder_kind),
        "jurisdiction_name": r.jurisdiction.name if r.jurisdiction_id else "",
        "supersedes_id": r.supersedes_id,
        "correction_reason": r.correction_reason,
        "standing": bool(getattr(r, "standing", True) if standing is None else standing),
        "recorded_at": r.recorded_at,
    }


def discipline_detail(r: DisciplineRecord) -> dict[str, Any]:
    chain = discipline_read.discipline_chain(r)
    last = chain[-1].pk
    return {
        **discipline_out(r),
        "chain": [discipline_out(x, standing=x.pk == last) for x in chain],
    }


def _fields(payload: DisciplineFields) -> dict[str, Any]:
    """The body as the service takes it: dates as text, read there with every other field so
    that one 400 lists all that is wrong."""
    return {
        "occurred_on": payload.occurred_on,
        "description": payload.description,
        "found_by": payload.found_by,
        "outcome": payload.outcome,
        "prohibition": payload.prohibition,
        "decided_on": payload.decided_on,
    }


@router.get("/discipline-records", response=responses(DisciplinePage), summary="纪律处理记录列表")
def discipline_record_list(request: HttpRequest, filters: Query[DisciplineQuery]) -> dict[str, Any]:
    qs = discipline_read.discipline_list(
        user=user_of(request), cadre=filters.cadre_id, standing_only=filters.standing_only
    )
    return paginate(qs, filters, discipline_out)


@router.get(
    "/discipline-records/{id}",
    response=responses(DisciplineDetailOut),
    summary="纪律处理记录详情(含更正链)",
)
def discipline_record_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    return discipline_detail(discipline_read.discipline_get(user=user_of(request), pk=id))


@router.post(
    "/discipline-records",
    response=responses(DisciplineDetailOut, 201),
    summary="录入纪律处理记录",
)
def discipline_record_create(
    request: HttpRequest, payload: DisciplineCreate
) -> Status[dict[str, Any]]:
    user = user_of(request)
    r = discipline_write.discipline_record_create(
        actor=user, cadre_id=payload.cadre_id, **_fields(payload)
    )
    return Status(201, discipline_detail(discipline_read.discipline_get(user=user, pk=r.pk)))


@router.post(
    "/discipline-records/{id}/supersede",
    response=responses(DisciplineDetailOut, 201),
    summary="更正纪律处理记录(新记录取代原记录)",
)
def discipline_record_supersede(
    request: HttpRequest, payload: DisciplineSupersede, id: int = ObjectId
) -> Status[dict[str, Any]]:
    user = user_of(request)
    r = discipline_write.discipline_record_supersede(
        actor=user, record_id=id, reason=payload.reason, **_fields(payload)
    )
    return Status(201, discipline_detail(discipline_read.discipline_get(user=user, pk=r.pk)))


# ---- talks ----------------------------------------------------------------------------------


class TalkCreate(Body):
    """录入谈心谈话记录(GUA.3.TALK)"""

    cadre_id: Id = Field(..., description="干部编号")
    held_on: Date = Field(..., description="谈话日期(YYYY-MM-DD)")
    talker: _text(talk_write.TALKER_MAX) = Field(..., description="谈话人(姓名、职务)")
    topics: _text(TEXT_MAX) = Field(..., description="谈话内容")
    follow_up: _text(TEXT_MAX) = Field("", description="跟进事项")


class TalkQuery(PageQuery):
    cadre_id: int | None = Field(None, ge=1, le=MAX_ID, description="干部编号")


class TalkOut(BaseModel):
    id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    held_on: dt.date
    talker: str
    talker_kind: str
    talker_kind_label: str
    topics: str
    follow_up: str
    recorded_at: dt.datetime


class OverdueOut(BaseModel):
    cadre_id: int
    cadre_name: str
    unit_name: str
    posting_id: int
    village_name: str
    role_label: str
    last_talk: dt.date | None
    due_since: dt.date = Field(description="此日及以后的谈话才算近期谈话")
    findings: list[FindingOut]


class OverdueQuery(PageQuery):
    on: Date = Field("", description="按哪一天计算(YYYY-MM-DD),默认今天")


TalkPage = page_of(TalkOut)
OverduePage = page_of(OverdueOut)


def talk_out(t: Talk) -> dict[str, Any]:
    return {
        "id": t.pk,
        "cadre_id": t.cadre_id,
        "cadre_name": t.cadre.name,
        "unit_name": t.cadre.unit.name,
        "held_on": t.held_on,
        "talker": t.talker,
        "talker_kind": t.talker_kind,
        "talker_kind_label": KIND_LABELS.get(t.talker_kind, t.talker_kind),
        "topics": t.topics,
        "follow_up": t.follow_up,
        "recorded_at": t.recorded_at,
    }


@router.get("/talks", response=responses(TalkPage), summary="谈心谈话记录列表")
def talk_list(request: HttpRequest, filters: Query[TalkQuery]) -> dict[str, Any]:
    qs = talk_read.talk_list(user=user_of(request), cadre=filters.cadre_id)
    return paginate(qs, filters, talk_out)


@router.post("/talks", response=responses(TalkOut, 201), summary="录入谈心谈话记录")
def talk_create(request: HttpRequest, payload: TalkCreate) -> Status[dict[str, Any]]:
    user = user_of(request)
    t = talk_write.talk_create(
        actor=user,
        cadre_id=payload.cadre_id,
        held_on=payload.held_on,
        talker=payload.talker,
        topics=payload.topics,
        follow_up=payload.follow_up,
    )
    return Status(201, talk_out(talk_read.talk_list(user=user).get(pk=t.pk)))


@router.get(
    "/talks/overdue",
    response=responses(OverduePage),
    summary="超过谈话间隔的驻村干部(GUA.3.TALK)",
    description="在岗驻村干部中,最近一次谈心谈话早于 talk_max_interval_months 个月前(或尚无谈话)的名单",
)
def talk_overdue(request: HttpRequest, filters: Query[OverdueQuery]) -> dict[str, Any]:
    user = user_of(request)
    today = read_dates({"on": filters.on})["on"] if filters.on.strip() else timezone.localdate()
    params = parameters_current()
    qs = talk_read.talks_overdue(user=user, today=today, params=params)

    def row(p: Posting) -> dict[str, Any]:
        (r,) = talk_read.overdue_rows([p], today=today, params=params)
        return {
            "cadre_id": p.cadre_id,
            "cadre_name": p.cadre.name,
            "unit_name": p.cadre.unit.name,
            "posting_id": p.pk,
            "village_name": p.village.jurisdiction.name,
            "role_label": p.get_role_display(),
            "last_talk": p.last_talk,  # type: ignore[attr-defined]
            "due_since": p.due_since,  # type: ignore[attr-defined]
            "findings": [
                {"clause": f.clause, "severity": f.severity, "message": f.message}
                for f in r["findings"]
            ],
        }

    return paginate(qs, filters, row)
