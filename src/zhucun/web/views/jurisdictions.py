"""行政区划: the jurisdiction tree in scope, as a filtered list."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhucun.registry import selectors
from zhucun.registry.models import Level

from ._common import page_view, paginate
from ._sorting import in_order, sort_param

JURISDICTION_SORTS = {
    "code": "code",
    "name": ("name", "code"),
    "level": (in_order("level", Level.values), "code"),
    "parent": ("parent__code", "code"),
}


@page_view
def jurisdiction_list(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "").strip() for k in ("q", "level", "parent")}
    qs = selectors.jurisdiction_list(
        user=request.user, level=f["level"], parent=f["parent"], q=f["q"]
    )
    sort = sort_param(request, JURISDICTION_SORTS, "code")
    return render(
        request,
        "web/jurisdiction_list.html",
        {
            "nav_key": "jurisdictions",
            "page": paginate(request, sort.apply(qs)),
            "f": f,
            "sort": sort,
            "levels": Level.choices,
        },
    )
