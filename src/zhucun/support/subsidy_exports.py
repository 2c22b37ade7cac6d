"""补助发放表 (GUA.2.LIVING / GUA.2.TRAVEL): one month's subsidies of the cadres in the user's
scope (a unit: its own; optionally one unit), as .xlsx through core/files_out and as the print
page's rows. A standard that is not set prints as 标准未设置 (a distance not entered as
未登记里程), never as a number; a total that would need it prints the same. Amounts are exact
Decimals. Rows are computed a chunk at a time (one duty-days query per chunk)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font

from zhucun.accounts.models import User
from zhucun.core.files_out import BORDER, Book, Signature, Style
from zhucun.params.selectors import parameters_current
from zhucun.policy.support import Amount

from .selectors.subsidies import NO_DISTANCE, SubsidyRow, subsidy_rows, subsidy_table

UNSET = "标准未设置"
HEADERS = [
    "序号",
    "姓名",
    "驻村村(社区)",
    "在岗天数",
    "生活补助",
    "通信补贴",
    "交通费补助",
    "合计",
    "领取人签字",
]
SIGNATURE = ("经办人:", "审核人:", "单位负责人:")
SIGNATURE_BLOCK = ("经办人", "审核人", "单位负责人", "单位(盖章)", "日期")
CHUNK = 200
MONEY_FORMAT = "#,##0.00"


def sheet_title(month: dt.date) -> str:
    return f"驻村干部补助发放表({month:%Y}年{month.month}月)"


def _cell(a: Amount) -> Decimal | str:
    if a.value is not None:
        return a.value
    return NO_DISTANCE if a.unset == NO_DISTANCE else UNSET


def rows_of(*, user: User, month: dt.date, unit: int | None = None) -> Iterator[SubsidyRow]:
    """Every row of the month in scope, a chunk of postings at a time (keyset on the order)."""
    qs = subsidy_table(user=user, month=month, unit=unit)
    params = parameters_current()
    start = 0
    while True:
        chunk = list(qs[start : start + CHUNK])
        if not chunk:
            return
        yield from subsidy_rows(chunk, month=month, params=params)
        start += CHUNK


def table(*, user: User, month: dt.date, unit: int | None = None) -> dict[str, Any]:
    """The rows as printed (values per column) and the totals row."""
    lines: list[list[Any]] = []
    sums = {
        "living": Decimal("0.00"),
        "communication": Decimal("0.00"),
        "transport": Decimal("0.00"),
    }
    missing = {k: False for k in sums}
    days = 0
    for i, r in enumerate(rows_of(user=user, month=month, unit=unit), start=1):
        days += r.duty_days
        for key, a in (
            ("living", r.living),
            ("communication", r.communication),
            ("transport", r.transport),
        ):
            if a.value is None:
                missing[key] = True
            else:
                sums[key] += a.value
        lines.append(
            [
                i,
                r.cadre.name,
                r.posting.village.jurisdiction.name,
                r.duty_days,
                _cell(r.living),
                _cell(r.communication),
                _cell(r.transport),
                UNSET if r.incomplete else r.total,
                "",
            ]
        )
    cols = [UNSET if missing[k] else sums[k] for k in ("living", "communication", "transport")]
    total: Decimal | str = UNSET if any(missing.values()) else sum(sums.values(), Decimal("0.00"))
    totals = ["合计", "", f"{len(lines)}人", days, *cols, total, ""]
    return {"title": sheet_title(month), "rows": lines, "totals": totals}


def subsidy_workbook(*, user: User, month: dt.date, unit: int | None = None) -> bytes:
    facts = table(user=user, month=month, unit=unit)
    cell = Style(border=BORDER, alignment=Alignment(vertical="center", wrap_text=True))
    money = Style(border=BORDER, number_format=MONEY_FORMAT)
    bold = Style(border=BORDER, font=Font(bold=True), alignment=Alignment(horizontal="center"))
    with Book() as book:
        sh = book.sheet("补助发放表")
        sh.widths([6, 12, 20, 10, 14, 14, 14, 14, 16])
        sh.merge("A1:I1")
        sh.freeze("A3")
        sh.print_setup(header_rows="2:2")
        sh.title(
            facts["title"],
            Style(font=Font(bold=True, size=16), alignment=Alignment(horizontal="center")),
        )
        sh.append_cells([(h, bold) for h in HEADERS])
        for line in [*facts["rows"], facts["totals"]]:
            sh.append_cells([(v, money if isinstance(v, Decimal) else cell) for v in line])
        sh.sign(Signature.of(labels=SIGNATURE_BLOCK))
        return book.to_bytes()
