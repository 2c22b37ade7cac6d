"""Coverage report as .xlsx and JSON (SEL.SCOPE.COVER)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from openpyxl.styles import Alignment, Font

from zhucun.core.files_out import Book, Signature, Style
from zhucun.policy.dates import date_label
from zhucun.registry.selectors import CATEGORIES

from .coverage import CoverageRow, coverage_iter

HEADERS = [
    "序号",
    "县(市)",
    "乡镇(街道)",
    "村(社区)",
    "区划代码",
    "村类别",
    "状态",
    "第一书记(队长)",
    "工作队员",
    "人数",
    "队伍名单",
    "审查意见(条款)",
]
WIDTHS = [6, 10, 14, 14, 15, 22, 8, 14, 20, 6, 40, 80]


def row_values(i: int, row: CoverageRow) -> list[Any]:
    v = row.village
    cats = "、".join(label for key, label in CATEGORIES.items() if getattr(v, key)) or "非3类村"
    fs = [p.cadre.name for p in row.team if p.role in ("first_secretary", "team_leader")]
    tm = [p.cadre.name for p in row.team if p.role == "team_member"]
    team = ";".join(f"{p.cadre.name}({p.get_role_display()},{p.cadre.unit.name})" for p in row.team)
    findings = "\n".join(f"[{f.clause}] {f.message}" for f in row.findings)
    return [
        i,
        v.township.parent.name,
        v.township.name,
        v.jurisdiction.name,
        v.jurisdiction.code,
        cats,
        row.status,
        "、".join(fs),
        "、".join(tm),
        len(row.team),
        team,
        findings,
    ]


def coverage_workbook(qs: Any, *, on: dt.date, title: str) -> bytes:
    book = Book()
    sheet = book.sheet("覆盖情况").table_layout(HEADERS, WIDTHS, signed=Signature.of())
    sheet.title(
        f"{title}驻村工作队选派覆盖情况表(截至{date_label(on)})",
        Style(font=Font(bold=True, size=14)),
    )
    sheet.header(HEADERS)
    wrap = Style(alignment=Alignment(wrap_text=True, vertical="top"))
    for i, row in enumerate(coverage_iter(qs, on=on), start=1):
        values = row_values(i, row)
        sheet.append_cells([*((v, None) for v in values[:-1]), (values[-1], wrap)])
    return book.to_bytes()


def coverage_json(qs: Any, *, on: dt.date) -> Iterator[dict[str, Any]]:
    for row in coverage_iter(qs, on=on):
        v = row.village
        yield {
            "code": v.jurisdiction.code,
            "village": v.jurisdiction.name,
            "township": v.township.name,
            "county": v.township.parent.name,
            "categories": [k for k in CATEGORIES if getattr(v, k)],
            "status": row.status,
            "team": [
                {"name": p.cadre.name, "role": p.role, "unit": p.cadre.unit.name} for p in row.team
            ],
            "findings": [
                {"clause": f.clause, "severity": f.severity, "message": f.message}
                for f in row.findings
            ],
        }
