"""API tokens. The raw token is shown once; only its SHA-256 is stored. A token expires
ZHUCUN_API_TOKEN_DAYS after creation and may be revoked by its holder or by a manager of the
holder's account (useradmin.scope); a revoked token stays listed as revoked."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhucun.accounts.models import ApiToken, User, UserRole
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed

from .scope import users_manageable

NO_SUCH_TOKEN = "令牌不存在或不在您的管辖范围内"


def _may_manage(actor: User | None, user: User) -> bool:
    """The console (actor None), the user themself, or a manager of the user's account."""
    if actor is None or actor.pk == user.pk:
        return True
    return users_manageable(actor).filter(pk=user.pk).exists()


def token_expiry(now: dt.datetime) -> dt.datetime | None:
    days = getattr(settings, "ZHUCUN_API_TOKEN_DAYS", 90)
    return now + dt.timedelta(days=days) if days > 0 else None


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str = "") -> str:
    if actor is not None and actor.pk != user.pk and actor.role != UserRole.ADMIN:
        raise Forbidden("只能为自己创建令牌")
    name = (name or "").strip()
    if len(name) > 64:
        raise ValidationFailed({"name": "用途不能超过64个字符"})
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=ApiToken.hash(raw),
        prefix=raw[:8],
        expires_at=token_expiry(timezone.now()),
    )
    event_record(
        actor=actor,
        action="token.create",
        obj=token,
        after={
            "user_id": user.pk,
            "name": name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
        },
    )
    return raw


def tokens_list(*, actor: User | None, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones included)."""
    if not _may_manage(actor, user):
        raise NotFound("用户不存在或不在您的管辖范围内")
    return ApiToken.objects.filter(user=user).order_by("-created", "-pk")


@transaction.atomic
def token_revoke(
    *,
    actor: User | None,
    token_id: int | None = None,
    prefix: str | None = None,
    user: User | None = None,
) -> ApiToken:
    """Revoke one token, named by its number or by its prefix (the first 8 characters, e.g.
    ``zc_AbCdE``). ``user`` limits the search to that user's tokens. Outside what the actor
    may manage a token does not exist (404)."""
    qs = ApiToken.objects.select_related("user").select_for_update(of=("self",))
    if user is not None:
        qs = qs.filter(user=user)
    if token_id is not None:
        matches = list(qs.filter(pk=token_id)[:1])
        label = f"编号为{token_id}的令牌不存在或不在您的管辖范围内"
    else:
        prefix = (prefix or "").strip()[:8]
        matches = list(qs.filter(prefix=prefix)[:2])
        label = f"没有前缀为“{prefix}”的令牌"
        if len(matches) > 1:
            raise ValidationFailed({"prefix": "有多个令牌使用此前缀,请按编号撤销"})
    if not matches or not _may_manage(actor, matches[0].user):
        raise NotFound(label)
    token = matches[0]
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    event_record(
        actor=actor,
        action="token.revoke",
        obj=token,
        before={"user_id": token.user_id, "name": token.name, "prefix": token.prefix},
        after={"revoked_at": token.revoked_at},
    )
    return token
