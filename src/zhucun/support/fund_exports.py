"""经费测算表 (GUA.2.FS_FUND / VILLAGE_FUND / UNIT_FUND) in the layout a finance office uses:
one sheet per kind — title, header, one row per entitlement (computed a chunk at a time), the
合计 row and the signature block (填报单位(盖章)、审核人、填报日期). A figure that cannot be
computed (a standard not set, a unit level without a standard) shows its reason, never a
number, and is left out of the total (the total row says how many)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font

from zhucun.accounts.models import User
from zhucun.core.files_out import BORDER, Book, Style

from .models import FundKind
from .selectors.funds import KINDS, ZERO, FundRow, entitlements

TITLE = "驻村工作经费测算表"
MONEY_FORMAT = "#,##0.00"
WIDTHS = [18, 24, 14, 10, 14, 16, 14, 14, 14]


def headers(kind: str) -> list[str]:
    if kind == FundKind.VILLAGE:
        first = ["村(社区)", "所属乡镇(街道)", "类别"]
    else:
        first = ["姓名", "派出单位", "层级"]
    return [*first, "在岗月数", "标准(元)", "应安排(元)", "已拨付(元)", "已支出(元)", "差额(元)"]


def row_values(r: FundRow) -> list[Any]:
    """One line: amounts as numbers; an amount that cannot be computed as its reason."""
    standard: Any = r.standard.value if r.standard.known else r.standard.unset
    entitled: Any = r.entitled.value if r.entitled.known else r.entitled.unset
    gap: Any = r.shortfall if r.shortfall is not None else "无法计算"
    return [r.name, r.unit_name, r.level, r.months, standard, entitled, r.allocated, r.spent, gap]


class KindTotals:
    def __init__(self) -> None:
        self.rows = 0
        self.unset = 0
        self.entitled = ZERO
        self.allocated = ZERO
        self.spent = ZERO

    def add(self, r: FundRow) -> None:
        self.rows += 1
        if r.entitled.value is None:
            self.unset += 1
        else:
            self.entitled += r.entitled.value
        self.allocated += r.allocated
        self.spent += r.spent

    @property
    def gap(self) -> Decimal:
        return self.entitled - self.allocated

    def values(self) -> list[Any]:
        note = f"(另有{self.unset}条无法计算)" if self.unset else ""
        return [
            f"合计{note}",
            f"共{self.rows}条",
            "",
            None,
            None,
            self.entitled,
            self.allocated,
            self.spent,
            self.gap,
        ]


def fund_rows(*, user: User, year: int, kind: str) -> Iterator[FundRow]:
    for chunk in entitlements(user=user, year=year, kind=kind).chunks():
        yield from chunk


def sheet_title(year: int, kind: str) -> str:
    return f"{year}年{TITLE}——{FundKind(kind).label}"


def funds_workbook(*, user: User, year: int, kinds: tuple[str, ...] = KINDS) -> bytes:
    money = Style(border=BORDER, number_format=MONEY_FORMAT)
    cell = Style(border=BORDER, alignment=Alignment(wrap_text=True, vertical="top"))
    bold = Style(border=BORDER, font=Font(bold=True), number_format=MONEY_FORMAT)
    head = Style(
        border=BORDER,
        font=Font(bold=True),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    with Book() as book:
        for kind in kinds:
            sh = book.sheet(FundKind(kind).label)
            labels = headers(kind)
            sh.table_layout(labels, WIDTHS)
            sh.title(
                sheet_title(year, kind),
                Style(font=Font(bold=True, size=16), alignment=Alignment(horizontal="center")),
            )
            sh.header(labels, head)
            totals = KindTotals()
            for r in fund_rows(user=user, year=year, kind=kind):
                totals.add(r)
                values = row_values(r)
                sh.append_cells([(v, money if isinstance(v, Decimal) else cell) for v in values])
            sh.append_cells([(v, bold) for v in totals.values()])
            sh.signature()
        return book.to_bytes()
