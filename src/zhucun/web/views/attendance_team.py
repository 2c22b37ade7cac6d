"""The first secretary's team pages (MGT.1, MGT.3.SUMMARY): 今日在岗 (who checked in, who is
away and why, who has not; fraud signals to look into), 请假审批 (team members' leave,
MGT.1.LEAVE) and 月度汇总 (prepare from the month close → the village party secretary signs
→ the first secretary submits to the township). The village secretary signs on the same
summary page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.attendance import selectors
from zhucun.attendance import services as att
from zhucun.attendance.models import SummaryState
from zhucun.attendance.models.leave import TAKEN_STATES

from ._common import page_view
from .attendance_cadre import pct
from .attendance_common import (
    FS,
    SUMMARY_ROLES,
    findings_of,
    month_choices,
    month_label,
    month_param,
    refuse_unless,
    run_action,
)
from .attendance_lists import decided_leave


def away_on(user: User, day: dt.date) -> dict[int, Any]:
    """Approved (or returned) leave covering ``day``, by cadre, in the user's scope."""
    qs = (
        selectors.leave_list(user=user)
        .filter(state__in=TAKEN_STATES, start__lte=day)
        .filter(Q(actual_end__gte=day) | Q(actual_end__isnull=True, end__gte=day))
    )
    return {leave.cadre_id: leave for leave in qs}


def team_rows(user: User, day: dt.date) -> list[Any]:
    """The team on ``day`` with a state for each: 已签到 / 异常待乡镇确认 / 请假 / 未签到."""
    rows = list(selectors.team_today(user=user, day=day))
    away = away_on(user, day)
    times: dict[int, Any] = {}
    for c in selectors.checkin_list(user=user, day=day).order_by("device_time"):
        times.setdefault(c.cadre_id, c)
    for p in rows:
        p.leave = away.get(p.cadre_id)
        p.first_checkin = times.get(p.cadre_id)
        if p.checked_in:
            p.state_code, p.state_label = "done", "已签到"
        elif p.checkin_status:
            p.state_code, p.state_label = "pending", "签到异常(待乡镇确认)"
        elif p.leave is not None:
            p.state_code, p.state_label = "away", f"{p.leave.get_kind_display()}"
        else:
            p.state_code, p.state_label = "none", "未签到"
    return rows


@page_view
def team_today_page(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, FS)) is not None:
        return refused
    user = request.user
    if request.method == "POST":
        return run_action(
            request,
            lambda: att.fraud_signal_resolve(
                actor=user,
                signal_id=request.POST.get("signal_id"),
                note=request.POST.get("note", ""),
            ),
            "已记录核查意见(MGT.1.FRAUD)",
            "/team/today/",
        )
    today = timezone.localdate()
    rows = team_rows(user, today)
    signals = list(selectors.fraud_signal_list(user=user)[:50])
    for s in signals:
        s.own = s.cadre_id == user.cadre_id
    return render(
        request,
        "web/attendance/team_today.html",
        {
            "nav_key": "team_today",
            "today": today,
            "rows": rows,
            "done": sum(1 for p in rows if p.state_code == "done"),
            "away": sum(1 for p in rows if p.state_code == "away"),
            "missing": sum(1 for p in rows if p.state_code == "none"),
            "pending": sum(1 for p in rows if p.state_code == "pending"),
            "signals": signals,
        },
    )


# ---- approvals -----------------------------------------------------------------------------------


def decide(request: HttpRequest, back: str) -> HttpResponse:
    """approve / reject / override (the township's reason) on one leave request."""
    user = request.user
    action = request.POST.get("action", "")
    leave_id = request.POST.get("leave_id")
    note = request.POST.get("note", "")
    if action == "override":
        return run_action(
            request,
            lambda: att.leave_override_record(
                actor=user, leave_id=leave_id, reason=request.POST.get("override_reason", "")
            ),
            "已记录理由(MGT.1.REST),第一书记可以审批该轮休",
            back,
        )
    approve = action == "approve"
    return run_action(
        request,
        lambda: att.leave_decide(
            actor=user,
            leave_id=leave_id,
            approve=approve,
            note=note,
            override_reason=request.POST.get("override_reason", ""),
        ),
        lambda leave: (
            f"已{'批准' if approve else '不批准'}{leave.cadre.name}的"
            f"{leave.get_kind_display()}({leave.start}至{leave.end})"
        ),
        back,
    )


def with_findings(leaves: Any) -> list[Any]:
    out = list(leaves)
    for leave in out:
        leave.finding_rows = findings_of(leave.findings)
        leave.days = (leave.end - leave.start).days + 1
        leave.needs_reason = any(f["severity"] == "warning" for f in leave.finding_rows)
    return out


@page_view
def team_approvals(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, FS)) is not None:
        return refused
    user = request.user
    if request.method == "POST":
        return decide(request, "/team/approvals/")
    queue = with_findings(selectors.leave_approval_queue(user=user))
    return render(
        request,
        "web/attendance/approvals.html",
        {
            "nav_key": "team_approvals",
            "title": "工作队员请假审批",
            "rule": "工作队员外出报第一书记审批(MGT.1.LEAVE)",
            "queue": queue,
            **decided_leave(request, approver_level="first_secretary"),
            "township": False,
        },
    )


# ---- monthly summary -----------------------------------------------------------------------------


def summary_rows(summary: Any) -> list[dict[str, Any]]:
    rows = []
    for r in summary.rows or []:
        rows.append({**r, "pct": pct(r.get("rate"))})
    return rows


@page_view
def team_summary(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, SUMMARY_ROLES)) is not None:
        return refused
    user = request.user
    month = month_param(request)
    back = f"/team/summary/?month={month:%Y-%m}"
    if request.method == "POST":
        action = request.POST.get("action", "")
        summary_id = request.POST.get("summary_id")
        if action == "prepare":
            return run_action(
                request,
                lambda: att.summary_prepare(
                    actor=user, month=month, note=request.POST.get("note", "")
                ),
                f"已汇总{month_label(month)}在岗情况,待村党组织书记签字(MGT.3.SUMMARY)",
                back,
            )
        if action == "sign":
            return run_action(
                request,
                lambda: att.summary_sign(actor=user, summary_id=summary_id),
                "已签字,第一书记可报乡镇党委(MGT.3.SUMMARY)",
                back,
            )
        return run_action(
            request,
            lambda: att.summary_submit(actor=user, summary_id=summary_id),
            "已报乡镇党委(MGT.3.SUMMARY)",
            back,
        )
    summary = selectors.summary_list(user=user, month=month).first()
    close = selectors.month_close_list(user=user, month=month).first()
    stale = bool(summary and close and close.version != summary.close_version)
    is_fs = user.role == UserRole.FIRST_SECRETARY
    return render(
        request,
        "web/attendance/team_summary.html",
        {
            "nav_key": "team_summary",
            "month": month,
            "label": month_label(month),
            "months": month_choices(month),
            "summary": summary,
            "rows": summary_rows(summary) if summary else [],
            "close": close,
            "stale": stale,
            "can_prepare": is_fs
            and (summary is None or summary.state == SummaryState.PREPARED or stale),
            "can_submit": is_fs and summary is not None and summary.state == SummaryState.SIGNED,
            "can_sign": user.role == UserRole.VILLAGE_SECRETARY
            and summary is not None
            and summary.state == SummaryState.PREPARED
            and not stale,
            "history": selectors.summary_list(user=user)[:12],
        },
    )
