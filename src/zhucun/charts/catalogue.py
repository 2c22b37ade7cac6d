"""The charts by name, each built for a user from the same few choices (area, month, kind,
colour); the API, the page, its tables and the .xlsx all build them here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.core.errors import NotFound

from .attendance import attendance_bands, attendance_trend
from .base import Chart, area_of
from .coverage import coverage_chart
from .overdue import overdue_chart
from .villages_map import village_map

NAMES = {
    "attendance_trend": "出勤率走势",
    "attendance_bands": "出勤率分布",
    "coverage": "选派覆盖情况",
    "village_map": "驻村分布图",
    "overdue": "逾期事项走势",
}


@dataclass(frozen=True)
class ChartQuery:
    """``area``: a jurisdiction code ("" = the user's own); ``month``: a closed month (None =
    the latest); ``kind``: the 3类村 kind of the coverage chart; ``color``: the map's colouring."""

    area: str = ""
    month: dt.date | None = None
    kind: str = "all"
    color: str = "coverage"


def chart_build(
    name: str, *, user: User, query: ChartQuery | None = None, today: dt.date | None = None
) -> Chart:
    """Forbidden for roles without charts, NotFound for an unknown chart or an area outside
    the user's scope."""
    query = query or ChartQuery()
    area = area_of(user, query.area)
    today = today or timezone.localdate()
    if name == "attendance_trend":
        return attendance_trend(user=user, area=area)
    if name == "attendance_bands":
        return attendance_bands(user=user, area=area, month=query.month)
    if name == "coverage":
        return coverage_chart(user=user, area=area, on=today, kind=query.kind)
    if name == "village_map":
        return village_map(user=user, area=area, on=today, color=query.color, month=query.month)
    if name == "overdue":
        return overdue_chart(user=user, area=area, today=today)
    raise NotFound("没有这个统计图表")
