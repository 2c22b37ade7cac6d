"""Read side of selection: nominations in scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhucun.accounts.models import User, UserRole
from zhucun.registry import scopes as registry_scopes
from zhucun.registry.models import Cadre, UnitLevel

from .models import Nomination, NominationState


def cadres_postable(user: User) -> QuerySet[Cadre]:
    """The cadres whose posting ``user`` may record by ID number (the postings API and import,
    and the workflow's 派驻到村 step). It is what the user sees (``registry.scopes``), plus — for
    the prefecture — the cadres of a nomination that a prefecture- or province-level unit has
    decided (SEL.METHOD.FLOW: the same-level body posts them, and a province unit's cadre is not
    in the prefecture's registry view until posted). A county's own flow needs nothing more: it
    posts only county-level units of its county, whose cadres it already sees."""
    qs = registry_scopes.cadres_postable(user)
    if user.role == UserRole.PREFECTURE:
        decided = Nomination.objects.filter(
            cadre=OuterRef("pk"), state=NominationState.DECIDED
        ).exclude(unit__level=UnitLevel.COUNTY)
        qs = Cadre.objects.filter(Q(pk__in=qs.values("pk")) | Exists(decided))
    return qs


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


def nomination_list(
    *,
    user: User,
    state: str = "",
    q: str = "",
    role: str = "",
    unit: Any = None,
    county: str = "",
    township: str = "",
    dispatch_from: Any = None,
    dispatch_to: Any = None,
) -> QuerySet[Nomination]:
    """Nominations in scope. ``q``: the cadre's name; ``county``/``township``: the village it
    aims at (division codes); ``dispatch_from``/``dispatch_to``: 拟派出日期 within (inclusive)."""
    qs = nominations_visible(user)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(cadre__name__contains=q)
    if role:
        qs = qs.filter(role=role)
    if unit:
        qs = qs.filter(unit_id=unit)
    if county:
        qs = qs.filter(village__township__parent__code=county)
    if township:
        qs = qs.filter(village__township__code=township)
    if dispatch_from:
        qs = qs.filter(dispatch_date__gte=dispatch_from)
    if dispatch_to:
        qs = qs.filter(dispatch_date__lte=dispatch_to)
    return qs.order_by("-updated_at", "-id")
