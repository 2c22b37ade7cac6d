from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from pydantic import BaseModel

from zhucun.accounts.models import ApiToken
from zhucun.core.errors import ValidationFailed
from zhucun.useradmin.services import token_revoke, tokens_list

from ..common import ObjectId, responses, user_of
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


# ---- own API tokens (issue 9, point 6) --------------------------------------------------


class TokenOut(BaseModel):
    id: int
    prefix: str
    name: str
    created: dt.datetime
    expires_at: dt.datetime | None
    last_used: dt.datetime | None
    revoked_at: dt.datetime | None
    state: str  # active | expired | revoked
    state_label: str
    current: bool  # the token of this request


STATE_LABELS = {"active": "有效", "expired": "已过期", "revoked": "已撤销"}
MAX_TOKENS_LISTED = 200


def _current_hash(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    return ApiToken.hash(header[7:].strip()) if header[:7].lower() == "bearer " else None


def token_out(token: ApiToken, *, now: dt.datetime, current: str | None) -> dict[str, Any]:
    if token.revoked_at is not None:
        state = "revoked"
    elif token.expires_at is not None and token.expires_at <= now:
        state = "expired"
    else:
        state = "active"
    local = timezone.localtime
    return {
        "id": token.pk,
        "prefix": token.prefix,
        "name": token.name,
        "created": local(token.created),
        "expires_at": local(token.expires_at) if token.expires_at else None,
        "last_used": local(token.last_used) if token.last_used else None,
        "revoked_at": local(token.revoked_at) if token.revoked_at else None,
        "state": state,
        "state_label": STATE_LABELS[state],
        "current": token.key_hash == current,
    }


@router.get(
    "/me/tokens",
    response=responses(list[TokenOut]),
    summary="我的API令牌(含已过期、已撤销的;最新的在前)",
)
def me_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    user = user_of(request)
    now, current = timezone.now(), _current_hash(request)
    tokens = tokens_list(actor=user, user=user)[:MAX_TOKENS_LISTED]
    return [token_out(t, now=now, current=current) for t in tokens]


@router.delete(
    "/me/tokens/{id}",
    response=responses(TokenOut),
    summary="撤销我的一个API令牌(不能撤销本次请求所用的令牌)",
)
def me_token_revoke(request: HttpRequest, id: int = ObjectId) -> dict[str, Any]:
    user = user_of(request)
    current = _current_hash(request)
    if current is not None and ApiToken.objects.filter(pk=id, user=user, key_hash=current).exists():
        raise ValidationFailed(
            {"id": "不能用令牌撤销它自己(以免手机无法再签到);请在网页“API令牌”页面或用另一令牌撤销"}
        )
    token = token_revoke(actor=user, token_id=id, user=user)
    return token_out(token, now=timezone.now(), current=current)
