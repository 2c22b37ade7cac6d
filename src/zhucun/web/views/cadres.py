"""驻村干部: list, detail (personal data as ``disclosure.cadre_view`` shows it), edit."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.policy import PolicyError
from zhucun.registry import disclosure, scopes, selectors, services, validation
from zhucun.registry.models import (
    CadreFileEntry,
    Gender,
    OccupationCode,
    PartyStatus,
    Posting,
    PostingStatus,
)

from ..words import failure_errors
from ._common import Field, SimpleForm, in_queryset, page_view, paginate, place_filters, tristate
from ._sorting import in_order, sort_param
from .assessment_feedback import attach_excellent, cadre_priority_notes


def with_active_posting(qs):
    """Attach each cadre's active posting (one extra query for the whole page)."""
    active = Posting.objects.filter(status=PostingStatus.ACTIVE).select_related(
        "village__jurisdiction", "village__township"
    )
    return qs.prefetch_related(Prefetch("postings", queryset=active, to_attr="active_postings"))


def with_running_ban(qs):
    """MGT.4.CONSEQ: each cadre's promotion ban still running today (``ban_running_until``)."""
    running = CadreFileEntry.objects.filter(
        cadre_id=OuterRef("pk"), ban_until__gte=timezone.localdate()
    ).order_by("-ban_until", "-id")
    return qs.annotate(ban_running_until=Subquery(running.values("ban_until")[:1]))


PARTY_ORDER = (PartyStatus.FULL, PartyStatus.PROBATIONARY, PartyStatus.NONE)
CADRE_SORTS = {
    "name": "name",
    "gender": ("gender", "name"),
    "ethnicity": ("ethnicity", "name"),
    "unit": ("unit__name", "name"),
    "post": ("post", "name"),
    "party": (in_order("party_status", PARTY_ORDER), "name"),
    "village": ("posted_village", "name"),
}


def _with_posted_village(qs):
    """The division code of the cadre's village in post (for sorting by 驻村情况)."""
    active = Posting.objects.filter(cadre=OuterRef("pk"), status=PostingStatus.ACTIVE).order_by(
        "-arrival_date", "-id"
    )
    return qs.annotate(posted_village=Subquery(active.values("village__jurisdiction__code")[:1]))


@page_view
def cadre_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    keys = ("q", "unit", "party_status", "posted", "county", "township")
    f = {k: request.GET.get(k, "").strip() for k in keys}
    unit = f["unit"] if f["unit"].isdigit() else None
    qs = selectors.cadre_list(
        user=user,
        q=f["q"],
        unit=unit,
        party_status=f["party_status"],
        posted=tristate(f["posted"]),
        county=f["county"],
        township=f["township"],
    )
    sort = sort_param(request, CADRE_SORTS, "unit")
    if sort.key == "village":
        qs = _with_posted_village(qs)
    page = paginate(request, with_active_posting(with_running_ban(sort.apply(qs))))
    attach_excellent(user, page.object_list)  # GUA.3.PRIORITY: one query for the page
    return render(
        request,
        "web/cadre_list.html",
        {
            "nav_key": "cadres",
            "page": page,
            "f": f,
            "sort": sort,
            "units": selectors.unit_list(user=user),
            "party_statuses": PartyStatus.choices,
            **place_filters(user, f["county"]),
            "can_create": user.role in scopes.CADRE_CREATE_ROLES,
        },
    )


@page_view
def cadre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cadre = selectors.cadre_get(user=user, pk=pk)
    view = disclosure.cadre_view(user, cadre)
    personal = view.personal()
    spouse = None
    if personal["spouse_id"]:
        spouse = selectors.cadre_list(user=user).filter(pk=personal["spouse_id"]).first()
    postings = selectors.posting_list(user=user).filter(cadre_id=cadre.pk)
    ban = selectors.cadre_promotion_ban(cadre_id=cadre.pk, on=timezone.localdate())
    return render(
        request,
        "web/cadre_detail.html",
        {
            "nav_key": "cadres",
            "cadre": cadre,
            "personal": personal,
            "birth_display": view.birth_display,
            "birth_label": "出生日期" if view.full_id else "出生年份",
            "spouse_allowed": "spouse" in scopes.personal_fields_visible(user, cadre),
            "spouse": spouse,
            "postings": postings,
            "can_edit": in_queryset(scopes.cadres_editable(user), cadre.pk),
            # MGT.4.CONSEQ: the ban while it runs, and the 干部管理档案 entries
            "ban": ban,
            "file_entries": selectors.cadre_file(user=user, cadre_id=cadre.pk)[:FILE_ROWS],
            # GUA.3.PRIORITY: the 优秀 results, wherever the cadre is considered for promotion
            "priority_notes": cadre_priority_notes(user, cadre),
        },
    )


FILE_ROWS = 100


