"""GET /search: the officials' one search box as JSON — the same groups, rows and masking as
the page ``/search/`` (``registry.search``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from pydantic import BaseModel, Field

from zhucun.core.errors import Forbidden
from zhucun.registry import search as registry_search

from ..common import responses, user_of
from ..schemas import Text

router = Router(tags=["搜索"])


class SearchQuery(BaseModel):
    q: Text = Field(
        "", max_length=200, description="干部姓名或身份证号(按可见范围)、村名或区划代码、单位名称"
    )


class SearchHitOut(BaseModel):
    id: int
    title: str = Field(description="姓名、村名或单位名称")
    url: str = Field(description="详情页")
    detail: str = Field(description="一行说明")
    id_number: str | None = Field(None, description="干部的身份证号,按您的角色可见(其余为掩码)")
    code: str | None = Field(None, description="村的区划代码")


class SearchGroupOut(BaseModel):
    kind: str = Field(description="cadre 干部 / village 村(社区) / unit 派出单位")
    label: str
    count: int = Field(description="符合条件的总数")
    more_url: str = Field(description="带同一查询的完整列表")
    hint: str = Field(description="本组的说明(如身份证号只能按可见部分查找),无则为空")
    results: list[SearchHitOut]


class SearchOut(BaseModel):
    q: str
    hint: str = Field(description="查询过短或过长时的说明(此时不查询),无则为空")
    groups: list[SearchGroupOut]


def _hit(h: registry_search.Hit) -> dict[str, Any]:
    return {
        "id": h.id,
        "title": h.title,
        "url": h.url,
        "detail": h.detail,
        "id_number": h.extra.get("id_number"),
        "code": h.extra.get("code"),
    }


@router.get("/search", response=responses(SearchOut), summary="搜索干部、村(社区)、派出单位")
def search(request: HttpRequest, query: Query[SearchQuery]) -> dict[str, Any]:
    user = user_of(request)
    if not registry_search.can_search(user):
        raise Forbidden("您的角色没有搜索功能")
    result = registry_search.search(user=user, q=query.q)
    return {
        "q": result.q,
        "hint": result.hint,
        "groups": [
            {
                "kind": g.kind,
                "label": g.label,
                "count": g.count,
                "more_url": g.more_url,
                "hint": g.hint,
                "results": [_hit(h) for h in g.hits],
            }
            for g in result.groups
        ],
    }
