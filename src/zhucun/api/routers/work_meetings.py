"""工作例会与任务清单 (MGT.2), 重点任务清单 (DUT.LIST) and 职责任务统计 (DUT.1–5). Each write
calls zhucun.work.services.meetings, which decides role, scope and rules; outside the caller's
scope a record answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.attendance.models import DUTY_CODES
from zhucun.core.errors import ValidationFailed
from zhucun.policy.work import PROGRESS_LABELS, TASK_STATE_LABELS, week_label
from zhucun.work.models import TEXT_MAX, KeyTaskList, KeyTaskProgress, Meeting, Task
from zhucun.work.scope import team_village_id
from zhucun.work.selectors import duty_totals as totals_read
from zhucun.work.selectors import meetings as read
from zhucun.work.services import meetings as svc

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import MAX_ID, Body, Int, PageQuery, Text, page_of

router = Router(tags=["工作例会与任务清单"])

Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Date = Annotated[Text, Field(max_length=40)]
Month = Annotated[Text, Field(max_length=7, description="月份(YYYY-MM),默认本月")]
DUTY_TEXT = "、".join(f"{k}({v})" for k, v in DUTY_CODES.items())
PROGRESS_TEXT = "、".join(f"{k}({v})" for k, v in PROGRESS_LABELS.items())


def _text(n: int) -> Any:
    return Annotated[Text, Field(max_length=n)]


def _month(raw: str) -> dt.date:
    if not raw.strip():
        return timezone.localdate().replace(day=1)
    try:
        y, m = raw.strip().split("-")[:2]
        return dt.date(int(y), int(m), 1)
    except (ValueError, TypeError):
        raise ValidationFailed({"month": "月份格式应为YYYY-MM"}) from None


class TaskFields(Body):
    title: _text(svc.TITLE_MAX) = Field(..., description="任务")
    owner_id: Id = Field(..., description="责任人(本村驻村工作队成员的干部编号)")
    due: Date = Field(..., description="完成时限(YYYY-MM-DD)")
    duty: _text(8) = Field(..., description=f"职责任务类别:{DUTY_TEXT}")


class MeetingCreate(Body):
    """第一书记录入本周工作例会(MGT.2);议定的任务同时进入任务清单"""

    held_on: Date = Field(..., description="会议日期(YYYY-MM-DD)")
    attendee_ids: list[Id] = Field(..., max_length=50, description="参会人员(干部编号)")
    topics: _text(TEXT_MAX) = Field(..., description="议题")
    decisions: _text(TEXT_MAX) = Field("", description="议定事项")
    tasks: list[TaskFields] = Field([], max_length=svc.TASK_ROWS_MAX, description="任务清单")


class TaskCreate(Body):
    """第一书记新建任务;给出 key_item_id 时由重点任务转入(名称、类别、时限可省略)"""

    title: _text(svc.TITLE_MAX) = Field("", description="任务")
    owner_id: Id = Field(..., description="责任人(干部编号)")
    due: Date = Field("", description="完成时限(YYYY-MM-DD)")
    duty: _text(8) = Field("", description=f"职责任务类别:{DUTY_TEXT}")
    key_item_id: Id | None = Field(None, description="由哪项重点任务转入")


class TaskDone(Body):
    done_on: Date = Field("", description="完成日期(YYYY-MM-DD),默认今天")
    done_note: _text(svc.NOTE_MAX) = Field("", description="完成情况")


class KeyItemFields(Body):
    title: _text(svc.TITLE_MAX) = Field(..., description="任务")
    duty: _text(8) = Field(..., description=f"职责任务类别:{DUTY_TEXT}")
    due: Date = Field(..., description="完成时限(YYYY-MM-DD)")


class KeyListCreate(Body):
    """下达重点任务清单(DUT.LIST):下达到本机构辖区内各村"""

    title: _text(svc.LIST_TITLE_MAX) = Field(..., description="清单名称")
    issued_on: Date = Field(..., description="下达日期(YYYY-MM-DD)")
    note: _text(TEXT_MAX) = Field("", description="说明")
    items: list[KeyItemFields] = Field(..., max_length=svc.ITEMS_MAX, description="重点任务")
    jurisdiction_id: Id | None = Field(None, description="下达范围(仅系统管理员需要)")


class ProgressReport(Body):
    state: _text(12) = Field(..., description=f"进展:{PROGRESS_TEXT}")
    note: _text(svc.NOTE_MAX) = Field("", description="进展情况")


class MeetingQuery(PageQuery):
    village_id: int | None = Field(None, ge=1, le=MAX_ID, description="村编号")
    month: Month = ""


class MonthQuery(BaseModel):
    month: Month = ""


class TaskQuery(PageQuery):
    village_id: int | None = Field(None, ge=1, le=MAX_ID, description="村编号")
    state: _text(8) = Field("", description="状态:open(进行中)/done(已完成)")


class TotalsQuery(PageQuery):
    month: Month = ""
    level: _text(10) = Field("village", description="统计层级:village/township/county")


class TaskOut(BaseModel):
    id: int
    village_id: int
    village_name: str
    meeting_id: int | None
    key_item_id: int | None
    title: str
    owner_id: int
    owner_name: str
    due: dt.date
    duty: str
    duty_label: str
    state: str
    state_label: str
    done_on: dt.date | None
    done_note: str


class MeetingOut(BaseModel):
    id: int
    village_id: int
    village_name: str
    held_on: dt.date
    week: dt.date
    week_label: str
    attendee_ids: list[int]
    attendee_names: list[str]
    topics: str
    decisions: str
    tasks: list[TaskOut]
    recorded_at: dt.datetime


class MeetingWeekMissingOut(BaseModel):
    village_id: int
    village_name: str
    township_name: str
    week: dt.date
    week_label: str
    held: int
    clause: str
    message: str


class MissingList(BaseModel):
    month: dt.date
    count: int
    results: list[MeetingWeekMissingOut]


class KeyItemOut(BaseModel):
    id: int
    title: str
    duty: str
    duty_label: str
    due: dt.date


class KeyListOut(BaseModel):
    id: int
    jurisdiction_id: int
    jurisdiction_name: str
    title: str
    issued_on: dt.date
    note: str
    items: list[KeyItemOut]


class CellOut(BaseModel):
    item_id: int
    state: str
    state_label: str
    note: str


class MatrixRow(BaseModel):
    village_id: int
    village_name: str
    cells: list[CellOut]


class KeyListDetailOut(KeyListOut):
    villages_count: int = Field(description="范围内可查看的村数")
    progress: list[MatrixRow] = Field(description="各村进展(本页)")


class ProgressOut(BaseModel):
    item_id: int
    village_id: int
    state: str
    state_label: str
    note: str


class DutyCell(BaseModel):
    duty: str
    duty_label: str
    diary: int
    tasks: int
    visits: int


class TotalsRow(BaseModel):
    area_id: int
    area_name: str
    duties: list[DutyCell]
    reports: int


MeetingPage = page_of(MeetingOut)
TaskPage = page_of(TaskOut)
KeyListPage = page_of(KeyListOut)
TotalsPage = page_of(TotalsRow)


def task_out(t: Task) -> dict[str, Any]:
    return {
        "id": t.pk,
        "village_id": t.village_id,
        "village_name": t.village.jurisdiction.name,
        "meeting_id": t.meeting_id,
        "key_item_id": t.key_item_id,
        "title": t.title,
        "owner_id": t.owner_id,
        "owner_name": t.owner.name,
        "due": t.due,
        "duty": t.duty,
        "duty_label": DUTY_CODES.get(t.duty, t.duty),
        "state": t.state,
        "state_label": TASK_STATE_LABELS.get(t.state, t.state),
        "done_on": t.done_on,
        "done_note": t.done_note,
    }


def meeting_out(m: Meeting) -> dict[str, Any]:
    people = sorted(m.attendees.all(), key=lambda c: c.pk)
    return {
        "id": m.pk,
        "village_id": m.village_id,
        "village_name": m.village.jurisdiction.name,
        "held_on": m.held_on,
        "week": m.week,
        "week_label": week_label(m.week),
        "attendee_ids": [c.pk for c in people],
        "attendee_names": [c.name for c in people],
        "topics": m.topics,
        "decisions": m.decisions,
        "tasks": [task_out(t) for t in m.tasks.all()],
        "recorded_at": m.recorded_at,
    }


def key_list_out(kl: KeyTaskList) -> dict[str, Any]:
    return {
        "id": kl.pk,
        "jurisdiction_id": kl.jurisdiction_id,
        "jurisdiction_name": kl.jurisdiction.name,
        "title": kl.title,
        "issued_on": kl.issued_on,
        "note": kl.note,
        "items": [
            {
                "id": it.pk,
                "title": it.title,
                "duty": it.duty,
                "duty_label": DUTY_CODES.get(it.duty, it.duty),
                "due": it.due,
            }
            for it in kl.items.all()
        ],
    }


# ---- meetings -----------------------------------------------------------------------------------


@router.get("/meetings", response=responses(MeetingPage), summary="工作例会记录列表")
def meeting_list(request: HttpRequest, filters: Query[MeetingQuery]) -> dict[str, Any]:
    month = _month(filters.month) if filters.month.strip() else None
    qs = read.meeting_list(
        user=user_of(request), village=filters.village_id, month=month
    ).prefetch_related("attendees", "tasks__owner", "tasks__village__jurisdiction")
    return paginate(qs, filters, meeting_out)


@router.post("/meetings", response=responses(MeetingOut, 201), summary="录入工作例会(MGT.2)")
def meeting_create(request: HttpRequest, payload: MeetingCreate) -> Status[dict[str, Any]]:
    user = user_of(request)
    m = svc.meeting_record(
        actor=user,
        held_on=payload.held_on,
        attendee_ids=payload.attendee_ids,
        topics=payload.topics,
        decisions=payload.decisions,
        tasks=[t.model_dump() for t in payload.tasks],
    )
    return Status(201, meeting_out(read.meeting_get(user=user, pk=m.pk)))


@router.get(
    "/meetings/missing",
    response=responses(MissingList),
    summary="未召开工作例会的周(MGT.2)",
    description="所选月份(按ISO周的周四归属)中已结束、未召开例会且未被豁免的周;"
    "第一书记该周每个工作日均经批准休假或轮休,或该周没有工作日的,豁免",
)
def meeting_missing(request: HttpRequest, filters: Query[MonthQuery]) -> dict[str, Any]:
    month = _month(filters.month)
    rows = read.missing_meeting_weeks(
        user=user_of(request), month=month, today=timezone.localdate()
    )
    return {
        "month": month,
        "count": len(rows),
        "results": [
            {
                "village_id": r["village_id"],
                "village_name": r["village_name"],
                "township_name": r["township_name"],
                "week": r["week"],
                "week_label": week_label(r["week"]),
                "held": r["held"],
                "clause": r["finding"].clause,
                "message": r["finding"].message,
            }
            for r in rows
        ],
    }


# ---- tasks --------------------------------------------------------------------------------------


@router.get("/tasks", response=responses(TaskPage), summary="任务清单")
def task_list(request: HttpRequest, filters: Query[TaskQuery]) -> dict[str, Any]:
    user = user_of(request)
    village = filters.village_id or team_village_id(user)
    qs = read.task_list(user=user, village=village, state=filters.state.strip() or None)
    return paginate(qs, filters, task_out)


@router.post("/tasks", response=responses(TaskOut, 201), summary="新建任务")
def task_create(request: HttpRequest, payload: TaskCreate) -> Status[dict[str, Any]]:
    user = user_of(request)
    t = svc.task_create(
        actor=user,
        title=payload.title,
        owner_id=payload.owner_id,
        due=payload.due or None,
        duty=payload.duty,
        key_item_id=payload.key_item_id,
    )
    return Status(201, task_out(read.task_list(user=user).get(pk=t.pk)))


@router.post("/tasks/{id}/done", response=responses(TaskOut), summary="标记任务完成")
def task_done(request: HttpRequest, payload: TaskDone, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    t = svc.task_done(
        actor=user,
        task_id=id,
        done_on=payload.done_on or timezone.localdate(),
        done_note=payload.done_note,
    )
    return task_out(read.task_list(user=user).get(pk=t.pk))


@router.get(
    "/tasks/overdue",
    response=responses(TaskPage),
    summary="逾期未完成的任务(MGT.2)",
    description="完成时限已过(到期当天不算)且未完成的任务,含责任人",
)
def task_overdue(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    qs = read.tasks_overdue(user=user_of(request), today=timezone.localdate())
    return paginate(qs, filters, task_out)


# ---- key-task lists -----------------------------------------------------------------------------


@router.get("/key-task-lists", response=responses(KeyListPage), summary="重点任务清单列表")
def key_list_list(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    qs = read.key_list_list(user=user_of(request)).prefetch_related("items")
    return paginate(qs, filters, key_list_out)


def _detail(request: HttpRequest, kl: KeyTaskList, page: int = 1) -> dict[str, Any]:
    user = user_of(request)
    pg = read.key_progress_matrix(key_list=kl, user=user, page=page, per_page=50)
    return {
        **key_list_out(kl),
        "villages_count": pg.paginator.count,
        "progress": [
            {
                "village_id": r["village"].pk,
                "village_name": r["village"].jurisdiction.name,
                "cells": [
                    {
                        "item_id": c["item"].pk,
                        "state": c["state"],
                        "state_label": c["label"],
                        "note": c["note"],
                    }
                    for c in r["cells"]
                ],
            }
            for r in pg.object_list
        ],
    }


@router.post(
    "/key-task-lists", response=responses(KeyListDetailOut, 201), summary="下达重点任务清单"
)
def key_list_create(request: HttpRequest, payload: KeyListCreate) -> Status[dict[str, Any]]:
    user = user_of(request)
    kl = svc.key_list_issue(
        actor=user,
        title=payload.title,
        issued_on=payload.issued_on,
        note=payload.note,
        items=[i.model_dump() for i in payload.items],
        jurisdiction_id=payload.jurisdiction_id,
    )
    return Status(201, _detail(request, read.key_list_get(user=user, pk=kl.pk)))


@router.get(
    "/key-task-lists/{id}",
    response=responses(KeyListDetailOut),
    summary="重点任务清单详情与各村进展",
)
def key_list_detail(
    request: HttpRequest, filters: Query[PageQuery], id: int = ObjectId
) -> dict[str, Any]:
    kl = read.key_list_get(user=user_of(request), pk=id)
    return _detail(request, kl, filters.page)


@router.post(
    "/key-task-items/{id}/progress",
    response=responses(ProgressOut),
    summary="报告本村重点任务进展(DUT.LIST)",
)
def key_progress(request: HttpRequest, payload: ProgressReport, id: int = ObjectId) -> Any:
    row: KeyTaskProgress = svc.key_progress_report(
        actor=user_of(request), item_id=id, state=payload.state, note=payload.note
    )
    return {
        "item_id": row.item_id,
        "village_id": row.village_id,
        "state": row.state,
        "state_label": PROGRESS_LABELS[row.state],
        "note": row.note,
    }


# ---- duty totals --------------------------------------------------------------------------------


@router.get(
    "/duty-totals",
    response=responses(TotalsPage),
    summary="职责任务统计(DUT.1–DUT.5)",
    description="按村、乡镇或县和月份统计:工作日志按所标职责逐项计数;任务按类别计当月新建或"
    "到期的;走访不记类别,一律计入DUT.2;报告不记类别,单列报送数",
)
def duty_totals(request: HttpRequest, filters: Query[TotalsQuery]) -> dict[str, Any]:
    level = filters.level.strip() or "village"
    if level not in totals_read.LEVELS:
        raise ValidationFailed({"level": "统计层级应为 village、township 或 county"})
    pg = totals_read.duty_totals(
        user=user_of(request),
        month=_month(filters.month),
        level=level,
        page=filters.page,
        per_page=filters.page_size,
    )
    out = []
    if filters.page <= pg.paginator.num_pages:
        for r in pg.object_list:
            out.append(
                {
                    "area_id": r["area"].pk,
                    "area_name": r["area"].name,
                    "duties": [
                        {
                            "duty": c["code"],
                            "duty_label": c["label"],
                            "diary": c["diary"],
                            "tasks": c["tasks"],
                            "visits": c["visits"],
                        }
                        for c in r["cells"]
                    ],
                    "reports": r["reports"],
                }
            )
    return {
        "count": pg.paginator.count,
        "page": filters.page,
        "page_size": filters.page_size,
        "results": out,
    }
