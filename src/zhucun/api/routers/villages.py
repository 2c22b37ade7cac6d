from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from zhucun.registry import selectors, services
from zhucun.registry.models import Village

from ..common import ObjectId, paginate, responses, user_of
from ..schemas import VillageCreate, VillageOut, VillagePage, VillageQuery, VillageUpdate

router = Router(tags=["村(社区)"])


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def out(v: Village) -> dict[str, Any]:
    j, township = v.jurisdiction, v.township
    county = township.parent
    return {
        "id": v.pk,
        "code": j.code,
        "name": j.name,
        "township_code": township.code,
        "township_name": township.name,
        "county_code": county.code if county else None,
        "county_name": county.name if county else None,
        "former_poor": v.former_poor,
        "relocation": v.relocation,
        "border": v.border,
        "key_village": v.key_village,
        "weak_village": v.weak_village,
        "categories": sorted(v.categories),
        "checkin_lat": _float(v.checkin_lat),
        "checkin_lng": _float(v.checkin_lng),
        "checkin_datum": v.checkin_datum,
        "checkin_radius_m": v.checkin_radius_m,
        "needs": list(v.needs or []),
        "need_labels": v.need_labels,
        "active_count": getattr(v, "active_count", 0),
    }


@router.get("/villages", response=responses(VillagePage), summary="村(社区)列表")
def village_list(request: HttpRequest, filters: Query[VillageQuery]) -> dict[str, Any]:
    qs = selectors.village_list(
        user=user_of(request),
        q=filters.q,
        county=filters.county,
        township=filters.township,
        category=filters.category,
        cat3=filters.cat3,
        key=filters.key,
        need=filters.need,
    )
    return paginate(qs, filters, out)


@router.get("/villages/{id}", response=responses(VillageOut), summary="村(社区)详情")
def village_detail(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    return out(selectors.village_get(user=user_of(request), pk=id))


@router.post("/villages", response=responses(VillageOut, 201), summary="新建村(社区)")
def village_create(request: HttpRequest, payload: VillageCreate) -> Status[dict[str, Any]]:
    user = user_of(request)
    data = payload.data()
    village = services.village_create(
        actor=user,
        code=data.pop("code"),
        name=data.pop("name"),
        township_code=data.pop("township_code"),
        **data,
    )
    return Status(201, out(selectors.village_get(user=user, pk=village.pk)))


@router.patch("/villages/{id}", response=responses(VillageOut), summary="修改村(社区)")
def village_update(
    request: HttpRequest, payload: VillageUpdate, id: int = ObjectId
) -> dict[str, Any]:
    user = user_of(request)
    services.village_update(actor=user, village_id=id, data=payload.data())
    return out(selectors.village_get(user=user, pk=id))
