"""Excel exports of the registry. ``roster_workbook``: 驻村第一书记和工作队员花名册 in the
layout the organisation departments use, scoped to the user and with personal data masked
as ``disclosure.cadre_view`` says. Streams (write-only workbook, chunked queryset)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhucun.accounts.models import User, UserRole
from zhucun.core.files_out import BORDER, Book, Style
from zhucun.policy.dates import date_label

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


@dataclass(frozen=True)
class RosterExtra:
    """Columns an app above the registry adds at the right of the roster (the registry does not
    import it): e.g. tenure's 实际结束 / 结束原因 / 驻村结束补假 (issue 11). ``prefetch`` names
    the relations ``values`` reads, so the export stays one query per chunk."""

    columns: Sequence[tuple[str, int]]
    values: Callable[[Posting], list[Any]]
    prefetch: Sequence[str] = ()


# The extra columns every roster carries (web page and ``zhucun export-roster`` alike): set once
# by the app that owns them in its AppConfig.ready (a registration, not a signal).
ROSTER_EXTRAS: dict[str, RosterExtra] = {}


_TITLE = Style(
    font=Font(name="方正小标宋简体", size=18, bold=True),
    alignment=Alignment(horizontal="center", vertical="center"),
)
_RIGHT = Alignment(horizontal="right")
_HEADER = Style(
    font=Font(bold=True),
    alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    border=BORDER,
)


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
    *,
    user: User,
    county: str = "",
    township: str = "",
    status: str = PostingStatus.ACTIVE,
    extra: RosterExtra | None = None,
) -> bytes:
    """The roster of postings ``user`` may see (optionally one county/township; ``status``
    "" for all postings) as .xlsx bytes (through ``core.files_out``: text stays text)."""
    postings = selectors.posting_list(user=user, status=status, county=county, township=township)
    if extra is None:
        extra = next(iter(ROSTER_EXTRAS.values()), None)
    columns = (*ROSTER_COLUMNS, *(extra.columns if extra else ()))
    if extra and extra.prefetch:
        postings = postings.select_related(*extra.prefetch)
    book = Book()
    sheet = book.sheet("花名册")
    ncols = len(columns)
    last = get_column_letter(ncols)
    sheet.widths([width for _label, width in columns])
    sheet.merge(f"A1:{last}1")
    sheet.merge(f"A2:{get_column_letter(ncols // 2)}2")
    sheet.merge(f"{get_column_letter(ncols // 2 + 1)}2:{last}2")
    sheet.freeze("A4")
    sheet.print_setup(header_rows="3:3")
    sheet.title(ROSTER_TITLE, _TITLE)
    status_label = dict(PostingStatus.choices).get(status, status) if status else "全部"
    scope = f"填报范围:{_scope_name(user, county, township)}  任职状态:{status_label}"
    date = f"导出日期:{date_label(timezone.localdate())}"
    sheet.append_cells(
        [(scope, None), *[(None, None)] * (ncols // 2 - 1), (date, Style(alignment=_RIGHT))]
    )
    sheet.header([label for label, _width in columns], _HEADER)
    cell = Style(border=BORDER)
    for seq, posting in enumerate(postings.iterator(chunk_size=2000), start=1):
        row = roster_row(user, posting, seq)
        if extra:
            row += extra.values(posting)
        sheet.append(row, cell)
    return book.to_bytes()