@page_view
def cadre_file_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """干部管理档案记载 (MGT.4.CONSEQ) of a cadre the user sees, for the personnel file."""
    from urllib.parse import quote

    from zhucun.review.cadre_file_export import cadre_file_workbook

    user = request.user
    cadre = selectors.cadre_get(user=user, pk=pk)
    response = HttpResponse(
        cadre_file_workbook(user=user, cadre=cadre),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"干部管理档案记载-{cadre.name}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


_CHOICES = {
    "gender": Gender.choices,
    "party_status": PartyStatus.choices,
    "occupation_code": OccupationCode.choices,
}
_DATES = {"birth_date", "full_member_since", "work_start_date"}
_PERSONAL = {
    "id_number": "id_number",
    "birth_date": "id_number",  # the birth date is half the ID number (disclosure.py)
    "phone": "phone",
    "health_fit": "health_fit",
    "family_hardship": "family_hardship",
    "spouse_id_number": "spouse",
}


def _cadre_fields(allowed: frozenset[str], units: list[tuple[str, str]]) -> list[Field]:
    """The form's fields: every field of the import (``validation.CADRE_FIELDS``) but the
    personal data ``allowed`` does not let the user read."""
    fields = []
    for name, (label, _cleaner) in validation.CADRE_FIELDS.items():
        if name in _PERSONAL and _PERSONAL[name] not in allowed:
            continue  # never show or send personal data the user may not read
        if name == "unit_name":
            fields.append(Field(name, label, kind="select", choices=units))
        elif name in _CHOICES:
            fields.append(Field(name, label, kind="select", choices=_CHOICES[name]))
        elif name in _DATES:
            fields.append(Field(name, label, kind="date"))
        elif validation.CADRE_FIELDS[name][1] is validation.boolean:
            fields.append(Field(name, label, kind="checkbox"))
        else:
            fields.append(Field(name, label))
    return fields


def _unit_choices(user) -> list[tuple[str, str]]:
    """The units in the user's scope, by name (the service resolves the name in scope again and
    refuses any other — a forged value is a field error, never a cadre of another unit)."""
    return [(u.name, u.name) for u in selectors.unit_list(user=user)]


def _cadre_form(user, cadre) -> SimpleForm:
    allowed = scopes.personal_fields_visible(user, cadre)
    units = _unit_choices(user)
    if cadre.unit.name not in dict(units):
        units.insert(0, (cadre.unit.name, cadre.unit.name))
    fields = _cadre_fields(allowed, units)
    initial = {f.name: getattr(cadre, f.name) for f in fields if hasattr(cadre, f.name)}
    initial["unit_name"] = cadre.unit.name
    # the spouse may be outside the user's scope: shown as disclosure lets this user see it
    spouse = cadre.spouse if cadre.spouse_id else None
    initial["spouse_id_number"] = disclosure.cadre_view(user, spouse).id_number if spouse else ""
    return SimpleForm(fields, initial)


def _new_cadre_form(user) -> SimpleForm:
    """新增干部: every field (the creator reads all of its own cadres' data); the unit among
    those in scope (a unit: only itself); 出生日期 may stay empty and comes from the ID number."""
    units = _unit_choices(user)
    if len(units) != 1:
        units.insert(0, ("", "请选择派出单位"))
    fields = _cadre_fields(frozenset(scopes.PERSONAL_FIELDS), units)
    for f in fields:
        if f.name in ("gender", "party_status"):
            f.choices = [("", "请选择"), *_CHOICES[f.name]]
        elif f.name == "birth_date":
            f.help = "可不填:按身份证号中的出生日期填写;填写时须与身份证号一致"
        elif f.name == "id_number":
            f.help = "18位,最后一位可为X;系统核对校验位和出生日期"
        elif f.name == "spouse_id_number":
            f.help = "配偶也是登记在册的干部时填写(SEL.COND.NO5)"
    initial: dict[str, object] = {"health_fit": True}
    if len(units) == 1:
        initial["unit_name"] = units[0][0]
    return SimpleForm(fields, initial)


def _with_birth_from_id(data: dict) -> dict:
    """出生日期 left empty: the one in a valid ID number (an invalid number is reported by the
    service on its own field)."""
    if str(data.get("birth_date") or "").strip():
        return data
    try:
        number = validation.id_number(data.get("id_number"))
    except validation.FieldError:
        return data
    return {**data, "birth_date": validation.id_birth_date(number)}


@page_view
def cadre_new(request: HttpRequest) -> HttpResponse:
    """新增干部 through a form: the same service and checks as the import (``cadre_create``)."""
    user = request.user
    if user.role not in scopes.CADRE_CREATE_ROLES:
        raise Forbidden("只有组织部门和派出单位可以登记干部")
    form = _new_cadre_form(user)
    if request.method == "POST":
        form.bind(request.POST)
        data = {f.name: f.value for f in form.fields}
        try:
            cadre = services.cadre_create(actor=user, data=_with_birth_from_id(data))
        except (ValidationFailed, PolicyError) as exc:
            labels = {k: v[0] for k, v in validation.CADRE_FIELDS.items()}
            errors = failure_errors(exc)
            if "id_number" in errors and not str(data.get("birth_date") or "").strip():
                errors.pop("birth_date", None)  # it comes from the number once that reads
            form.add_errors(errors, labels)
        else:
            messages.success(request, f"已登记干部{cadre.name}")
            return redirect("web:cadre_detail", pk=cadre.pk)
    return render(
        request,
        "web/edit_form.html",
        {
            "nav_key": "cadres",
            "title": "新增干部",
            "form": form,
            "submit_label": "登记",
            "cancel_url": "/cadres/",
        },
    )


@page_view
def cadre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cadre = selectors.cadre_get(user=user, pk=pk)
    if not in_queryset(scopes.cadres_editable(user), cadre.pk):
        raise Forbidden("您可以查看但无权修改此干部信息")
    form = _cadre_form(user, cadre)
    if request.method == "POST":
        form.bind(request.POST)
        data = form.changed()
        try:
            if data:
                services.cadre_update(actor=user, cadre_id=cadre.pk, data=data)
        except (ValidationFailed, PolicyError) as exc:
            labels = {k: v[0] for k, v in validation.CADRE_FIELDS.items()}
            form.add_errors(failure_errors(exc), labels)
        else:
            return redirect("web:cadre_detail", pk=cadre.pk)
    return render(
        request,
        "web/edit_form.html",
        {
            "nav_key": "cadres",
            "title": f"编辑干部信息:{cadre.name}",
            "form": form,
            "cancel_url": f"/cadres/{cadre.pk}/",
        },
    )
