"""工作报告 (MGT.6.*, GUA.1.BIND, MGT.3.SUMMARY): the reports the caller reads, opening one
(its draft assembled from the records), saving and submitting the author's text, the
overdue lists, urgent reports (MGT.6.URGENT) and their acknowledgement, and the missing
monthly on-duty summaries. Each write calls zhucun.work.services.reports, which decides
role, scope and rules; a report outside the caller's scope answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.core.errors import NotFound
from zhucun.policy.work import REPORT_CLAUSES, REPORT_KIND_LABELS
from zhucun.work.drafts import draft_text
from zhucun.work.models import Report
from zhucun.work.selectors import reports as read
from zhucun.work.services import reports as write

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import Body, PageQuery, Text, page_of

router = Router(tags=["工作报告"])

KindFilter = Literal["", "monthly", "quarterly", "hearing", "unit_visit", "urgent"]
OpenKind = Literal["monthly", "quarterly", "hearing", "unit_visit"]
OverdueKind = Literal["monthly", "quarterly", "hearing", "unit_visit"]


def _text(n: int) -> Any:
    return Annotated[Text, Field(max_length=n)]


class WorkReportQuery(PageQuery):
    kind: KindFilter = Field("", description="报告类别:" + "/".join(KindFilter.__args__[1:]))


class ReportOverdueQuery(PageQuery):
    kind: OverdueKind = Field("monthly", description="报告类别")


class WorkReportOpen(Body):
    """开始填写报告(已开始的返回原报告)"""

    kind: OpenKind = Field(..., description="报告类别")
    period_start: _text(40) = Field(..., description="报告期内的任一日期(YYYY-MM-DD)")


class WorkReportSave(Body):
    body: _text(write.BODY_MAX) = Field(..., description="报告正文")


class UrgentReportCreate(Body):
    """报告突发情况(立即送达所在乡镇党委)"""

    title: _text(write.TITLE_MAX) = Field(..., description="事件")
    body: _text(write.BODY_MAX) = Field(..., description="情况")


class UrgentAcknowledgeIn(Body):
    note: _text(write.NOTE_MAX) = Field("", description="处置意见(可选)")


class WorkReportOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    clause: str
    title: str
    period_start: dt.date
    period_end: dt.date
    due: dt.date | None
    village_id: int | None
    township_id: int | None
    unit_id: int | None
    author_id: int
    submitted_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    overdue: bool = Field(description="截止日后仍未报送")


class ReportDiffLine(BaseModel):
    op: str = Field(description="same/added/removed")
    text: str


class WorkReportDetailOut(WorkReportOut):
    draft: dict[str, Any] = Field(description="系统汇总草稿(各部分的数字及其来源记录)")
    draft_text: str
    body: str
    diff: list[ReportDiffLine] = Field(description="正文与草稿的逐行差异")


class ReportOverdueOut(BaseModel):
    kind: str
    subject_id: int = Field(description="村、乡镇或派出单位编号")
    subject_name: str
    parent_name: str
    period_start: dt.date
    due: dt.date
    days_overdue: int


class SummaryMissingOut(BaseModel):
    village_id: int
    village_name: str
    township_name: str
    month: dt.date
    due: dt.date
    state: str | None = Field(description="prepared/signed;未汇总为空")


ReportPage = page_of(WorkReportOut)
OverduePage = page_of(ReportOverdueOut)
MissingPage = page_of(SummaryMissingOut)


def report_out(r: Report) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "id": r.pk,
        "kind": r.kind,
        "kind_label": REPORT_KIND_LABELS[r.kind],
        "clause": REPORT_CLAUSES[r.kind],
        "title": r.title,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "due": r.due,
        "village_id": r.village_id,
        "township_id": r.township_id,
        "unit_id": r.unit_id,
        "author_id": r.author_id,
        "submitted_at": r.submitted_at,
        "acknowledged_at": r.acknowledged_at,
        "overdue": bool(r.kind != "urgent" and r.submitted_at is None and r.due and today > r.due),
    }


def report_detail(r: Report) -> dict[str, Any]:
    return {
        **report_out(r),
        "draft": r.draft,
        "draft_text": draft_text(r.draft) if r.draft else "",
        "body": r.body,
        "diff": read.report_diff(r),
    }


def _get(request: HttpRequest, id: int) -> Report:
    r = read.report_get(user=user_of(request), report_id=id)
    if r is None:
        raise NotFound()
    return r


@router.get("/reports", response=responses(ReportPage), summary="工作报告列表")
def report_list(request: HttpRequest, filters: Query[WorkReportQuery]) -> dict[str, Any]:
    qs = read.report_list(user=user_of(request), kind=filters.kind or None)
    return paginate(qs, filters, report_out)


@router.post("/reports", response=responses(WorkReportDetailOut, 201), summary="开始填写报告")
def report_open(request: HttpRequest, payload: WorkReportOpen) -> Status[dict[str, Any]]:
    r = write.report_open(
        actor=user_of(request), kind=payload.kind, period_start=payload.period_start
    )
    return Status(201, report_detail(r))


@router.get("/reports/overdue", response=responses(OverduePage), summary="逾期未报送的报告")
def report_overdue(request: HttpRequest, filters: Query[ReportOverdueQuery]) -> dict[str, Any]:
    today = timezone.localdate()
    qs = read.overdue_reports(user=user_of(request), kind=filters.kind, today=today)

    def out(x: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": x["kind_key"],
            "subject_id": x["pk"],
            "subject_name": x["subject_name"],
            "parent_name": x["parent_name"] or "",
            "period_start": x["period"],
            "due": x["due_day"],
            "days_overdue": (today - x["due_day"]).days,
        }

    return paginate(qs, filters, out)


@router.post(
    "/reports/urgent", response=responses(WorkReportDetailOut, 201), summary="报告突发情况"
)
def report_urgent(request: HttpRequest, payload: UrgentReportCreate) -> Status[dict[str, Any]]:
    r = write.urgent_report(actor=user_of(request), title=payload.title, body=payload.body)
    return Status(201, report_detail(r))


@router.get("/reports/{id}", response=responses(WorkReportDetailOut), summary="工作报告详情")
def report_get(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    return report_detail(_get(request, id))


@router.post("/reports/{id}/save", response=responses(WorkReportDetailOut), summary="保存报告正文")
def report_save(
    request: HttpRequest, payload: WorkReportSave, id: int = ObjectId
) -> dict[str, Any]:
    r = write.report_save(actor=user_of(request), report_id=id, body=payload.body)
    return report_detail(r)


@router.post("/reports/{id}/submit", response=responses(WorkReportDetailOut), summary="报送报告")
def report_submit(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    r = write.report_submit(actor=user_of(request), report_id=id)
    return report_detail(r)


@router.post(
    "/reports/{id}/acknowledge",
    response=responses(WorkReportDetailOut),
    summary="签收突发情况报告",
)
def report_acknowledge(
    request: HttpRequest, payload: UrgentAcknowledgeIn, id: int = ObjectId
) -> dict[str, Any]:
    r = write.urgent_acknowledge(actor=user_of(request), report_id=id, note=payload.note)
    return report_detail(r)


@router.get(
    "/summaries/missing", response=responses(MissingPage), summary="逾期未报送的月度在岗情况汇总"
)
def summary_missing(request: HttpRequest, filters: Query[PageQuery]) -> dict[str, Any]:
    qs = read.missing_summaries(user=user_of(request), today=timezone.localdate())

    def out(x: dict[str, Any]) -> dict[str, Any]:
        return {
            "village_id": x["pk"],
            "village_name": x["subject_name"],
            "township_name": x["parent_name"],
            "month": x["period"],
            "due": x["due_day"],
            "state": x["summary_state"],
        }

    return paginate(qs, filters, out)
