"""交接清单 as an .xlsx (core.files_out) and the rows the print page shows: title, the fields
in a bordered two-column-pair table, the signature and seal boxes of both sides."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font

from zhucun.core.files_out import BORDER, Book, Style
from zhucun.registry.exports import RosterExtra
from zhucun.registry.models import Posting

from .models import HandoverRecord

TITLE = "驻村第一书记和工作队员轮换交接清单"


def _d(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def handover_facts(record: HandoverRecord) -> dict[str, Any]:
    """What the print page and the sheet show, in order."""
    p = record.posting
    s = record.successor
    village = p.village
    return {
        "title": TITLE,
        "pairs": [
            ("移交人", p.cadre.name, "派出单位", p.cadre.unit.name),
            (
                "驻村职务",
                p.get_role_display(),
                "驻村地点",
                f"{village.township.name} {village.jurisdiction.name}",
            ),
            ("到岗日期", _d(p.arrival_date), "结束日期", _d(p.actual_end) or "—"),
            (
                "接收人",
                s.cadre.name if s else "",
                "接收人到岗日期",
                _d(s.arrival_date) if s else "",
            ),
            ("交接日期", _d(record.handover_date), "接收日期", _d(record.received_on)),
        ],
        "blocks": [
            ("在办工作事项", record.ongoing_tasks),
            ("联系走访农户情况", record.households),
            ("移交文件资料", record.documents),
            ("经手资金、物资情况", record.funds),
        ],
        "signatures": [
            ("移交人(签名)", ""),
            ("接收人(签名)", record.receiver_name),
            ("乡镇(街道)党(工)委(盖章)", ""),
            ("派出单位(盖章)", ""),
        ],
    }


def handover_workbook(record: HandoverRecord) -> bytes:
    facts = handover_facts(record)
    cell = Style(border=BORDER, alignment=Alignment(wrap_text=True, vertical="top"))
    label = Style(
        border=BORDER,
        font=Font(bold=True),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    with Book() as book:
        sh = book.sheet("交接清单")
        sh.widths([16, 28, 16, 28])
        sh.merge("A1:D1")
        row = 2 + len(facts["pairs"])
        for i in range(len(facts["blocks"])):
            sh.merge(f"B{row + i}:D{row + i}")
        sh.print_setup(landscape=False)
        sh.title(
            facts["title"],
            Style(font=Font(bold=True, size=16), alignment=Alignment(horizontal="center")),
        )
        for a, b, c, d in facts["pairs"]:
            sh.append_cells([(a, label), (b, cell), (c, label), (d, cell)])
        for name, text in facts["blocks"]:
            sh.append_cells([(name, label), (text or "", cell), ("", cell), ("", cell)])
        # signature and seal boxes: 移交人 / 接收人 signatures, then the two seals, dated
        sigs = facts["signatures"]
        sh.append([])
        sh.append_cells(
            [(sigs[0][0], label), (sigs[0][1], cell), (sigs[1][0], label), (sigs[1][1], cell)]
        )
        sh.append_cells(
            [
                (sigs[2][0], label),
                ("\n\n年  月  日", cell),
                (sigs[3][0], label),
                ("\n\n年  月  日", cell),
            ]
        )
        return book.to_bytes()


def _roster_values(posting: Posting) -> list[Any]:
    closure = getattr(posting, "closure", None)
    leave = closure.leave if closure is not None else None
    return [
        posting.actual_end,
        closure.get_cause_display() if closure is not None else "",
        f"{_d(leave.start)}至{_d(leave.end)}" if leave is not None else "",
    ]


# 实际结束 / 结束原因 / 驻村结束补假 (GUA.3.LEAVE15) at the right of the roster
ROSTER_EXTRA = RosterExtra(
    columns=(("实际结束", 12), ("结束原因", 14), ("驻村结束补假", 24)),
    values=_roster_values,
    prefetch=("closure__leave",),
)
