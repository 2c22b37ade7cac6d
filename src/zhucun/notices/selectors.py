"""Reads: a user's own notices only (nobody reads another's)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhucun.accounts.models import User

from .models import Notice


def notice_list(*, user: User, unread_only: bool = False) -> QuerySet[Notice]:
    qs = Notice.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notice_unread_count(*, user: User) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()
