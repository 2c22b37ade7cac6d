"""政策参数 and 节假日安排: every parameter with its clause, source sentence and the value in
force (or why none is — a GAP is never given a silent default); a prefecture or county sets a
value for its own jurisdiction (params.services.parameter_set); an administrator or the
prefecture enters a year's holiday schedule (params.calendar.holiday_year_set)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhucun.accounts.models import UserRole
from zhucun.core.errors import ValidationFailed
from zhucun.params import calendar_file
from zhucun.params.calendar import holiday_year_set, known_years
from zhucun.params.models import HolidayYear, ParameterValue
from zhucun.params.selectors import base_parameters, parameter_table
from zhucun.params.services import SETTER_ROLES, parameter_set
from zhucun.policy import PolicyError
from zhucun.policy.calendar import package_years
from zhucun.policy.units import FLAG_UNITS, INT_UNITS
from zhucun.registry import scopes, validation
from zhucun.registry.models import Jurisdiction, Level

from ..chrome import BACK_OFFICE
from ..words import failure_errors
from ._common import Field, SimpleForm, not_found, page_view

PAGE_ROLES = BACK_OFFICE | {UserRole.UNIT}
# Who enters a holiday year: the roles holiday_year_set accepts (it checks again).
CALENDAR_ROLES = {UserRole.ADMIN, UserRole.PREFECTURE}

UNIT_LABELS = {
    "years": "年",
    "days": "天",
    "working_days": "个工作日",
    "count": "",
    "months": "个月",
    "quarters": "个季度",
    "hours": "小时",
    "metres": "米",
    "day_of_month": "日(每月)",
    "yuan": "元",
    "yuan_per_km": "元/公里",
    "ratio": "",
    "flag": "",
}


def _no_business(request: HttpRequest) -> HttpResponse | None:
    if request.user.role not in PAGE_ROLES:
        return not_found(request, "页面不存在或您的角色无需使用此功能")
    return None


def show_value(value: Any, unit: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Fraction):
        text = f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)
    elif isinstance(value, Decimal):
        text = format(value, "f")
    else:
        text = str(value)
    return f"{text}{UNIT_LABELS.get(unit, '')}"


def parse_value(raw: str, unit: str) -> Any:
    """The typed value for ``unit``; anything unreadable goes on as text for the service to
    refuse with its own message."""
    s = raw.strip()
    if unit in FLAG_UNITS:
        return {"是": True, "true": True, "1": True, "否": False, "false": False, "0": False}.get(
            s.lower(), s
        )
    if unit in INT_UNITS and re.fullmatch(r"\d+", s):
        return int(s)
    return s


def _home_code(user) -> str:
    if user.jurisdiction_id:
        return user.jurisdiction.code
    return base_parameters().home_jurisdiction


def _settable(user):
    if user.role not in SETTER_ROLES:
        return Jurisdiction.objects.none()
    return (
        scopes.jurisdictions_editable(user)
        .filter(level__in=[Level.PREFECTURE, Level.COUNTY])
        .order_by("code")
    )


def _set_form(user, table: list[dict[str, Any]], name: str) -> SimpleForm:
    places = _settable(user)
    return SimpleForm(
        [
            Field(
                "name",
                "参数",
                kind="select",
                choices=[(r["name"], f"{r['clause']} {r['description']}") for r in table],
            ),
            Field(
                "jurisdiction_code",
                "适用辖区",
                kind="select",
                choices=[(j.code, j.name) for j in places],
            ),
            Field("effective", "生效日期", kind="date"),
            Field("value", "取值", help="整数如 200;金额如 1.25;比例如 1/3;是/否"),
            Field("note", "设置依据(文件名称、文号)", help="必填,如:芒组通〔2026〕12号"),
        ],
        {
            "name": name,
            "jurisdiction_code": user.jurisdiction.code if user.jurisdiction_id else "",
            "effective": timezone.localdate(),
        },
    )


def _who(table: list[dict[str, Any]]) -> dict[tuple[str, str, dt.date], ParameterValue]:
    """The database rows behind the values in force (who set them and why)."""
    names = [r["name"] for r in table if r["set_by"]]
    rows = ParameterValue.objects.filter(name__in=names).select_related(
        "created_by", "jurisdiction"
    )
    return {(r.name, r.jurisdiction.code, r.effective): r for r in rows}


@page_view
def parameter_page(request: HttpRequest) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    user = request.user
    today = timezone.localdate()
    code = _home_code(user)
    table = parameter_table(on=today, jurisdiction=code)
    form = _set_form(user, table, request.GET.get("set", ""))
    can_set = bool(form.fields[1].choices)
    if request.method == "POST" and can_set:
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        errors: dict[str, str] = {}
        try:
            effective = validation.date(values["effective"])
        except validation.FieldError as exc:
            errors["effective"] = str(exc)
        units = {r["name"]: r["unit"] for r in table}
        if not values["value"]:
            errors["value"] = "请填写取值"
        if not errors:
            try:
                row = parameter_set(
                    actor=user,
                    name=values["name"],
                    jurisdiction_code=values["jurisdiction_code"],
                    effective=effective,
                    value=parse_value(values["value"], units.get(values["name"], "")),
                    note=values["note"],
                )
            except (ValidationFailed, PolicyError) as exc:
                errors = failure_errors(exc)
            else:
                labels = {r["name"]: r["description"] for r in table}
                messages.success(
                    request,
                    f"已设置“{labels.get(row.name, '政策参数')}”:{row.jurisdiction.name}"
                    f"自{row.effective:%Y-%m-%d}起为 {values['value']}。",
                )
                return redirect("web:parameters")
        form.add_errors(errors)
    names = {
        j.code: j.name for j in Jurisdiction.objects.filter(code__in={r["set_by"] for r in table})
    }
    who = _who(table)
    rows = []
    for r in table:
        db = who.get((r["name"], r["set_by"], r["effective"])) if r["set_by"] else None
        rows.append(
            {
                **r,
                "shown": show_value(r["value"], r["unit"]),
                "place": names.get(r["set_by"], r["set_by"]),
                "db": db,
                # the selector's reason names the parameter key and division codes: say it plainly
                "unset_reason": ""
                if r["value"] is not None
                else f"{today:%Y-%m-%d}在本辖区没有生效的取值,请在本辖区参数设置中补充",
            }
        )
    here = Jurisdiction.objects.filter(code=code).first()
    return render(
        request,
        "web/params/parameters.html",
        {
            "nav_key": "parameters",
            "rows": rows,
            "today": today,
            "here": here.name if here else code,
            "form": form,
            "can_set": can_set,
            "unset_count": sum(1 for r in rows if r["value"] is None),
        },
    )


# ---- 节假日安排 ---------------------------------------------------------------------------


def parse_entries(text: str) -> tuple[list[tuple[dt.date, bool, str]], list[str]]:
    """Lines "YYYY-MM-DD 休 元旦" / "YYYY-MM-DD 班 春节调休" → entries and per-line errors."""
    return calendar_file.parse_lines(text)


def _entries_text(year: HolidayYear) -> str:
    return "\n".join(
        f"{e.day.isoformat()} {'班' if e.is_workday else '休'} {e.name}".rstrip()
        for e in year.entries.all()
    )


@page_view
def calendar_page(request: HttpRequest) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    user = request.user
    can_set = user.role in CALENDAR_ROLES
    entered = list(HolidayYear.objects.prefetch_related("entries").order_by("year"))
    builtin = set(package_years())
    years = [
        {
            "year": y,
            "builtin": y in builtin,
            "entered": next((h for h in entered if h.year == y), None),
        }
        for y in known_years()
    ]
    wanted = request.GET.get("year", "")
    form: dict[str, Any] = {
        "year": wanted,
        "source": "",
        "entries": "",
        "errors": [],
        "line_errors": [],
    }
    existing = next((h for h in entered if str(h.year) == wanted), None)
    if existing:
        form.update(source=existing.source, entries=_entries_text(existing))
    if request.method == "POST" and can_set:
        post = request.POST
        form.update(
            year=post.get("year", "").strip(),
            source=post.get("source", "").strip(),
            entries=post.get("entries", ""),
        )
        upload = request.FILES.get("file")
        if upload is not None:  # a CSV file (日期, 休/班, 名称) instead of typed lines
            entries, line_errors = calendar_file.parse_file(
                upload.read(calendar_file.MAX_FILE_BYTES + 1)
            )
            form["entries"] = "\n".join(
                f"{d.isoformat()} {'班' if w else '休'} {n}".rstrip() for d, w, n in entries
            )
        else:
            entries, line_errors = parse_entries(form["entries"])
        form["line_errors"] = line_errors
        form["confirm_few"] = post.get("confirm_few") == "1"
        if not re.fullmatch(r"\d{4}", form["year"]):
            form["errors"].append("年份应为四位数字,如 2027")
        if not line_errors and not form["errors"]:
            try:
                hy = holiday_year_set(
                    actor=user,
                    year=int(form["year"]),
                    source=form["source"],
                    entries=entries,
                    confirm_few=form["confirm_few"],
                )
            except ValidationFailed as exc:
                form["errors"] += list(exc.errors.values())
                form["ask_confirm"] = "confirm_few" in exc.errors
            else:
                messages.success(
                    request, f"已录入{hy.year}年节假日安排({len(entries)}天),相关时限将按此计算。"
                )
                return redirect("web:calendar")
    return render(
        request,
        "web/params/calendar.html",
        {
            "nav_key": "calendar",
            "years": years,
            "can_set": can_set,
            "form": form,
            "next_year": (max(known_years()) + 1) if known_years() else timezone.localdate().year,
        },
    )
