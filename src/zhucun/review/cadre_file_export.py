"""The cadre's 干部管理档案 as an .xlsx for the personnel file (MGT.4.CONSEQ): who the cadre is
(personal data only as ``registry.disclosure.cadre_view`` shows it to the user), the entries
the system wrote into the file (clause, date, text, ban end) and the cadre's recalls in the
user's scope. Written through ``core.files_out`` (text stays text)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from openpyxl.styles import Alignment, Font

from zhucun.accounts.models import User
from zhucun.core.files_out import BOLD, BORDER, Book, Style
from zhucun.policy.dates import date_label
from zhucun.policy.review import RECALL_CAUSE_LABELS
from zhucun.registry import disclosure, selectors
from zhucun.registry.models import Cadre

from .selectors.recall import recall_list

TITLE = "干部管理档案记载"
MAX_ROWS = 1000  # a cadre's file holds a handful of entries; the cap only bounds a query


def _d(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def cadre_file_workbook(*, user: User, cadre: Cadre) -> bytes:
    """The workbook; ``cadre`` must be one ``user`` may see (the caller asked cadre_get)."""
    view = disclosure.cadre_view(user, cadre)
    entries = selectors.cadre_file(user=user, cadre_id=cadre.pk)[:MAX_ROWS]
    recalls = recall_list(user=user, cadre_id=cadre.pk)[:MAX_ROWS]
    ban = selectors.cadre_promotion_ban(cadre_id=cadre.pk, on=timezone.localdate())
    wrap = Style(border=BORDER, alignment=Alignment(wrap_text=True, vertical="top"))
    head = Style(font=BOLD, border=BORDER)
    with Book() as book:
        sh = book.sheet(TITLE)
        sh.widths([14, 14, 70, 20, 30])
        sh.print_setup(header_rows="8:8", landscape=True)  # the entries' header (issue 16)
        sh.title(f"{TITLE}:{cadre.name}", Style(font=Font(bold=True, size=14)))
        sh.append_cells([("姓名", head), (cadre.name, wrap)])
        sh.append_cells([("派出单位", head), (cadre.unit.name, wrap)])
        sh.append_cells([("身份证号", head), (view.id_number, wrap)])
        sh.append_cells([("出生", head), (view.birth_display, wrap)])
        sh.append_cells(
            [
                ("提拔使用限制", head),
                (
                    f"至{date_label(ban.ban_until)}(含)不得提拔使用和晋升职级(MGT.4.CONSEQ)"
                    if ban is not None
                    else "无",
                    wrap,
                ),
            ]
        )
        sh.append([])
        sh.append_cells(
            [(x, head) for x in ("条款", "记载日期", "记载内容", "不得提拔使用至(含)", "依据")]
        )
        for e in entries:
            sh.append_cells(
                [
                    (e.clause, wrap),
                    (_d(e.recorded_on), wrap),
                    (e.text, wrap),
                    (_d(e.ban_until), wrap),
                    (e.source, wrap),
                ]
            )
        rs = book.sheet("召回撤换")
        rs.widths([12, 30, 40, 60, 24, 20, 14, 14])
        rs.freeze("A2")
        rs.print_setup(header_rows="1:1", landscape=True)
        rs.header(
            [
                "决定日期",
                "驻村",
                "召回情形",
                "事实依据",
                "决定机构",
                "召回文号",
                "不得提拔使用至(含)",
                "顶替选派期限",
            ],
            Style(font=BOLD),
        )
        for r in recalls:
            rs.append_cells(
                [
                    (_d(r.decided_on), wrap),
                    (
                        f"{r.posting.village.township.name} {r.posting.village.jurisdiction.name}"
                        f" {r.posting.get_role_display()}",
                        wrap,
                    ),
                    (RECALL_CAUSE_LABELS.get(r.cause, r.cause), wrap),
                    (r.evidence, wrap),
                    (r.deciding_body, wrap),
                    (r.reference, wrap),
                    (_d(r.ban_until), wrap),
                    (_d(r.replacement_due), wrap),
                ]
            )
        return book.to_bytes()
