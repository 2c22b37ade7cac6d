"""覆盖情况 (SEL.SCOPE.COVER / CAT3 / OTHER): summary, the worst-first table of villages with
their teams and findings, the Excel export, and 选派调整 (SEL.SCOPE.ADJUST) per village."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhucun.core.errors import ValidationFailed
from zhucun.policy import PolicyError
from zhucun.registry import scopes, selectors, validation
from zhucun.registry.models import Level
from zhucun.selection import services
from zhucun.selection.coverage import coverage_queryset, coverage_rows, coverage_summary
from zhucun.selection.exports import coverage_workbook
from zhucun.tenure.selectors import coverage_gaps

from ..chrome import BACK_OFFICE, scope_label
from ..words import failure_errors
from ._common import not_found, page_view, paginate
from .imports import xlsx_response
from .selection import COVERAGE_STATUS_CLASS, finding_rows

STATUS_CLASS = {
    "未覆盖": "error",
    "不符合": "error",
    "例外": "info",
    "需说明": "warning",
    "符合": "ok",
}


def _no_business(request: HttpRequest) -> HttpResponse | None:
    if request.user.role not in BACK_OFFICE:
        return not_found(request, "页面不存在或您的角色无需使用此功能")
    return None


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip() for k in ("county", "township", "problems")}


def _queryset(user, f: dict[str, str], on):
    return coverage_queryset(
        user=user,
        on=on,
        county=f["county"],
        township=f["township"],
        only_problems=f["problems"] == "1",
    )


def _adjust(request: HttpRequest, today) -> tuple[dict[str, Any], bool]:
    """Record a SEL.SCOPE.ADJUST exception from the POST; (form state, succeeded)."""
    post = request.POST
    state: dict[str, Any] = {
        "village": post.get("village_id", ""),
        "reason": post.get("reason", "").strip(),
        "valid_from": post.get("valid_from", "").strip(),
        "valid_until": post.get("valid_until", "").strip(),
        "decided_by": post.get("decided_by", "").strip(),
        "errors": [],
    }
    errors: dict[str, str] = {}
    limits: dict[str, int | None] = {}
    for field in ("max_team_size", "min_first_secretaries", "min_team_members"):
        state[field] = raw = post.get(field, "").strip()
        if raw and not raw.isdigit():
            errors[field] = "人数须为0到50之间的整数"
        limits[field] = int(raw) if raw.isdigit() else None
    try:
        valid_from = validation.date(state["valid_from"] or today)
    except validation.FieldError as exc:
        errors["valid_from"] = f"生效日期{exc}"
    try:
        valid_until = validation.date(state["valid_until"], required=False)
    except validation.FieldError as exc:
        errors["valid_until"] = f"截止日期{exc}"
    if not state["village"].isdigit():
        errors["village_id"] = "请选择村(社区)"
    if not errors:
        try:
            exc_row = services.composition_exception_create(
                actor=request.user,
                village_id=int(state["village"]),
                reason=state["reason"],
                valid_from=valid_from,
                valid_until=valid_until,
                decided_by=state["decided_by"],
                **limits,
            )
        except (ValidationFailed, PolicyError) as exc:
            errors = failure_errors(exc)
        else:
            messages.success(
                request,
                f"已登记{exc_row.village.jurisdiction.name}的选派调整(SEL.SCOPE.ADJUST),"
                f"自{exc_row.valid_from:%Y-%m-%d}起生效。",
            )
            return state, True
    state["errors"] = list(errors.values())
    return state, False


@page_view
def coverage_page(request: HttpRequest) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    user = request.user
    today = timezone.localdate()
    adjust: dict[str, Any] = {}
    if request.method == "POST":
        adjust, ok = _adjust(request, today)
        if ok:
            return redirect(request.get_full_path())
    f = _filters(request)
    qs = _queryset(user, f, today)
    page = paginate(request, qs)
    rows = coverage_rows(page.object_list, on=today)
    editable = set(
        scopes.villages_editable(user)
        .filter(pk__in=[r.village.pk for r in rows])
        .values_list("pk", flat=True)
    )
    shown = [
        {
            "row": r,
            "status_class": COVERAGE_STATUS_CLASS.get(r.status, ""),
            "findings": finding_rows(r.findings),
            "can_adjust": r.village.pk in editable,
        }
        for r in rows
    ]
    return render(
        request,
        "web/selection/coverage.html",
        {
            "nav_key": "coverage",
            "today": today,
            "summary": coverage_summary(qs),
            "page": page,
            "rows": shown,
            "f": f,
            "counties": selectors.jurisdiction_list(user=user, level=Level.COUNTY),
            "townships": selectors.jurisdiction_list(
                user=user, level=Level.TOWNSHIP, parent=f["county"]
            ),
            "adjust": adjust,
            "query": request.GET.urlencode(),
            "gaps": coverage_gaps(user=user, today=today),
        },
    )


@require_GET
@page_view
def coverage_export(request: HttpRequest) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    user = request.user
    today = timezone.localdate()
    title = scope_label(user)
    content = coverage_workbook(_queryset(user, _filters(request), today), on=today, title=title)
    return xlsx_response(content, f"驻村工作队选派覆盖情况_{title}_{today:%Y%m%d}.xlsx")


def home_box(user) -> dict[str, Any]:
    """Counts for the box on the county/township/prefecture/admin home pages."""
    from .deadlines import overdue_counts

    today = timezone.localdate()
    summary = coverage_summary(coverage_queryset(user=user, on=today))
    return {
        "uncovered": summary["uncovered"],
        "failing": summary["failing"],
        "overdue": overdue_counts(user, today),
    }
