"""Read side of selection: nominations in scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhucun.accounts.models import User, UserRole
from zhucun.registry.models import UnitLevel

from .models import Nomination


def nominations_visible(user: User) -> QuerySet[Nomination]:
    """Units see their own; a county body sees its county units' nominations and those aimed at
    its villages; the prefecture sees all; others none."""
    qs = Nomination.objects.select_related("cadre", "unit", "village__jurisdiction")
    if user.role in (UserRole.ADMIN, UserRole.PREFECTURE):
        return qs
    if user.role == UserRole.UNIT:
        return qs.filter(unit_id=user.unit_id)
    if user.role == UserRole.COUNTY and user.jurisdiction_id:
        path = user.jurisdiction.path
        return qs.filter(
            Q(unit__level=UnitLevel.COUNTY, unit__jurisdiction__path__startswith=path)
            | Q(village__jurisdiction__path__startswith=path)
        )
    return qs.none()


def nomination_list(*, user: User, state: str = "", q: str = "") -> QuerySet[Nomination]:
    qs = nominations_visible(user)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(cadre__name__contains=q)
    return qs.order_by("-updated_at", "-id")
