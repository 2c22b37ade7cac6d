"""工作报告 pages (MGT.6.*, GUA.1.BIND, MGT.3.SUMMARY): the reports by role (the first
secretary's monthly reports; the township's urgent inbox, monthly reports received, overdue
list, missing on-duty summaries and its quarterly report; the unit's hearing and yearly
visit; the county's overdue lists), one report (the author edits the draft's text and
submits; the reader sees the differences against the draft), its print page and .xlsx, and
the phone page for an urgent report (/m/urgent/). Every write calls its service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from openpyxl.styles import Alignment

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.core.files_out import BORDER, Book, Style
from zhucun.policy.dates import date_label, month_label
from zhucun.policy.work import REPORT_CLAUSES, REPORT_KIND_LABELS
from zhucun.work.drafts import draft_text
from zhucun.work.models import Report
from zhucun.work.scope import TEAM_ROLES
from zhucun.work.selectors import reports as read
from zhucun.work.services import reports as write

from ._common import page_view, paginate
from .attendance_common import error_rows, error_text
from .imports import xlsx_response

NAV = "work"
LIST_LIMIT = 20
OVERSEE_ROLES = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY})
OVERDUE_TITLES = {
    "monthly": "逾期未报的第一书记月度工作报告",
    "quarterly": "逾期未报的乡镇季度工作报告",
    "hearing": "逾期未听取汇报的派出单位",
    "unit_visit": "逾期未到村调研的派出单位",
}


def _first(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _prev_month(d: dt.date) -> dt.date:
    return _first(_first(d) - dt.timedelta(days=1))


def period_label(r: Report) -> str:
    """The report's period in words: 2026年9月 / 2026年第3季度 / 2026年上半年 / 2026年度."""
    if r.kind == "monthly":
        return month_label(r.period_start)
    if r.kind == "quarterly":
        return f"{r.period_start.year}年第{(r.period_start.month - 1) // 3 + 1}季度"
    if r.kind == "hearing":
        return f"{r.period_start.year}年{'上' if r.period_start.month <= 6 else '下'}半年"
    if r.kind == "unit_visit":
        return f"{r.period_start.year}年度"
    return date_label(r.period_start)


def state_label(r: Report) -> str:
    if r.kind == "urgent":
        return "已签收" if r.acknowledged_at else "待签收"
    if r.submitted_at is None:
        if r.due and timezone.localdate() > r.due:
            return "逾期未报送"
        return "填写中"
    if r.due and timezone.localdate(r.submitted_at) > r.due:
        return "逾期报送"
    return "已报送"


def _rows(reports: Any) -> list[dict[str, Any]]:
    return [
        {
            "r": r,
            "kind": REPORT_KIND_LABELS[r.kind],
            "period": period_label(r),
            "state": state_label(r),
            "subject": _subject(r),
        }
        for r in reports
    ]


def author_name(r: Report) -> str:
    a = r.author
    if a.cadre_id:
        return str(a.cadre.name)
    return str(a.get_role_display())


def _subject(r: Report) -> str:
    if r.village_id:
        return f"{r.village.township.name}{r.village.jurisdiction.name}"
    if r.township_id:
        return r.township.name
    if r.unit_id:
        return r.unit.name
    return ""


def _overdue_rows(rows: Any) -> list[dict[str, Any]]:
    out = []
    for x in rows:
        kind = x["kind_key"]
        start = x["period"]
        if kind == "monthly":
            period = month_label(start)
        elif kind == "quarterly":
            period = f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
        elif kind == "hearing":
            period = f"{start.year}年{'上' if start.month <= 6 else '下'}半年"
        else:
            period = f"{start.year}年度"
        out.append(
            {
                "subject": x["subject_name"],
                "parent": x["parent_name"] or "",
                "period": period,
                "due": x["due_day"],
                "days": (timezone.localdate() - x["due_day"]).days,
                "clause": REPORT_CLAUSES[kind],
            }
        )
    return out


def _overdue_box(user: User, kind: str, today: dt.date, request: HttpRequest | None = None) -> Any:
    qs = read.overdue_reports(user=user, kind=kind, today=today)
    if request is not None:
        page = paginate(request, qs)
        return {
            "title": OVERDUE_TITLES[kind],
            "kind": kind,
            "page": page,
            "rows": _overdue_rows(page),
        }
    return {
        "title": OVERDUE_TITLES[kind],
        "kind": kind,
        "count": qs.count(),
        "rows": _overdue_rows(qs[:LIST_LIMIT]),
    }


