"""The cadre's own attendance pages (MGT.1), mobile first: 签到 (one tap, offline queue),
工作日志, 请销假, 本月出勤 — plus the JSON endpoint the check-in button posts to, the small
script behind the button and its service worker.

The check-in page renders today's status on the server (works without JavaScript); the
button needs ``/assets/checkin.js`` (no framework, no external resource). A check-in is
queued in ``localStorage`` before it is sent and leaves the queue only when the server has
answered it, so a resend is always safe: ``checkin_record`` is idempotent on the client key."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhucun.accounts.models import User
from zhucun.attendance import selectors
from zhucun.attendance import services as att
from zhucun.attendance import today as today_mod
from zhucun.attendance.models import DUTY_CODES, LeaveKind, LeaveState
from zhucun.attendance.switch import builtin_checkin_refusal
from zhucun.attendance.today import TodayStatus
from zhucun.core.errors import ValidationFailed
from zhucun.policy import PolicyError
from zhucun.policy.leave import APPROVER_NAMES, LEAVE_KINDS, leave_approver
from zhucun.registry import scopes as registry_scopes
from zhucun.registry.models import Cadre, Posting, PostingStatus

from ..words import failure_errors
from ._common import Field, SimpleForm, page_view, paginate
from .attendance_common import (
    CADRES,
    error_rows,
    error_text,
    findings_of,
    first_of,
    month_choices,
    month_label,
    month_param,
    refuse_unless,
    run_action,
)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SCRIPT = (ASSETS / "checkin.js").read_bytes()
SCRIPT_VERSION = hashlib.sha256(SCRIPT).hexdigest()[:10]
WORKER = (ASSETS / "checkin-sw.js").read_bytes()
SERVICE_WORKER_URL = "/m/sw.js"
MANIFEST_URL = "/manifest.webmanifest"
DAYS_GAP_TEXT = "每年在岗天数下限原文缺失(MGT.1.DAYS),本辖区尚未设置"


def pct(rate: Any) -> str:
    return "—" if rate is None else f"{float(rate) * 100:.1f}%"


def own_posting(user: User) -> Posting | None:
    if not user.cadre_id:
        return None
    return (
        registry_scopes.postings_visible(user)
        .filter(cadre_id=user.cadre_id, status=PostingStatus.ACTIVE)
        .select_related("cadre", "village__jurisdiction", "village__township")
        .first()
    )


# ---- today's status ----------------------------------------------------------------------------


def today_status(user: User, day: dt.date | None = None) -> TodayStatus:
    """Today's state of the cadre user (attendance.today): checked in, not yet, away, off."""
    return today_mod.today_status(user, day or timezone.localdate())


def checkin_context(user: User) -> dict[str, Any]:
    """The check-in widget's context, with what makes the cadre's pages an installable app
    (the manifest linked from base.html and the service worker checkin.js registers)."""
    return {
        "today": today_status(user),
        "posting": own_posting(user),
        "checkin_script": f"/assets/checkin.js?v={SCRIPT_VERSION}",
        "service_worker": SERVICE_WORKER_URL,
        "manifest_url": MANIFEST_URL,
        # MGT.1.CHECKIN: the jurisdiction checks in with another app — say so, no button
        "builtin_off": builtin_checkin_refusal(user),
    }


@page_view
def checkin_page(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, CADRES)) is not None:
        return refused
    ctx = checkin_context(request.user)
    ctx["nav_key"] = "checkin"
    response = render(request, "web/attendance/checkin.html", ctx)
    response["Cache-Control"] = "no-store"  # names, village, today's status: never stored
    return response


