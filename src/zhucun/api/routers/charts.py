"""统计图表 (issue 16): the data of each chart for the caller's jurisdiction, computed in the
database by zhucun.charts — the series to draw and the table they come from. Officials only
(admin, prefecture, county, township): other roles get 403; an area outside the scope 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from zhucun.charts.base import NOT_FOR_ROLE, allowed
from zhucun.charts.catalogue import NAMES, ChartQuery, chart_build
from zhucun.core.errors import Forbidden

from ..chart_schemas import ChartListItemOut, ChartName, ChartOut, ChartParams
from ..common import responses, user_of
from .attendance_common import optional_month

router = Router(tags=["统计图表"])
NamePath: Any = Path(..., description="图表名称")


@router.get("/charts", response=responses(list[ChartListItemOut]), summary="统计图表目录")
def chart_list(request: HttpRequest) -> list[dict[str, Any]]:
    if not allowed(user_of(request)):
        raise Forbidden(NOT_FOR_ROLE)
    return [{"name": k, "title": v, "path": f"/api/v1/charts/{k}"} for k, v in NAMES.items()]


@router.get("/charts/{name}", response=responses(ChartOut), summary="统计图表数据")
def chart_detail(
    request: HttpRequest,
    params: Query[ChartParams],
    name: ChartName = NamePath,
) -> dict[str, Any]:
    query = ChartQuery(
        area=params.area, month=optional_month(params.month), kind=params.kind, color=params.color
    )
    return chart_build(name, user=user_of(request), query=query).as_dict()
