"""驻村干部考核 pages (MGT.5.ANNUAL, MGT.5.INPUT, MGT.5.GRADE): the list with the county's
"开始YYYY年度考核" button and the resident cadres' 优秀 quota box, one assessment with the
facts the system holds (nothing to type), the opinion form per group, the appraisal and
grade form (the quota decision field when the quota is full or unset), the finalising, the
考核登记表 print page and .xlsx. Every change calls zhucun.assessment.services.assessments."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from zhucun.assessment import exports
from zhucun.assessment.facts import fact_rows, facts_for
from zhucun.assessment.models import Assessment, AssessmentState
from zhucun.assessment.scope import ASSESSMENT_READERS, assessment_county
from zhucun.assessment.selectors import assessments as sel
from zhucun.assessment.services import assessments as svc
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy.assessment import EXCELLENT, GRADE_LABELS, KIND_LABELS, VOTER_GROUP_LABELS

from ._common import forbidden, page_view, paginate
from ._sorting import in_order, sort_param

ASSESSMENT_SORTS = {
    "name": ("cadre__name", "-year"),
    "unit": ("cadre__unit__name", "cadre__name"),
    "village": ("county__code", "posting__village__jurisdiction__code", "cadre__name"),
    "kind": (in_order("kind", KIND_LABELS), "cadre__name"),
    "year": ("year", "cadre__name"),
    "opinions": ("opinion_groups", "cadre__name"),
    "state": (in_order("state", AssessmentState.values), "cadre__name"),
    "grade": (in_order("grade", GRADE_LABELS), "cadre__name"),
}

NAV = "assessment"
CLAUSE_TEXT = (
    "第一书记和工作队员实行一年一考核,年底考核和驻村期满考核均由所在县(市)党委组织部门牵头;"
    "考核中深入听取村(社区)干部、党员、群众意见;“优秀”等次名额不占所在地和派出单位名额"
    "(MGT.5.ANNUAL、MGT.5.INPUT、MGT.5.GRADE)。"
)


TERM_END_LIMIT = 200


def _notice_days(county) -> int:  # type: ignore[no-untyped-def]
    """The term-end notice window in force (MGT.9.HANDOVER), as the term-ends page uses."""
    return parameters_current().int_value(
        "term_end_notice_days", on=timezone.localdate(), jurisdiction=county.code
    )


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 6 else None


@page_view
def assessment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in ASSESSMENT_READERS:
        return forbidden(request, "驻村干部考核由县(市)党委组织部门牵头,您的角色没有考核工作")
    county = assessment_county(user)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if request.method == "POST" and request.POST.get("action") == "term_end":
        posting = _int(request.POST.get("posting_id", ""))
        try:
            a = svc.assessment_term_end_start(actor=user, posting_id=posting or 0)
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, f"已开始{a.cadre.name}的驻村期满考核。")
            return redirect("web:assessment_detail", pk=a.pk)
    elif request.method == "POST":
        year = _int(request.POST.get("year", ""))
        try:
            n = svc.assessment_start(actor=user, year=year)  # type: ignore[arg-type]
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, f"已开始{year}年度考核,新列入{n}人。")
            return redirect(f"{request.path}?year={year}")
    year = _int(request.GET.get("year", "")) or today.year
    if not 2000 <= year <= 2099:
        year = today.year
    state = request.GET.get("state", "")
    f = {k: request.GET.get(k, "").strip() for k in ("q", "kind")}
    qs = sel.assessment_list(user=user, year=year, state=state, kind=f["kind"], q=f["q"])
    sort = sort_param(request, ASSESSMENT_SORTS, "village")
    page = paginate(request, sort.apply(qs))
    rows = [
        {
            "a": a,
            "kind": KIND_LABELS[a.kind],
            "grade": GRADE_LABELS.get(a.grade, ""),
            "village": a.posting.village,
        }
        for a in page.object_list
    ]
    quota = sel.quota_status(county=county, year=year) if county is not None else None
    term_ends = (
        list(
            sel.term_end_candidates(county=county, today=today, window_days=_notice_days(county))[
                :TERM_END_LIMIT
            ]
        )
        if county is not None
        else []
    )
    return render(
        request,
        "web/assessment/assessment_list.html",
        {
            "nav_key": NAV,
            "page": page,
            "f": f,
            "sort": sort,
            "kinds": list(KIND_LABELS.items()),
            "rows": rows,
            "year": year,
            "years": list(range(today.year, today.year - 4, -1)),
            "state": state if state in AssessmentState.values else "",
            "states": AssessmentState.choices,
            "county": county,
            "quota": quota,
            "term_ends": term_ends,
            "errors": list(errors.values()),
            "clause": CLAUSE_TEXT,
        },
    )


def _get(request: HttpRequest, pk: int) -> Assessment:
    a = sel.assessment_get(user=request.user, assessment_id=pk)
    if a is None:
        raise NotFound(svc.NOT_FOUND)
    return a


def _post(request: HttpRequest, a: Assessment) -> tuple[str, dict[str, str]]:
    user, post = request.user, request.POST
    action = post.get("action", "")
    try:
        if action == "opinion":
            svc.assessment_opinion_add(
                actor=user,
                assessment_id=a.pk,
                group=post.get("group", ""),
                source=post.get("source", ""),
                text=post.get("text", ""),
            )
            return "已录入听取的意见。", {}
        if action == "grade":
            svc.assessment_grade_set(
                actor=user,
                assessment_id=a.pk,
                appraisal=post.get("appraisal", ""),
                grade=post.get("grade", ""),
                quota_decision=post.get("quota_decision", ""),
            )
            return "已保存考核评语和等次。", {}
        if action == "finalise":
            svc.assessment_finalise(actor=user, assessment_id=a.pk)
            return "考核等次已确定,此后不能修改。", {}
    except ValidationFailed as exc:
        return "", exc.errors
    raise NotFound("没有这个操作")


@page_view
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    a = _get(request, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        done, errors = _post(request, a)
        if done:
            messages.success(request, done)
            return redirect("web:assessment_detail", pk=a.pk)
        a = _get(request, pk)
    county = assessment_county(user)
    final = a.state == AssessmentState.FINAL
    can_act = county is not None and county.pk == a.county_id and not final
    opinions = list(sel.opinion_list(assessment=a))
    heard = {o.group for o in opinions}
    groups = [
        {
            "code": code,
            "label": label,
            "items": [o for o in opinions if o.group == code],
            "heard": code in heard,
        }
        for code, label in VOTER_GROUP_LABELS.items()
    ]
    quota = None
    if a.kind == "annual":
        quota = sel.quota_status(county=a.county, year=a.year)
    needs_decision = quota is not None and (quota.quota is None or quota.remaining == 0)
    return render(
        request,
        "web/assessment/assessment_detail.html",
        {
            "nav_key": NAV,
            "a": a,
            "title": exports.title(a),
            "kind": KIND_LABELS[a.kind],
            "grade": GRADE_LABELS.get(a.grade, ""),
            "facts": fact_rows(facts_for([a])[a.pk]),
            "groups": groups,
            "grades": list(GRADE_LABELS.items()),
            "excellent": EXCELLENT,
            "final": final,
            "can_act": can_act,
            "quota": quota,
            "needs_decision": needs_decision,
            "errors": list(errors.values()),
            "clause": CLAUSE_TEXT,
        },
    )


@page_view
def assessment_print(request: HttpRequest, pk: int) -> HttpResponse:
    a = _get(request, pk)
    return render(
        request,
        "web/assessment/assessment_print.html",
        {
            "nav_key": NAV,
            "a": a,
            "title": exports.title(a),
            "rows": exports.rows(request.user, a),
            "seal_line": exports.SEAL_LINE,
        },
    )


@page_view
def assessment_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    a = _get(request, pk)
    response = HttpResponse(
        exports.xlsx(request.user, a),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = exports.file_name(a) + ".xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("assessments/", assessment_list, name="assessment_list"),
    path("assessments/<int:pk>/", assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/print/", assessment_print, name="assessment_print"),
    path("assessments/<int:pk>/xlsx/", assessment_xlsx, name="assessment_xlsx"),
]
