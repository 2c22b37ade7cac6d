"""Helpers shared by the attendance pages (MGT.1, MGT.3): which role may open a page, the
month picker, and turning a service's refusal into Chinese lines that carry the clause id.

Scope is never decided here: every list comes from ``zhucun.attendance.selectors`` /
``scopes`` and every write goes through ``zhucun.attendance.services``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from zhucun.accounts.models import UserRole
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.policy import PolicyError, dates

from ..words import field_label, policy_message
from ._common import not_found
from .selection import SEVERITY, finding_rows, is_clause

CADRES = {UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER}
FS = {UserRole.FIRST_SECRETARY}
SUMMARY_ROLES = {UserRole.FIRST_SECRETARY, UserRole.VILLAGE_SECRETARY}
TOWNSHIP = {UserRole.TOWNSHIP}
UPPER = {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY}

# Field names the attendance services use in ``ValidationFailed.errors`` → Chinese labels.
FIELD_LABELS = {
    "kind": "类别",
    "start": "开始日期",
    "end": "结束日期",
    "reason": "理由",
    "note": "意见",
    "override_reason": "理由",
    "state": "状态",
    "returned_on": "返岗日期",
    "day": "日期",
    "duties": "职责任务",
    "text": "工作内容",
    "file": "照片",
    "caption": "照片说明",
    "month": "月份",
    "township_leader": "乡镇驻村工作协调小组长",
    "unit_leader": "派出单位分管领导",
    "held_on": "约谈日期",
    "record": "约谈记录",
    "jurisdiction_code": "区划",
    "signal_id": "提示",
    "leave_id": "请假",
    "client_key": "客户端标识",
    "lat": "纬度",
    "lng": "经度",
    "accuracy_m": "定位精度",
    "device_time": "设备时间",
    "device_id": "设备标识",
    "no_position_reason": "无法定位原因",
    "received_at": "接收时间",
}


def refuse_unless(request: HttpRequest, roles: Iterable[str]) -> HttpResponse | None:
    """A role that has no business on the page gets the Chinese 404 (as for any object
    outside its scope)."""
    if request.user.role not in set(roles):
        return not_found(request, "页面不存在或您的角色无需使用此功能")
    return None


# ---- months ----------------------------------------------------------------------------------


def first_of(d: dt.date) -> dt.date:
    return d.replace(day=1)


def previous_month(today: dt.date | None = None) -> dt.date:
    return dates.previous_month(today or timezone.localdate())


def month_param(request: HttpRequest, default: dt.date | None = None) -> dt.date:
    """``?month=YYYY-MM`` (a form may post it too); anything else → ``default`` (the last
    full month unless told)."""
    raw = (request.POST.get("month") or request.GET.get("month") or "").strip()
    try:
        y, m = raw.split("-")[:2]
        return dt.date(int(y), int(m), 1)
    except (ValueError, TypeError):
        return default or previous_month()


def month_choices(selected: dt.date, count: int = 13) -> list[tuple[str, str, bool]]:
    """The current month and the twelve before it, for a <select>."""
    out = []
    d = first_of(timezone.localdate())
    for _ in range(count):
        out.append((f"{d:%Y-%m}", month_label(d), d == selected))
        d = first_of(d - dt.timedelta(days=1))
    if selected not in [dt.date.fromisoformat(v + "-01") for v, _, _ in out]:
        out.append((f"{selected:%Y-%m}", month_label(selected), True))
    return out


month_label = dates.month_label  # the one way a month is written (policy.dates)


# ---- refusals with clause ids ------------------------------------------------------------------


def error_rows(errors: Mapping[str, str]) -> list[dict[str, str]]:
    """``ValidationFailed.errors`` as rows: a clause id key keeps its id, a field key its
    Chinese label."""
    rows = []
    for key, message in errors.items():
        if is_clause(key):
            rows.append({"clause": key, "label": key, "message": message})
        else:
            label = FIELD_LABELS.get(key) or field_label(key)
            rows.append({"clause": "", "label": label, "message": message})
    return rows


def error_text(exc: ValidationFailed) -> str:
    parts = []
    for r in error_rows(exc.errors):
        parts.append(
            f"[{r['clause']}] {r['message']}"
            if r["clause"]
            else (f"{r['label']}:{r['message']}" if r["label"] else r["message"])
        )
    return ";".join(parts) or exc.message


def run_action(
    request: HttpRequest,
    action: Callable[[], Any],
    success: str | Callable[[Any], str],
    back: str,
) -> HttpResponse:
    """POST → service → message → redirect (PRG). A refusal (ValidationFailed) is shown as an
    error message with its clause ids; NotFound becomes the Chinese 404; Forbidden the 403
    (``page_view``)."""
    try:
        result = action()
    except ValidationFailed as exc:
        messages.error(request, error_text(exc))
    except PolicyError as exc:
        messages.error(request, policy_message(exc))
    except NotFound as exc:
        return not_found(request, exc.message)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(back)


def findings_of(data: Any) -> list[dict[str, str]]:
    """Stored findings (JSON) as rows with the Chinese severity label."""
    return finding_rows(data or [])


__all__ = [
    "CADRES",
    "FIELD_LABELS",
    "FS",
    "SEVERITY",
    "SUMMARY_ROLES",
    "TOWNSHIP",
    "UPPER",
    "error_rows",
    "error_text",
    "findings_of",
    "first_of",
    "month_choices",
    "month_label",
    "month_param",
    "previous_month",
    "refuse_unless",
    "run_action",
]
