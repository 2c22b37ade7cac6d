"""The steps of a rotation application (MGT.9.APPLY), one service each: keyword-only, one
transaction, an audit event, role and scope checked here (never by the caller).

A refusal by a rule cites its clause: MGT.9.APPLY (who acts when), MGT.9.DOCS (the required
attachments), SEL.COND.MUST2 (replacements only through MGT.9) and whatever the screening
of the replacement finds (``selection.services.posting_checks``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.policy.dates import date_label
from zhucun.registry import validation
from zhucun.registry.models import Cadre, Posting, PostingStatus, Village
from zhucun.selection.adapters import findings_json, team_member_of
from zhucun.selection.services import posting_register
from zhucun.selection.services.posting_checks import posting_findings, require_findings
from zhucun.tenure.services import posting_close

from . import storage
from .decision_notices import notify_decision
from .models import (
    OPEN_STATES,
    Attachment,
    AttachmentKind,
    Cause,
    RotationApplication,
    RotationStep,
    State,
)
from .scope import applications_visible, may_act
from .workflow import STEP_OF, TRANSITIONS, UPLOAD_STATES, role_may

NOT_FOUND = "调整轮换申请不存在或不在您的管辖范围内"
CADRE_KINDS = frozenset({AttachmentKind.EVIDENCE, AttachmentKind.OTHER})
REQUIRED_DOCS = (
    (AttachmentKind.EVIDENCE, "申请人的证明材料"),
    (AttachmentKind.MEDICAL_REPORT, "接替人员的体检报告"),
    (AttachmentKind.COMMITMENT_LETTER, "接替人员的承诺书"),
)


def _today() -> dt.date:
    return timezone.localdate()


def _text(
    errors: dict[str, str], name: str, value: str, *, limit: int, required: bool = True
) -> str:
    s = (value or "").strip()
    if required and not s:
        errors[name] = "必填"
    elif len(s) > limit:
        errors[name] = f"长度不能超过{limit}个字符"
    return s


def _load(actor: User, application_id: int, action: str) -> RotationApplication:
    """The application locked for ``action``: 404 outside the actor's view, 403 when the
    actor's role or scope may not take this step, 400 when the state does not allow it."""
    app = applications_visible(actor).select_for_update(of=("self",)).filter(pk=application_id)
    application = app.first()
    if application is None:
        raise NotFound(NOT_FOUND)
    t = TRANSITIONS[action]
    if application.state not in t.sources:
        raise ValidationFailed(
            {"state": f"申请当前为“{application.get_state_display()}”,不能{t.label}"}
        )
    if not role_may(action, application.state, actor.role) or not may_act(actor, application):
        raise Forbidden(f"您的角色不能在此环节{t.label}(MGT.9.APPLY)")
    return application


def _step(
    actor: User,
    application: RotationApplication,
    action: str,
    from_state: str,
    before: dict[str, object] | None,
    note: str = "",
) -> None:
    RotationStep.objects.create(
        application=application,
        action=action,
        from_state=from_state,
        to_state=application.state,
        actor=actor,
        actor_name=actor.display_name or actor.username,
        note=note,
    )
    event_record(
        actor=actor,
        action=f"rotation.{action}",
        obj=application,
        before=before,
        after=model_snapshot(application),
        note=note,
    )


def missing_documents(application: RotationApplication) -> list[str]:
    """MGT.9.DOCS: what is still missing of the cause's evidence and the replacement's
    medical report and commitment letter."""
    have = set(application.attachments.values_list("kind", flat=True))
    return [label for kind, label in REQUIRED_DOCS if kind not in have]


def _require_documents(application: RotationApplication) -> None:
    missing = missing_documents(application)
    if missing:
        raise ValidationFailed(
            {"MGT.9.DOCS": "缺少" + "、".join(missing) + ",不能报送组织部门审查"},
            message="材料不全",
        )


