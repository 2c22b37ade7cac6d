"""Shared helpers of the registry's management commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from zhucun.accounts.models import User


def user_by_name(username: str) -> User:
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise CommandError(f"用户“{username}”不存在") from None
