"""Account actions: API tokens. The raw token is shown once; only its SHA-256 is stored."""

from __future__ import annotations

from django.db import transaction

from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed

from .models import ApiToken, User, UserRole


def _may_manage(actor: User | None, user: User) -> bool:
    """The console (actor None), an administrator, or the user themself."""
    return actor is None or actor.role == UserRole.ADMIN or actor.pk == user.pk


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str = "") -> str:
    if not _may_manage(actor, user):
        raise Forbidden("只能为自己创建令牌")
    name = (name or "").strip()
    if len(name) > 64:
        raise ValidationFailed({"name": "用途不能超过64个字符"})
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=ApiToken.hash(raw), prefix=raw[:8]
    )
    event_record(
        actor=actor,
        action="token.create",
        obj=token,
        after={"user_id": user.pk, "name": name, "prefix": token.prefix},
    )
    return raw


@transaction.atomic
def token_revoke(*, actor: User | None, prefix: str) -> ApiToken:
    """Delete the one token whose prefix (the first 8 characters, e.g. ``zc_AbCdE``) matches."""
    matches = list(ApiToken.objects.select_related("user").filter(prefix=prefix.strip()[:8])[:2])
    if not matches:
        raise NotFound(f"没有前缀为“{prefix}”的令牌")
    if len(matches) > 1:
        raise ValidationFailed({"prefix": "有多个令牌使用此前缀,请在管理后台按编号撤销"})
    token = matches[0]
    if not _may_manage(actor, token.user):
        raise NotFound(f"没有前缀为“{prefix}”的令牌")
    event_record(
        actor=actor,
        action="token.revoke",
        obj=token,
        before={"user_id": token.user_id, "name": token.name, "prefix": token.prefix},
    )
    token.delete()
    return token
