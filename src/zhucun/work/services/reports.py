"""Writing reports (MGT.6.*, GUA.1.BIND): open a report with the draft the system assembles,
save the author's text, submit it (then read-only); urgent reports (MGT.6.URGENT) go to the
village's township at once and wait there until acknowledged. Reports are never deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.core.links import page_url
from zhucun.notices.services import notice_send
from zhucun.params.selectors import parameters_current
from zhucun.policy.work import (
    REPORT_CLAUSES,
    REPORT_KIND_LABELS,
    half_year_bounds,
    hearing_due,
    monthly_report_due,
    quarterly_report_due,
    unit_visit_due,
)
from zhucun.registry import validation
from zhucun.registry.models import Jurisdiction, Level, Village

from ..drafts import (
    draft_text,
    hearing_draft,
    month_bounds,
    monthly_draft,
    quarter_bounds,
    quarterly_draft,
    unit_visit_draft,
)
from ..models import Report
from ..scope import TEAM_ROLES, is_first_secretary_of, team_village_id
from ..selectors.reports import report_get

BODY_MAX = 20000
TITLE_MAX = 200
NOTE_MAX = 300
OPEN_KINDS = ("monthly", "quarterly", "hearing", "unit_visit")
SUBMITTED_TEXT = "报告已报送,不能再修改"
URGENT_NOT_OPEN = "突发情况报告请通过“报告突发情况”直接报送"


def _clean_text(errors: dict[str, str], name: str, value: Any, *, limit: int) -> str:
    try:
        s = validation.text(value, max_length=limit, required=True)
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return ""
    if s.lstrip(" \u3000").startswith(validation.FORMULA_LEADS):
        errors[name] = validation.FORMULA_MESSAGE
    return s


def _clean_day(value: Any) -> dt.date:
    try:
        day = validation.date(value, required=True)
    except validation.FieldError as exc:
        raise ValidationFailed({"period_start": str(exc)}) from exc
    assert day is not None
    if day > timezone.localdate():
        raise ValidationFailed({"period_start": "报告期尚未开始"})
    return day


def _township_of(actor: User) -> Jurisdiction:
    if actor.role != UserRole.TOWNSHIP or not actor.jurisdiction_id:
        raise Forbidden("乡镇季度工作报告由乡镇(街道)党(工)委报送(MGT.6.QUARTERLY)")
    town = actor.jurisdiction
    if town.level != Level.TOWNSHIP:
        raise Forbidden("乡镇季度工作报告由乡镇(街道)党(工)委报送(MGT.6.QUARTERLY)")
    return town


def _unit_id(actor: User, kind: str) -> int:
    if actor.role != UserRole.UNIT or not actor.unit_id:
        raise Forbidden(f"{REPORT_KIND_LABELS[kind]}由派出单位填报({REPORT_CLAUSES[kind]})")
    return int(actor.unit_id)


def _prepare(actor: User, kind: str, day: dt.date) -> dict[str, Any]:
    """The report's fields (subject, period, due, draft) for ``kind`` opened by ``actor``."""
    params = parameters_current()
    if kind == "monthly":
        village_id = team_village_id(actor)
        if village_id is None or not is_first_secretary_of(actor, village_id):
            raise Forbidden("月度工作报告由在岗第一书记报送乡镇(MGT.6.MONTHLY)")
        village = Village.objects.select_related("jurisdiction", "township").get(pk=village_id)
        first, last = month_bounds(day)
        draft = monthly_draft(village=village, month=first)
        due = monthly_report_due(month=first, params=params, jurisdiction=village.township.code)
        return dict(
            village=village,
            township=village.township,
            subject_key=f"village:{village.pk}",
            period_start=first,
            period_end=last,
            due=due,
            draft=draft,
        )
    if kind == "quarterly":
        town = _township_of(actor)
        quarter = (day.month - 1) // 3 + 1
        first, last = quarter_bounds(day.year, quarter)
        return dict(
            township=town,
            subject_key=f"township:{town.pk}",
            period_start=first,
            period_end=last,
            due=quarterly_report_due(
                year=day.year, quarter=quarter, params=params, jurisdiction=town.code
            ),
            draft=quarterly_draft(township=town, year=day.year, quarter=quarter),
        )
    unit_id = _unit_id(actor, kind)
    unit = actor.unit
    if kind == "hearing":
        half = 1 if day.month <= 6 else 2
        first, last = half_year_bounds(day.year, half)
        due = hearing_due(day.year, half)
        draft = hearing_draft(unit=unit, year=day.year, half=half)
    else:
        first, last = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
        due = unit_visit_due(day.year)
        draft = unit_visit_draft(unit=unit, year=day.year)
    return dict(
        unit_id=unit_id,
        subject_key=f"unit:{unit_id}",
        period_start=first,
        period_end=last,
        due=due,
        draft=draft,
    )


