"""A chart's table as .xlsx (through core.files_out): title, the table with a frozen header,
the caption and notes below it — the same rows the page shows."""

from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment, Font

from zhucun.core.files_out import Book, Style

from .base import Chart

WRAP = Style(alignment=Alignment(wrap_text=True, vertical="top"))


def chart_workbook(chart: Chart) -> bytes:
    book = Book()
    ncols = max(len(chart.headers), 1)
    widths = [16.0] + [12.0] * (ncols - 1)
    sheet = book.sheet(chart.title).table_layout(chart.headers, widths)
    sheet.title(
        f"{chart.title}({chart.area.name},{chart.period})", Style(font=Font(bold=True, size=14))
    )
    sheet.header(chart.headers)
    for row in chart.rows:
        sheet.append(row)
    sheet.append([])
    sheet.append([f"说明:{chart.caption}"], WRAP)
    for note in chart.notes:
        sheet.append([note], WRAP)
    return book.to_bytes()


def chart_filename(chart: Chart, today: dt.date) -> str:
    return f"{chart.title}_{chart.area.name}_{today:%Y%m%d}.xlsx"
