"""The one writer of every spreadsheet the system hands out (.xlsx and .csv).

Text is always stored as text. openpyxl turns a string that begins with "=" into a formula
and "#N/A" into an error value; Excel and WPS evaluate a CSV field that begins with = + - @,
a tab or a CR. A unit that renamed itself ``=HYPERLINK(...)`` would otherwise put a live
formula into the prefecture's roster, next to full ID numbers and phones. Here:

* every ``str`` becomes a cell of data type ``s`` (an inline string), set explicitly, and a
  string that looks like a formula also gets Excel's ``quotePrefix`` style, so that even
  editing the cell in Excel keeps it text;
* a CSV field beginning with = + - @ tab or CR is prefixed with a single quote (OWASP
  "CSV injection"), so Excel/WPS open it as text.

It also lays out what Chinese offices expect of a sheet: an optional merged title row, a
frozen header row, print setup (A4 landscape, header row repeated on each page, fit to one
page wide) and an optional signature block (制表人、审核人、单位(盖章)、日期) under the table.

Core is the bottom layer: nothing here imports a domain app.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation

# leading characters that make a spreadsheet program read a value as a formula
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_CHARS = 32767
DATE_FORMAT = "yyyy-mm-dd"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
# The signature block of a signed table (issue 16): 制表人 · 审核人 / 单位(盖章) · 日期.
SIGNATURE_LABELS = ("制表人", "审核人", "单位(盖章)", "日期")
BLANK_DATE = "    年    月    日"
PAGE_FOOTER = "第 &P 页 共 &N 页"  # Excel's page number and page count


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)


def clean_text(value: str) -> str:
    """Characters an .xlsx cannot hold (C0 controls but tab, LF, CR) become spaces; text is
    cut to Excel's limit of a cell."""
    return ILLEGAL_CHARACTERS_RE.sub(" ", value)[:EXCEL_MAX_CHARS]


@dataclass(frozen=True)
class Style:
    """What a cell may carry besides its value (all optional)."""

    font: Font | None = None
    alignment: Alignment | None = None
    border: Border | None = None
    fill: PatternFill | None = None
    number_format: str | None = None


def text_cell(ws: WriteOnlyWorksheet, value: str) -> Cell:
    """A cell that holds ``value`` as text, whatever it begins with."""
    cell = WriteOnlyCell(ws)
    cell._value = clean_text(value)  # never through the setter, which would infer a formula
    cell.data_type = "s"
    if looks_like_formula(cell._value):
        cell.quotePrefix = True
    return cell


def make_cell(ws: WriteOnlyWorksheet, value: Any, style: Style | None = None) -> Cell:
    """A write-only cell for ``value``: text as text, numbers as numbers, dates as dates (with
    a date format unless ``style`` gives one), ``None`` as an empty cell that keeps its style."""
    if isinstance(value, Cell):
        raise TypeError("pass values, not cells: the writer makes every cell itself")
    if isinstance(value, str):
        cell = text_cell(ws, value)
    elif value is None or isinstance(value, bool | int | float | Decimal):
        cell = WriteOnlyCell(ws, value=value)
    elif isinstance(value, dt.date):  # datetime included
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            cell = WriteOnlyCell(ws, value=value.replace(tzinfo=None))
        if not isinstance(value, dt.datetime):
            cell.number_format = DATE_FORMAT
    else:  # anything else (lazy translations, enums…) is written as its text
        cell = text_cell(ws, str(value))
    if style is not None:
        if style.font is not None:
            cell.font = style.font
        if style.alignment is not None:
            cell.alignment = style.alignment
        if style.border is not None:
            cell.border = style.border
        if style.fill is not None:
            cell.fill = style.fill
        if style.number_format is not None:
            cell.number_format = style.number_format
    return cell


