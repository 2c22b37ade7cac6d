"""Users outside the world's scopes (瑞丽市 and its unit), to show that an item does not
reach a user who cannot act on it — and the kinds of a user's to-do list."""

from __future__ import annotations

from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.inbox.selectors import todo_list
from zhucun.registry.models import Jurisdiction


def outsider(world, role: str) -> User:
    """瑞丽市's county body or 勐卯街道's township, or 瑞丽市财政局 (a unit)."""
    scope = {
        "county": {"jurisdiction": Jurisdiction.objects.get(code="533102000000")},
        "township": {"jurisdiction": Jurisdiction.objects.get(code="533102001000")},
        "unit": {"unit": world.units["ruili"]},
    }[role]
    return User.objects.create_user(
        f"ruili_{role}", password="pw", role=role, display_name=f"瑞丽{role}", **scope
    )


def items(user, today=None) -> dict:
    """The user's to-do items by kind."""
    return {i.kind: i for i in todo_list(user=user, today=today or timezone.localdate())}
