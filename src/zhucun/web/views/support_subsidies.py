"""补助发放 (GUA.2.LIVING / TRAVEL / PAY) and 体检、保险 (GUA.2.EXAM / INSURE) pages: the month's
subsidy table with the payment and distance forms for the unit, the 补助发放表 as .xlsx and
print page, the overdue payments, and the missing exams and insurance gaps with their record
forms. Every write calls its service; scope and rules are decided there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.support import subsidy_exports
from zhucun.support.models import SubsidyKind
from zhucun.support.scope import READERS, cadres_unit_writes
from zhucun.support.selectors import subsidies as subsidy_read
from zhucun.support.selectors import welfare as welfare_read
from zhucun.support.services import subsidies as subsidy_write
from zhucun.support.services import welfare as welfare_write

from ._common import PER_PAGE, Field, SimpleForm, page_view, paginate
from ._sorting import sort_param
from .imports import xlsx_response

SUBSIDY_SORTS = {  # the amounts are computed per page (subsidy_rows), not sortable in SQL
    "name": ("cadre__name", "village__jurisdiction__code"),
    "unit": ("cadre__unit__name", "village__jurisdiction__code", "role", "cadre__name"),
    "village": ("village__jurisdiction__code", "role", "cadre__name"),
}
# 逾期未发放: rows of a UNION (one per posting, month and kind): the keys end on the row's month,
# kind and cadre so that the order is total (the posting's pk alone repeats)
_OVERDUE_ROW = ("due_month", "due_kind", "cadre_id")
OVERDUE_SORTS = {
    "name": ("cadre__name", *_OVERDUE_ROW),
    "unit": ("cadre__unit__name", "cadre__name", *_OVERDUE_ROW),
    "village": ("village__jurisdiction__code", "cadre__name", *_OVERDUE_ROW),
    "month": _OVERDUE_ROW,
}
WELFARE_SORTS = {
    "name": ("cadre__name", "village__jurisdiction__code"),
    "unit": ("cadre__unit__name", "cadre__name"),
    "village": ("village__jurisdiction__code", "cadre__name"),
}

NAV = "support"
READERS_TEXT = "补助、体检和保险由派出单位登记,县、州组织部门和乡镇查阅本辖区驻村干部的记录(GUA.2)"
LABELS = {
    "cadre_id": "干部",
    "posting_id": "驻村任职",
    "month": "补助月份",
    "kind": "补助类别",
    "amount": "发放金额",
    "paid_on": "发放日期",
    "reference": "凭证号",
    "one_way_km": "单程公里数",
    "origin": "起点",
    "source": "里程依据",
    "year": "年度",
    "exam_on": "体检日期",
    "place": "体检机构",
    "conclusion": "体检结论",
    "policy_number": "保单号",
    "insurer": "保险公司",
    "start": "保险起期",
    "end": "保险止期",
}


def _reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in READERS:
        raise Forbidden(READERS_TEXT)
    return user


def _month(request: HttpRequest) -> dt.date:
    first = subsidy_write.month_first(request.GET.get("month", ""))
    if first is None or not 2000 <= first.year <= 2099:
        return timezone.localdate().replace(day=1)
    return first


def _unit(request: HttpRequest, user: User) -> int | None:
    if user.role == UserRole.UNIT:
        return user.unit_id
    raw = request.GET.get("unit", "").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**63 else None


def _cadre_choices(user: User) -> list[tuple[str, str]]:
    rows = (
        cadres_unit_writes(user)
        .filter(postings__isnull=False)
        .distinct()
        .order_by("unit__name", "name", "id")
        .values_list("pk", "name", "unit__name")
    )
    return [("", "请选择干部"), *((str(pk), f"{name}({unit})") for pk, name, unit in rows)]


def _payment_form(user: User, month: dt.date) -> SimpleForm:
    return SimpleForm(
        [
            Field("cadre_id", "干部", kind="select", choices=_cadre_choices(user)),
            Field("month", "补助月份(年-月)", attrs={"placeholder": "2025-07", "maxlength": "10"}),
            Field(
                "kind", "补助类别", kind="select", choices=[("", "请选择"), *SubsidyKind.choices]
            ),
            Field("amount", "发放金额(元)", attrs={"inputmode": "decimal", "maxlength": "16"}),
            Field("paid_on", "发放日期", kind="date"),
            Field("reference", "凭证号(可选)", attrs={"maxlength": "100"}),
        ],
        {"month": f"{month:%Y-%m}", "paid_on": timezone.localdate()},
    )


def _distance_form(rows: list[Any]) -> SimpleForm:
    choices = [("", "请选择驻村任职")] + [
        (
            str(r.posting.pk),
            f"{r.cadre.name}({r.posting.village.jurisdiction.name})"
            + (
                ""
                if r.transport.known or r.transport.unset != subsidy_read.NO_DISTANCE
                else " 未登记"
            ),
        )
        for r in rows
    ]
    return SimpleForm(
        [
            Field("posting_id", "驻村任职", kind="select", choices=choices),
            Field("one_way_km", "单程公里数", attrs={"inputmode": "decimal", "maxlength": "9"}),
            Field("origin", "起点(派出单位或实际工作地)", attrs={"maxlength": "200"}),
            Field("source", "里程依据", attrs={"maxlength": "200"}),
        ],
        {},
    )


def _digits(form: SimpleForm, name: str) -> int:
    value = next(f.value for f in form.fields if f.name == name)
    if not str(value).isdigit() or not 0 < int(value) < 2**63:
        raise ValidationFailed({name: "请选择"})
    return int(value)


def _values(form: SimpleForm) -> dict[str, Any]:
    return {f.name: f.value for f in form.fields}


@page_view
def subsidy_page(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    month = _month(request)
    unit = _unit(request, user)
    params = parameters_current()
    sort = sort_param(request, SUBSIDY_SORTS, "unit")
    page = paginate(
        request, sort.apply(subsidy_read.subsidy_table(user=user, month=month, unit=unit))
    )
    rows = subsidy_read.subsidy_rows(page.object_list, month=month, params=params)
    can_pay = user.role in (UserRole.ADMIN, UserRole.UNIT)
    can_distance = user.role in (UserRole.ADMIN, UserRole.UNIT, UserRole.COUNTY)
    pay_form = _payment_form(user, month) if can_pay else None
    distance_form = _distance_form(rows) if can_distance else None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "payment" and pay_form is not None:
                pay_form.bind(request.POST)
                v = _values(pay_form)
                subsidy_write.subsidy_payment_record(
                    actor=user,
                    cadre_id=_digits(pay_form, "cadre_id"),
                    month=v["month"],
                    kind=v["kind"],
                    amount=v["amount"],
                    paid_on=v["paid_on"],
                    reference=v["reference"],
                )
                messages.success(request, "已登记补助发放。")
            elif action == "distance" and distance_form is not None:
                distance_form.bind(request.POST)
                v = _values(distance_form)
                subsidy_write.distance_set(
                    actor=user,
                    posting_id=_digits(distance_form, "posting_id"),
                    one_way_km=v["one_way_km"],
                    origin=v["origin"],
                    source=v["source"],
                )
                messages.success(request, "已登记驻村往返里程。")
            else:
                raise Forbidden(READERS_TEXT)
        except ValidationFailed as exc:
            form = pay_form if action == "payment" else distance_form
            if form is not None:
                form.add_errors(exc.errors, LABELS)
        else:
            return redirect(f"{reverse('web:subsidies')}?month={month:%Y-%m}")
    query = f"month={month:%Y-%m}" + (
        f"&unit={unit}" if unit and user.role != UserRole.UNIT else ""
    )
    return render(
        request,
        "web/support/subsidy_table.html",
        {
            "nav_key": NAV,
            "page": page,
            "sort": sort,
            "rows": rows,
            # each unset standard's gap said once above the table, not in every row
            "gaps": sorted({a.unset for r in rows for a in r.amounts if not a.known and a.unset}),
            "month": month,
            "month_value": f"{month:%Y-%m}",
            "query": query,
            "pay_form": pay_form,
            "distance_form": distance_form,
            "unset_text": subsidy_exports.UNSET,
        },
    )


@page_view
def subsidy_xlsx(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    month = _month(request)
    content = subsidy_exports.subsidy_workbook(user=user, month=month, unit=_unit(request, user))
    return xlsx_response(content, subsidy_exports.sheet_title(month) + ".xlsx")


@page_view
def subsidy_print(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    month = _month(request)
    facts = subsidy_exports.table(user=user, month=month, unit=_unit(request, user))
    return render(
        request,
        "web/support/subsidy_print.html",
        {
            "nav_key": NAV,
            "facts": facts,
            "headers": subsidy_exports.HEADERS,
            "signature": subsidy_exports.SIGNATURE,
            "month_value": f"{month:%Y-%m}",
        },
    )


@page_view
def subsidy_overdue_page(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    today = timezone.localdate()
    params = parameters_current()
    sort = sort_param(request, OVERDUE_SORTS, "month")
    page = paginate(
        request, sort.apply(subsidy_read.overdue_payments(user=user, today=today, params=params))
    )
    rows = subsidy_read.overdue_rows(list(page.object_list), params=params)
    return render(
        request,
        "web/support/subsidy_overdue.html",
        {
            "nav_key": NAV,
            "page": page,
            "rows": rows,
            "today": today,
            "quarters": subsidy_read.LOOKBACK_QUARTERS,
            "sort": sort,
        },
    )


def _exam_form(user: User, year: int) -> SimpleForm:
    return SimpleForm(
        [
            Field("cadre_id", "干部", kind="select", choices=_cadre_choices(user)),
            Field("year", "年度", attrs={"inputmode": "numeric", "maxlength": "4"}),
            Field("exam_on", "体检日期", kind="date"),
            Field("place", "体检机构", attrs={"maxlength": "100"}),
            Field("conclusion", "体检结论(可选)", attrs={"maxlength": "300"}),
        ],
        {"year": year},
    )


def _insurance_form(user: User) -> SimpleForm:
    return SimpleForm(
        [
            Field("cadre_id", "干部", kind="select", choices=_cadre_choices(user)),
            Field("policy_number", "保单号", attrs={"maxlength": "64"}),
            Field("insurer", "保险公司", attrs={"maxlength": "100"}),
            Field("start", "保险起期", kind="date"),
            Field("end", "保险止期", kind="date"),
        ],
        {},
    )


@page_view
def welfare_page(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    today = timezone.localdate()
    raw = request.GET.get("year", "").strip()
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year
    can_write = user.role in (UserRole.ADMIN, UserRole.UNIT)
    exam_form = _exam_form(user, year) if can_write else None
    insurance_form = _insurance_form(user) if can_write else None
    if request.method == "POST":
        if not can_write or exam_form is None or insurance_form is None:
            raise Forbidden(welfare_write.WRITERS_TEXT)
        action = request.POST.get("action", "")
        form = exam_form if action == "exam" else insurance_form
        form.bind(request.POST)
        v = _values(form)
        try:
            if action == "exam":
                welfare_write.exam_record(
                    actor=user,
                    cadre_id=_digits(form, "cadre_id"),
                    year=v["year"],
                    exam_on=v["exam_on"],
                    place=v["place"],
                    conclusion=v["conclusion"],
                )
                messages.success(request, "已登记体检。")
            else:
                welfare_write.insurance_record(
                    actor=user,
                    cadre_id=_digits(form, "cadre_id"),
                    policy_number=v["policy_number"],
                    insurer=v["insurer"],
                    start=v["start"],
                    end=v["end"],
                )
                messages.success(request, "已登记人身意外伤害保险。")
        except ValidationFailed as exc:
            form.add_errors(exc.errors, LABELS)
        else:
            return redirect(f"{reverse('web:welfare')}?year={year}")
    # one order for both tables of the page (their columns are the same three)
    sort = sort_param(request, WELFARE_SORTS, "unit")
    exams = paginate(request, sort.apply(welfare_read.missing_exams(user=user, year=year)))
    gaps_page = Paginator(
        sort.apply(welfare_read.insurance_gaps(user=user, today=today)), PER_PAGE
    ).get_page(request.GET.get("gpage"))
    gaps = [
        r
        for r in welfare_read.insurance_gap_rows(gaps_page.object_list, today=today)
        if r.gap_from is not None
    ]
    return render(
        request,
        "web/support/welfare_lists.html",
        {
            "nav_key": NAV,
            "year": year,
            "exams": exams,
            "page": exams,
            "gaps": gaps,
            "gaps_page": gaps_page,
            "sort": sort,
            "today": today,
            "exam_form": exam_form,
            "insurance_form": insurance_form,
        },
    )


urlpatterns = [
    path("subsidies/", subsidy_page, name="subsidies"),
    path("subsidies/xlsx/", subsidy_xlsx, name="subsidies_xlsx"),
    path("subsidies/print/", subsidy_print, name="subsidies_print"),
    path("subsidies/overdue/", subsidy_overdue_page, name="subsidies_overdue"),
    path("welfare/", welfare_page, name="welfare"),
]
