"""Who sees and who writes 三讲三评 and assessments. Outside the scope a record does not exist
(404, as one never written); a role that may see but not act gets 403 with the reason.

* 三讲三评 events and votes (MGT.8.SJSP): entered by the township for its villages and by the
  county for its county; read by them, the prefecture, the first secretary of the village and
  the unit whose cadre was evaluated (its cadre's votes only in what it is shown).
* Rectifications: the township or county records the plan, the due date and the closing;
  the same readers as the events.
* Assessments (MGT.5.ANNUAL): led by the county's organisation department
  (由所在县(市)党委组织部门牵头) for cadres posted in its county; read by the prefecture and
  the township of the village; finalised results by the cadre's unit (MGT.5.FEEDBACK).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhucun.accounts.models import User, UserRole
from zhucun.registry import scopes
from zhucun.registry.models import Jurisdiction, Level, Village

from .models import SjspTally

NOTHING = Q(pk__in=[])
AREA_ROLES = frozenset({UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP})
SJSP_WRITERS = frozenset({UserRole.ADMIN, UserRole.COUNTY, UserRole.TOWNSHIP})
SJSP_READERS = frozenset(
    {*SJSP_WRITERS, UserRole.PREFECTURE, UserRole.UNIT, UserRole.FIRST_SECRETARY}
)
ASSESSMENT_WRITERS = frozenset({UserRole.ADMIN, UserRole.COUNTY})
ASSESSMENT_READERS = frozenset(
    {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP, UserRole.UNIT}
)
VILLAGE_PATH = "village__jurisdiction__path__startswith"


def _area_path(user: User) -> str | None:
    if user.role in AREA_ROLES:
        return user.jurisdiction.path if user.jurisdiction_id else "\x00none"
    return None


def sjsp_villages(user: User) -> QuerySet[Village]:
    """The villages whose 三讲三评 ``user`` records."""
    if user.role not in SJSP_WRITERS:
        return Village.objects.none()
    return scopes.villages_visible(user)


def sjsp_event_q(user: User) -> Q:
    """The events ``user`` may read."""
    if user.role == UserRole.ADMIN:
        return Q()
    if (path := _area_path(user)) is not None:
        return Q(**{VILLAGE_PATH: path})
    if user.role == UserRole.UNIT:
        if not user.unit_id:
            return NOTHING
        own = SjspTally.objects.filter(event=OuterRef("pk"), cadre__unit_id=user.unit_id)
        return Q(Exists(own))
    if user.role == UserRole.FIRST_SECRETARY:
        village = scopes.own_village_id(user)
        return Q(village_id=village) if village else NOTHING
    return NOTHING


def sjsp_cadre_q(user: User, *, cadre: str = "cadre") -> Q:
    """Which cadres' votes and rectifications ``user`` is shown (a unit: its own)."""
    if user.role == UserRole.UNIT:
        return Q(**{f"{cadre}__unit_id": user.unit_id}) if user.unit_id else NOTHING
    return Q()


def assessment_q(user: User) -> Q:
    """The assessments ``user`` may read (a unit: its cadres' finalised ones)."""
    if user.role == UserRole.ADMIN:
        return Q()
    if (path := _area_path(user)) is not None:
        return Q(posting__village__jurisdiction__path__startswith=path)
    if user.role == UserRole.UNIT:
        return Q(cadre__unit_id=user.unit_id, state="final") if user.unit_id else NOTHING
    return NOTHING


def assessment_county(user: User) -> Jurisdiction | None:
    """The one county whose assessments ``user`` leads, or ``None``."""
    if user.role == UserRole.COUNTY and user.jurisdiction_id:
        return user.jurisdiction
    return None


def assessment_counties(user: User) -> QuerySet[Jurisdiction]:
    """The counties whose assessments ``user`` may read or act on."""
    counties = Jurisdiction.objects.filter(level=Level.COUNTY)
    if user.role == UserRole.ADMIN:
        return counties
    if user.role in (UserRole.PREFECTURE, UserRole.COUNTY) and user.jurisdiction_id:
        return counties.filter(path__startswith=user.jurisdiction.path)
    if user.role == UserRole.TOWNSHIP and user.jurisdiction_id:
        return counties.filter(code__in=user.jurisdiction.chain_codes())
    return counties.none()