def _open_choices(user: User, today: dt.date) -> list[dict[str, Any]]:
    """The periods the user may open a report for: [{kind, label, value}]."""
    role = user.role
    out: list[dict[str, Any]] = []
    if role == UserRole.FIRST_SECRETARY:
        for m in (_prev_month(today), _first(today)):
            out.append(
                {"kind": "monthly", "label": f"写{month_label(m)}报告", "value": m.isoformat()}
            )
    elif role == UserRole.TOWNSHIP:
        this_q = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        last_q = _first(this_q - dt.timedelta(days=80))
        last_q = dt.date(last_q.year, 3 * ((last_q.month - 1) // 3) + 1, 1)
        for q in (last_q, this_q):
            label = f"写{q.year}年第{(q.month - 1) // 3 + 1}季度报告"
            out.append({"kind": "quarterly", "label": label, "value": q.isoformat()})
    elif role == UserRole.UNIT:
        this_h = dt.date(today.year, 1 if today.month <= 6 else 7, 1)
        last_h = dt.date(today.year - 1, 7, 1) if today.month <= 6 else dt.date(today.year, 1, 1)
        for h in (last_h, this_h):
            name = "上" if h.month == 1 else "下"
            out.append(
                {
                    "kind": "hearing",
                    "label": f"{h.year}年{name}半年听取汇报",
                    "value": h.isoformat(),
                }
            )
        out.append(
            {
                "kind": "unit_visit",
                "label": f"{today.year}年度到村调研",
                "value": dt.date(today.year, 1, 1).isoformat(),
            }
        )
    return out


@page_view
def reports_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    if request.method == "POST":
        try:
            report = write.report_open(
                actor=user,
                kind=request.POST.get("kind", ""),
                period_start=request.POST.get("period_start", ""),
            )
        except ValidationFailed as exc:
            messages.error(request, "未能打开报告:" + error_text(exc))
            return redirect("web:work_reports")
        return redirect("web:work_report_detail", pk=report.pk)
    role = user.role
    ctx: dict[str, Any] = {"nav_key": NAV, "today": today, "choices": _open_choices(user, today)}
    if role in (UserRole.TOWNSHIP, UserRole.COUNTY, UserRole.PREFECTURE, UserRole.ADMIN):
        ctx["urgent"] = _rows(read.urgent_inbox(user=user)[:LIST_LIMIT])
    if role == UserRole.FIRST_SECRETARY or role in TEAM_ROLES or role == UserRole.VILLAGE_SECRETARY:
        page = paginate(request, read.report_list(user=user, kind="monthly"))
        ctx["mine"] = {"title": "本村月度工作报告", "page": page, "rows": _rows(page)}
        if role in TEAM_ROLES:
            ctx["my_urgent"] = _rows(read.urgent_inbox(user=user)[:LIST_LIMIT])
    if role == UserRole.TOWNSHIP:
        page = paginate(
            request, read.report_list(user=user, kind="monthly").filter(submitted_at__isnull=False)
        )
        ctx["received"] = {"title": "收到的月度工作报告", "page": page, "rows": _rows(page)}
        ctx["own"] = _rows(read.report_list(user=user, kind="quarterly")[:LIST_LIMIT])
        ctx["overdue"] = [_overdue_box(user, k, today) for k in ("monthly", "quarterly")]
        ctx["missing"] = _missing(user, today)
    if role in OVERSEE_ROLES:
        ctx["own"] = _rows(read.report_list(user=user).exclude(kind="urgent")[:LIST_LIMIT])
        ctx["overdue"] = [_overdue_box(user, k, today) for k in read.OVERDUE_KINDS]
        ctx["missing"] = _missing(user, today)
    if role == UserRole.UNIT:
        ctx["own"] = _rows(
            read.report_list(user=user).filter(kind__in=("hearing", "unit_visit"))[:LIST_LIMIT]
        )
        ctx["overdue"] = [_overdue_box(user, "hearing", today)]
    return render(request, "web/work/report_list.html", ctx)


def _missing(user: User, today: dt.date) -> dict[str, Any]:
    qs = read.missing_summaries(user=user, today=today)
    states = {"prepared": "已汇总未签字", "signed": "已签字未上报"}
    rows = [
        {
            "subject": x["subject_name"],
            "parent": x["parent_name"],
            "period": month_label(x["period"]),
            "due": x["due_day"],
            "state": states.get(x["summary_state"] or "", "未汇总"),
        }
        for x in qs[:LIST_LIMIT]
    ]
    return {"count": qs.count(), "rows": rows}


@page_view
def overdue_page(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in read.OVERDUE_KINDS:
        raise NotFound()
    box = _overdue_box(request.user, kind, timezone.localdate(), request)
    return render(request, "web/work/report_overdue.html", {"nav_key": NAV, "box": box})


def _report(request: HttpRequest, pk: int) -> Report:
    report = read.report_get(user=request.user, report_id=pk)
    if report is None:
        raise NotFound()
    return report


@page_view
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    report = _report(request, pk)
    can_write = report.submitted_at is None and write.may_write(user, report)
    can_ack = (
        report.kind == "urgent"
        and report.acknowledged_at is None
        and user.role == UserRole.TOWNSHIP
        and user.jurisdiction_id == report.township_id
    )
    errors: list[dict[str, str]] = []
    body = report.body
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("save", "submit") and can_write:
                body = request.POST.get("body", "")
                write.report_save(actor=user, report_id=report.pk, body=body)
                if action == "submit":
                    write.report_submit(actor=user, report_id=report.pk)
                    messages.success(request, "报告已报送,不能再修改。")
                else:
                    messages.success(request, "已保存。")
                return redirect("web:work_report_detail", pk=report.pk)
            if action == "acknowledge" and can_ack:
                write.urgent_acknowledge(
                    actor=user, report_id=report.pk, note=request.POST.get("note", "")
                )
                messages.success(request, "已签收。")
                return redirect("web:work_report_detail", pk=report.pk)
            if action == "reset" and can_write:
                body = draft_text(report.draft)
            else:
                raise Forbidden("只有报告的填报人可以修改和报送;已报送的报告不能修改")
        except ValidationFailed as exc:
            errors = error_rows(exc.errors)
    diff = read.report_diff(report) if report.draft else []
    return render(
        request,
        "web/work/report_detail.html",
        {
            "nav_key": NAV,
            "r": report,
            "kind": REPORT_KIND_LABELS[report.kind],
            "clause": REPORT_CLAUSES[report.kind],
            "period": period_label(report),
            "state": state_label(report),
            "subject": _subject(report),
            "author": author_name(report),
            "can_write": can_write,
            "can_ack": can_ack,
            "body": body,
            "errors": errors,
            "diff": diff,
            "changes": read.diff_counts(diff),
        },
    )


@page_view
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return render(
        request,
        "web/work/report_print.html",
        {
            "nav_key": NAV,
            "r": report,
            "period": period_label(report),
            "state": state_label(report),
            "subject": _subject(report),
        },
    )


@page_view
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return xlsx_response(report_workbook(report), f"{report.title}.xlsx")


def report_workbook(report: Report) -> bytes:
    """月报 (or any report) as a sheet: the heading, the period and due day, the text as
    submitted (one line per row) and the draft's figures by section."""
    cell = Style(border=BORDER, alignment=Alignment(wrap_text=True, vertical="top"))
    with Book() as book:
        sh = book.sheet("工作报告")
        sh.table_layout(["项目", "内容"], [24, 90])
        sh.title(report.title)
        sh.header(["项目", "内容"])
        sh.append(["报告期", period_label(report)], cell)
        sh.append(["报送主体", _subject(report)], cell)
        if report.due:
            sh.append(["报送截止日期", report.due], cell)
        sh.append(["状态", state_label(report)], cell)
        if report.submitted_at:
            sh.append(
                ["报送时间", timezone.localtime(report.submitted_at).replace(tzinfo=None)], cell
            )
        for i, line in enumerate(report.body.splitlines()):
            sh.append(["报告正文" if i == 0 else "", line], cell)
        for s in report.draft.get("sections", []):
            sh.append([f"系统汇总:{s['title']}", f"{s['total']}(条款 {s['clause']})"], cell)
        return book.to_bytes()


@page_view
def urgent_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in TEAM_ROLES:
        raise NotFound("页面不存在或您的角色无需使用此功能")
    title, body = "", ""
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        title = request.POST.get("title", "")
        body = request.POST.get("body", "")
        try:
            report = write.urgent_report(actor=user, title=title, body=body)
        except ValidationFailed as exc:
            errors = error_rows(exc.errors)
        else:
            messages.success(request, f"已报告乡镇党委:{report.title}")
            return redirect("web:work_urgent_new")
    recent = _rows(read.urgent_inbox(user=user)[:10])
    return render(
        request,
        "web/work/report_urgent.html",
        {"nav_key": NAV, "title": title, "body": body, "errors": errors, "recent": recent},
    )


urlpatterns = [
    path("work/reports/", reports_page, name="work_reports"),
    path("work/reports/overdue/<str:kind>/", overdue_page, name="work_report_overdue"),
    path("work/reports/<int:pk>/", report_detail, name="work_report_detail"),
    path("work/reports/<int:pk>/print/", report_print, name="work_report_print"),
    path("work/reports/<int:pk>/xlsx/", report_xlsx, name="work_report_xlsx"),
    path("m/urgent/", urgent_new, name="work_urgent_new"),
]
