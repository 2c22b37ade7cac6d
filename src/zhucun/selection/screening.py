"""Batch screening: a unit uploads its list of candidates (.xlsx/.csv) and gets the same sheet
back with a result column and the clause-cited findings for each row (SEL.COND, SEL.SRC).

Cells are cleaned by the registry's field cleaners (one rule per field, never written twice);
a row with a missing or impossible value is reported as 数据有误 with the reason, never
guessed. Nothing is written to the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment, PatternFill

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import Forbidden
from zhucun.core.files_out import BOLD, Book, Style
from zhucun.params.selectors import parameters_current
from zhucun.policy import Candidate, Finding, screen_candidate
from zhucun.registry import validation as v
from zhucun.registry.imports.reader import (
    FileProblem,
    inspect,
    is_blank,
    iter_rows,
    norm_header,
    norm_value,
)
from zhucun.registry.models import Role

CADRE_COLUMNS = [
    "name",
    "birth_date",
    "party_status",
    "full_member_since",
    "work_start_date",
    "occupation",
    "occupation_code",
    "health_fit",
    "family_hardship",
    "is_xuandiao",
    "retired",
    "age_exception",
    "rural_experience",
    "agri_specialty",
    "tech_commissioner",
    "talent_program",
]
OPTIONAL = {"full_member_since", "occupation", "occupation_code"}
EXTRA = {
    "role": ("拟任驻村职务", lambda x: v.choice(x, Role)),
    "dispatch_date": ("拟派出日期", v.date),
}
# who may screen a list: the dispatching unit and the organisation departments (the people
# who choose candidates); not the cadres in the villages, townships or village secretaries
SCREENING_ROLES = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.UNIT})
SCREENING_FORBIDDEN = "只有派出单位和县(市)、州组织部门可以进行批量资格审查"
SPEC: v.FieldSpec = {**{f: v.CADRE_FIELDS[f] for f in CADRE_COLUMNS}, **EXTRA}
RESULT_HEADERS = ["审查结果", "审查意见(条款)"]
FILLS = {"不符合": "F8D7DA", "数据有误": "FFE5B4", "需说明理由": "FFF3CD", "符合": "D4EDDA"}


@dataclass
class ScreenedRow:
    row: int
    values: list[Any]
    result: str
    findings: list[Finding]
    problems: dict[str, str]

    def opinion(self) -> str:
        if self.problems:
            return ";".join(
                f"{SPEC[f][0] if f in SPEC else f}:{r}" for f, r in self.problems.items()
            )
        return "\n".join(f"[{f.clause}] {f.message}" for f in self.findings)


def screening_template() -> bytes:
    book = Book()
    ws = book.sheet("人选名单")
    ws.append([label for label, _ in SPEC.values()])
    ws.append(
        [
            "李明",
            "1990-05-17",
            "正式党员",
            "2015-07-01",
            "2012-08-01",
            "科员",
            "",
            "是",
            "否",
            "否",
            "否",
            "否",
            "是",
            "否",
            "否",
            "否",
            "第一书记",
            "2026-12-01",
        ]
    )
    note = book.sheet("填写说明")
    note.append(["列名", "说明"])
    for field, (label, _) in SPEC.items():
        note.append([label, "选填" if field in OPTIONAL else "必填"])
    note.append(
        ["", "是/否类列填“是”或“否”;日期填 YYYY-MM-DD;职业类别填“中小学教师”“医院医护人员”或留空"]
    )
    return book.to_bytes()


def screening_authorize(actor: User) -> None:
    """Raises Forbidden unless ``actor`` may screen candidate lists (before any byte of the
    file is read)."""
    if getattr(actor, "role", None) not in SCREENING_ROLES:
        raise Forbidden(SCREENING_FORBIDDEN)


def screen_rows(
    fileobj: Any, filename: str, *, actor: User | None, default_on: dt.date | None = None
) -> tuple[list[Any], Iterator[ScreenedRow]]:
    """(header row, screened rows) of ``actor``'s upload (``None`` only for the command line,
    whose operator is at the server). Raises Forbidden for a role that may not screen,
    FileProblem (Chinese; LimitExceeded past a resource limit) for an unreadable file or
    missing columns."""
    if actor is not None:
        screening_authorize(actor)
    src = inspect(fileobj, filename, kind="screening")
    rows = iter_rows(src)
    header: list[Any] | None = None
    for _n, values in rows:
        if any(not is_blank(x) for x in values):
            header = values
            break
    if header is None:
        raise FileProblem("文件中没有表头行")
    by_label = {label: field for field, (label, _) in SPEC.items()}
    columns = {
        i: by_label[norm_header(h)] for i, h in enumerate(header) if norm_header(h) in by_label
    }
    missing = [
        SPEC[f][0]
        for f in SPEC
        if f not in columns.values()
        and f not in OPTIONAL
        and not (f == "dispatch_date" and default_on)
    ]
    if missing:
        raise FileProblem("缺少必填列:" + "、".join(missing) + "(请下载模板对照)")
    params = parameters_current()

    def gen() -> Iterator[ScreenedRow]:
        for n, values in rows:
            if all(is_blank(x) for x in values):
                continue
            raw = {
                field: norm_value(values[i]) if i < len(values) else None
                for i, field in columns.items()
            }
            raw.setdefault("dispatch_date", default_on)
            cleaned, problems = v.clean({f: SPEC[f] for f in raw}, raw)
            problems.update({k: r for k, r in v.cadre_cross_checks(cleaned).items() if k in SPEC})
            if problems:
                yield ScreenedRow(n, values, "数据有误", [], problems)
                continue
            cand = Candidate(
                name=cleaned["name"],
                birth_date=cleaned["birth_date"],
                party_status=cleaned["party_status"],
                full_member_since=cleaned.get("full_member_since"),
                work_start_date=cleaned["work_start_date"],
                occupation=cleaned.get("occupation", ""),
                occupation_code=cleaned.get("occupation_code", ""),
                health_fit=cleaned["health_fit"],
                family_hardship=cleaned["family_hardship"],
                is_xuandiao=cleaned["is_xuandiao"],
                retired=cleaned["retired"],
                age_exception=cleaned["age_exception"],
                rural_experience=cleaned["rural_experience"],
                agri_specialty=cleaned["agri_specialty"],
                tech_commissioner=cleaned["tech_commissioner"],
                talent_program=cleaned["talent_program"],
            )
            findings = screen_candidate(
                cand, role=cleaned["role"], on=cleaned["dispatch_date"], params=params
            )
            severities = {f.severity for f in findings}
            result = (
                "不符合"
                if "error" in severities
                else "需说明理由"
                if "warning" in severities
                else "符合"
            )
            yield ScreenedRow(n, values, result, findings, {})

    return header, gen()


def screening_workbook(
    header: list[Any], rows: Iterator[ScreenedRow]
) -> tuple[bytes, dict[str, int]]:
    """The uploaded sheet with 审查结果 and 审查意见 appended. The uploaded values are written
    back through ``core.files_out``: a cell that was a formula text comes back as text."""
    with Book() as book:
        sheet = book.sheet("审查结果")
        sheet.freeze("A2")
        sheet.print_setup(header_rows="1:1")
        sheet.header([*header, *RESULT_HEADERS], Style(font=BOLD))
        counts: dict[str, int] = {}
        width = len(header)
        wrap = Style(alignment=Alignment(wrap_text=True, vertical="top"))
        for r in rows:
            counts[r.result] = counts.get(r.result, 0) + 1
            values = [_cell(x) for x in (list(r.values) + [None] * width)[:width]]
            sheet.append_cells(
                [
                    *((x, None) for x in values),
                    (r.result, Style(fill=PatternFill("solid", fgColor=FILLS[r.result]))),
                    (r.opinion(), wrap),
                ]
            )
        return book.to_bytes(), counts


def _cell(x: Any) -> Any:
    return x.date() if isinstance(x, dt.datetime) and x.time() == dt.time() else x
