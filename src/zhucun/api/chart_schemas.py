"""Schemas of the chart endpoints (统计图表, issue 16): the choices a chart is drawn with, and
one shape for every chart — its series for drawing and its table for reading."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from .schemas import Text

ChartName = Literal["attendance_trend", "attendance_bands", "coverage", "village_map", "overdue"]
CoverageKind = Literal["all", "cat3", "former_poor", "relocation", "border", "other"]
MapColor = Literal["coverage", "attendance"]


class ChartParams(BaseModel):
    area: Text = Field(
        "", max_length=15, description="区划代码(州、县、乡镇;默认本人辖区),图表按其下一级分组"
    )
    month: Text = Field(
        "", max_length=20, description="月份 YYYY-MM(出勤率分布、分布图;默认最近已结账月份)"
    )
    kind: CoverageKind = Field(
        "all",
        description="覆盖情况的村类别:all 全部 / cat3 3类村 / former_poor / relocation / border"
        " / other 非3类村",
    )
    color: MapColor = Field(
        "coverage", description="分布图着色:coverage 覆盖情况 / attendance 出勤率"
    )


class ChartAreaOut(BaseModel):
    code: str = Field(description="区划代码(空:全部州市)")
    name: str
    level: str | None


class ChartSeriesOut(BaseModel):
    name: str
    stack: str = Field(description="同名 stack 的柱形叠加")
    clause: str
    data: list[Any] = Field(
        description="每个分类一个数值(无数据为 null);分布图每点为 [经度, 纬度, 出勤率, 村, 乡镇, 覆盖情况]"
    )


class ChartTableOut(BaseModel):
    headers: list[str]
    rows: list[list[Any]]


class ChartOut(BaseModel):
    name: ChartName
    title: str
    kind: Literal["line", "bar", "scatter"]
    caption: str
    clauses: list[str]
    area: ChartAreaOut
    group_level: str = Field(description="分组层级:prefecture/county/township/village")
    period: str
    x_label: str
    y_label: str
    categories: list[str]
    series: list[ChartSeriesOut]
    table: ChartTableOut
    notes: list[str]
    options: dict[str, Any]


class ChartListItemOut(BaseModel):
    name: ChartName
    title: str
    path: str
