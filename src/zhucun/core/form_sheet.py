"""A registration or approval form (登记表、审批表) as one A4 portrait sheet: a merged title, a
bordered four-column table of label/value pairs or wide fields, opinion boxes with their seal
line, and an optional signature line. Written through the one writer (files_out.Book)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl.styles import Alignment, Font

from .files_out import BORDER, Book, Style

CELL = Style(border=BORDER, alignment=Alignment(wrap_text=True, vertical="center"))
LABEL = Style(
    border=BORDER,
    font=Font(bold=True),
    alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"),
)
TITLE = Style(font=Font(bold=True, size=16), alignment=Alignment(horizontal="center"))
WIDTHS = [18, 30, 14, 30]


@dataclass(frozen=True)
class FormRow:
    """Either a pair of short fields (label, value, label2, value2) or one wide field
    (label, value) — an opinion box when ``seal`` names who signs and seals it."""

    label: str
    value: str
    label2: str = ""
    value2: str = ""
    seal: str = ""

    @property
    def wide(self) -> bool:
        return not self.label2


def form_xlsx(
    *,
    sheet_name: str,
    title: str,
    rows: Sequence[FormRow],
    seal_line: str,
    footer: Sequence[str | None] = (),
) -> bytes:
    """The form as xlsx bytes; ``seal_line`` follows each opinion box's seal, ``footer`` is
    one last line (e.g. 填表人、填表日期) after an empty one."""
    with Book() as book:
        sheet = book.sheet(sheet_name)
        sheet.widths(WIDTHS)
        sheet.print_setup(landscape=False)
        sheet.merge("A1:D1")
        for i, row in enumerate(rows, start=2):
            if row.wide:
                sheet.merge(f"B{i}:D{i}")
        sheet.title(title, TITLE)
        for row in rows:
            if row.wide:
                value = f"{row.value}\n\n{row.seal}{seal_line}" if row.seal else row.value
                sheet.append_cells([(row.label, LABEL), (value, CELL), (None, CELL), (None, CELL)])
            else:
                sheet.append_cells(
                    [(row.label, LABEL), (row.value, CELL), (row.label2, LABEL), (row.value2, CELL)]
                )
        if footer:
            sheet.append([])
            sheet.append(list(footer))
        return book.to_bytes()
