"""搜索 (``/search/?q=``): the officials' one search box — cadres, villages and units in the
user's scope, grouped, a few each with 「更多」 to the filtered list (``registry.search``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhucun.core.errors import Forbidden
from zhucun.registry import search as registry_search

from ._common import page_view


@page_view
def search_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not registry_search.can_search(user):
        raise Forbidden("您的角色没有搜索功能")
    q = request.GET.get("q", "")
    result = registry_search.search(user=user, q=q)
    return render(
        request,
        "web/search.html",
        {"result": result, "q": result.q, "searched": bool(result.groups)},
    )
