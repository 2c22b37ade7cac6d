"""Downloadable import templates: the Chinese header row, one example row in grey italics
(skipped by the importer), drop-down lists for coded columns, and a "填写说明" sheet."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from zhucun.core.files_out import Book, Sheet, Style

from .. import validation
from ..models import (
    Datum,
    Gender,
    Level,
    OccupationCode,
    PartyStatus,
    PostingStatus,
    Role,
    UnitKind,
    UnitLevel,
)
from .columns import (
    EXAMPLES,
    KEYS,
    KIND_NOTES,
    SPECS,
    TEXT_FIELDS,
    all_kinds,
    help_text,
    is_required,
    kind_label,
)
from .reader import INSTRUCTIONS_SHEET

MAX_TEMPLATE_ROWS = 5000
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_EXAMPLE_FONT = Font(italic=True, color="808080")
# drop-down lists for columns whose values are codes (the importer also accepts the codes)
_LISTS = {
    "level": Level,
    "gender": Gender,
    "party_status": PartyStatus,
    "occupation_code": OccupationCode,
    "checkin_datum": Datum,
    "role": Role,
    "status": PostingStatus,
}
# kind → field → a TextChoices, or the list of values itself (kinds registered from above)
_KIND_LISTS: dict[str, dict[str, Any]] = {"units": {"level": UnitLevel, "kind": UnitKind}}


def _choices(kind: str, field: str) -> list[str] | None:
    if SPECS[kind][field][1] is validation.boolean:
        return ["是", "否"]
    choices = _KIND_LISTS.get(kind, {}).get(field) or _LISTS.get(field)
    if choices is None:
        return None
    if isinstance(choices, list | tuple):
        return [str(v) for v in choices]
    return [str(label) for code, label in choices.choices if code]


def template_workbook(kind: str) -> bytes:
    """An .xlsx template for ``kind`` (one of KINDS or a registered kind), written through
    ``core.files_out``."""
    if kind not in all_kinds():
        raise ValueError(f"未知的导入类型“{kind}”,应为:{'、'.join(all_kinds())}")
    spec = SPECS[kind]
    fields = list(spec)
    book = Book()
    sheet = book.sheet(kind_label(kind))
    widths = []
    for idx, field in enumerate(fields, start=1):
        letter = get_column_letter(idx)
        if field in TEXT_FIELDS:
            widths.append(22)
            sheet.column_format(idx, "@")
        else:
            widths.append(max(10, min(24, len(spec[field][0]) * 2 + 4)))
        if (values := _choices(kind, field)) is not None:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(values) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="输入值无效",
                error=f"{spec[field][0]}应为:{'、'.join(values)}",
            )
            dv.add(f"{letter}2:{letter}{MAX_TEMPLATE_ROWS}")
            sheet.validation(dv)
    sheet.widths(widths).freeze("A2").print_setup(header_rows="1:1")
    sheet.append_cells(
        (
            spec[f][0],
            Style(
                font=Font(bold=True, color="C00000" if is_required(spec, f) else "000000"),
                fill=_HEADER_FILL,
                alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            ),
        )
        for f in fields
    )
    text = Style(number_format="@")
    example = Style(font=_EXAMPLE_FONT)
    example_text = Style(font=_EXAMPLE_FONT, number_format="@")
    sheet.append_cells(
        (EXAMPLES[kind].get(f, ""), example_text if f in TEXT_FIELDS else example) for f in fields
    )
    # Excel applies the column style only to new cells: rows 3–200 of text columns are made
    # text cells up front
    if any(f in TEXT_FIELDS for f in fields):
        for _row in range(3, 201):
            sheet.append_cells((None, text if f in TEXT_FIELDS else None) for f in fields)
    _instructions(book.sheet(INSTRUCTIONS_SHEET), kind)
    return book.to_bytes()


def _instructions(sheet: Sheet, kind: str) -> None:
    spec = SPECS[kind]
    notes = KIND_NOTES.get(kind) or [
        "1. 在第一个工作表中从第3行起每行填写一条记录;第2行灰色斜体为示例,导入时自动忽略,可以删除。",
        "2. 第一行为列名,不要修改列名;列的顺序可以调整,可以删去不需要的非必填列,"
        "“序号”列会被忽略。红色列名为必填列。",
        "3. 导入前系统会检查每一行,只要有一行有错误,整个文件都不会导入;"
        "请按错误报告(行号、列名、原因)改正后重新导入整个文件。",
        f"4. {KEYS[kind][1]};文件中没有的列保持原值不变,单元格留空则清空该项。",
        "5. 身份证号、区划代码、电话请将单元格设为“文本”格式;也可以保存为CSV(UTF-8或GBK编码)导入。",
    ]
    sheet.widths((26, 10, 80, 22))
    for row in range(1, len(notes) + 2):
        sheet.merge(f"A{row}:D{row}")
    sheet.title(f"{kind_label(kind)}导入模板 填写说明", Style(font=Font(bold=True, size=14)))
    wrap = Style(alignment=Alignment(wrap_text=True, vertical="top"))
    for note in notes:
        sheet.append([note], wrap)
    sheet.append([])
    sheet.header(
        ["列名", "是否必填", "填写要求", "示例"],
        Style(font=Font(bold=True), fill=_HEADER_FILL, alignment=wrap.alignment),
    )
    for field, (label, _cleaner) in spec.items():
        sheet.append(
            [
                label,
                "必填" if is_required(spec, field) else "选填",
                help_text(kind, field),
                EXAMPLES[kind].get(field, ""),
            ],
            wrap,
        )
