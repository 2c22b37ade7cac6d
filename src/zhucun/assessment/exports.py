"""驻村干部考核登记表 (MGT.5.ANNUAL): one cadre's assessment as one list of rows that the
print page and the .xlsx (through core.files_out) both lay out — the cadre (personal data
through registry.disclosure.cadre_view), the period, the facts the system holds, the
opinions of the three groups (MGT.5.INPUT), the appraisal, the grade and the signature
block of the county's organisation department."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment, Font

from zhucun.accounts.models import User
from zhucun.core.files_out import BORDER, Book, Style
from zhucun.policy.assessment import GRADE_LABELS, KIND_LABELS, VOTER_GROUP_LABELS
from zhucun.registry.disclosure import cadre_view

from .facts import fact_rows, facts_for
from .models import Assessment, AssessmentState
from .selectors.assessments import opinion_list

SEAL_LINE = "(盖章)          年    月    日"
SIGNATURE = "县级党委组织部门意见"


@dataclass(frozen=True)
class Row:
    """A pair of short fields, or one wide field (an opinion box when ``seal`` is set)."""

    label: str
    value: str
    label2: str = ""
    value2: str = ""
    seal: str = ""

    @property
    def wide(self) -> bool:
        return not self.label2


def _d(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


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
            f"{_d(a.period_start)}至{_d(a.period_end)}",
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
    decided = f"确定等次:{_d(a.finalised_at.date())}" if a.finalised_at else ""
    out.append(Row(SIGNATURE, decided, seal="县(市)党委组织部门"))
    return out


CELL = Style(border=BORDER, alignment=Alignment(wrap_text=True, vertical="center"))
LABEL = Style(
    border=BORDER,
    font=Font(bold=True),
    alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"),
)


def xlsx(user: User, a: Assessment) -> bytes:
    """One A4 portrait sheet: merged title, the bordered 4-column table, the seal line."""
    with Book() as book:
        sheet = book.sheet("考核登记表")
        sheet.widths([18, 30, 14, 30])
        sheet.print_setup(landscape=False)
        sheet.merge("A1:D1")
        table = rows(user, a)
        for i, row in enumerate(table, start=2):
            if row.wide:
                sheet.merge(f"B{i}:D{i}")
        sheet.title(
            title(a), Style(font=Font(bold=True, size=16), alignment=Alignment(horizontal="center"))
        )
        for row in table:
            if row.wide:
                value = row.value
                if row.seal:
                    value = f"{value}\n\n{row.seal}{SEAL_LINE}"
                sheet.append_cells([(row.label, LABEL), (value, CELL), (None, CELL), (None, CELL)])
            else:
                sheet.append_cells(
                    [(row.label, LABEL), (row.value, CELL), (row.label2, LABEL), (row.value2, CELL)]
                )
        return book.to_bytes()