@transaction.atomic
def rotation_apply(
    *, actor: User, posting_id: int, cause: str, statement: str
) -> RotationApplication:
    """个人申请: the cadre applies to leave their active posting (health, job transfer,
    family hardship)."""
    if actor.role not in (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER, UserRole.ADMIN):
        raise Forbidden("调整轮换由驻村干部本人申请(MGT.9.APPLY)")
    postings = Posting.objects.select_for_update().filter(status=PostingStatus.ACTIVE)
    if actor.role != UserRole.ADMIN:
        postings = postings.filter(cadre_id=actor.cadre_id or 0)
    posting = postings.filter(pk=posting_id).first()
    if posting is None:
        raise NotFound("任职不存在、已结束或不是您本人的任职")
    errors: dict[str, str] = {}
    try:
        cause = validation.choice(cause, Cause)
    except validation.FieldError as exc:
        errors["cause"] = str(exc)
    statement = _text(errors, "statement", statement, limit=2000)
    if RotationApplication.objects.filter(posting=posting, state__in=OPEN_STATES).exists():
        errors["posting_id"] = "该任职已有未办结的调整轮换申请"
    if errors:
        raise ValidationFailed(errors)
    application = RotationApplication.objects.create(
        posting=posting,
        cadre_id=posting.cadre_id,
        cause=cause,
        statement=statement,
        state=State.APPLIED,
        created_by=actor,
    )
    _step(actor, application, "apply", "", None, statement)
    return application


@transaction.atomic
def rotation_seal(
    *,
    actor: User,
    application_id: int,
    opinion: str,
    sealed_by: str,
    sealed_on: dt.date | None = None,
) -> RotationApplication:
    """乡镇党委签章: the township of the village agrees and seals."""
    application = _load(actor, application_id, "seal")
    errors: dict[str, str] = {}
    opinion = _text(errors, "opinion", opinion, limit=500)
    sealed_by = _text(errors, "sealed_by", sealed_by, limit=32)
    if errors:
        raise ValidationFailed(errors)
    before = model_snapshot(application)
    application.township_opinion = opinion
    application.sealed_by = sealed_by
    application.sealed_on = sealed_on or _today()
    application.state = State.SEALED
    application.save()
    _step(actor, application, "seal", State.APPLIED, before, opinion)
    return application


def replacement_findings(
    *,
    application: RotationApplication,
    replacement: Cadre,
    handover_date: dt.date,
    planned_end: dt.date | None,
) -> tuple[list, list]:
    """ "一进一出": the replacement screened like any nominee on the handover date, and the
    village's team re-checked with the replacement in and the leaver out — the checks every
    posting path runs (``posting_findings``). (deciding findings, findings to show)"""
    village = Village.objects.select_related("jurisdiction").get(pk=application.posting.village_id)
    members = [
        team_member_of(p)
        for p in Posting.objects.filter(village=village, status=PostingStatus.ACTIVE)
        .exclude(pk=application.posting_id)
        .select_related("cadre")
    ]
    return posting_findings(
        cadre=replacement,
        role=application.posting.role,
        village=village,
        arrival=handover_date,
        planned_end=planned_end,
        members=members,
    )


def replacements_available(application: RotationApplication):
    """The cadres the unit may name (SEL.COND.MUST2: 派出单位另行选派): its cadres without
    an active posting, other than the leaver."""
    return (
        Cadre.objects.filter(unit_id=application.cadre.unit_id)
        .exclude(pk=application.cadre_id)
        .exclude(postings__status=PostingStatus.ACTIVE)
        .select_related("unit")
        .order_by("name", "pk")
    )


