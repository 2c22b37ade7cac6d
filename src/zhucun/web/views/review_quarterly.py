"""研判召回 pages: the hub of the review work, and the quarterly review (MGT.4.REVIEW) — the
list with the county's start form, the review with its rows (facts computed in the database,
one page at a time, MGT.4.CAUSE suggestions with their evidence), a conclusion per row, the
signing, the corrections of a signed review, the print page and the 研判表 .xlsx. Every
change calls zhucun.review.services.quarterly, which decides scope and rules."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from zhucun.accounts.models import UserRole
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.policy.assessment import percent
from zhucun.policy.review import CONCLUSION_LABELS, quarter_label
from zhucun.review import exports
from zhucun.review.models import ReviewState
from zhucun.review.scope import (
    DISCIPLINE_WRITERS,
    RECALL_READERS,
    REVIEW_READERS,
    TALK_WRITERS,
    review_county_editable,
)
from zhucun.review.selectors import quarterly as sel
from zhucun.review.services import quarterly as svc

from ._common import forbidden, page_view, paginate
from ._sorting import in_order, sort_param

NAV = "review"
_NEWEST = ("-year", "-quarter")
REVIEW_SORTS = {  # "-quarter" (the default): the newest quarter first, the counties by code
    "county": ("county__code", *_NEWEST),
    "quarter": ("year", "quarter", "-county__code"),
    "entries": ("entry_count", *_NEWEST, "county__code"),
    "state": (in_order("state", ReviewState.values), *_NEWEST, "county__code"),
    "signed": ("signed_at", "county__code"),
}
HUB_ROLES = frozenset(
    {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP, UserRole.UNIT}
)
CLAUSE_TEXT = (
    "县级驻村工作领导协调机构每季度对驻村工作队员履职情况进行一次分析研判,对存在召回情形的"
    "给予召回撤换(MGT.4.REVIEW、MGT.4.CAUSE)。系统只作提示,结论由研判会议作出。"
)
# the other parts of the review work: (url name, label, roles that have the work)
HUB_LINKS = (
    (
        "review_discipline_list",
        "纪律处理记录(八必须、八严禁)",
        DISCIPLINE_WRITERS | {UserRole.UNIT},
    ),
    ("review_talk_list", "谈心谈话记录", TALK_WRITERS),
    ("review_talk_overdue", "超期未谈话提醒", TALK_WRITERS),
    ("review_recall_list", "召回撤换", RECALL_READERS),
    ("review_replacements", "顶替人员选派提醒", RECALL_READERS),
)


@page_view
def review_hub(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in HUB_ROLES:
        return forbidden(request, "您的角色没有研判召回工作")
    links = []
    if user.role in REVIEW_READERS:
        links.append(
            {
                "url": reverse("web:review_quarterly_list"),
                "label": "季度分析研判",
                "id": "hub-quarterly",
            }
        )
    for name, label, roles in HUB_LINKS:
        if user.role in roles:
            url = reverse(f"web:{name}")
            links.append({"url": url, "label": label, "id": "hub-" + name.replace("_", "-")})
    return render(
        request, "web/review/hub.html", {"nav_key": NAV, "links": links, "clause": CLAUSE_TEXT}
    )


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 6 else None


@page_view
def review_quarterly_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in REVIEW_READERS:
        return forbidden(request, "季度分析研判由县级机构开展、州委组织部查阅")
    county = review_county_editable(user)
    today = timezone.localdate()
    start_errors: dict[str, str] = {}
    if request.method == "POST":
        year, quarter = _int(request.POST.get("year", "")), _int(request.POST.get("quarter", ""))
        try:
            review = svc.review_start(actor=user, year=year, quarter=quarter)  # type: ignore[arg-type]
        except ValidationFailed as exc:
            start_errors = exc.errors
        else:
            messages.success(request, f"已开始{quarter_label(review.year, review.quarter)}研判。")
            return redirect("web:review_quarterly_detail", pk=review.pk)
    state = request.GET.get("state", "")
    sort = sort_param(request, REVIEW_SORTS, "-quarter")
    page = paginate(request, sort.apply(sel.review_list(user=user, state=state)))
    rows = [{"r": r, "label": quarter_label(r.year, r.quarter)} for r in page.object_list]
    current_q = (today.month - 1) // 3 + 1
    counties = None
    if county is None:  # the prefecture (and admin): every county of the area × state
        last_year, last_q = (today.year, current_q - 1) if current_q > 1 else (today.year - 1, 4)
        year_q = _int(request.GET.get("year", "")) or last_year
        quarter_q = _int(request.GET.get("quarter", "")) or last_q
        if not 2000 <= year_q <= 2099 or not 1 <= quarter_q <= 4:
            year_q, quarter_q = last_year, last_q
        counties = {
            "label": quarter_label(year_q, quarter_q),
            "year": year_q,
            "quarter": quarter_q,
            "page": paginate(
                request,
                sel.review_county_status(user=user, year=year_q, quarter=quarter_q),
            ),
            "state_labels": dict(ReviewState.choices),
        }
    return render(
        request,
        "web/review/quarterly_list.html",
        {
            "nav_key": NAV,
            "page": page,
            "sort": sort,
            "rows": rows,
            "state": state if state in ReviewState.values else "",
            "states": ReviewState.choices,
            "county": county,
            "years": [today.year, today.year - 1],
            "quarters": [(q, f"第{q}季度") for q in range(1, 5)],
            "current_q": current_q,
            "counties": counties,
            "start_errors": start_errors.values(),
            "clause": CLAUSE_TEXT,
        },
    )


def _review(request: HttpRequest, pk: int):
    review = sel.review_get(user=request.user, review_id=pk)
    if review is None:
        raise NotFound(svc.NOT_FOUND)
    return review


def _post(request: HttpRequest, review) -> tuple[str, dict[str, str]]:
    """Run the posted action; (success message, errors)."""
    user = request.user
    action = request.POST.get("action", "")
    cadre_id = _int(request.POST.get("cadre_id", "")) or 0
    try:
        if action == "conclude":
            e = svc.review_conclude(
                actor=user,
                review_id=review.pk,
                cadre_id=cadre_id,
                conclusion=request.POST.get("conclusion", ""),
                note=request.POST.get("note", ""),
            )
            return f"已记录{e.cadre.name}的研判结论。", {}
        if action == "sign":
            svc.review_sign(
                actor=user, review_id=review.pk, meeting=request.POST.get("meeting", "")
            )
            return "研判已签发并报州,此后不能修改。", {}
        if action == "correct":
            svc.review_correct(
                actor=user,
                review_id=review.pk,
                cadre_id=cadre_id,
                conclusion=request.POST.get("conclusion", ""),
                reason=request.POST.get("reason", ""),
            )
            return "已录入更正记录。", {}
    except ValidationFailed as exc:
        return "", exc.errors
    raise NotFound("没有这个操作")


def _limit_text(review) -> str:
    """MGT.8.SJSP: the county's satisfaction threshold as a percent, "" while unset."""
    limit = sel.sjsp_limit(review)
    return "" if limit is None else percent(limit)


