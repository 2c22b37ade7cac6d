from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from zhucun.registry import selectors, services
from zhucun.registry.models import DispatchingUnit

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import UnitCreate, UnitOut, UnitPage, UnitQuery, UnitUpdate

router = Router(tags=["派出单位"])


def out(u: DispatchingUnit) -> dict[str, Any]:
    j = u.jurisdiction
    return {
        "id": u.pk,
        "name": u.name,
        "level": u.level,
        "level_label": u.get_level_display(),
        "kind": u.kind,
        "kind_label": u.get_kind_display(),
        "jurisdiction_code": j.code if j else None,
        "jurisdiction_name": j.name if j else None,
        "lat": None if u.lat is None else float(u.lat),
        "lng": None if u.lng is None else float(u.lng),
        "address": u.address,
    }


@router.get("/units", response=responses(UnitPage), summary="派出单位列表")
def unit_list(request: HttpRequest, filters: Query[UnitQuery]) -> dict[str, Any]:
    qs = selectors.unit_list(
        user=user_of(request), q=filters.q, level=filters.level, kind=filters.kind
    )
    return paginate(qs, filters, out)


@router.get("/units/{id}", response=responses(UnitOut), summary="派出单位详情")
def unit_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    return out(selectors.unit_get(user=user_of(request), pk=id))


@router.post("/units", response=responses(UnitOut, 201), summary="新建派出单位")
def unit_create(request: HttpRequest, payload: UnitCreate) -> Status[dict[str, Any]]:
    user = user_of(request)
    unit = services.unit_create(actor=user, data=payload.data())
    return Status(201, out(selectors.unit_get(user=user, pk=unit.pk)))


@router.patch("/units/{id}", response=responses(UnitOut), summary="修改派出单位")
def unit_update(request: HttpRequest, payload: UnitUpdate, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    services.unit_update(actor=user, unit_id=id, data=payload.data())
    return out(selectors.unit_get(user=user, pk=id))
