"""MGT.3 exports (.xlsx through ``core.files_out``, streamed from the database in chunks):

* 月度考勤统计表 — per township (one sheet each): 序号, 姓名, 驻村, 派出单位, 应出勤天数,
  实际在岗天数, 出勤率, 排名, 末3位, 需约谈;
* 出勤率排名表 — the bottom three (ties at the boundary included) of every township across a
  county or the prefecture, as reported up the line (MGT.3.RANK).

Callers pass querysets from ``selectors.monthly_list`` / ``selectors.ranking_list`` so the
scope (and the cadres' publication switch) is the selectors' business."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from openpyxl.styles import Font

from zhucun.core.files_out import Book, Sheet, Style

from .models import MonthlyAttendance

MONTHLY_HEADERS = [
    "序号",
    "姓名",
    "驻村",
    "派出单位",
    "应出勤天数",
    "实际在岗天数",
    "出勤率",
    "排名",
    "末3位",
    "需约谈",
]
MONTHLY_WIDTHS = [6, 10, 14, 24, 11, 13, 9, 7, 7, 7]
RANKING_HEADERS = [
    "序号",
    "县(市)",
    "乡镇(街道)",
    "姓名",
    "驻村",
    "派出单位",
    "应出勤天数",
    "实际在岗天数",
    "出勤率",
    "排名",
    "倒数名次",
    "并列",
    "需约谈",
]
RANKING_WIDTHS = [6, 10, 14, 10, 14, 24, 11, 13, 9, 7, 9, 7, 7]


def _iter(qs: QuerySet[MonthlyAttendance], chunk: int = 1000) -> Iterator[MonthlyAttendance]:
    return qs.select_related("cadre__unit", "village__jurisdiction", "township__parent").iterator(
        chunk_size=chunk
    )


_PCT = Style(number_format="0.00%")


def _head(sheet: Sheet, title: str, headers: list[str], widths: list[int]) -> None:
    sheet.table_layout(headers, widths)
    sheet.title(title, Style(font=Font(bold=True, size=14)))
    sheet.header(headers)


def _row(sheet: Sheet, values: list[Any], pct_at: int) -> None:
    """One data row; the value at ``pct_at`` (a rate) is shown as a percentage."""
    sheet.append_cells((float(v), _PCT) if i == pct_at else (v, None) for i, v in enumerate(values))


def _yes(flag: bool) -> str:
    return "是" if flag else ""


def monthly_workbook(qs: QuerySet[MonthlyAttendance], *, month: dt.date, title: str = "") -> bytes:
    """月度考勤统计表: one sheet per township, rows by rank."""
    book = Book()
    ws: Sheet | None = None
    current = None
    i = 0
    for r in _iter(qs.order_by("township__code", "rank", "cadre__name", "cadre_id")):
        if r.township_id != current:
            current, i = r.township_id, 0
            ws = book.sheet(r.township.name)
            _head(
                ws,
                f"{title or r.township.name}{month:%Y年%m月}驻村工作队员考勤统计表",
                MONTHLY_HEADERS,
                MONTHLY_WIDTHS,
            )
        assert ws is not None
        i += 1
        _row(
            ws,
            [
                i,
                r.cadre.name,
                r.village.jurisdiction.name,
                r.cadre.unit.name,
                r.workdays,
                r.duty_workdays,
                r.rate,
                r.rank,
                _yes(r.is_bottom),
                _yes(r.needs_interview),
            ],
            pct_at=6,
        )
    if ws is None:
        ws = book.sheet("考勤统计")
        _head(
            ws,
            f"{title}{month:%Y年%m月}驻村工作队员考勤统计表(本月尚无结账数据)",
            MONTHLY_HEADERS,
            MONTHLY_WIDTHS,
        )
    return book.to_bytes()


def ranking_workbook(qs: QuerySet[MonthlyAttendance], *, month: dt.date, title: str = "") -> bytes:
    """出勤率排名表: the bottom three of every township in ``qs`` (ties included, marked)."""
    book = Book()
    ws = book.sheet("末3位名单")
    _head(
        ws,
        f"{title}{month:%Y年%m月}驻村工作队员出勤率排名末3位名单",
        RANKING_HEADERS,
        RANKING_WIDTHS,
    )
    rows = qs.filter(is_bottom=True).order_by(
        "township__parent__code", "township__code", "bottom_rank", "cadre__name", "cadre_id"
    )
    for i, r in enumerate(_iter(rows), start=1):
        _row(
            ws,
            [
                i,
                r.township.parent.name if r.township.parent_id else "",
                r.township.name,
                r.cadre.name,
                r.village.jurisdiction.name,
                r.cadre.unit.name,
                r.workdays,
                r.duty_workdays,
                r.rate,
                r.rank,
                r.bottom_rank,
                _yes(r.tie),
                _yes(r.needs_interview),
            ],
            pct_at=8,
        )
    return book.to_bytes()
