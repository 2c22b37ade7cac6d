"""County and prefecture attendance pages: 出勤排名 (the bottom three of every township in
scope, as reported up the line, MGT.3.RANK; downloads) and 特殊时期 (declaring the periods
in which no rotation rest is arranged, MGT.1.REST)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhucun.accounts.models import UserRole
from zhucun.attendance import selectors
from zhucun.attendance import services as att
from zhucun.attendance.models import SpecialPeriod
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.registry import scopes as registry_scopes
from zhucun.registry import selectors as registry_selectors
from zhucun.registry.models import Level

from ._common import Field, SimpleForm, not_found, page_view, paginate
from .attendance_cadre import pct
from .attendance_common import UPPER, error_rows, month_choices, month_label, month_param
from .attendance_common import refuse_unless as _refuse
from .attendance_township import EXPORTS, workbook
from .imports import xlsx_response


def _filters(request: HttpRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip() for k in ("county", "township")}


@page_view
def rankings(request: HttpRequest) -> HttpResponse:
    if (refused := _refuse(request, UPPER)) is not None:
        return refused
    user = request.user
    month = month_param(request)
    f = _filters(request)
    qs = selectors.ranking_list(
        user=user, month=month, county=f["county"], township=f["township"], bottom_only=True
    )
    page = paginate(request, qs, per_page=30)
    for r in page.object_list:
        r.pct = pct(r.rate)
    closes = selectors.month_close_list(user=user, month=month)
    if f["county"]:
        closes = closes.filter(township__parent__code=f["county"])
    townships = registry_selectors.jurisdiction_list(
        user=user, level=Level.TOWNSHIP, parent=f["county"]
    )
    return render(
        request,
        "web/attendance/rankings.html",
        {
            "nav_key": "rankings",
            "month": month,
            "label": month_label(month),
            "months": month_choices(month),
            "f": f,
            "counties": registry_selectors.jurisdiction_list(user=user, level=Level.COUNTY),
            "townships": townships,
            "show_county_filter": user.role != UserRole.COUNTY,
            "page": page,
            "closed": closes.count(),
            "townships_none": selectors.townships_without_bottom(
                user=user, month=month, county=f["county"], township=f["township"]
            ).select_related("township__parent"),
            "township_count": townships.filter(township_villages__isnull=False).distinct().count(),
            "query": request.GET.urlencode(),
        },
    )


@page_view
def rankings_export(request: HttpRequest, kind: str) -> HttpResponse:
    if (refused := _refuse(request, UPPER)) is not None:
        return refused
    if kind not in EXPORTS:
        return not_found(request)
    user = request.user
    month = month_param(request)
    f = _filters(request)
    scope = user.jurisdiction.name if user.jurisdiction_id else "德宏州"
    return xlsx_response(
        workbook(user, kind, month, county=f["county"], township=f["township"]),
        f"{scope}{month_label(month)}{EXPORTS[kind]}.xlsx",
    )


# ---- special periods -----------------------------------------------------------------------------


def _periods(user):
    """Special periods declared for the user's scope or above it (they apply to it too)."""
    visible = registry_scopes.jurisdictions_visible(user)
    qs = SpecialPeriod.objects.select_related("jurisdiction", "declared_by")
    if user.role != UserRole.ADMIN:
        above = user.jurisdiction.chain_codes() if user.jurisdiction_id else []
        qs = qs.filter(Q(jurisdiction__in=visible) | Q(jurisdiction__code__in=above))
    return qs.order_by("-start", "-id")


@page_view
def special_periods(request: HttpRequest) -> HttpResponse:
    if (refused := _refuse(request, UPPER)) is not None:
        return refused
    user = request.user
    places = registry_selectors.jurisdiction_list(user=user).filter(
        level__in=[Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP]
    )
    today = timezone.localdate()
    form = SimpleForm(
        [
            Field(
                "jurisdiction_code",
                "范围",
                kind="select",
                choices=[(j.code, f"{j.name}({j.get_level_display()})") for j in places],
            ),
            Field("start", "开始日期", kind="date"),
            Field("end", "结束日期", kind="date"),
            Field("reason", "事由", help="如:防汛救灾、疫情防控、重大活动保障"),
        ],
        {
            "jurisdiction_code": user.jurisdiction.code if user.jurisdiction_id else "",
            "start": today,
            "end": today,
        },
    )
    refusal: list[dict[str, str]] = []
    if request.method == "POST":
        form.bind(request.POST)
        values = {fld.name: fld.value for fld in form.fields}
        try:
            period = att.special_period_declare(actor=user, **values)
        except ValidationFailed as exc:
            form.add_errors({k: v for k, v in exc.errors.items() if k in values})
            refusal = [r for r in error_rows(exc.errors) if r["clause"]]
        except NotFound as exc:
            form.add_errors({"jurisdiction_code": exc.message})
        else:
            messages.success(
                request,
                f"已宣布特殊时期:{period.jurisdiction.name} {period.start}至{period.end},"
                "期间不安排轮休(MGT.1.REST)",
            )
            return redirect("/attendance/special-periods/")
    return render(
        request,
        "web/attendance/special_periods.html",
        {
            "nav_key": "special_periods",
            "form": form,
            "refusal": refusal,
            "page": paginate(request, _periods(user), per_page=30),
        },
    )
