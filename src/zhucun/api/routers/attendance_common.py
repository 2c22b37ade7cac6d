"""Helpers shared by the attendance routers: months "YYYY-MM", device times, stored findings
and names. Scope and rules stay in zhucun.attendance (selectors, scopes, services)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from zhucun.core.errors import ValidationFailed
from zhucun.policy import dates

from ..common import EARLIEST, LATEST

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MONTH_PATTERN = r"^\d{4}-\d{2}$"
BAD_MONTH = "月份格式无效,应为YYYY-MM(如 2026-03)"


def parse_month(raw: str, field: str = "month") -> dt.date:
    """``"YYYY-MM"`` → the month's first day; a bad month → ValidationFailed {field: 中文}."""
    m = MONTH_RE.match(raw.strip())
    if m is None:
        raise ValidationFailed({field: BAD_MONTH})
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise ValidationFailed({field: f"月份无效:{month}月不存在(应为01–12)"})
    if not EARLIEST.year <= year <= LATEST.year:
        raise ValidationFailed({field: "月份应在1900年至2099年之间"})
    return dt.date(year, month, 1)


def optional_month(raw: str, field: str = "month") -> dt.date | None:
    return parse_month(raw, field) if raw.strip() else None


def month_text(d: dt.date) -> str:
    return f"{d:%Y-%m}"


def previous_month(today: dt.date | None = None) -> dt.date:
    return dates.previous_month(today or timezone.localdate())


def device_moment(raw: str) -> Any:
    """The device time for ``checkin_record``: a datetime when ``raw`` is ISO 8601 (the
    service makes a naive one Beijing time), else ``raw`` itself — the service then lists it
    with every other bad field. Years outside 1900–2099 are refused here (time-zone
    arithmetic on year 1 or 9999 overflows)."""
    try:
        moment = dt.datetime.fromisoformat(raw.strip())
    except ValueError:
        return raw
    if not EARLIEST.year <= moment.year <= LATEST.year:
        raise ValidationFailed(
            {"device_time": "设备时间应在1900年至2099年之间"}, message="签到数据无效"
        )
    return moment


def local(moment: dt.datetime | None) -> dt.datetime | None:
    """Times in responses are Beijing time, however they were stored or received."""
    return None if moment is None else timezone.localtime(moment)


def findings_out(findings: Any) -> list[dict[str, str]]:
    """Stored findings (JSON lists of Finding.to_dict()) as {clause, severity, message}."""
    return [
        {
            "clause": str(f.get("clause", "")),
            "severity": str(f.get("severity", "")),
            "message": str(f.get("message", "")),
        }
        for f in (findings or [])
        if isinstance(f, dict)
    ]


def name_of(user: Any) -> str | None:
    return None if user is None else str(user)
