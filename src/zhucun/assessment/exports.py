"""驻村干部考核登记表 (MGT.5.ANNUAL): one cadre's assessment as one list of rows that the
print page and the .xlsx (through core.files_out) both lay out — the cadre (personal data
through registry.disclosure.cadre_view), the period, the facts the system holds, the
opinions of the three groups (MGT.5.INPUT), the appraisal, the grade and the signature
block of the county's organisation department."""

from __future__ import annotations

import datetime as dt

from zhucun.accounts.models import User
from zhucun.core.form_sheet import FormRow, form_xlsx
from zhucun.policy.assessment import GRADE_LABELS, KIND_LABELS, VOTER_GROUP_LABELS
from zhucun.policy.dates import date_label
from zhucun.registry.disclosure import cadre_view

from .facts import fact_rows, facts_for
from .models import Assessment, AssessmentState
from .selectors.assessments import opinion_list

SEAL_LINE = "(盖章)          年    月    日"
SIGNATURE = "县级党委组织部门意见"


Row = FormRow


def date_label_or_blank(day: dt.date | None) -> str:
    return date_label(day) if day else ""


def title(a: Assessment) -> str:
    kind = f"{a.year}年度" if a.kind == "annual" else "驻村期满"
    return f"驻村干部{kind}考核登记表"


def file_name(a: Assessment) -> str:
    return f"{a.cadre.name}{title(a)}"


def rows(user: User, a: Assessment) -> list[Row]:
    c, p = a.cadre, a.posting
    view = cadre_view(user, c)
    village = p.village
    facts = facts_for([a])[a.pk]
    out = [
        Row("姓名", c.name, "性别", c.get_gender_display()),
        Row("出生年月", view.birth_month_display, "政治面貌", c.get_party_status_display()),
        Row("派出单位及职务", f"{c.unit.name} {c.post}".strip(), "考核类别", KIND_LABELS[a.kind]),
        Row(
            "驻村村(社区)及职务",
            f"{village.township.name}{village.jurisdiction.name} {p.get_role_display()}",
            "考核期",
            f"{date_label_or_blank(a.period_start)}至{date_label_or_blank(a.period_end)}",
        ),
    ]
    for f in fact_rows(facts):
        out.append(Row(f["label"], f["text"]))
    opinions: dict[str, list[str]] = {g: [] for g in VOTER_GROUP_LABELS}
    for o in opinion_list(assessment=a):
        opinions[o.group].append(f"{o.text}({o.source})")
    for group, label in VOTER_GROUP_LABELS.items():
        out.append(Row(f"{label}意见", "\n".join(opinions[group]) or "—"))
    out.append(Row("考核评语", a.appraisal or "—"))
    grade = GRADE_LABELS.get(a.grade, "")
    if a.state != AssessmentState.FINAL:
        grade = f"{grade}(考核中,尚未确定)" if grade else "考核中,尚未确定"
    out.append(Row("考核等次", grade))
    decided = f"确定等次:{date_label_or_blank(a.finalised_at.date())}" if a.finalised_at else ""
    out.append(Row(SIGNATURE, decided, seal="县(市)党委组织部门"))
    return out


def xlsx(user: User, a: Assessment) -> bytes:
    """One A4 portrait sheet: merged title, the bordered 4-column table, the seal line."""
    return form_xlsx(
        sheet_name="考核登记表", title=title(a), rows=rows(user, a), seal_line=SEAL_LINE
    )