@transaction.atomic
def rotation_decide(
    *,
    actor: User,
    application_id: int,
    meeting_name: str,
    meeting_date: dt.date,
    minutes_number: str,
    replacement_id: int,
    handover_date: dt.date,
    replacement_planned_end: dt.date | None = None,
    reasons: Mapping[str, str] | None = None,
    note: str = "",
) -> RotationApplication:
    """派出单位集体研究: the unit's meeting decides and names the replacement ("一进一出"),
    who must pass the screening every posting path runs."""
    application = _load(actor, application_id, "decide")
    errors: dict[str, str] = {}
    meeting_name = _text(errors, "meeting_name", meeting_name, limit=100)
    minutes_number = _text(errors, "minutes_number", minutes_number, limit=50)
    note = _text(errors, "note", note, limit=2000, required=False)
    if handover_date <= application.posting.arrival_date:
        errors["handover_date"] = "交接日期应晚于申请人的到岗日期"
    elif handover_date < meeting_date:
        errors["handover_date"] = "交接日期不能早于会议日期"
    if replacement_planned_end is not None and replacement_planned_end <= handover_date:
        errors["replacement_planned_end"] = "计划期满日期应晚于交接日期"
    replacement = (
        replacements_available(application)
        .select_for_update(of=("self",))
        .filter(pk=replacement_id)
        .first()
    )
    if replacement is None:
        errors["replacement_id"] = (
            "接替人员应为本单位未在岗驻村的干部(SEL.COND.MUST2:派出单位另行选派)"
        )
    if errors:
        raise ValidationFailed(errors)
    assert replacement is not None
    deciding, shown = replacement_findings(
        application=application,
        replacement=replacement,
        handover_date=handover_date,
        planned_end=replacement_planned_end,
    )
    reasons = {str(k): str(v).strip()[:500] for k, v in (reasons or {}).items()}
    require_findings(deciding, reasons)
    warned = {f.clause for f in deciding if f.severity == "warning"}
    before = model_snapshot(application)
    application.meeting_name = meeting_name
    application.meeting_date = meeting_date
    application.minutes_number = minutes_number
    application.replacement = replacement
    application.handover_date = handover_date
    application.replacement_planned_end = replacement_planned_end
    application.findings = findings_json(shown)
    application.warning_reasons = {k: v for k, v in reasons.items() if k in warned}
    application.state = State.DECIDED
    application.save()
    _step(actor, application, "decide", State.SEALED, before, note)
    return application


@transaction.atomic
def rotation_submit(
    *,
    actor: User,
    application_id: int,
    unit_opinion: str,
    form_handler: str,
    form_date: dt.date | None = None,
) -> RotationApplication:
    """填审批表 and send it to the organisation department — only with every required
    attachment (MGT.9.DOCS)."""
    application = _load(actor, application_id, "submit")
    errors: dict[str, str] = {}
    unit_opinion = _text(errors, "unit_opinion", unit_opinion, limit=500)
    form_handler = _text(errors, "form_handler", form_handler, limit=32)
    if errors:
        raise ValidationFailed(errors)
    _require_documents(application)
    before = model_snapshot(application)
    application.unit_opinion = unit_opinion
    application.form_handler = form_handler
    application.form_date = form_date or _today()
    application.state = State.FORM_FILLED
    application.save()
    _step(actor, application, "submit", State.DECIDED, before, unit_opinion)
    return application


def _end_leaver(
    *, actor: User, application: RotationApplication, end_date: dt.date, note: str
) -> None:
    """The leaver's posting ends early on the handover date, through the one service that ends
    postings (MGT.TERM: early only with a granted application or a recall; MGT.9.HANDOVER)."""
    posting_close(
        actor=actor,
        posting_id=application.posting_id,
        end_date=end_date,
        cause="rotation",
        reference=str(application.pk),
        note=note,
    )


@transaction.atomic
def rotation_grant(
    *,
    actor: User,
    application_id: int,
    opinion: str,
    reviewer_name: str,
    reviewed_on: dt.date | None = None,
) -> RotationApplication:
    """组织部门审查同意: the leaver's posting ends on the handover date and the replacement is
    posted that day through the checks every posting path runs (``posting_register``)."""
    application = _load(actor, application_id, "grant")
    errors: dict[str, str] = {}
    opinion = _text(errors, "opinion", opinion, limit=500)
    reviewer_name = _text(errors, "reviewer_name", reviewer_name, limit=32)
    if errors:
        raise ValidationFailed(errors)
    _require_documents(application)
    replacement = application.replacement
    handover = application.handover_date
    if replacement is None or handover is None:  # a decided application always has both
        raise ValidationFailed({"replacement_id": "未确定接替人员(MGT.9.APPLY 一进一出)"})
    Village.objects.select_for_update().get(pk=application.posting.village_id)
    before = model_snapshot(application)
    note = f"调整轮换(申请编号{application.pk}):{application.get_cause_display()}"
    _end_leaver(actor=actor, application=application, end_date=handover, note=note)
    posting = posting_register(
        actor=actor,
        data={
            "id_number": replacement.id_number,
            "village_code": application.posting.village.jurisdiction.code,
            "role": application.posting.role,
            "arrival_date": handover.isoformat(),
            "planned_end": (
                application.replacement_planned_end.isoformat()
                if application.replacement_planned_end
                else None
            ),
            "status": PostingStatus.ACTIVE,
        },
        reasons=application.warning_reasons,
    )
    application.review_opinion = opinion
    application.reviewer_name = reviewer_name
    application.reviewed_on = reviewed_on or _today()
    application.new_posting = posting
    application.state = State.GRANTED
    application.save()
    _step(actor, application, "grant", State.FORM_FILLED, before, opinion)
    notify_decision(
        application,
        action="grant",
        title=f"调整轮换申请已获组织部门审查同意,{date_label(handover)}交接",
        body=opinion,
        unit=True,
    )
    return application


