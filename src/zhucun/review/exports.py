"""研判表 (MGT.4.REVIEW): one quarter's review of a county as the rows the page, the print page
and the .xlsx show (through core.files_out), computed page by page in the database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone
from openpyxl.styles import Alignment, Font

from zhucun.core.files_out import BORDER, Book, Signature, Style
from zhucun.params.selectors import parameters_current
from zhucun.policy.assessment import percent as fraction_percent
from zhucun.policy.dates import date_label
from zhucun.policy.review import CONCLUSION_LABELS, PROHIBITION_LABELS, quarter_label

from .models import QuarterlyReview, ReviewEntry, ReviewState
from .selectors.quarterly import SATISFACTION_NONE, RowFacts, review_rows, rows_page_facts

CHUNK = 500
HEADERS = (
    "序号",
    "姓名",
    "派出单位",
    "驻村",
    "职务",
    "第1月出勤率",
    "第2月出勤率",
    "第3月出勤率",
    "无正当理由未达正常工作日月数",
    "未处理异常签到",
    "纪律处理记录",
    "缺日志天数",
    "民主评议满意度",
    "召回情形提示(条款)",
    "研判结论",
    "研判意见",
)
WIDTHS = (6, 10, 20, 20, 10, 10, 10, 10, 12, 10, 26, 10, 12, 36, 10, 24)


def review_title(review: QuarterlyReview) -> str:
    return (
        f"{review.county.name}{quarter_label(review.year, review.quarter)}"
        "驻村干部履职情况分析研判表"
    )


def month_headers(review: QuarterlyReview) -> list[str]:
    first = (review.quarter - 1) * 3 + 1
    return [f"{m}月出勤率" for m in range(first, first + 3)]


def percent(value: str | None) -> str:
    return "—" if value is None else f"{float(Decimal(value)):.1%}"


def satisfaction_text(facts: dict[str, Any]) -> str:
    """MGT.8.SJSP as people read it: "86.7%(13/15)" — the percent and the votes (好 + 较好 /
    all votes) behind it; a row signed before the votes were kept shows the fraction."""
    value = facts.get("satisfaction")
    if value is None:
        return SATISFACTION_NONE
    exact = Fraction(value)
    votes = facts.get("sjsp_votes") or {}
    if votes.get("total"):
        return f"{fraction_percent(exact)}({votes['satisfied']}/{votes['total']})"
    return f"{fraction_percent(exact)}({exact.numerator}/{exact.denominator})"


@dataclass
class DisplayRow:
    """One row as people read it (every value a display string)."""

    entry: ReviewEntry
    number: int
    rates: list[str]
    absent_months: int
    absent_list: list[str]
    fraud_open: int
    discipline: list[str]
    missing_diaries: int
    satisfaction: str
    suggestions: list[dict[str, Any]]
    causes: str
    conclusion: str
    corrected: str

    def values(self) -> list[Any]:
        e = self.entry
        village = e.posting.village
        return [
            self.number,
            e.cadre.name,
            e.cadre.unit.name,
            f"{village.township.name} {village.jurisdiction.name}",
            e.posting.get_role_display(),
            *self.rates,
            self.absent_months,
            self.fraud_open,
            ";".join(self.discipline) or "无",
            self.missing_diaries,
            self.satisfaction,
            self.causes or "无",
            self.corrected or self.conclusion,
            e.note,
        ]


def display_rows(
    rows: Sequence[ReviewEntry], facts: dict[int, RowFacts], *, start: int = 1
) -> list[DisplayRow]:
    out = []
    for i, e in enumerate(rows, start=start):
        f = facts[e.pk]
        d = f.facts
        corrected = getattr(e, "corrected", None)
        out.append(
            DisplayRow(
                entry=e,
                number=i,
                rates=[percent(r) for r in d.get("rates", [None] * 3)],
                absent_months=len(d.get("absent_months", [])),
                absent_list=[f"{m[5:7].lstrip('0')}月" for m in d.get("absent_months", [])],
                fraud_open=int(d.get("fraud_open", 0)),
                discipline=[
                    f"{r['occurred_on']} {PROHIBITION_LABELS.get(r['prohibition'], '')}"
                    for r in d.get("discipline", [])
                ],
                missing_diaries=int(d.get("missing_diaries", 0)),
                satisfaction=satisfaction_text(d),
                suggestions=f.suggestions,
                causes="、".join(
                    f"{s['data'].get('cause_label', '')}({s['clause']})" for s in f.suggestions
                ),
                conclusion=CONCLUSION_LABELS.get(e.conclusion, ""),
                corrected=(
                    f"{CONCLUSION_LABELS.get(corrected, '')}(已更正,原为"
                    f"{CONCLUSION_LABELS.get(e.conclusion, '')})"
                    if corrected
                    else ""
                ),
            )
        )
    return out


def all_rows(review: QuarterlyReview) -> Iterator[DisplayRow]:
    """Every row of ``review`` in order: one query read ``CHUNK`` rows at a time (a server-side
    cursor on PostgreSQL, no OFFSET), the evidence fetched per chunk."""
    params = None if review.state == ReviewState.SIGNED else parameters_current()
    n = 0
    chunk: list[ReviewEntry] = []
    for e in review_rows(review=review).iterator(chunk_size=CHUNK):
        chunk.append(e)
        if len(chunk) == CHUNK:
            yield from display_rows(
                chunk, rows_page_facts(chunk, review=review, params=params), start=n + 1
            )
            n += len(chunk)
            chunk = []
    if chunk:
        yield from display_rows(
            chunk, rows_page_facts(chunk, review=review, params=params), start=n + 1
        )


def signature_lines(review: QuarterlyReview) -> list[str]:
    signed = review.signed_at.strftime("%Y-%m-%d") if review.signed_at else ""
    return [
        f"县级驻村工作领导协调机构(盖章):{review.county.name}",
        f"研判会议:{review.meeting}",
        f"签发人:{review.signed_by.display_name or review.signed_by.username}"
        if review.signed_by
        else "签发人:",
        f"签发日期:{signed}",
    ]


def signature_block(review: QuarterlyReview) -> Signature:
    """The writer's signature block of the 研判表: the signer (签发人) and the county's
    coordinating body's seal."""
    signer = (
        (review.signed_by.display_name or review.signed_by.username) if review.signed_by else ""
    )
    return Signature(
        (
            ("制表人", ""),
            ("签发人", signer),
            ("单位(盖章)", f"{review.county.name}县级驻村工作领导协调机构"),
            (
                "签发日期",
                date_label(timezone.localtime(review.signed_at).date()) if review.signed_at else "",
            ),
        )
    )


def review_workbook(review: QuarterlyReview) -> bytes:
    cell = Style(border=BORDER, alignment=Alignment(wrap_text=True, vertical="top"))
    head = Style(
        border=BORDER,
        font=Font(bold=True),
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    headers = list(HEADERS)
    headers[5:8] = month_headers(review)
    with Book() as book:
        sh = book.sheet("研判表")
        sh.table_layout(headers, WIDTHS)
        sh.title(
            review_title(review),
            Style(font=Font(bold=True, size=14), alignment=Alignment(horizontal="center")),
        )
        sh.header(headers, head)
        for row in all_rows(review):
            sh.append(row.values(), cell)
        sh.append([])
        sh.append([f"研判会议:{review.meeting}"])
        sh.sign(signature_block(review))
        return book.to_bytes()
