"""考核结果通知 (MGT.5.FEEDBACK) and 驻村考核优秀干部名单 (GUA.3.PRIORITY): what the print pages
and the .xlsx files (through core.files_out) lay out.

The notice is issued by the county's 驻村工作领导协调机构 to one dispatching unit for one year:
one notice per county that assessed the unit's cadres (a unit may have cadres in several
counties). Its table: 姓名 / 驻村村(社区) / 驻村职务 / 考核等次 / 备注."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet
from openpyxl.styles import Alignment, Font

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import NotFound
from zhucun.core.files_out import BORDER, Book, Signature, Style
from zhucun.policy.assessment import EXCELLENT, GRADE_LABELS, KIND_LABELS, priority_findings

from .models import Assessment
from .selectors.feedback import excellent_results, results_for_unit

SOURCE = "《关于加强重点乡村第一书记和工作队选派管理工作的实施意见》"
FEEDBACK_SENTENCE = (
    "年度考核结果作为干部年度考核等次,“优秀”等次名额不占所在地和派出单位“优秀”名额(MGT.5.GRADE);"
    "请派出单位将考核结果作为评先评优、提拔使用、晋升职级、评定职称的重要依据(MGT.5.FEEDBACK)。"
)
PRIORITY_NOTE = (
    "考核等次为“优秀”的第一书记和工作队员,在提拔任用、职级晋升、公务员遴选、职称评聘、"
    "表彰奖励时,同等条件下应当优先考虑(GUA.3.PRIORITY)。"
)
NOTICE_HEADERS = ("序号", "姓名", "驻村村(社区)", "驻村职务", "考核等次", "备注")
NOTICE_WIDTHS = (6, 12, 28, 14, 12, 40)
EXCELLENT_TITLE = "驻村考核优秀干部名单"
EXCELLENT_HEADERS = (
    "序号",
    "姓名",
    "派出单位",
    "单位职务",
    "驻村村(社区)",
    "驻村职务",
    "考核年度",
    "考核类别",
    "考核等次",
    "考核单位",
    "运用提示(GUA.3.PRIORITY)",
)
EXCELLENT_WIDTHS = (6, 10, 22, 14, 24, 12, 10, 14, 10, 14, 50)
CHUNK = 500


def day_label(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "    年  月  日"


def village_label(a: Assessment) -> str:
    v = a.posting.village
    return f"{v.township.name}{v.jurisdiction.name}"


@dataclass
class NoticeRow:
    number: int
    name: str
    village: str
    role: str
    grade: str
    note: str
    excellent: bool

    def values(self) -> list[object]:
        return [self.number, self.name, self.village, self.role, self.grade, self.note]


@dataclass
class Notice:
    year: int
    county_name: str
    unit_name: str
    rows: list[NoticeRow] = field(default_factory=list)
    issued_on: dt.date | None = None

    @property
    def title(self) -> str:
        return f"关于反馈{self.year}年度驻村第一书记和工作队员考核结果的通知"

    @property
    def issuer(self) -> str:
        return f"{self.county_name}驻村工作领导协调机构"

    @property
    def opening(self) -> str:
        return (
            f"根据{SOURCE}“第一书记和工作队员实行一年一考核”的规定,{self.issuer}对贵单位选派到"
            f"{self.county_name}驻村的第一书记和工作队员进行了{self.year}年度考核(含驻村期满考核),"
            f"共{len(self.rows)}人次。现将考核结果反馈如下:"
        )

    @property
    def closing(self) -> list[str]:
        lines = [FEEDBACK_SENTENCE]
        if any(r.excellent for r in self.rows):
            lines.append(PRIORITY_NOTE)
        return lines

    @property
    def signature(self) -> list[str]:
        return [f"{self.issuer}(盖章)", day_label(self.issued_on)]

    @property
    def filename(self) -> str:
        return f"{self.unit_name}{self.year}年度考核结果通知({self.county_name}).xlsx"


def notice_assessments(
    *, user: User, year: int, county_id: int, unit_id: int | None
) -> QuerySet[Assessment]:
    """The finalised results of one notice, as ``user`` may read them (a unit: its own)."""
    if user.role == UserRole.UNIT:
        unit_id = user.unit_id
    if not unit_id:
        raise NotFound("请选择派出单位")
    return (
        results_for_unit(user=user, year=year)
        .filter(county_id=county_id, cadre__unit_id=unit_id)
        .order_by("kind", "cadre__name", "pk")
    )


def notice_build(*, user: User, year: int, county_id: int, unit_id: int | None = None) -> Notice:
    """The notice of ``year`` from the county ``county_id`` to the unit; 404 when it holds no
    result the user may read."""
    notice: Notice | None = None
    for i, a in enumerate(
        notice_assessments(user=user, year=year, county_id=county_id, unit_id=unit_id), start=1
    ):
        if notice is None:
            notice = Notice(year=year, county_name=a.county.name, unit_name=a.cadre.unit.name)
        excellent = a.grade == EXCELLENT
        note = KIND_LABELS.get(a.kind, "")
        if excellent:
            note += ";同等条件下优先考虑提拔任用(GUA.3.PRIORITY)"
        notice.rows.append(
            NoticeRow(
                number=i,
                name=a.cadre.name,
                village=village_label(a),
                role=a.posting.get_role_display(),
                grade=GRADE_LABELS.get(a.grade, a.grade),
                note=note,
                excellent=excellent,
            )
        )
        day = a.finalised_at.date() if a.finalised_at else None
        if day and (notice.issued_on is None or day > notice.issued_on):
            notice.issued_on = day
    if notice is None:
        raise NotFound("没有这份考核结果通知(尚无已确定等次的考核结果,或不在您的管辖范围内)")
    return notice


CELL = Style(border=BORDER, alignment=Alignment(wrap_text=True, vertical="center"))
HEAD = Style(
    border=BORDER,
    font=Font(bold=True),
    alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
)
TITLE = Style(
    font=Font(bold=True, size=16), alignment=Alignment(horizontal="center", wrap_text=True)
)
PARA = Style(alignment=Alignment(wrap_text=True, vertical="top"))


def notice_workbook(notice: Notice) -> bytes:
    """The notice on one A4 portrait sheet: title, addressee, opening, the table, the
    feedback sentence (and the GUA.3.PRIORITY note), the issuer and date."""
    ncols = len(NOTICE_HEADERS)
    last = "F"
    with Book() as book:
        sh = book.sheet("考核结果通知")
        sh.widths(NOTICE_WIDTHS)
        sh.print_setup(landscape=False)
        table_start = 4
        table_end = table_start + len(notice.rows)
        merged = [1, 2, 3, *range(table_end + 1, table_end + 1 + len(notice.closing) + 3)]
        for r in merged:
            sh.merge(f"A{r}:{last}{r}")
        # merged cells do not grow with their text: give the paragraphs room
        sh.ws.row_dimensions[1].height = 44
        sh.ws.row_dimensions[3].height = 64
        for r in range(table_end + 1, table_end + 1 + len(notice.closing)):
            sh.ws.row_dimensions[r].height = 48
        sh.append([notice.title] + [None] * (ncols - 1), TITLE)
        sh.append([f"{notice.unit_name}:"])
        sh.append([notice.opening], PARA)
        sh.append(NOTICE_HEADERS, HEAD)
        for row in notice.rows:
            sh.append(row.values(), CELL)
        for line in notice.closing:
            sh.append([line], PARA)
        sh.append([])
        for line in notice.signature:
            sh.append([line], Style(alignment=Alignment(horizontal="right")))
        return book.to_bytes()


@dataclass
class ExcellentRow:
    number: int
    a: Assessment
    message: str

    def values(self) -> list[object]:
        a = self.a
        return [
            self.number,
            a.cadre.name,
            a.cadre.unit.name,
            a.cadre.post,
            village_label(a),
            a.posting.get_role_display(),
            a.year,
            KIND_LABELS.get(a.kind, ""),
            GRADE_LABELS.get(a.grade, a.grade),
            a.county.name,
            self.message,
        ]


def excellent_rows(*, user: User) -> Iterator[ExcellentRow]:
    """Every finalised 优秀 ``user`` reads, read ``CHUNK`` rows at a time, each with the
    GUA.3.PRIORITY message of ``policy.assessment.priority_findings``."""
    qs = excellent_results(user=user)
    for n, a in enumerate(qs.iterator(chunk_size=CHUNK), start=1):
        found = priority_findings(name=a.cadre.name, year=a.year, grade=a.grade)
        yield ExcellentRow(number=n, a=a, message=found[0].message if found else "")


def excellent_title(user: User) -> str:
    if user.role == UserRole.UNIT and user.unit_id:
        return f"{user.unit.name}{EXCELLENT_TITLE}"
    return EXCELLENT_TITLE


def excellent_workbook(*, user: User) -> bytes:
    """驻村考核优秀干部名单: the 优秀 results ``user`` reads, each citing GUA.3.PRIORITY."""
    with Book() as book:
        sh = book.sheet("优秀干部名单")
        sh.table_layout(EXCELLENT_HEADERS, EXCELLENT_WIDTHS, signed=Signature.of())
        sh.title(excellent_title(user), TITLE)
        sh.header(EXCELLENT_HEADERS, HEAD)
        for row in excellent_rows(user=user):
            sh.append(row.values(), CELL)
        sh.append([])
        sh.append([PRIORITY_NOTE])
        return book.to_bytes()
