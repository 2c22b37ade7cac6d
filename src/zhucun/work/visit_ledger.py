"""走访台账 (MGT.8.VISITS): a village's visits of a month as the print page and the .xlsx show
them (through core.files_out); household names masked per role as on every page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.core.files_out import Book, Signature
from zhucun.policy.dates import date_label, month_label
from zhucun.registry.models import Village

from .selectors.visits import household_name, purpose_labels, visit_ledger

CHUNK = 500
HEADERS = (
    "序号",
    "走访日期",
    "村(居)民小组",
    "走访人",
    "走访事项",
    "走访农户",
    "走访情况",
    "返贫致贫风险",
    "跟进措施",
    "乡镇确认",
)
WIDTHS = (6, 14, 14, 10, 20, 24, 40, 12, 30, 14)


def ledger_title(village: Village, month: dt.date) -> str:
    return f"{village.jurisdiction.name}{month_label(month)}走访台账"


def ledger_rows(user: User, village: Village, month: dt.date) -> Iterator[list[str]]:
    """The rows in date order, read a chunk at a time (every value a display string)."""
    qs = visit_ledger(village=village, month=month)
    n = 0
    for start in range(0, qs.count(), CHUNK):
        for v in qs[start : start + CHUNK]:
            n += 1
            households = list(v.households.all())
            yield [
                str(n),
                date_label(v.visited_on),
                v.group.name,
                v.cadre.name,
                "、".join(purpose_labels(v.purposes)),
                "、".join(household_name(user, h) for h in households) or "—",
                v.findings or "—",
                "有" if v.risk_found else "无",
                v.follow_up or "—",
                (
                    date_label(timezone.localtime(v.acknowledged_at).date())
                    if v.acknowledged_at
                    else "待确认"
                )
                if v.risk_found
                else "—",
            ]


def ledger_workbook(user: User, village: Village, month: dt.date) -> bytes:
    with Book() as book:
        sheet = book.sheet("走访台账").table_layout(
            HEADERS, WIDTHS, signed=Signature.of(unit=f"{village.jurisdiction.name}驻村工作队")
        )
        sheet.title(ledger_title(village, month))
        sheet.header(HEADERS)
        for row in ledger_rows(user, village, month):
            sheet.append(row)
        return book.to_bytes()
