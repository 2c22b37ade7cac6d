"""Excel exports of the registry. ``roster_workbook``: 驻村第一书记和工作队员花名册 in the
layout the organisation departments use, scoped to the user and with personal data masked
as ``disclosure.cadre_view`` says. Streams (write-only workbook, chunked queryset)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from zhucun.accounts.models import User, UserRole

from . import disclosure, scopes, selectors
from .models import Jurisdiction, Posting, PostingStatus

ROSTER_TITLE = "德宏州驻村第一书记和工作队员花名册"
ROSTER_COLUMNS: tuple[tuple[str, int], ...] = (
    ("序号", 6),
    ("县(市)", 10),
    ("乡镇(街道)", 12),
    ("村(社区)", 12),
    ("村类别", 16),
    ("姓名", 9),
    ("性别", 6),
    ("民族", 8),
    ("出生年月", 10),
    ("政治面貌", 10),
    ("学历", 10),
    ("派出单位", 22),
    ("单位层级", 8),
    ("单位职务", 14),
    ("驻村职务", 10),
    ("到岗时间", 12),
    ("计划期满", 12),
    ("身份证号", 21),
    ("联系电话", 14),
)
NOT_CAT3 = "非3类村"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_DATE_FORMAT = "yyyy-mm-dd"


def _scope_name(user: User, county: str, township: str) -> str:
    for code in (township, county):
        if code:
            j = scopes.jurisdictions_visible(user).filter(code=code).first()
            return j.name if j else code
    if user.role == UserRole.ADMIN:
        return Jurisdiction.objects.filter(parent=None).values_list("name", flat=True).first() or ""
    if user.jurisdiction_id:
        return user.jurisdiction.name
    if user.unit_id:
        return user.unit.name
    village_id = scopes.own_village_id(user)
    if village_id:
        return (
            Jurisdiction.objects.filter(village__pk=village_id)
            .values_list("name", flat=True)
            .first()
            or ""
        )
    return str(user)


def _category(posting: Posting) -> str:
    village = posting.village
    kinds = [label for f, label in selectors.CATEGORIES.items() if getattr(village, f)]
    return "、".join(kinds) or NOT_CAT3


def roster_row(user: User, posting: Posting, seq: int) -> list[Any]:
    """One line of the roster; birth, ID number and phone as ``cadre_view`` lets ``user`` see."""
    cadre = posting.cadre
    village = posting.village
    township = village.township
    view = disclosure.cadre_view(user, cadre)
    return [
        seq,
        township.parent.name if township.parent_id else "",
        township.name,
        village.jurisdiction.name,
        _category(posting),
        cadre.name,
        cadre.get_gender_display(),
        cadre.ethnicity,
        view.birth_month_display,
        cadre.get_party_status_display(),
        cadre.education,
        cadre.unit.name,
        cadre.unit.get_level_display(),
        cadre.post,
        posting.get_role_display(),
        posting.arrival_date,
        posting.planned_end,
        view.id_number,
        view.phone if cadre.phone else "",
    ]


def roster_workbook(
    *, user: User, county: str = "", township: str = "", status: str = PostingStatus.ACTIVE
) -> bytes:
    """The roster of postings ``user`` may see (optionally one county/township; ``status``
    "" for all postings) as .xlsx bytes."""
    postings = selectors.posting_list(user=user, status=status, county=county, township=township)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ncols = len(ROSTER_COLUMNS)
    last = get_column_letter(ncols)
    for idx, (_label, width) in enumerate(ROSTER_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{get_column_letter(ncols // 2)}2")
    ws.merged_cells.add(f"{get_column_letter(ncols // 2 + 1)}2:{last}2")
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    title = WriteOnlyCell(ws, ROSTER_TITLE)
    title.font = Font(name="方正小标宋简体", size=18, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.append([title])
    status_label = dict(PostingStatus.choices).get(status, status) if status else "全部"
    scope = WriteOnlyCell(
        ws, f"填报范围:{_scope_name(user, county, township)}  任职状态:{status_label}"
    )
    date = WriteOnlyCell(ws, f"导出日期:{timezone.localdate():%Y年%m月%d日}")
    date.alignment = Alignment(horizontal="right")
    ws.append([scope, *[None] * (ncols // 2 - 1), date])

    header = []
    for label, _width in ROSTER_COLUMNS:
        cell = WriteOnlyCell(ws, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
        header.append(cell)
    ws.append(header)

    for seq, posting in enumerate(postings.iterator(chunk_size=2000), start=1):
        cells = []
        for value in roster_row(user, posting, seq):
            cell = WriteOnlyCell(ws, value)
            cell.border = _BORDER
            if isinstance(value, dt.date):
                cell.number_format = _DATE_FORMAT
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