@page_view
def review_quarterly_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    review = _review(request, pk)
    suggested = request.GET.get("suggested") == "1"
    errors: dict[str, str] = {}
    if request.method == "POST":
        done, errors = _post(request, review)
        if done:
            messages.success(request, done)
            query = {k: v for k, v in request.GET.items() if k in ("page", "suggested")}
            url = reverse("web:review_quarterly_detail", args=[review.pk])
            return redirect(url + ("?" + urlencode(query) if query else ""))
        review = _review(request, pk)
    editable = review_county_editable(user)
    can_act = editable is not None and editable.pk == review.county_id
    page = paginate(request, sel.review_rows(review=review, suggested_only=suggested))
    rows = list(page.object_list)
    facts = sel.rows_page_facts(rows, review=review)
    display = exports.display_rows(rows, facts, start=page.start_index())
    recall_new = reverse("web:review_recall_new") + "?entry="
    for d in display:
        final = getattr(d.entry, "corrected", None) or d.entry.conclusion
        d.recall_url = f"{recall_new}{d.entry.pk}" if final == "recall" else ""
    return render(
        request,
        "web/review/quarterly_detail.html",
        {
            "nav_key": NAV,
            "review": review,
            "title": exports.review_title(review),
            "label": quarter_label(review.year, review.quarter),
            "page": page,
            "rows": display,
            "months": exports.month_headers(review),
            "suggested": suggested,
            "signed": review.state == ReviewState.SIGNED,
            "can_act": can_act,
            "conclusions": list(CONCLUSION_LABELS.items()),
            "errors": list(errors.values()),
            "absent_min": sel.absent_months_min(review),
            "sjsp_limit": _limit_text(review),
            "clause": CLAUSE_TEXT,
        },
    )


@page_view
def review_quarterly_print(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    return render(
        request,
        "web/review/quarterly_print.html",
        {
            "nav_key": NAV,
            "review": review,
            "title": exports.review_title(review),
            "months": exports.month_headers(review),
            "rows": exports.all_rows(review),
            "signature": exports.signature_lines(review),
        },
    )


@page_view
def review_quarterly_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    response = HttpResponse(
        exports.review_workbook(review),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = exports.review_title(review) + ".xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("review/", review_hub, name="review_hub"),
    path("review/quarterly/", review_quarterly_list, name="review_quarterly_list"),
    path("review/quarterly/<int:pk>/", review_quarterly_detail, name="review_quarterly_detail"),
    path("review/quarterly/<int:pk>/print/", review_quarterly_print, name="review_quarterly_print"),
    path("review/quarterly/<int:pk>/xlsx/", review_quarterly_xlsx, name="review_quarterly_xlsx"),
]
