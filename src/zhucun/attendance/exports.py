"""MGT.3 exports (.xlsx through ``core.files_out``, streamed from the database in chunks):

* 月度考勤统计表 — per township (one sheet each): 序号, 姓名, 驻村, 派出单位, 应出勤天数,
  实际在岗天数, 出勤率, 排名, 末位, 需约谈;
* 出勤率排名表 — the whole ranking of every township across a county or the prefecture
  (sheet 出勤率排名), and the bottom list as reported up the line (sheet 末位名单: ties at the
  boundary included and marked, 无 for a township where nobody fell short; MGT.3.RANK).

Callers pass querysets from ``selectors.monthly_list`` / ``selectors.ranking_list`` so the
scope (and the cadres' publication switch) is the selectors' business."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from openpyxl.styles import Font

from zhucun.core.files_out import BORDER, Book, Sheet, Signature, Style
from zhucun.policy.dates import month_label

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
    "末位",
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


_CELL = Style(border=BORDER)
_PCT = Style(number_format="0.00%", border=BORDER)


def _head(sheet: Sheet, title: str, headers: list[str], widths: list[int]) -> None:
    sheet.table_layout(headers, widths, signed=Signature.of())
    sheet.title(title, Style(font=Font(bold=True, size=14)))
    sheet.header(headers, Style(font=Font(bold=True), border=BORDER))


def _row(sheet: Sheet, values: list[Any], pct_at: int) -> None:
    """One data row; the value at ``pct_at`` (a rate) is shown as a percentage."""
    sheet.append_cells(
        (float(v), _PCT) if i == pct_at else (v, _CELL) for i, v in enumerate(values)
    )


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
                f"{title or r.township.name}{month_label(month)}驻村工作队员考勤统计表",
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
            f"{title}{month_label(month)}驻村工作队员考勤统计表(本月尚无结账数据)",
            MONTHLY_HEADERS,
            MONTHLY_WIDTHS,
        )
    return book.to_bytes()


def ranking_workbook(
    qs: QuerySet[MonthlyAttendance],
    *,
    month: dt.date,
    title: str = "",
    townships_none: Iterable[Any] = (),
    unit: str = "",
) -> bytes:
    """出勤率排名表: sheet 出勤率排名 holds the whole ranking of every township in ``qs``;
    sheet 末位名单 the bottom of each (ties at the boundary included and marked), and 无 for
    each township of ``townships_none`` (closed, nobody short of full attendance). Both with a
    title, frozen header, A4 landscape print setup and the signature block."""
    book = Book()
    whole = book.sheet("出勤率排名")
    _head(
        whole,
        f"{title}{month_label(month)}驻村工作队员出勤率排名表",
        RANKING_HEADERS,
        RANKING_WIDTHS,
    )
    ordered = qs.order_by(
        "township__parent__code", "township__code", "rank", "cadre__name", "cadre_id"
    )
    for i, r in enumerate(_iter(ordered), start=1):
        _row(whole, _ranking_values(i, r), pct_at=8)
    whole.sign(unit=unit)
    bottom = book.sheet("末位名单")
    _head(
        bottom,
        f"{title}{month_label(month)}驻村工作队员出勤率排名末位名单",
        RANKING_HEADERS,
        RANKING_WIDTHS,
    )
    rows = qs.filter(is_bottom=True).order_by(
        "township__parent__code", "township__code", "bottom_rank", "cadre__name", "cadre_id"
    )
    i = 0
    for i, r in enumerate(_iter(rows), start=1):
        _row(bottom, _ranking_values(i, r), pct_at=8)
    for close in townships_none:
        t = close.township
        i += 1
        bottom.append([i, t.parent.name if t.parent_id else "", t.name, "无"])
    bottom.sign(unit=unit)
    return book.to_bytes()


def _ranking_values(i: int, r: MonthlyAttendance) -> list[Any]:
    return [
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
        r.bottom_rank if r.is_bottom else "",
        _yes(r.tie),
        _yes(r.needs_interview),
    ]
