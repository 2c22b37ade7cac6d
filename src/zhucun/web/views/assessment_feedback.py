"""考核结果反馈 pages (MGT.5.FEEDBACK, GUA.3.PRIORITY): the unit's inbox of finalised results
with its 签收, the 考核结果通知 per year and county (print page and .xlsx), the 驻村考核优秀干部
名单 (.xlsx), the unit home's line and the GUA.3.PRIORITY surfaces of the cadre pages. Every
read goes through zhucun.assessment.selectors.feedback, the 签收 through its service."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from zhucun.accounts.models import User, UserRole
from zhucun.assessment import notice_export
from zhucun.assessment.scope import ASSESSMENT_READERS
from zhucun.assessment.selectors import feedback as sel
from zhucun.assessment.services.feedback import assessment_results_receive
from zhucun.core.errors import NotFound
from zhucun.policy.assessment import GRADE_LABELS, KIND_LABELS, priority_findings

from ._common import forbidden, page_view, paginate
from ._sorting import in_order, sort_param

NAV = "assessment"
# True for a result the unit has not received: descending (the default "-year"), those first
_PENDING = ExpressionWrapper(Q(unit_received_at__isnull=True), output_field=BooleanField())
RESULT_SORTS = {  # "-year", the default: the newest year, pending first, then county and name
    "year": ("year", _PENDING, "-county__code", "-cadre__name", "-kind"),
    "kind": (in_order("kind", KIND_LABELS), "-year", "cadre__name"),
    "name": ("cadre__name", "-year", "kind"),
    "unit": ("cadre__unit__name", "cadre__name", "-year"),
    "grade": (in_order("grade", GRADE_LABELS), "-year", "cadre__name"),
    "county": ("county__code", "-year", "cadre__name"),
    "finalised": ("finalised_at", "cadre__name"),
    "received": ("unit_received_at", "cadre__name"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLAUSE_TEXT = (
    "年度考核结果作为干部年度考核等次,由县级驻村工作领导协调机构反馈派出单位,作为评先评优、"
    "提拔使用、晋升职级、评定职称的重要依据(MGT.5.FEEDBACK);考核“优秀”的,同等条件下优先"
    "考虑提拔任用(GUA.3.PRIORITY)。"
)
READERS_TEXT = "考核结果由派出单位签收,组织部门、乡镇(街道)按管辖范围查阅"


def _year(value: str) -> int | None:
    if value.isdigit() and len(value) == 4:
        year = int(value)
        if sel.YEAR_MIN <= year <= sel.YEAR_MAX:
            return year
    return None


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 19 else None


@page_view
def assessment_results(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in ASSESSMENT_READERS:
        return forbidden(request, READERS_TEXT)
    is_unit = user.role == UserRole.UNIT
    if request.method == "POST":
        if not is_unit:
            return forbidden(request, "考核结果由派出单位签收(MGT.5.FEEDBACK)")
        year = _year(request.POST.get("year", ""))
        n = assessment_results_receive(actor=user, year=year)
        messages.success(request, f"已签收考核结果 {n} 条。" if n else "没有待签收的考核结果。")
        return redirect("web:assessment_results")
    year = _year(request.GET.get("year", ""))
    unreceived = request.GET.get("unreceived") == "1"
    sort = sort_param(request, RESULT_SORTS, "-year")
    results = sel.results_for_unit(user=user, year=year, unreceived_only=unreceived)
    page = paginate(request, sort.apply(results))
    rows = [
        {
            "a": a,
            "grade": GRADE_LABELS.get(a.grade, a.grade),
            "kind": KIND_LABELS.get(a.kind, a.kind),
            "excellent": bool(priority_findings(name=a.cadre.name, year=a.year, grade=a.grade)),
        }
        for a in page.object_list
    ]
    return render(
        request,
        "web/assessment/feedback_results.html",
        {
            "nav_key": NAV,
            "page": page,
            "sort": sort,
            "rows": rows,
            "year": year,
            "years": sel.result_years(user=user),
            "unreceived": unreceived,
            "unreceived_count": sel.unreceived_count(user=user),
            "is_unit": is_unit,
            "notices": sel.notice_groups(user=user, year=year, limit=NOTICE_LINKS),
            "clause": CLAUSE_TEXT,
        },
    )


NOTICE_LINKS = 100


def _notice(request: HttpRequest) -> notice_export.Notice:
    user = request.user
    if user.role not in ASSESSMENT_READERS:
        raise NotFound()
    year = _year(request.GET.get("year", ""))
    county = _id(request.GET.get("county", ""))
    if year is None or county is None:
        raise NotFound("请选择考核年度和县(市)")
    return notice_export.notice_build(
        user=user, year=year, county_id=county, unit_id=_id(request.GET.get("unit", ""))
    )


@page_view
def assessment_notice(request: HttpRequest) -> HttpResponse:
    notice = _notice(request)
    return render(
        request,
        "web/assessment/feedback_notice.html",
        {"nav_key": NAV, "notice": notice, "query": request.GET.urlencode()},
    )


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page_view
def assessment_notice_xlsx(request: HttpRequest) -> HttpResponse:
    notice = _notice(request)
    return _xlsx(notice_export.notice_workbook(notice), notice.filename)


@page_view
def assessment_excellent_xlsx(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in ASSESSMENT_READERS:
        return forbidden(request, READERS_TEXT)
    name = notice_export.excellent_title(user) + ".xlsx"
    return _xlsx(notice_export.excellent_workbook(user=user), name)


# ---- what other pages show of the results ----------------------------------------------------


def cadre_priority_notes(user: User, cadre: Any) -> list[dict[str, Any]]:
    """GUA.3.PRIORITY on the cadre's page: one note per 优秀 result the user may read."""
    notes = []
    for a in sel.excellent_results(user=user, cadre_id=cadre.pk)[:NOTICE_LINKS]:
        for f in priority_findings(name=cadre.name, year=a.year, grade=a.grade):
            notes.append({"message": f.message, "kind": KIND_LABELS.get(a.kind, a.kind)})
    return notes


def attach_excellent(user: User, cadres: Any) -> None:
    """GUA.3.PRIORITY in a list: each cadre of the page gets ``excellent`` = (year, kind
    label) of its latest 优秀 the user may read, or None — one query for the page."""
    items = list(cadres)
    latest = sel.latest_excellent([c.pk for c in items], user=user)
    for c in items:
        found = latest.get(c.pk)
        c.excellent = (found[0], KIND_LABELS.get(found[1], "")) if found else None


urlpatterns = [
    path("assessment/results/", assessment_results, name="assessment_results"),
    path("assessment/results/notice/", assessment_notice, name="assessment_notice"),
    path("assessment/results/notice.xlsx", assessment_notice_xlsx, name="assessment_notice_xlsx"),
    path(
        "assessment/results/excellent.xlsx",
        assessment_excellent_xlsx,
        name="assessment_excellent_xlsx",
    ),
]
