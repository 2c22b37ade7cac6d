from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from zhucun.core.errors import NotFound
from zhucun.registry import selectors
from zhucun.registry.models import Jurisdiction

from ..common import paginate, responses, user_of
from ..schemas import JurisdictionOut, JurisdictionPage, JurisdictionQuery

router = Router(tags=["行政区划"])


def out(j: Jurisdiction) -> dict[str, Any]:
    parent = j.parent
    return {
        "code": j.code,
        "name": j.name,
        "level": j.level,
        "level_label": j.get_level_display(),
        "parent_code": parent.code if parent else None,
        "parent_name": parent.name if parent else None,
    }


@router.get("/jurisdictions", response=responses(JurisdictionPage), summary="区划列表")
def jurisdiction_list(request: HttpRequest, filters: Query[JurisdictionQuery]) -> dict[str, Any]:
    qs = selectors.jurisdiction_list(
        user=user_of(request), level=filters.level, parent=filters.parent, q=filters.q
    )
    return paginate(qs, filters, out)


@router.get("/jurisdictions/{code}", response=responses(JurisdictionOut), summary="区划详情")
def jurisdiction_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    if not re.fullmatch(r"[0-9]{1,15}", code):
        raise NotFound()
    j = selectors.jurisdiction_list(user=user_of(request)).filter(code=code).first()
    if j is None:
        raise NotFound()
    return out(j)
