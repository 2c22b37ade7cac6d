"""MGT.1.CHECKIN: whether this system's own check-in is in use for a village.

The clause names the 「云岭先锋」 app. A jurisdiction that checks in with it (or another app)
switches this system's check-in off (``builtin_checkin_enabled``, a 运行参数 a county or the
prefecture sets on the 参数 page) and imports the other app's records (``attendance.imports``),
judged like the phone's own: no cadre checks in twice. Where it is off, the check-in service
refuses this system's check-ins (the page's button, the API, the phone's lean path) with a
message naming the app, and the cadre's page says so instead of offering a button."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.params.selectors import parameters_current
from zhucun.policy.errors import CalendarUnknownError, ParameterUnset
from zhucun.registry.models import Posting, PostingStatus

from .models import CheckIn

PARAMETER = "builtin_checkin_enabled"
CLAUSE = "MGT.1.CHECKIN"
NAMED_APP = "云岭先锋"  # the app the clause names: said when no record names another
RECENT_DAYS = 92  # how far back the app of the latest imported record is looked for


def builtin_enabled(params: Any, *, on: dt.date, code: str) -> bool:
    """Whether this system's check-in is in use on ``on`` in the jurisdiction ``code``."""
    return bool(params.flag_value(PARAMETER, on=on, jurisdiction=code))


def external_source(*, cadre_id: int, village_id: int) -> str:
    """The app whose records were imported most recently for the cadre (else for the
    village), else the app the clause names."""
    since = timezone.localdate() - dt.timedelta(days=RECENT_DAYS)
    for where in ({"cadre_id": cadre_id}, {"village_id": village_id}):
        name = (
            CheckIn.objects.filter(day__gte=since, **where)
            .exclude(source="")
            .order_by("-day")
            .values_list("source", flat=True)
            .first()
        )
        if name:
            return name
    return NAMED_APP


def builtin_off_message(posting: Posting) -> str:
    return builtin_off_message_for(
        cadre_id=posting.cadre_id,
        village_id=posting.village_id,
        village=posting.village.jurisdiction.name,
    )


def builtin_off_message_for(*, cadre_id: int, village_id: int, village: str) -> str:
    app = external_source(cadre_id=cadre_id, village_id=village_id)
    return (
        f"{village}所在辖区已改用“{app}”签到,本系统的签到功能已关闭:请在“{app}”中签到,"
        f"签到记录由乡镇(街道)或县(市)导入后同样判定并计入在岗,无需重复签到({CLAUSE})"
    )


def builtin_checkin_refusal(user: User) -> str | None:
    """For the cadre's pages: the message when this system's check-in is off today for the
    user's village; None when it is on (or the user has no posting: the page says so)."""
    if not user.cadre_id:
        return None
    posting = (
        Posting.objects.filter(cadre_id=user.cadre_id, status=PostingStatus.ACTIVE)
        .select_related("village__jurisdiction")
        .first()
    )
    if posting is None:
        return None
    try:
        on = builtin_enabled(
            parameters_current(max_age=2.0),
            on=timezone.localdate(),
            code=posting.village.jurisdiction.code,
        )
    except (ParameterUnset, CalendarUnknownError):
        return None  # no rule in force: the service says so when a check-in arrives
    return None if on else builtin_off_message(posting)
