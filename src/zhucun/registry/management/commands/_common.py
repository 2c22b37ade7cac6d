"""Shared helpers of the registry's management commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from zhucun.accounts.models import User, UserRole


def user_by_name(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"用户“{username}”不存在") from None


def importing_user(username: str | None) -> User:
    """``--user`` when given; otherwise the one active system administrator (the operator on
    the server), so that ``zhucun import checkins FILE --source NAME`` works as written and
    the import is still audited under an account. Several administrators: say which."""
    if username:
        return user_by_name(username)
    admins = list(User.objects.filter(role=UserRole.ADMIN, is_active=True)[:2])
    if len(admins) != 1:
        raise CommandError("请用 --user 指定以哪个账号的身份和管辖范围导入")
    return admins[0]