@transaction.atomic
def rotation_reject(*, actor: User, application_id: int, note: str) -> RotationApplication:
    """不予同意, by whoever holds the application at its present step."""
    application = _load(actor, application_id, "reject")
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, limit=2000)
    if errors:
        raise ValidationFailed(errors)
    before, from_state = model_snapshot(application), application.state
    if from_state == State.FORM_FILLED:
        application.review_opinion = note[:500]
        application.reviewer_name = (actor.display_name or actor.username)[:32]
        application.reviewed_on = _today()
    application.state = State.REJECTED
    application.save()
    _step(actor, application, "reject", from_state, before, note)
    notify_decision(
        application,
        action="reject",
        title=f"调整轮换申请在“{STEP_OF[from_state]}”环节未获同意",
        body=note,
        unit=from_state == State.FORM_FILLED,
    )
    return application


@transaction.atomic
def rotation_withdraw(*, actor: User, application_id: int, note: str = "") -> RotationApplication:
    """The cadre withdraws their application before it reaches the organisation department."""
    application = _load(actor, application_id, "withdraw")
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, limit=2000, required=False)
    if errors:
        raise ValidationFailed(errors)
    before, from_state = model_snapshot(application), application.state
    application.state = State.WITHDRAWN
    application.save()
    _step(actor, application, "withdraw", from_state, before, note)
    return application


def may_upload(actor: User, application: RotationApplication, kind: str) -> bool:
    if application.state not in UPLOAD_STATES or not may_act(actor, application):
        return False
    if actor.role in (UserRole.ADMIN, UserRole.UNIT):
        return True
    return actor.role in (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER) and (kind in CADRE_KINDS)


@transaction.atomic
def attachment_upload(
    *, actor: User, application_id: int, kind: str, name: str, data: bytes
) -> Attachment:
    """Attach a file (MGT.9.DOCS): the cadre their evidence, the unit any material
    (the replacement's medical report and commitment letter), until the form is sent to the
    organisation department. The file is checked by its content and kept only if the record
    commits."""
    application = (
        applications_visible(actor).select_for_update(of=("self",)).filter(pk=application_id)
    ).first()
    if application is None:
        raise NotFound(NOT_FOUND)
    try:
        kind = validation.choice(kind, AttachmentKind)
    except validation.FieldError as exc:
        raise ValidationFailed({"kind": str(exc)}) from None
    if not may_upload(actor, application, kind):
        raise Forbidden("您不能在此环节为该申请上传此类材料(MGT.9.DOCS)")
    checked = storage.check(name, data)
    tmp: Path | None = None
    try:
        tmp = storage.stage(checked, data)
        attachment = Attachment.objects.create(
            application=application,
            kind=kind,
            original_name=checked.name,
            sha256=checked.sha256,
            size=checked.size,
            content_type=checked.content_type,
            uploaded_by=actor,
        )
        event_record(
            actor=actor,
            action="rotation.attachment",
            obj=attachment,
            after=model_snapshot(attachment),
        )
    except BaseException:
        storage.discard(tmp)
        raise
    return attachment


def attachment_get(*, actor: User, application_id: int, attachment_id: int) -> Attachment:
    """An attachment of an application ``actor`` may see; 404 otherwise."""
    application = applications_visible(actor).filter(pk=application_id).first()
    attachment = application.attachments.filter(pk=attachment_id).first() if application else None
    if attachment is None:
        raise NotFound("材料不存在或不在您的管辖范围内")
    return attachment
