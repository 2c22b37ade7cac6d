"""统计图表 (issue 16): one page of charts for officials (admin, prefecture, county, township).

Each chart is drawn in the browser by ECharts from its JSON (``/api/v1/charts/<name>``, same
origin, the session's login) and has its table right under it, rendered here from the same
data so that it reads without JavaScript, and its .xlsx one click away. ECharts and the page's
script are loaded on this page only; the cadres' phone pages never carry them."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhucun.charts.base import AREA_LEVELS, NOT_FOR_ROLE, Chart, allowed, area_chain, area_of
from zhucun.charts.catalogue import NAMES, ChartQuery, chart_build
from zhucun.charts.coverage import KINDS
from zhucun.charts.exports import chart_filename, chart_workbook
from zhucun.charts.villages_map import COLORS
from zhucun.core.errors import NotFound
from zhucun.policy.dates import month_label

from . import assets
from ._common import forbidden, page_view
from .imports import xlsx_response

MONTH_NOTE = "月份格式无效,已显示最近已结账月份"


def _query(request: HttpRequest) -> tuple[ChartQuery, str]:
    """The choices of the query string, and a note when the month could not be read."""
    get = request.GET
    raw = get.get("month", "").strip()
    month, note = None, ""
    if raw:
        try:
            y, m = raw.split("-")
            month = dt.date(int(y), int(m), 1)
        except ValueError:
            note = MONTH_NOTE
    kind = get.get("kind", "all")
    color = get.get("color", "coverage")
    return (
        ChartQuery(
            area=get.get("area", "").strip()[:15],
            month=month,
            kind=kind if kind in dict(KINDS) else "all",
            color=color if color in COLORS else "coverage",
        ),
        note,
    )


def _params(query: ChartQuery, **over: str) -> str:
    values = {
        "area": query.area,
        "month": f"{query.month:%Y-%m}" if query.month else "",
        "kind": query.kind if query.kind != "all" else "",
        "color": query.color if query.color != "coverage" else "",
    }
    values.update(over)
    return urlencode({k: v for k, v in values.items() if v})


def cell_text(value: Any) -> str:
    return "—" if value is None else str(value)


def _block(chart: Chart, query: ChartQuery, drill: bool) -> dict[str, Any]:
    params = _params(query)
    rows = []
    for i, row in enumerate(chart.rows):
        code = chart.row_codes[i] if i < len(chart.row_codes) else ""
        rows.append(
            {
                "first": row[0],
                "link": f"?{_params(query, area=code)}" if drill and code else "",
                "cells": [
                    {"text": cell_text(v), "num": isinstance(v, int | float) or v is None}
                    for v in row[1:]
                ],
            }
        )
    return {
        "chart": chart,
        "src": f"/api/v1/charts/{chart.name}" + (f"?{params}" if params else ""),
        "xlsx": f"/charts/{chart.name}.xlsx" + (f"?{params}" if params else ""),
        "rows": rows,
        "open": chart.name != "village_map",
    }


@require_GET
@page_view
def charts_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not allowed(user):
        return forbidden(request, NOT_FOR_ROLE)
    query, note = _query(request)
    area = area_of(user, query.area)
    today = timezone.localdate()
    charts = [chart_build(name, user=user, query=query, today=today) for name in NAMES]
    drill = area.child_level in AREA_LEVELS
    bands = next(c for c in charts if c.name == "attendance_bands")
    trend = next(c for c in charts if c.name == "attendance_trend")
    months = [
        (m, month_label(dt.date.fromisoformat(m + "-01")))
        for m in reversed(trend.options.get("months", []))
    ]
    return render(
        request,
        "web/charts/page.html",
        {
            "nav_key": "charts",
            "area": area,
            "chain": area_chain(user, area),
            "blocks": [_block(c, query, drill) for c in charts],
            "query": query,
            "month_value": bands.options.get("month", ""),
            "months": months,
            "kinds": KINDS,
            "colors": list(COLORS.items()),
            "note": note,
            "echarts_url": f"/assets/echarts.min.js?v={assets.ECHARTS_VERSION}",
            "charts_url": f"/assets/charts.js?v={assets.CHARTS_JS_VERSION}",
        },
    )


@require_GET
@page_view
def chart_xlsx(request: HttpRequest, name: str) -> HttpResponse:
    user = request.user
    if not allowed(user):
        return forbidden(request, NOT_FOR_ROLE)
    if name not in NAMES:
        raise NotFound("没有这个统计图表")
    query, _ = _query(request)
    today = timezone.localdate()
    chart = chart_build(name, user=user, query=query, today=today)
    return xlsx_response(chart_workbook(chart), chart_filename(chart, today))


urlpatterns = [
    path("assets/echarts.min.js", assets.echarts, name="echarts"),
    path("assets/charts.js", assets.charts_script, name="charts_script"),
    path("charts/", charts_page, name="charts"),
    path("charts/<str:name>.xlsx", chart_xlsx, name="chart_xlsx"),
]