@transaction.atomic
def report_open(*, actor: User, kind: str, period_start: dt.date | str) -> Report:
    """Open the report of ``kind`` for the period containing ``period_start`` with the draft
    assembled from the records, its body starting as the draft's text; or return the report
    already opened (one per kind, period and subject)."""
    if kind == "urgent":
        raise ValidationFailed({"kind": URGENT_NOT_OPEN})
    if kind not in OPEN_KINDS:
        raise ValidationFailed({"kind": "报告类别不正确"})
    day = _clean_day(period_start)
    fields = _prepare(actor, kind, day)
    existing = Report.objects.filter(
        kind=kind, period_start=fields["period_start"], subject_key=fields["subject_key"]
    ).first()
    if existing is not None:
        return existing
    draft = fields.pop("draft")
    try:
        with transaction.atomic():
            report = Report.objects.create(
                kind=kind,
                title=draft["title"][:TITLE_MAX],
                draft=draft,
                body=draft_text(draft)[:BODY_MAX],
                author=actor,
                **fields,
            )
    except IntegrityError:  # opened by someone else at the same moment
        return Report.objects.get(
            kind=kind, period_start=fields["period_start"], subject_key=fields["subject_key"]
        )
    event_record(
        actor=actor,
        action="report.open",
        obj=report,
        after={
            "kind": kind,
            "period_start": report.period_start.isoformat(),
            "title": report.title,
        },
    )
    return report


def may_write(actor: User, report: Report) -> bool:
    if report.kind == "monthly":
        return report.village_id is not None and is_first_secretary_of(actor, report.village_id)
    if report.kind == "quarterly":
        return actor.role == UserRole.TOWNSHIP and actor.jurisdiction_id == report.township_id
    if report.kind in ("hearing", "unit_visit"):
        return actor.role == UserRole.UNIT and actor.unit_id == report.unit_id
    return False


def _writable(actor: User, report_id: int) -> Report:
    found = report_get(user=actor, report_id=report_id)
    if found is None:
        raise NotFound()
    report = Report.objects.select_for_update().get(pk=found.pk)
    if not may_write(actor, report):
        raise Forbidden("只有报告的填报人可以修改和报送")
    if report.submitted_at is not None:
        raise ValidationFailed({"report": SUBMITTED_TEXT})
    return report


@transaction.atomic
def report_save(*, actor: User, report_id: int, body: str) -> Report:
    """Save the author's text (not yet submitted)."""
    report = _writable(actor, report_id)
    errors: dict[str, str] = {}
    text = _clean_text(errors, "body", body, limit=BODY_MAX)
    if errors:
        raise ValidationFailed(errors)
    before = report.body
    report.body = text
    report.save(update_fields=["body"])
    event_record(
        actor=actor,
        action="report.save",
        obj=report,
        before={"length": len(before)},
        after={"length": len(text)},
    )
    return report


@transaction.atomic
def report_submit(*, actor: User, report_id: int) -> Report:
    """Submit the report: from now on it is read-only; the audit keeps the body."""
    report = _writable(actor, report_id)
    if not report.body.strip():
        raise ValidationFailed({"body": "报告正文不能为空"})
    report.submitted_at = timezone.now()
    report.save(update_fields=["submitted_at"])
    event_record(
        actor=actor,
        action="report.submit",
        obj=report,
        after={"body": report.body, "submitted_at": report.submitted_at.isoformat()},
    )
    return report


@transaction.atomic
def urgent_report(*, actor: User, title: str, body: str) -> Report:
    """MGT.6.URGENT: a team member in post reports an emergency; it is submitted at once to
    the village's township."""
    village_id = team_village_id(actor) if actor.role in TEAM_ROLES else None
    if village_id is None:
        raise Forbidden("突发情况由在岗的第一书记或工作队员报告乡镇党委(MGT.6.URGENT)")
    errors: dict[str, str] = {}
    head = _clean_text(errors, "title", title, limit=TITLE_MAX)
    text = _clean_text(errors, "body", body, limit=BODY_MAX)
    if errors:
        raise ValidationFailed(errors)
    village = Village.objects.select_related("township").get(pk=village_id)
    now = timezone.now()
    today = timezone.localdate()
    report = Report.objects.create(
        kind="urgent",
        period_start=today,
        period_end=today,
        due=today,
        village=village,
        township=village.township,
        subject_key=f"village:{village.pk}",
        title=head,
        draft={},
        body=text,
        author=actor,
        submitted_at=now,
    )
    event_record(
        actor=actor,
        action="report.urgent",
        obj=report,
        after={"title": head, "body": text, "township": village.township.name},
    )
    return report


@transaction.atomic
def urgent_acknowledge(*, actor: User, report_id: int, note: str = "") -> Report:
    """The village's township acknowledges an urgent report (it leaves the top of the
    inbox); the note is kept in the audit."""
    found = report_get(user=actor, report_id=report_id)
    if found is None or found.kind != "urgent":
        raise NotFound()
    report = Report.objects.select_for_update().get(pk=found.pk)
    if actor.role != UserRole.TOWNSHIP or actor.jurisdiction_id != report.township_id:
        raise Forbidden("突发情况报告由所在乡镇(街道)党(工)委签收")
    if report.acknowledged_at is not None:
        raise ValidationFailed({"report": "该报告已签收"})
    errors: dict[str, str] = {}
    text = ""
    if note and str(note).strip():
        text = _clean_text(errors, "note", note, limit=NOTE_MAX)
    if errors:
        raise ValidationFailed(errors)
    report.acknowledged_by = actor
    report.acknowledged_at = timezone.now()
    report.save(update_fields=["acknowledged_by", "acknowledged_at"])
    event_record(
        actor=actor,
        action="report.acknowledge",
        obj=report,
        after={"acknowledged_at": report.acknowledged_at.isoformat()},
        note=text,
    )
    notice_send(  # MGT.6.URGENT: the reporter learns the township has it in hand
        users=[report.author],
        kind="urgent_acknowledged",
        title=f"乡镇已签收您报告的突发情况:{report.title}",
        body=text,
        url=page_url("web:work_report_detail", report.pk),
        clause="MGT.6.URGENT",
    )
    return report
