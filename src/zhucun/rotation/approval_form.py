"""驻村第一书记(工作队员)调整轮换审批表 (MGT.9.APPLY 填审批表): one list of rows that the print
page and the .xlsx both lay out — title, the fields in a bordered table, the opinion boxes
with their signature and seal lines, and the form's signature block."""

from __future__ import annotations

import datetime as dt

from zhucun.core.form_sheet import FormRow, form_xlsx
from zhucun.policy.dates import date_label

from .models import RotationApplication

TITLE = "驻村第一书记(工作队员)调整轮换审批表"
SEAL_LINE = "(签章)          年    月    日"


Row = FormRow


def _d(day: dt.date | None) -> str:
    return date_label(day) if day else ""


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


def xlsx(a: RotationApplication) -> bytes:
    """The form as a one-page A4 portrait sheet: merged title, bordered 4-column table, the
    opinion boxes with their seal lines, and the signature block (填表人、填表日期)."""
    handler, day = signature(a)
    return form_xlsx(
        sheet_name="调整轮换审批表",
        title=TITLE,
        rows=rows(a),
        seal_line=SEAL_LINE,
        footer=[f"填表人:{handler}", None, f"填表日期:{day}", None],
    )
