"""The villages on a plane of longitude and latitude, each at its check-in point (MGT.1.CHECKIN),
coloured by its coverage status (SEL.SCOPE.COVER) or by its attendance rate of a closed month
(MGT.3.RANK) — a scatter without any map tiles (the machine may have no internet).

Points are drawn in one datum, WGS-84 (what phones report): a point entered in GCJ-02 is
converted with ``policy.geo.to_wgs84``, the conversion the geofence uses. Villages without a
point are listed, not guessed. One query reads the area's villages with their coverage status
and their month's summed days (subqueries); the map is for a prefecture or smaller, so an area
with more than ``MAP_MAX`` villages asks for a smaller one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import IntegerField, OuterRef, Subquery, Sum

from zhucun.accounts.models import User
from zhucun.attendance import scopes as att_scopes
from zhucun.policy.dates import month_label
from zhucun.policy.geo import to_wgs84
from zhucun.registry import scopes

from .attendance import RANK, band_label, bands, latest_closed_month
from .base import Area, Chart, Series, percent
from .coverage import STATUSES, status_expression

MAP_MAX = 3000  # villages drawn at once: a drawing limit, not a policy figure
DATUM = "WGS-84"
COLORS = {"coverage": "覆盖情况", "attendance": "出勤率"}
NO_POINT = "未设置打卡点"
NO_ROWS = "无结账数据"


def _month_sum(user: User, field: str, month: dt.date | None) -> Subquery:
    rows = (
        att_scopes.monthly_visible(user)
        .filter(village_id=OuterRef("pk"), month=month)
        .order_by()
        .values("village_id")
        .annotate(s=Sum(field))
        .values("s")[:1]
    )
    return Subquery(rows, output_field=IntegerField())


def village_map(
    *,
    user: User,
    area: Area,
    on: dt.date,
    color: str = "coverage",
    month: dt.date | None = None,
) -> Chart:
    color = color if color in COLORS else "coverage"
    month = month or latest_closed_month(user, area)
    qs = (
        scopes.villages_visible(user)
        .filter(**area.village_q())
        .annotate(
            cov=status_expression(user, on),
            duty=_month_sum(user, "duty_workdays", month),
            work=_month_sum(user, "workdays", month),
        )
        .order_by("jurisdiction__code")
        .values(
            "jurisdiction__code",
            "jurisdiction__name",
            "township__name",
            "checkin_lat",
            "checkin_lng",
            "checkin_datum",
            "cov",
            "duty",
            "work",
        )
    )
    rows = list(qs[: MAP_MAX + 1])
    month_text = month_label(month) if month else "尚无已结账月份"
    status_label = dict(STATUSES)
    chart = Chart(
        name="village_map",
        title="驻村分布图",
        kind="scatter",
        caption=(
            f"{area.name}各村(社区)按打卡点位置标出(MGT.1.CHECKIN),坐标系统一为{DATUM}"
            "(以GCJ-02录入的打卡点已换算为WGS-84);颜色表示"
            f"{'覆盖情况(SEL.SCOPE.COVER)' if color == 'coverage' else f'{month_text}出勤率({RANK})'}。"
            "本图不加载在线地图底图,仅按经纬度标点。"
        ),
        clauses=["MGT.1.CHECKIN", "SEL.SCOPE.COVER", RANK],
        area=area,
        period=month_text,
        x_label=f"经度({DATUM})",
        y_label=f"纬度({DATUM})",
        headers=[
            "乡镇(街道)",
            "村(社区)",
            f"经度({DATUM})",
            f"纬度({DATUM})",
            "录入坐标系",
            "覆盖情况",
            f"出勤率(%)({month_text})",
        ],
        options={
            "color": color,
            "colors": [{"key": k, "label": v} for k, v in COLORS.items()],
            "month": f"{month:%Y-%m}" if month else "",
        },
    )
    if len(rows) > MAP_MAX:
        chart.notes.append(
            f"区域内村(社区)超过{MAP_MAX}个,请先选择一个州(市)或县(市)再查看分布图。"
        )
        return chart
    names = [label for label, _ in bands()] + [NO_ROWS]
    if color == "coverage":
        names = [label for _, label in STATUSES]
    groups: dict[str, list[list[Any]]] = {name: [] for name in names}
    missing = []
    for r in rows:
        rate = percent(r["duty"], r["work"]) if r["work"] else None
        status = status_label.get(r["cov"], "")
        lng = lat = None
        if r["checkin_lat"] is not None and r["checkin_lng"] is not None:
            lat, lng = to_wgs84(
                float(r["checkin_lat"]), float(r["checkin_lng"]), r["checkin_datum"]
            )
            lat, lng = round(lat, 6), round(lng, 6)
            point = [lng, lat, rate, r["jurisdiction__name"], r["township__name"], status]
            key = status
            if color == "attendance":
                key = band_label(Decimal(r["duty"]) / Decimal(r["work"])) if r["work"] else NO_ROWS
            groups[key].append(point)
        else:
            missing.append(r["jurisdiction__name"])
        chart.rows.append(
            [
                r["township__name"],
                r["jurisdiction__name"],
                lng,
                lat,
                r["checkin_datum"] if lat is not None else NO_POINT,
                status,
                rate,
            ]
        )
        chart.row_codes.append("")
    chart.series = [Series(name=name, data=points) for name, points in groups.items()]
    if missing:
        chart.notes.append(
            f"{len(missing)}个村(社区){NO_POINT},未在图上标出:{'、'.join(missing)}。"
        )
    return chart
