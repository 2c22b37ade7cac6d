"""选派提名 list (SEL.METHOD.FLOW): filters (state, role, unit, place of the village, 拟派出日期)
and column sorting, computed in the database (``selection.selectors.nomination_list``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhucun.accounts.models import UserRole
from zhucun.registry.models import Role
from zhucun.registry.selectors import unit_list
from zhucun.selection.models import NominationSource, NominationState
from zhucun.selection.selectors import nomination_list

from ._common import date_filter, page_view, paginate, place_filters
from ._sorting import in_order, sort_param
from .selection import _can_create, _no_business

NOMINATION_SORTS = {
    "name": ("cadre__name", "-updated_at"),
    "unit": ("unit__name", "cadre__name"),
    "role": (in_order("role", Role.values), "cadre__name"),
    "village": ("village__jurisdiction__code", "cadre__name"),
    "source": (in_order("source", NominationSource.values), "cadre__name"),
    "dispatch": ("dispatch_date", "cadre__name"),
    "state": (in_order("state", NominationState.values), "-updated_at"),
    "updated": "updated_at",
}


@page_view
def nomination_list_view(request: HttpRequest) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    user = request.user
    keys = ("q", "state", "role", "unit", "county", "township", "from", "to")
    f = {k: request.GET.get(k, "").strip() for k in keys}
    state = f["state"] if f["state"] in NominationState.values else ""
    problems: list[str] = []
    qs = nomination_list(
        user=user,
        state=state,
        q=f["q"],
        role=f["role"] if f["role"] in Role.values else "",
        unit=f["unit"] if f["unit"].isdigit() else None,
        county=f["county"],
        township=f["township"],
        dispatch_from=date_filter(request, "from", "拟派出日期自", problems),
        dispatch_to=date_filter(request, "to", "拟派出日期至", problems),
    )
    sort = sort_param(request, NOMINATION_SORTS, "-updated")
    return render(
        request,
        "web/selection/nomination_list.html",
        {
            "nav_key": "nominations",
            "page": paginate(request, sort.apply(qs)),
            "f": f,
            "sort": sort,
            "problems": problems,
            "states": NominationState.choices,
            "roles": Role.choices,
            "units": unit_list(user=user) if user.role != UserRole.UNIT else [],
            **place_filters(user, f["county"]),
            "can_create": _can_create(user),
        },
    )