@dataclass(frozen=True)
class Signature:
    """The block a printed table is signed in, written under the table after one empty row:
    label/value pairs laid two to a row (by default 制表人 · 审核人, then 单位(盖章) · 日期).
    An empty 日期 prints as blanks to fill in by hand."""

    items: tuple[tuple[str, str], ...]

    @classmethod
    def of(
        cls,
        *,
        preparer: str = "",
        reviewer: str = "",
        unit: str = "",
        date: str = "",
        labels: Sequence[str] = SIGNATURE_LABELS,
    ) -> Signature:
        """The standard four (``labels`` renames them, e.g. 经办人 for 制表人); more labels
        than four are added with empty values."""
        values = (preparer, reviewer, unit, date)
        return cls(
            tuple((label, values[i] if i < len(values) else "") for i, label in enumerate(labels))
        )

    def rows(self, ncols: int) -> list[list[Any]]:
        width = max(ncols, 4)
        second = max(width // 2, 2)
        out: list[list[Any]] = []
        for i in range(0, len(self.items), 2):
            row: list[Any] = [None] * width
            for j, (label, value) in enumerate(self.items[i : i + 2]):
                if not value and label.endswith("日期"):
                    value = BLANK_DATE
                row[j * second] = f"{label}:{value}"
            out.append(row)
        return out


class Sheet:
    """One worksheet, written row by row (write-only, constant memory).

    Layout calls (``widths``, ``merge``, ``freeze``, ``print_setup``, ``validation``) must come
    before the first row, as openpyxl's write-only mode requires."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws = ws
        self.row = 0  # rows written so far
        self.ncols = 0
        self.signed: Signature | None = None  # written under the table when the book is saved

    # ---- layout (before the first row) ---------------------------------------------------
    def widths(self, widths: Sequence[float]) -> Sheet:
        for idx, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(idx)].width = width
        self.ncols = max(self.ncols, len(widths))
        return self

    def column_format(self, col: int, number_format: str) -> Sheet:
        self.ws.column_dimensions[get_column_letter(col)].number_format = number_format
        return self

    def merge(self, ref: str) -> Sheet:
        self.ws.merged_cells.add(ref)
        return self

    def freeze(self, ref: str) -> Sheet:
        self.ws.freeze_panes = ref
        return self

    def print_setup(self, *, header_rows: str | None = None, landscape: bool = True) -> Sheet:
        """A4, landscape, one page wide (as many pages tall as needed), ``header_rows``
        (e.g. "3:3") repeated at the top of every printed page, and the page number in the
        footer (第 N 页 共 M 页)."""
        self.ws.oddFooter.center.text = PAGE_FOOTER
        setup = self.ws.page_setup
        setup.paperSize = 9  # A4
        setup.orientation = "landscape" if landscape else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        if header_rows:
            self.ws.print_title_rows = header_rows
        return self

    def validation(self, dv: DataValidation) -> Sheet:
        self.ws.data_validations.append(dv)
        return self

    def table_layout(
        self,
        headers: Sequence[str],
        widths: Sequence[float],
        *,
        title: bool = True,
        signed: Signature | None = None,
    ) -> Sheet:
        """What most reports share: widths, the header row (row 2 under a title, else row 1)
        frozen and repeated when printed, A4 landscape one page wide; the title row merged
        across the table; ``signed``: the signature block under the table (a signed
        document), written when the book is saved."""
        self.signed = signed
        head = 2 if title else 1
        self.widths(widths)
        self.ncols = len(headers)
        if title and len(headers) > 1:
            self.merge(f"A1:{get_column_letter(len(headers))}1")
        self.freeze(f"A{head + 1}")
        self.print_setup(header_rows=f"{head}:{head}")
        return self

    # ---- rows ------------------------------------------------------------------------------
    def append(self, values: Iterable[Any], style: Style | None = None) -> None:
        """One row; every value goes through ``make_cell`` (``style`` for all of them)."""
        self.ws.append([make_cell(self.ws, v, style) for v in values])
        self.row += 1

    def append_cells(self, cells: Iterable[tuple[Any, Style | None]]) -> None:
        """One row of (value, style) pairs, for rows whose cells differ in style."""
        self.ws.append([make_cell(self.ws, v, s) for v, s in cells])
        self.row += 1

    def title(self, text: str, style: Style | None = None) -> None:
        self.append([text], style or Style(font=Font(bold=True, size=14)))

    def header(self, labels: Iterable[str], style: Style | None = None) -> None:
        self.append(labels, style or Style(font=BOLD))

    def sign(self, block: Signature | None = None, **values: str) -> Sheet:
        """Put the signature block (``block``, or ``Signature.of(**values)``) under the table
        when the book is saved, whatever rows come before."""
        self.signed = block or Signature.of(**values)
        return self

    def signature(
        self, *, preparer: str = "", reviewer: str = "", unit: str = "", date: str = ""
    ) -> None:
        """The standard signature block (制表人 · 审核人 / 单位(盖章) · 日期), now."""
        self.signed = None
        self._write_signature(
            Signature.of(preparer=preparer, reviewer=reviewer, unit=unit, date=date)
        )

    def _write_signature(self, block: Signature) -> None:
        self.append([])
        for row in block.rows(self.ncols):
            self.append(row)

    def finish(self) -> None:
        """Write what waits for the end of the table (the signature block); once."""
        if self.signed is not None and not self.ws.closed:
            block, self.signed = self.signed, None
            self._write_signature(block)


class Book:
    """A write-only workbook made of ``Sheet``s; ``to_bytes`` when done. Used as a context
    manager, a book whose rows fail half-way (e.g. an upload past a limit) is discarded: its
    sheets' temporary files are removed at once."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self.sheets: list[Sheet] = []

    def __enter__(self) -> Book:
        return self

    def __exit__(self, exc_type: object, *_rest: object) -> None:
        if exc_type is not None:
            self.discard()

    def discard(self) -> None:
        for ws in self.wb.worksheets:
            writer = getattr(ws, "_writer", None)
            if writer is None or ws.closed:
                continue
            try:
                ws.close()
            finally:
                writer.cleanup()

    def sheet(self, title: str) -> Sheet:
        # sheet names: at most 31 characters, none of []:*?/\
        safe = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"
        sheet = Sheet(self.wb.create_sheet(safe))
        self.sheets.append(sheet)
        return sheet

    def save(self, target: str | IO[bytes] | Any) -> None:
        for sheet in self.sheets:
            sheet.finish()
        self.wb.save(target)

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.save(buf)
        return buf.getvalue()


# ---- CSV -----------------------------------------------------------------------------------


def csv_value(value: Any) -> str:
    """A field as CSV text: dates as YYYY-MM-DD, None as empty, and a value beginning with a
    formula trigger prefixed with a single quote so that Excel/WPS show it as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value)
    if isinstance(value, str) and looks_like_formula(s):
        return "'" + s
    return s


def write_csv(out: IO[str], rows: Iterable[Iterable[Any]]) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_value(v) for v in row])


def csv_bytes(rows: Iterable[Iterable[Any]], *, encoding: str = "utf-8-sig") -> bytes:
    """CSV as Chinese Excel opens it by double-click: UTF-8 with BOM, CRLF line ends."""
    buf = io.StringIO()
    write_csv(buf, rows)
    return buf.getvalue().encode(encoding)
