"""Who may see a rotation application and who may act on it. Outside the scope an application
(and its attachments) does not exist: 404, exactly like one that was never filed."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhucun.accounts.models import User, UserRole
from zhucun.attendance.scopes import managed_q

from .models import RotationApplication

NOTHING = Q(pk__in=[])
VILLAGE_PATH = "posting__village__jurisdiction__path__startswith"


def own_q(user: User) -> Q:
    """The applications ``user`` acts on in their own right (MGT.9.APPLY): the cadre their
    own; the township those of its villages; the unit its cadres'; the organisation
    department those of the cadres it manages (按干管权限, as MGT.3.TALK)."""
    role = user.role
    if role == UserRole.ADMIN:
        return Q()
    if role in (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER):
        return Q(cadre_id=user.cadre_id) if user.cadre_id else NOTHING
    if role == UserRole.TOWNSHIP:
        return Q(**{VILLAGE_PATH: user.jurisdiction.path}) if user.jurisdiction_id else NOTHING
    if role == UserRole.UNIT:
        return Q(cadre__unit_id=user.unit_id) if user.unit_id else NOTHING
    if role in (UserRole.COUNTY, UserRole.PREFECTURE):
        return managed_q(user, cadre="cadre")
    return NOTHING


def visible_q(user: User) -> Q:
    """What ``user`` may read: what they act on, plus (county, prefecture) the applications
    of cadres serving in their jurisdiction."""
    q = own_q(user)
    if user.role in (UserRole.COUNTY, UserRole.PREFECTURE) and user.jurisdiction_id:
        q |= Q(**{VILLAGE_PATH: user.jurisdiction.path})
    return q


def applications_visible(user: User) -> QuerySet[RotationApplication]:
    return RotationApplication.objects.filter(visible_q(user)).select_related(
        "cadre__unit",
        "posting__village__jurisdiction",
        "posting__village__township",
        "replacement",
    )


def may_act(user: User, application: RotationApplication) -> bool:
    return RotationApplication.objects.filter(own_q(user), pk=application.pk).exists()
