from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ..common import responses, user_of
from ..schemas import MeOut

router = Router(tags=["当前用户"])


@router.get("/me", response=responses(MeOut), summary="当前用户、角色与管辖范围")
def me(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    j, unit, cadre, village = user.jurisdiction, user.unit, user.cadre, user.village
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": str(user),
        "role": user.role,
        "role_label": user.get_role_display(),
        "scope": {
            "jurisdiction_code": j.code if j else None,
            "jurisdiction_name": j.name if j else None,
            "unit_id": unit.pk if unit else None,
            "unit_name": unit.name if unit else None,
            "cadre_id": cadre.pk if cadre else None,
            "cadre_name": cadre.name if cadre else None,
            "village_id": village.pk if village else None,
            "village_name": str(village) if village else None,
        },
    }
