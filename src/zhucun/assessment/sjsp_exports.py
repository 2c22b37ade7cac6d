"""MGT.8.SJSP: the township summary of a quarter's 三讲三评 as an .xlsx (core.files_out) and
the rows its print page shows."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font

from zhucun.accounts.models import User
from zhucun.core.files_out import BORDER, Book, Style
from zhucun.policy.review import quarter_label
from zhucun.registry.models import Jurisdiction

from .selectors.sjsp import summary_totals, township_summary

HEADERS = [
    "序号",
    "乡镇(街道)",
    "有驻村工作队的村",
    "已开展活动的村",
    "未开展活动的村",
    "参加评价的驻村干部",
    "满意度低于标准的干部",
    "未完成整改",
]


def place_name(user: User) -> str:
    """Whose summary it is: the user's jurisdiction, else the root (the prefecture)."""
    if user.jurisdiction_id:
        return user.jurisdiction.name
    root = Jurisdiction.objects.filter(parent__isnull=True).order_by("code").first()
    return root.name if root else ""


def summary_title(user: User, year: int, quarter: int) -> str:
    return f"{place_name(user)}{quarter_label(year, quarter)}“三讲三评”情况汇总表"


def summary_rows(user: User, year: int, quarter: int) -> tuple[list[list[Any]], list[Any]]:
    """The table's rows (one per township) and the 合计 row."""
    qs = township_summary(user=user, year=year, quarter=quarter)
    rows = [
        [
            i,
            t.name,
            t.villages_posted,
            t.events_held,
            max(t.villages_posted - t.events_held, 0),
            t.cadres_evaluated,
            t.cadres_below,
            t.open_rectifications,
        ]
        for i, t in enumerate(qs.iterator(chunk_size=500), start=1)
    ]
    s = summary_totals(user=user, year=year, quarter=quarter)
    total = [
        "合计",
        "",
        s["villages_posted"],
        s["events_held"],
        max(s["villages_posted"] - s["events_held"], 0),
        s["cadres_evaluated"],
        s["cadres_below"],
        s["open_rectifications"],
    ]
    return rows, total


def summary_workbook(user: User, year: int, quarter: int) -> bytes:
    rows, total = summary_rows(user, year, quarter)
    cell = Style(border=BORDER, alignment=Alignment(vertical="center", wrap_text=True))
    bold = Style(border=BORDER, font=Font(bold=True))
    with Book() as book:
        sh = book.sheet("三讲三评汇总")
        sh.table_layout(HEADERS, [6, 20, 12, 12, 12, 14, 14, 12])
        sh.title(
            summary_title(user, year, quarter),
            Style(font=Font(bold=True, size=14), alignment=Alignment(horizontal="center")),
        )
        sh.header(HEADERS, bold)
        for row in rows:
            sh.append(row, cell)
        sh.append(total, bold)
        sh.signature()
        return book.to_bytes()