@require_GET
def checkin_shell(request: HttpRequest) -> HttpResponse:
    """The page the service worker shows offline: the button and the queue, no personal data
    (no name, village or status; the queue's owner comes from the phone's own storage)."""
    ctx = {"shell": True, "checkin_script": f"/assets/checkin.js?v={SCRIPT_VERSION}"}
    response = render(request, "web/attendance/checkin_shell.html", ctx)
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def checkin_script(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(SCRIPT, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(WORKER, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


# ---- diary -------------------------------------------------------------------------------------


def _parse_day(raw: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except (ValueError, AttributeError):
        return default


@page_view
def diary_page(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, CADRES)) is not None:
        return refused
    user = request.user
    today = timezone.localdate()
    day = _parse_day(request.POST.get("day") or request.GET.get("day", ""), today)
    posting = own_posting(user)
    entry = selectors.diary_list(user=user, cadre=user.cadre_id).filter(day=day).first()
    duties = list(entry.duties) if entry else []
    body = entry.text if entry else ""
    errors: list[dict[str, str]] = []
    if request.method == "POST" and posting is not None:
        duties = request.POST.getlist("duties")
        body = request.POST.get("text", "")
        try:
            entry = att.diary_save(actor=user, day=day, duties=duties, text=body)
        except ValidationFailed as exc:
            errors = error_rows(exc.errors)
        else:
            photo = request.FILES.get("photo")
            if photo:
                try:
                    att.diary_photo_add(
                        actor=user,
                        entry_id=entry.pk,
                        file=photo,
                        caption=request.POST.get("caption", ""),
                    )
                except ValidationFailed as exc:
                    messages.error(request, "日志已保存,照片未上传:" + error_text(exc))
                    return redirect(f"/m/diary/?day={day.isoformat()}")
            messages.success(request, f"已保存{day:%Y-%m-%d}的工作日志(MGT.1.DIARY)")
            return redirect(f"/m/diary/?day={day.isoformat()}")
    month = first_of(today)
    missing = (
        selectors.diary_missing(cadre=user.cadre_id, month=month, until=today)
        if posting is not None
        else []
    )
    recent = list(selectors.diary_list(user=user, cadre=user.cadre_id, month=month)[:40])
    for e in recent:
        e.duty_labels = [DUTY_CODES.get(c, c) for c in e.duties]
    return render(
        request,
        "web/attendance/diary.html",
        {
            "nav_key": "diary",
            "posting": posting,
            "day": day,
            "today": today,
            "entry": entry,
            "duty_options": [(code, name, code in duties) for code, name in DUTY_CODES.items()],
            "text": body,
            "errors": errors,
            "missing": missing,
            "recent": recent,
            "month_label": month_label(month),
        },
    )


# ---- leave -------------------------------------------------------------------------------------


def _leave_form(initial: dict[str, Any]) -> SimpleForm:
    return SimpleForm(
        [
            Field("kind", "类别", kind="select", choices=list(LEAVE_KINDS.items())),
            Field("start", "开始日期", kind="date"),
            Field("end", "结束日期", kind="date"),
            Field("reason", "事由", kind="textarea", attrs={"rows": "2"}),
        ],
        initial,
    )


def _approver_label(posting: Posting | None) -> str:
    if posting is None:
        return ""
    try:
        return APPROVER_NAMES[leave_approver(posting.role)]
    except (ValueError, KeyError):
        return ""


@page_view
def leave_page(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, CADRES)) is not None:
        return refused
    user = request.user
    today = timezone.localdate()
    posting = own_posting(user)
    form = _leave_form({"kind": LeaveKind.PERSONAL, "start": today, "end": today})
    refusal: list[dict[str, str]] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        leave_id = request.POST.get("leave_id")
        if action == "cancel":
            return run_action(
                request,
                lambda: att.leave_cancel(actor=user, leave_id=leave_id),
                "已撤回请假申请",
                "/m/leave/",
            )
        if action == "return":
            returned_on = request.POST.get("returned_on") or today.isoformat()
            return run_action(
                request,
                lambda: att.leave_return(actor=user, leave_id=leave_id, returned_on=returned_on),
                f"已销假,返岗日期{returned_on}",
                "/m/leave/",
            )
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        try:
            leave = att.leave_request_create(actor=user, **values)
        except (ValidationFailed, PolicyError) as exc:
            errors = failure_errors(exc)
            form.add_errors({k: v for k, v in errors.items() if k in values})
            refusal = [r for r in error_rows(errors) if r["clause"] or r["label"] in ("状态", "")]
        else:
            messages.success(
                request,
                f"已提交{leave.get_kind_display()}申请({leave.start}至{leave.end}),"
                f"待{leave.get_approver_level_display()}审批",
            )
            return redirect("/m/leave/")
    page = paginate(request, selectors.leave_list(user=user, cadre=user.cadre_id), per_page=20)
    for leave in page.object_list:
        leave.finding_rows = findings_of(leave.findings)
        leave.can_cancel = leave.state == LeaveState.PENDING or (
            leave.state == LeaveState.APPROVED and leave.start > today
        )
        leave.can_return = leave.state == LeaveState.APPROVED and leave.start <= today
    return render(
        request,
        "web/attendance/leave.html",
        {
            "nav_key": "leave",
            "posting": posting,
            "form": form,
            "refusal": refusal,
            "page": page,
            "approver": _approver_label(posting),
            "today": today,
        },
    )


# ---- my month ----------------------------------------------------------------------------------


def month_facts(user: User, month: dt.date, today: dt.date) -> dict[str, Any]:
    """The cadre's month: the month-close row if closed, else the live count so far."""
    cadre_id = user.cadre_id
    end = min(today, (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1))
    facts: dict[str, Any] = {"month": month, "label": month_label(month), "until": end}
    try:
        workdays = att.working_days_of(month)
    except ValidationFailed as exc:
        facts["calendar_error"] = error_text(exc)
        workdays = []
    facts["workdays"] = len(workdays)
    facts["workdays_so_far"] = len([d for d in workdays if d <= end])
    facts["duty_days_so_far"] = (
        selectors.duty_days_by_cadre(Cadre.objects.filter(pk=cadre_id), start=month, end=end).get(
            cadre_id, 0
        )
        if month <= today
        else 0
    )
    row = selectors.monthly_list(user=user, month=month).filter(cadre_id=cadre_id).first()
    facts["row"] = row
    if row is not None:
        facts["rate"] = pct(row.rate)
    published = selectors.rankings_published(user=user, on=end)
    facts["published"] = published
    facts["rank"] = row.rank if row is not None and published else None
    if row is not None and published:
        facts["rank_of"] = selectors.ranking_list(
            user=user, month=month, township=row.township.code
        ).count()
    return facts


@page_view
def month_page(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, CADRES)) is not None:
        return refused
    user = request.user
    today = timezone.localdate()
    month = month_param(request, default=first_of(today))
    posting = own_posting(user)
    facts = month_facts(user, month, today)
    missing = (
        selectors.diary_missing(cadre=user.cadre_id, month=month, until=today)
        if posting is not None and month <= today
        else []
    )
    days_row = None
    if posting is not None:
        days_row = selectors.duty_days_rows(cadres=[posting.cadre], year=today.year, as_of=today)[0]
    return render(
        request,
        "web/attendance/month.html",
        {
            "nav_key": "month",
            "posting": posting,
            "m": facts,
            "months": month_choices(month),
            "missing": missing,
            "days_row": days_row,
            "days_findings": findings_of(days_row.findings) if days_row else [],
            "days_gap_text": DAYS_GAP_TEXT,
            "year": today.year,
        },
    )


# ---- the cadre's home --------------------------------------------------------------------------


def home_context(user: User) -> dict[str, Any]:
    """What the cadre's home shows: the check-in button with today's status and 本月出勤."""
    today = timezone.localdate()
    ctx = checkin_context(user)
    ctx["month_facts"] = month_facts(user, first_of(today), today)
    return ctx


__all__ = [
    "checkin_page",
    "checkin_script",
    "checkin_shell",
    "diary_page",
    "home_context",
    "leave_page",
    "month_page",
    "service_worker",
    "today_status",
]
