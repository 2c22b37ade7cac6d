"""驻村工作经费 (GUA.2.FS_FUND / VILLAGE_FUND / UNIT_FUND): the year's entitlements computed from
the postings, with totals and the allocation form for the roles that record; the 经费测算表
(.xlsx and print page); the shortfalls and unspent balances."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhucun.core.errors import ValidationFailed
from zhucun.support.fund_exports import KindTotals, fund_rows, funds_workbook, headers
from zhucun.support.models import FundKind
from zhucun.support.scope import READERS
from zhucun.support.selectors import funds as sel
from zhucun.support.services.funds import AREA_TEXT, UNIT_TEXT, fund_record, writers_of

from ._common import not_found, page_view, paginate
from .imports import xlsx_response

NOT_HERE = "页面不存在或您的角色无需使用此功能"
FIELD_LABELS = {
    "year": "年度",
    "kind": "经费类别",
    "cadre_id": "干部",
    "village_id": "村(社区)",
    "allocated": "拨付金额",
    "spent": "支出金额",
    "on": "日期",
    "note": "说明",
}
LISTS = {"short": "拨付不足", "unspent": "尚未支出"}


def _year(request: HttpRequest) -> int:
    s = request.GET.get("year", "").strip()
    if s.isdigit() and 2000 <= int(s) <= 2100:
        return int(s)
    return timezone.localdate().year


def _kind(request: HttpRequest) -> str:
    k = request.GET.get("kind", "")
    return k if k in sel.KINDS else FundKind.FS


def _base(request: HttpRequest, year: int, kind: str) -> dict[str, Any]:
    return {
        "nav_key": "support",
        "year": year,
        "kind": kind,
        "kind_label": FundKind(kind).label,
        "kinds": FundKind.choices,
        "years": list(range(year - 2, year + 2)),
        "is_village": kind == FundKind.VILLAGE,
        "headers": headers(kind),
    }


@page_view
def funds_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in READERS:
        return not_found(request, NOT_HERE)
    year, kind = _year(request), _kind(request)
    can_record = user.role in writers_of(kind)
    errors: list[str] = []
    values: dict[str, str] = {}
    if request.method == "POST" and can_record:
        values = {k: request.POST.get(k, "").strip() for k in FIELD_LABELS}
        target = request.POST.get("target", "").strip()
        try:
            fund_record(
                actor=user,
                year=year,
                kind=kind,
                cadre_id=None if kind == FundKind.VILLAGE else target,
                village_id=target if kind == FundKind.VILLAGE else None,
                allocated=values["allocated"] or "0",
                spent=values["spent"] or "0",
                on=values["on"],
                note=values["note"],
            )
        except ValidationFailed as exc:
            errors = [f"{FIELD_LABELS.get(k, '')}:{v}" for k, v in exc.errors.items()]
        else:
            return redirect(f"{request.path}?year={year}&kind={kind}")
    page = paginate(request, sel.entitlements(user=user, year=year, kind=kind))
    totals = sel.fund_total(user=user, year=year, kind=kind)
    ctx = _base(request, year, kind)
    ctx.update(
        {
            "page": page,
            "totals": totals,
            "can_record": can_record,
            "writers_text": UNIT_TEXT if kind == FundKind.UNIT else AREA_TEXT,
            "errors": errors,
            "values": values,
            "today": timezone.localdate(),
        }
    )
    return render(request, "web/support/funds_list.html", ctx)


@require_GET
@page_view
def funds_xlsx(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in READERS:
        return not_found(request, NOT_HERE)
    year = _year(request)
    return xlsx_response(funds_workbook(user=user, year=year), f"{year}年驻村工作经费测算表.xlsx")


@require_GET
@page_view
def funds_print(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in READERS:
        return not_found(request, NOT_HERE)
    year, kind = _year(request), _kind(request)
    rows = list(fund_rows(user=user, year=year, kind=kind))
    totals = KindTotals()
    for r in rows:
        totals.add(r)
    ctx = _base(request, year, kind)
    ctx.update({"rows": rows, "totals": totals})
    return render(request, "web/support/funds_print.html", ctx)


@require_GET
@page_view
def funds_gaps(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in READERS:
        return not_found(request, NOT_HERE)
    year, kind = _year(request), _kind(request)
    which = request.GET.get("list", "short")
    which = which if which in LISTS else "short"
    items: Any = (
        sel.shortfalls(user=user, year=year, kind=kind)
        if which == "short"
        else sel.unspent(user=user, year=year, kind=kind)
    )
    ctx = _base(request, year, kind)
    ctx.update({"page": paginate(request, items), "which": which, "lists": LISTS.items()})
    return render(request, "web/support/funds_gaps.html", ctx)
