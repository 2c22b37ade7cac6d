"""Who sees and who writes training, funds, subsidies, exams and insurance. Outside the scope a
record does not exist (404); a role that may see but not act gets 403 with the reason.

* Training events (MGT.7): organised and recorded by the prefecture (州级) or a county (县级)
  for the cadres posted in its area; read by the area bodies and by units (their cadres).
* Funds (GUA.2): the prefecture and counties record allocations of the first secretaries'
  and villages' funds in their area; a unit records its own cadres' unit fund.
* Subsidies (GUA.2.LIVING/TRAVEL/PAY), exams (GUA.2.EXAM) and insurance (GUA.2.INSURE): the
  cadre's unit records them; the county and prefecture read them for cadres posted in their
  area (overdue payments, missing exams and gaps in cover are listed for both).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhucun.accounts.models import User, UserRole
from zhucun.registry import scopes
from zhucun.registry.models import Cadre

NOTHING = Q(pk__in=[])
ORGANISERS = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY})
AREA_ROLES = frozenset({UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP})
UNIT_WRITERS = frozenset({UserRole.ADMIN, UserRole.UNIT})
READERS = frozenset({UserRole.ADMIN, UserRole.UNIT, *AREA_ROLES})


def cadres_readable(user: User) -> QuerySet[Cadre]:
    """The cadres whose support records ``user`` reads (a unit: its own)."""
    if user.role not in READERS:
        return Cadre.objects.none()
    if user.role == UserRole.UNIT:
        return Cadre.objects.filter(unit_id=user.unit_id)
    return scopes.cadres_visible(user)


def cadre_q(user: User, *, field: str = "cadre") -> Q:
    if user.role == UserRole.ADMIN:
        return Q()
    if user.role not in READERS:
        return NOTHING
    return Q(**{f"{field}__in": cadres_readable(user).values("pk")})


def cadres_unit_writes(user: User) -> QuerySet[Cadre]:
    """The cadres whose subsidies, exams, insurance and unit fund ``user`` records."""
    if user.role == UserRole.ADMIN:
        return Cadre.objects.all()
    if user.role == UserRole.UNIT and user.unit_id:
        return Cadre.objects.filter(unit_id=user.unit_id)
    return Cadre.objects.none()
