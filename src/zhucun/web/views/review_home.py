"""What the role homes show of the review app (MGT.4, GUA.3.TALK): replacements still due
after a recall (the unit owes them; the township, county and prefecture watch them) and the
cadres due for a talk."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.review.selectors.recall import replacements_due
from zhucun.review.selectors.talks import talks_overdue

HOME_ROLES = frozenset(
    {UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP, UserRole.UNIT, UserRole.ADMIN}
)


def review_home(user: User) -> dict[str, Any]:
    if user.role not in HOME_ROLES:
        return {}
    today = timezone.localdate()
    due = replacements_due(user=user, today=today).aggregate(
        n=Count("pk"), overdue=Count("pk", filter=Q(replacement_due__lt=today))
    )
    return {
        "review_box": {
            "replacements": due["n"],
            "replacements_overdue": due["overdue"],
            "talks_overdue": talks_overdue(user=user, today=today).count(),
        }
    }
