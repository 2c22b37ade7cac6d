"""派出单位: list, detail with its cadres in scope, edit through ``services.unit_update``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhucun.accounts.models import UserRole
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.registry import scopes, selectors, services, validation
from zhucun.registry.models import UnitKind, UnitLevel

from ._common import Field, SimpleForm, in_queryset, page_view, paginate
from ._sorting import in_order, sort_param
from .cadres import with_active_posting

UNIT_SORTS = {
    "name": "name",
    "level": (in_order("level", UnitLevel.values), "name"),
    "kind": ("kind", "name"),
    "place": ("jurisdiction__code", "name"),
}


@page_view
def unit_list(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "").strip() for k in ("q", "level", "kind")}
    qs = selectors.unit_list(user=request.user, q=f["q"], level=f["level"], kind=f["kind"])
    sort = sort_param(request, UNIT_SORTS, "level")
    return render(
        request,
        "web/unit_list.html",
        {
            "nav_key": "units",
            "page": paginate(request, sort.apply(qs)),
            "f": f,
            "sort": sort,
            "levels": UnitLevel.choices,
            "kinds": UnitKind.choices,
        },
    )


@page_view
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, pk=pk)
    cadres = with_active_posting(selectors.cadre_list(user=user, unit=unit.pk))
    return render(
        request,
        "web/unit_detail.html",
        {
            "nav_key": "units",
            "unit": unit,
            "page": paginate(request, cadres),
            "can_edit": in_queryset(scopes.units_editable(user), unit.pk),
        },
    )


def _unit_form(unit, user) -> SimpleForm:
    spec = validation.UNIT_FIELDS
    fields = [
        Field("name", spec["name"][0]),
        Field("level", spec["level"][0], kind="select", choices=UnitLevel.choices),
        Field("kind", spec["kind"][0], kind="select", choices=UnitKind.choices),
        Field(
            "jurisdiction_code",
            spec["jurisdiction_code"][0],
            help=f"现为:{unit.jurisdiction.name}" if unit.jurisdiction_id else "12位区划代码",
        ),
        Field("lat", spec["lat"][0]),
        Field("lng", spec["lng"][0]),
        Field("address", spec["address"][0]),
    ]
    if user.role == UserRole.UNIT:  # level, kind and place decide who reviews (units.py)
        fields = [f for f in fields if f.name not in ("level", "kind", "jurisdiction_code")]
    initial = {f.name: getattr(unit, f.name, None) for f in fields}
    if any(f.name == "jurisdiction_code" for f in fields):
        initial["jurisdiction_code"] = unit.jurisdiction.code if unit.jurisdiction_id else ""
    return SimpleForm(fields, initial)


@page_view
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = selectors.unit_get(user=user, pk=pk)
    if not in_queryset(scopes.units_editable(user), unit.pk):
        raise Forbidden("您可以查看但无权修改此单位")
    form = _unit_form(unit, user)
    if request.method == "POST":
        form.bind(request.POST)
        data = form.changed()
        try:
            if data:
                services.unit_update(actor=user, unit_id=unit.pk, data=data)
        except ValidationFailed as exc:
            form.add_errors(exc.errors)
        else:
            return redirect("web:unit_detail", pk=unit.pk)
    return render(
        request,
        "web/edit_form.html",
        {
            "nav_key": "units",
            "title": f"编辑派出单位:{unit.name}",
            "form": form,
            "cancel_url": f"/units/{unit.pk}/",
        },
    )
