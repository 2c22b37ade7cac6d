"""调整轮换 (MGT.9.APPLY, MGT.9.DOCS): list, detail with steps, findings, attachments and the
actions the caller's role may take now; one endpoint per step; attachment upload (multipart
``kind`` + ``file``: PDF, JPEG or PNG, checked by content) and download. Each step calls its
service in zhucun.rotation.services, which decides scope, role and rules. Outside the
caller's scope an application and its attachments answer 404."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import BaseModel, Field

from zhucun.accounts.models import User
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.rotation import services, storage
from zhucun.rotation.models import RotationApplication
from zhucun.rotation.scope import applications_visible
from zhucun.rotation.workflow import TRANSITIONS, allowed_actions

from ..common import ObjectId, paginate, read_dates, responses, user_of
from ..schemas import MAX_ID, Body, Int, PageQuery, Text, page_of
from ..selection_schemas import FindingOut, Reasons

router = Router(tags=["调整轮换"])


def _text(n: int) -> Any:
    return Annotated[Text, Field(max_length=n)]


Id = Annotated[Int, Field(ge=1, le=MAX_ID)]
Date = _text(40)
StateFilter = Literal[
    "", "applied", "sealed", "decided", "form_filled", "granted", "rejected", "withdrawn"
]
STEP_LABELS = {"apply": "个人申请", "attachment": "上传材料"} | {
    k: t.label for k, t in TRANSITIONS.items()
}


class RotationQuery(PageQuery):
    state: StateFilter = Field("", description="状态:" + "/".join(StateFilter.__args__[1:]))
    q: Text = Field("", max_length=32, description="申请人姓名包含")


class RotationApply(Body):
    """个人申请"""

    posting_id: Id = Field(..., description="申请调整的本人在岗任职编号")
    cause: _text(16) = Field(..., description="调整原因:health/job_transfer/family_hardship")
    statement: _text(2000) = Field(..., description="申请理由")


class RotationSeal(Body):
    """乡镇党委签章"""

    opinion: _text(500) = Field(..., description="乡镇党委意见")
    sealed_by: _text(32) = Field(..., description="签章经办人")
    sealed_on: Date | None = Field(None, description="签章日期(YYYY-MM-DD),默认今天")


class RotationDecide(Body):
    """派出单位党委(党组)集体研究,确定接替人员(一进一出)"""

    meeting_name: _text(100) = Field(..., description="研究会议")
    meeting_date: Date = Field(..., description="会议日期(YYYY-MM-DD)")
    minutes_number: _text(50) = Field(..., description="会议纪要号")
    replacement_id: Id = Field(..., description="接替人员(本单位未在岗驻村的干部编号)")
    handover_date: Date = Field(..., description="交接日期(YYYY-MM-DD)")
    replacement_planned_end: Date | None = Field(None, description="接替人员计划期满日期")
    reasons: Reasons
    note: _text(2000) = Field("", description="研究意见")


class RotationSubmit(Body):
    """填审批表并报组织部门审查(MGT.9.DOCS 材料须齐全)"""

    unit_opinion: _text(500) = Field(..., description="派出单位党委(党组)意见")
    form_handler: _text(32) = Field(..., description="填表人")
    form_date: Date | None = Field(None, description="填表日期(YYYY-MM-DD),默认今天")


class RotationGrant(Body):
    """组织部门审查同意"""

    opinion: _text(500) = Field(..., description="组织部门审查意见")
    reviewer_name: _text(32) = Field(..., description="审查人")
    reviewed_on: Date | None = Field(None, description="审查日期(YYYY-MM-DD),默认今天")


class RotationReject(Body):
    """不予同意"""

    note: _text(2000) = Field(..., description="不予同意的理由")


class RotationWithdraw(Body):
    """撤回申请"""

    note: _text(2000) = Field("", description="撤回说明")


class StepOut(BaseModel):
    action: str
    action_label: str
    from_state: str
    to_state: str
    actor_name: str
    at: dt.datetime
    note: str


class AttachmentOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    original_name: str
    size: int
    content_type: str
    sha256: str
    uploaded_at: dt.datetime


class RotationOut(BaseModel):
    id: int
    posting_id: int
    cadre_id: int
    cadre_name: str
    unit_name: str
    village_name: str
    role_label: str
    cause: str
    cause_label: str
    state: str
    state_label: str
    replacement_id: int | None
    replacement_name: str | None
    handover_date: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


class RotationDetailOut(RotationOut):
    statement: str
    township_opinion: str
    sealed_by: str
    sealed_on: dt.date | None
    meeting_name: str
    meeting_date: dt.date | None
    minutes_number: str
    replacement_planned_end: dt.date | None
    findings: list[FindingOut]
    warning_reasons: dict[str, str]
    unit_opinion: str
    form_handler: str
    form_date: dt.date | None
    review_opinion: str
    reviewer_name: str
    reviewed_on: dt.date | None
    new_posting_id: int | None
    missing_documents: list[str] = Field(description="MGT.9.DOCS 尚缺的材料")
    attachments: list[AttachmentOut]
    steps: list[StepOut]
    allowed_actions: list[str]


RotationPage = page_of(RotationOut)


def out(a: RotationApplication) -> dict[str, Any]:
    return {
        "id": a.pk,
        "posting_id": a.posting_id,
        "cadre_id": a.cadre_id,
        "cadre_name": a.cadre.name,
        "unit_name": a.cadre.unit.name,
        "village_name": a.posting.village.jurisdiction.name,
        "role_label": a.posting.get_role_display(),
        "cause": a.cause,
        "cause_label": a.get_cause_display(),
        "state": a.state,
        "state_label": a.get_state_display(),
        "replacement_id": a.replacement_id,
        "replacement_name": a.replacement.name if a.replacement else None,
        "handover_date": a.handover_date,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def detail_out(a: RotationApplication, user: User) -> dict[str, Any]:
    from zhucun.rotation.scope import may_act

    acting = may_act(user, a)
    return {
        **out(a),
        **{
            f: getattr(a, f)
            for f in (
                "statement township_opinion sealed_by sealed_on meeting_name meeting_date "
                "minutes_number replacement_planned_end unit_opinion form_handler form_date "
                "review_opinion reviewer_name reviewed_on new_posting_id"
            ).split()
        },
        "findings": [
            {"clause": f["clause"], "severity": f["severity"], "message": f["message"]}
            for f in a.findings
        ],
        "warning_reasons": {str(k): str(v) for k, v in a.warning_reasons.items()},
        "missing_documents": services.missing_documents(a),
        "attachments": [
            {
                "id": x.pk,
                "kind": x.kind,
                "kind_label": x.get_kind_display(),
                "original_name": x.original_name,
                "size": x.size,
                "content_type": x.content_type,
                "sha256": x.sha256,
                "uploaded_at": x.uploaded_at,
            }
            for x in a.attachments.all()
        ],
        "steps": [
            {
                "action": s.action,
                "action_label": STEP_LABELS.get(s.action, s.action),
                "from_state": s.from_state,
                "to_state": s.to_state,
                "actor_name": s.actor_name,
                "at": s.at,
                "note": s.note,
            }
            for s in a.steps.all()
        ],
        "allowed_actions": allowed_actions(a.state, user.role) if acting else [],
    }


def _after(user: User, a: RotationApplication) -> dict[str, Any]:
    fresh = applications_visible(user).filter(pk=a.pk).first()
    return detail_out(fresh or a, user)


def _dates(values: dict[str, str | None], optional: frozenset[str] = frozenset()) -> Any:
    return read_dates(values, optional=optional)


@router.get("/rotations", response=responses(RotationPage), summary="调整轮换申请列表")
def rotation_list(request: HttpRequest, filters: Query[RotationQuery]) -> dict[str, Any]:
    qs = applications_visible(user_of(request))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.q.strip():
        qs = qs.filter(Q(cadre__name__contains=filters.q.strip()))
    return paginate(qs.order_by("-updated_at", "-id"), filters, out)


@router.get("/rotations/{id}", response=responses(RotationDetailOut), summary="调整轮换申请详情")
def rotation_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    a = applications_visible(user).filter(pk=id).first()
    if a is None:
        raise NotFound(services.NOT_FOUND)
    return detail_out(a, user)


@router.post("/rotations", response=responses(RotationDetailOut, 201), summary="申请调整轮换")
def rotation_apply(request: HttpRequest, payload: RotationApply) -> Status[dict[str, Any]]:
    user = user_of(request)
    a = services.rotation_apply(
        actor=user, posting_id=payload.posting_id, cause=payload.cause, statement=payload.statement
    )
    return Status(201, _after(user, a))


@router.post("/rotations/{id}/seal", response=responses(RotationDetailOut), summary="乡镇党委签章")
def rotation_seal(request: HttpRequest, payload: RotationSeal, id: int = ObjectId) -> Any:
    user = user_of(request)
    d = _dates({"sealed_on": payload.sealed_on}, frozenset({"sealed_on"}))
    a = services.rotation_seal(
        actor=user,
        application_id=id,
        opinion=payload.opinion,
        sealed_by=payload.sealed_by,
        sealed_on=d["sealed_on"],
    )
    return _after(user, a)


@router.post(
    "/rotations/{id}/decide",
    response=responses(RotationDetailOut),
    summary="派出单位集体研究(确定接替人员)",
)
def rotation_decide(request: HttpRequest, payload: RotationDecide, id: int = ObjectId) -> Any:
    user = user_of(request)
    d = _dates(
        {
            "meeting_date": payload.meeting_date,
            "handover_date": payload.handover_date,
            "replacement_planned_end": payload.replacement_planned_end,
        },
        frozenset({"replacement_planned_end"}),
    )
    a = services.rotation_decide(
        actor=user,
        application_id=id,
        meeting_name=payload.meeting_name,
        meeting_date=d["meeting_date"],
        minutes_number=payload.minutes_number,
        replacement_id=payload.replacement_id,
        handover_date=d["handover_date"],
        replacement_planned_end=d["replacement_planned_end"],
        reasons=payload.reasons,
        note=payload.note,
    )
    return _after(user, a)


@router.post(
    "/rotations/{id}/submit",
    response=responses(RotationDetailOut),
    summary="填审批表并报组织部门审查",
)
def rotation_submit(request: HttpRequest, payload: RotationSubmit, id: int = ObjectId) -> Any:
    user = user_of(request)
    d = _dates({"form_date": payload.form_date}, frozenset({"form_date"}))
    a = services.rotation_submit(
        actor=user,
        application_id=id,
        unit_opinion=payload.unit_opinion,
        form_handler=payload.form_handler,
        form_date=d["form_date"],
    )
    return _after(user, a)


@router.post(
    "/rotations/{id}/grant", response=responses(RotationDetailOut), summary="组织部门审查同意"
)
def rotation_grant(request: HttpRequest, payload: RotationGrant, id: int = ObjectId) -> Any:
    user = user_of(request)
    d = _dates({"reviewed_on": payload.reviewed_on}, frozenset({"reviewed_on"}))
    a = services.rotation_grant(
        actor=user,
        application_id=id,
        opinion=payload.opinion,
        reviewer_name=payload.reviewer_name,
        reviewed_on=d["reviewed_on"],
    )
    return _after(user, a)


@router.post("/rotations/{id}/reject", response=responses(RotationDetailOut), summary="不予同意")
def rotation_reject(request: HttpRequest, payload: RotationReject, id: int = ObjectId) -> Any:
    user = user_of(request)
    return _after(user, services.rotation_reject(actor=user, application_id=id, note=payload.note))


@router.post("/rotations/{id}/withdraw", response=responses(RotationDetailOut), summary="撤回申请")
def rotation_withdraw(request: HttpRequest, payload: RotationWithdraw, id: int = ObjectId) -> Any:
    user = user_of(request)
    a = services.rotation_withdraw(actor=user, application_id=id, note=payload.note)
    return _after(user, a)


@router.post(
    "/rotations/{id}/attachments",
    response=responses(AttachmentOut, 201),
    summary="上传调整轮换材料",
    description=(
        "以 multipart/form-data 上传:kind 为 evidence(证明材料)/medical_report(接替人员体检报告)"
        "/commitment_letter(接替人员承诺书)/other;file 为 PDF、JPEG 或 PNG(按内容识别,"
        "扩展名须一致,大小受 ZHUCUN_ATTACHMENT_MAX_BYTES 限制)。"
    ),
)
def rotation_attachment_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    kind: Form[_text(20)],
    id: int = ObjectId,
) -> Status[dict[str, Any]]:
    user = user_of(request)
    from django.conf import settings

    limit = int(settings.ZHUCUN_ATTACHMENT_MAX_BYTES)
    if file.size is not None and file.size > limit:
        raise ValidationFailed({"file": f"文件过大:不能超过{limit // (1024 * 1024) or 1}MB"})
    data = file.read(limit + 1)
    x = services.attachment_upload(
        actor=user, application_id=id, kind=kind, name=file.name or "", data=data
    )
    return Status(
        201,
        {
            "id": x.pk,
            "kind": x.kind,
            "kind_label": x.get_kind_display(),
            "original_name": x.original_name,
            "size": x.size,
            "content_type": x.content_type,
            "sha256": x.sha256,
            "uploaded_at": x.uploaded_at,
        },
    )


BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/rotations/{id}/attachments/{attachment_id}",
    response=responses(None),
    summary="下载调整轮换材料",
    openapi_extra={
        "responses": {
            "200": {
                "description": "文件内容(附件方式下载)",
                "content": {t: BINARY for t in ("application/pdf", "image/jpeg", "image/png")},
            }
        }
    },
)
def rotation_attachment_download(
    request: HttpRequest, id: int = ObjectId, attachment_id: int = ObjectId
) -> HttpResponse:
    x = services.attachment_get(
        actor=user_of(request), application_id=id, attachment_id=attachment_id
    )
    return storage.download_response(x)
