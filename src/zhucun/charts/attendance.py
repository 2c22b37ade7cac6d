"""MGT.3.RANK in pictures, from the closed months' rows (``MonthlyAttendance``, written by the
month close): the attendance rate of each part of the area over the closed months (line) and
how the cadres of one closed month spread over rate bands (bar, stacked by part).

A part's rate is its cadres' on-duty working days over their due working days, both summed
(the same days the month close ranks by). Everything is summed in the database: one query for
the months, one for the figures, one for the names of the parts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet, Sum

from zhucun.accounts.models import User
from zhucun.attendance import scopes as att_scopes
from zhucun.attendance.models import MonthlyAttendance
from zhucun.policy.dates import month_label

from .base import TOTAL, Area, Chart, Series, groups_of, percent

RANK = "MGT.3.RANK"
TALK = "MGT.3.TALK"
TREND_MONTHS = 12
RATE_TEXT = "出勤率 = 实际在岗天数合计 ÷ 应出勤天数合计"
# Bands of the distribution: a way of drawing, not a policy figure (the policy ranks, MGT.3).
# Each band holds its lower bound and not its upper one.
BAND_FLOORS = (Decimal("0.9"), Decimal("0.8"), Decimal("0.7"), Decimal("0.6"))


def _pct(d: Decimal) -> str:
    return f"{int(d * 100)}%"


def band_bounds() -> list[tuple[str, Decimal | None, Decimal | None]]:
    """(label, lower bound or None, upper bound or None) of each band, from the top."""
    out: list[tuple[str, Decimal | None, Decimal | None]] = [("100%", Decimal(1), None)]
    upper = Decimal(1)
    for floor in BAND_FLOORS:
        out.append((f"{_pct(floor)}–{_pct(upper)}", floor, upper))
        upper = floor
    out.append((f"{_pct(upper)}以下", None, upper))
    return out


def bands() -> list[tuple[str, Q]]:
    out = []
    for label, lower, upper in band_bounds():
        q = Q()
        if lower is not None:
            q &= Q(rate__gte=lower)
        if upper is not None:
            q &= Q(rate__lt=upper)
        out.append((label, q))
    return out


def band_label(rate: Decimal) -> str:
    for label, lower, upper in band_bounds():
        if (lower is None or rate >= lower) and (upper is None or rate < upper):
            return label
    raise ValueError(rate)


def rows_in(user: User, area: Area) -> QuerySet[MonthlyAttendance]:
    return att_scopes.monthly_visible(user).filter(**area.village_q("village__"))


def latest_closed_month(user: User, area: Area) -> dt.date | None:
    found = rows_in(user, area).aggregate(m=Max("month"))["m"]
    return found  # type: ignore[no-any-return]


def attendance_trend(*, user: User, area: Area, months: int = TREND_MONTHS) -> Chart:
    qs = rows_in(user, area)
    closed = sorted(qs.order_by("-month").values_list("month", flat=True).distinct()[:months])
    sums: dict[tuple[int, dt.date], dict[str, int]] = {}
    if closed:
        for r in (
            qs.filter(month__in=closed)
            .order_by()
            .values("month", group=F(area.group_field("village__")))
            .annotate(duty=Sum("duty_workdays"), work=Sum("workdays"))
        ):
            sums[(r["group"], r["month"])] = r
    groups = groups_of(area)
    labels = [month_label(m) for m in closed]
    chart = Chart(
        name="attendance_trend",
        title="出勤率走势",
        kind="line",
        caption=(
            f"{area.name}各{area.child_label}已结账月份的出勤率({RATE_TEXT},"
            f"取自乡镇月度考勤结账,{RANK});“—”表示该月无结账数据。"
        ),
        clauses=[RANK],
        area=area,
        period=f"{labels[0]}至{labels[-1]}" if closed else "尚无已结账月份",
        x_label="月份",
        y_label="出勤率(%)",
        categories=labels,
        headers=[area.child_label, *labels],
        options={"months": [f"{m:%Y-%m}" for m in closed]},
    )
    total = {m: [0, 0] for m in closed}
    for pk, j in groups.items():
        rates = []
        for m in closed:
            r = sums.get((pk, m))
            if r is None:
                rates.append(None)
                continue
            total[m][0] += r["duty"]
            total[m][1] += r["work"]
            rates.append(percent(r["duty"], r["work"]))
        if any(v is not None for v in rates):
            chart.series.append(Series(name=j.name, data=rates))
        chart.rows.append([j.name, *rates])
        chart.row_codes.append(j.code)
    overall = [percent(*total[m]) for m in closed]
    chart.series.append(Series(name=f"{area.name}{TOTAL}", data=overall))
    chart.rows.append([TOTAL, *overall])
    chart.row_codes.append("")
    if not closed:
        chart.notes.append("辖区内尚无已结账的月份:乡镇月度结账后即可显示。")
    return chart


def attendance_bands(*, user: User, area: Area, month: dt.date | None = None) -> Chart:
    qs = rows_in(user, area)
    month = month or latest_closed_month(user, area)
    spec = bands()
    labels = [label for label, _ in spec]
    counts: dict[int, dict[str, Any]] = {}
    if month is not None:
        agg = {f"b{i}": Count("pk", filter=q) for i, (_, q) in enumerate(spec)}
        for r in (
            qs.filter(month=month)
            .order_by()
            .values(group=F(area.group_field("village__")))
            .annotate(**agg, total=Count("pk"), talk=Count("pk", filter=Q(needs_interview=True)))
        ):
            counts[r["group"]] = r
    groups = groups_of(area)
    period = month_label(month) if month else "尚无已结账月份"
    chart = Chart(
        name="attendance_bands",
        title="出勤率分布",
        kind="bar",
        caption=(
            f"{period}各出勤率区间的干部人数,按{area.child_label}分色叠加({RATE_TEXT}"
            f"按人计算;区间含下限、不含上限;{RANK})。“需约谈”为出勤未达当月工作日且无正常"
            f"理由的人数({TALK})。"
        ),
        clauses=[RANK, TALK],
        area=area,
        period=period,
        x_label="出勤率区间",
        y_label="人数",
        categories=labels,
        headers=[area.child_label, *labels, "合计(人)", "需约谈(人)"],
        options={"month": f"{month:%Y-%m}" if month else ""},
    )
    total = [0] * (len(spec) + 2)
    for pk, j in groups.items():
        r = counts.get(pk)
        figures = [r[f"b{i}"] for i in range(len(spec))] + [r["total"], r["talk"]] if r else []
        if not figures:
            figures = [0] * (len(spec) + 2)
        total = [a + b for a, b in zip(total, figures, strict=True)]
        if r:
            chart.series.append(Series(name=j.name, data=figures[: len(spec)], stack="人数"))
        chart.rows.append([j.name, *figures])
        chart.row_codes.append(j.code)
    chart.rows.append([TOTAL, *total])
    chart.row_codes.append("")
    if month is None:
        chart.notes.append("辖区内尚无已结账的月份:乡镇月度结账后即可显示。")
    return chart
