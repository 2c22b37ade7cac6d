"""A cadre's today, in one line (issue 16, the phone): 今日已签到 (time, inside the fence or
flagged) / 尚未签到 / 请假中 / 轮休中 / 因公外出 / 今日非工作日 — read from the scoped
selectors in two queries (today's check-ins with whether the township reviewed each, and the
leave covering today), plus the holiday calendar only for a year the package does not know."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from zhucun.accounts.models import User
from zhucun.params.calendar import workday_or_none

from . import selectors
from .models import CheckIn, CheckInReview, LeaveKind, LeaveRequest
from .models.leave import DUTY_KINDS, TAKEN_STATES

DONE, PENDING, REJECTED, NONE = "done", "pending", "rejected", "none"
LEAVE, REST, TRIP, OFFDAY = "leave", "rest", "trip", "offday"
LABELS = {
    DONE: "今日已签到",
    PENDING: "异常待乡镇确认",
    REJECTED: "签到未获乡镇认可",
    LEAVE: "请假中",
    REST: "轮休中",
    TRIP: "因公外出",
    OFFDAY: "今日非工作日",
    NONE: "尚未签到",
}
CHECKIN_LIMIT = 20  # more taps in one day than this are not shown (all are kept)


@dataclass
class TodayStatus:
    code: str
    label: str
    detail: str
    day: dt.date
    checkin: CheckIn | None = None
    checkins: list[CheckIn] = field(default_factory=list)
    away: LeaveRequest | None = None
    workday: bool | None = None

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "label": self.label, "detail": self.detail}


def _hm(ci: CheckIn) -> str:
    from django.utils import timezone

    return timezone.localtime(ci.device_time).strftime("%H:%M")


def _checkin_detail(ci: CheckIn, code: str) -> str:
    where = ci.get_status_display()
    if ci.status == "ok":
        where = "在签到范围内"
    if ci.distance_m is not None and ci.status in ("ok", "off_fence", "low_accuracy"):
        where += f"(距签到点{round(ci.distance_m)}米)"
    if code == DONE and ci.status != "ok":
        where += ",已经乡镇党委认可"
    elif code == PENDING:
        where += ",须乡镇党委核实认可后计入在岗"
    elif code == REJECTED:
        where += ",未计入在岗"
    return f"{_hm(ci)}签到 · {where}"


def _md(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def _away_detail(leave: LeaveRequest) -> str:
    end = leave.actual_end or leave.end
    text = f"{leave.get_kind_display()} {_md(leave.start)}至{_md(end)}"
    if leave.kind in DUTY_KINDS:
        text += "(计入在岗)"
    return text


def today_status(user: User, day: dt.date) -> TodayStatus:
    """The cadre user's today; records outside the user's scope never count (selectors)."""
    reviewed = CheckInReview.objects.filter(checkin_id=OuterRef("pk"))
    rows = list(
        selectors.checkin_list(user=user, day=day, cadre=user.cadre_id)
        .annotate(reviewed=Exists(reviewed))
        .order_by("device_time", "id")[:CHECKIN_LIMIT]
    )
    counted = [c for c in rows if c.counts]
    unreviewed = [c for c in rows if not c.counts and not c.reviewed]
    away = (
        selectors.leave_list(user=user, cadre=user.cadre_id)
        .filter(state__in=TAKEN_STATES, start__lte=day)
        .filter(Q(actual_end__gte=day) | Q(actual_end__isnull=True, end__gte=day))
        .first()
    )
    status = TodayStatus(code=NONE, label="", detail="", day=day, checkins=rows, away=away)
    if counted:
        status.code, status.checkin = DONE, counted[0]
    elif unreviewed:
        status.code, status.checkin = PENDING, unreviewed[-1]
    elif away is not None:
        if away.kind == LeaveKind.ROTATION_REST:
            status.code = REST
        else:
            status.code = TRIP if away.kind in DUTY_KINDS else LEAVE
    elif rows:
        status.code, status.checkin = REJECTED, rows[-1]
    else:
        status.workday = workday_or_none(day)
        if status.workday is False:
            status.code = OFFDAY
    status.label = LABELS[status.code]
    if status.checkin is not None:
        status.detail = _checkin_detail(status.checkin, status.code)
    elif away is not None:
        status.detail = _away_detail(away)
    elif status.code == OFFDAY:
        status.detail = "今天是周末或法定节假日,在岗时仍可签到"
    else:
        status.detail = "点下方“签到”按钮完成今日签到"
    return status


__all__ = ["LABELS", "TodayStatus", "today_status"]
