"""Sorting and filters of the attendance lists officials work through daily: leave already
decided (the township's and the first secretary's 请假审批) and the check-ins awaiting the
township (签到异常). The queries stay in ``attendance.selectors``; this reads the query string."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhucun.attendance import selectors
from zhucun.attendance.models import CheckInStatus, LeaveKind, LeaveState
from zhucun.registry import scopes

from ._common import date_filter, paginate
from ._sorting import in_order, sort_param

LEAVE_SORTS = {
    "name": ("cadre__name", "-start"),
    "kind": (in_order("kind", LeaveKind.values), "-start"),
    "start": ("start", "cadre__name"),
    "state": (in_order("state", LeaveState.values), "-start"),
    "decided": ("decided_at", "cadre__name"),
}
DECIDED_STATES = [(c, label) for c, label in LeaveState.choices if c != LeaveState.PENDING]


def decided_leave(request: HttpRequest, *, approver_level: str) -> dict[str, Any]:
    """The page of leave ``approver_level`` has decided, filtered (name, kind, state, first
    day within) and sorted as the query string asks: ``page``, ``f``, ``sort`` and the
    choices for the filter form."""
    keys = ("q", "kind", "state", "from", "to")
    f = {k: request.GET.get(k, "").strip() for k in keys}
    problems: list[str] = []
    qs = (
        selectors.leave_list(
            user=request.user,
            q=f["q"],
            kind=f["kind"] if f["kind"] in LeaveKind.values else "",
            state=f["state"] if f["state"] in LeaveState.values else "",
            start_from=date_filter(request, "from", "开始日期自", problems),
            start_to=date_filter(request, "to", "开始日期至", problems),
        )
        .filter(approver_level=approver_level)
        .exclude(state=LeaveState.PENDING)
    )
    sort = sort_param(request, LEAVE_SORTS, "-start")
    return {
        "page": paginate(request, sort.apply(qs), per_page=20),
        "f": f,
        "sort": sort,
        "problems": problems,
        "kinds": LeaveKind.choices,
        "decided_states": DECIDED_STATES,
    }


CHECKIN_SORTS = {
    "day": ("day", "device_time"),
    "name": ("cadre__name", "-day"),
    "village": ("village__jurisdiction__code", "-day"),
    "status": (in_order("status", CheckInStatus.values), "-day"),
}
EXCEPTION_STATUSES = [(c, label) for c, label in CheckInStatus.choices if c != CheckInStatus.OK]


def exception_checkins(request: HttpRequest) -> dict[str, Any]:
    """The check-ins awaiting the township (``checkin_list(exceptions_only=True)``), filtered
    (name, village, 判定, day within) and sorted as the query string asks."""
    user = request.user
    keys = ("q", "village", "status", "from", "to")
    f = {k: request.GET.get(k, "").strip() for k in keys}
    problems: list[str] = []
    qs = selectors.checkin_list(
        user=user,
        exceptions_only=True,
        q=f["q"],
        village=f["village"] if f["village"].isdigit() else None,
        status=f["status"] if f["status"] in CheckInStatus.values else "",
        start=date_filter(request, "from", "签到日自", problems),
        end=date_filter(request, "to", "签到日至", problems),
    )
    sort = sort_param(request, CHECKIN_SORTS, "-day")
    villages = (
        scopes.villages_visible(user).select_related("jurisdiction").order_by("jurisdiction__code")
    )
    return {
        "page": paginate(request, sort.apply(qs), per_page=30),
        "f": f,
        "sort": sort,
        "problems": problems,
        "villages": villages,
        "statuses": EXCEPTION_STATUSES,
    }
