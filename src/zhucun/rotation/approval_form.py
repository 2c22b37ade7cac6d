"""驻村第一书记(工作队员)调整轮换审批表 (MGT.9.APPLY 填审批表): one list of rows that the print
page and the .xlsx both lay out — title, the fields in a bordered table, the opinion boxes
with their signature and seal lines, and the form's signature block."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment, Font

from zhucun.core.files_out import BORDER, Book, Style

from .models import RotationApplication

TITLE = "驻村第一书记(工作队员)调整轮换审批表"
SEAL_LINE = "(签章)          年    月    日"


@dataclass(frozen=True)
class Row:
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


def _d(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def rows(a: RotationApplication) -> list[Row]:
    c, p = a.cadre, a.posting
    village = p.village
    term = f"{_d(p.arrival_date)}至{_d(p.planned_end) or '—'}"
    meeting = ""
    if a.meeting_name:
        meeting = f"经{a.meeting_name}({_d(a.meeting_date)},纪要号:{a.minutes_number})研究。"
    rep = a.replacement
    replacement = ""
    if rep is not None:
        replacement = f"{rep.name}({rep.unit.name}{rep.post and ' ' + rep.post}),交接日期{_d(a.handover_date)}"
    return [
        Row("姓名", c.name, "性别", c.get_gender_display()),
        Row(
            "出生年月",
            f"{c.birth_date.year}年{c.birth_date.month}月",
            "政治面貌",
            c.get_party_status_display(),
        ),
        Row("派出单位", c.unit.name, "单位职务", c.post),
        Row(
            "驻村",
            f"{village.township.name}{village.jurisdiction.name}",
            "驻村职务",
            p.get_role_display(),
        ),
        Row("任职时间", term, "申请日期", _d(a.created_at.date())),
        Row("调整原因", f"{a.get_cause_display()}:{a.statement}"),
        Row(
            "乡镇党委意见",
            a.township_opinion
            + (f"(经办人:{a.sealed_by},{_d(a.sealed_on)})" if a.sealed_by else ""),
            seal="乡镇党委",
        ),
        Row("派出单位党委(党组)研究意见", meeting + a.unit_opinion, seal="派出单位党委(党组)"),
        Row("接替人员", replacement),
        Row(
            "组织部门审查意见",
            a.review_opinion
            + (f"(审查人:{a.reviewer_name},{_d(a.reviewed_on)})" if a.reviewer_name else ""),
            seal="组织部门",
        ),
    ]


def signature(a: RotationApplication) -> tuple[str, str]:
    return a.form_handler, _d(a.form_date)


CELL = Style(border=BORDER, alignment=Alignment(wrap_text=True, vertical="center"))
LABEL = Style(
    border=BORDER,
    font=Font(bold=True),
    alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"),
)


def xlsx(a: RotationApplication) -> bytes:
    """The form as a one-page A4 portrait sheet: merged title, bordered 4-column table, the
    opinion boxes with their seal lines, and the signature block (填表人、填表日期)."""
    with Book() as book:
        sheet = book.sheet("调整轮换审批表")
        sheet.widths([18, 30, 14, 30])
        sheet.print_setup(landscape=False)
        sheet.merge("A1:D1")
        table = rows(a)
        for i, row in enumerate(table, start=2):
            if row.wide:
                sheet.merge(f"B{i}:D{i}")
        sheet.title(
            TITLE, Style(font=Font(bold=True, size=16), alignment=Alignment(horizontal="center"))
        )
        for row in table:
            if row.wide:
                value = row.value
                if row.seal:
                    value = f"{value}\n\n{row.seal}{SEAL_LINE}"
                sheet.append_cells([(row.label, LABEL), (value, CELL), (None, CELL), (None, CELL)])
            else:
                sheet.append_cells(
                    [(row.label, LABEL), (row.value, CELL), (row.label2, LABEL), (row.value2, CELL)]
                )
        handler, day = signature(a)
        sheet.append([])
        sheet.append([f"填表人:{handler}", None, f"填表日期:{day}", None])
        return book.to_bytes()
