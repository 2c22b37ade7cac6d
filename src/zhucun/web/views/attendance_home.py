"""What the role homes show of attendance: the cadre's check-in button and 本月出勤; the
first secretary's team today and pending approvals; the township's exceptions, fraud signals
and the ranking link; the village secretary's summary to sign."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.attendance import selectors
from zhucun.attendance.models import LeaveKind, LeaveState, SummaryState

from .attendance_cadre import home_context as cadre_home
from .attendance_common import month_label, previous_month
from .attendance_team import team_rows


def attendance_home(user: User) -> dict[str, Any]:
    role = user.role
    ctx: dict[str, Any] = {}
    if role in (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER):
        ctx.update(cadre_home(user))
    if role == UserRole.FIRST_SECRETARY:
        rows = team_rows(user, timezone.localdate())
        ctx["team_today"] = rows
        ctx["team_counts"] = {
            code: sum(1 for p in rows if p.state_code == code)
            for code in ("done", "pending", "away", "none")
        }
        ctx["pending_approvals"] = selectors.leave_approval_queue(user=user).count()
        ctx["open_signals"] = selectors.fraud_signal_list(user=user).count()
    if role == UserRole.TOWNSHIP:
        month = previous_month()
        ctx["att"] = {
            "exceptions": selectors.checkin_list(user=user, exceptions_only=True).count(),
            "signals": selectors.fraud_signal_list(user=user).count(),
            "approvals": selectors.leave_approval_queue(user=user).count(),
            "overrides": selectors.leave_list(
                user=user, state=LeaveState.PENDING, kind=LeaveKind.ROTATION_REST
            )
            .filter(approver_level="first_secretary", override_reason="")
            .count(),
            "month": month,
            "month_label": month_label(month),
            "closed": selectors.month_close_list(user=user, month=month).first(),
            "summaries": selectors.summary_list(
                user=user, month=month, state=SummaryState.SUBMITTED
            ).count(),
        }
    if role == UserRole.VILLAGE_SECRETARY:
        ctx["to_sign"] = list(selectors.summary_list(user=user, state=SummaryState.PREPARED)[:5])
    if role in (UserRole.COUNTY, UserRole.PREFECTURE):
        month = previous_month()
        ctx["att_rank"] = {
            "month": month,
            "month_label": month_label(month),
            "closed": selectors.month_close_list(user=user, month=month).count(),
        }
    return ctx
