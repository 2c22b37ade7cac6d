"""Who sees and who writes the team's work. Outside the scope a record does not exist (404,
as one never written); a role that may see but not act gets 403 with the reason.

* A village's meetings, tasks, group contacts, visits and monthly reports: written by its
  team (the first secretary for meetings, tasks, contacts and the monthly report; any team
  member for visits and for marking their own tasks done); read by the team, the village
  secretary, the township, county and prefecture of the village and the units whose cadres
  serve there.
* Key-task lists (DUT.LIST): issued by a township, county or prefecture to the villages of
  its area; each village's team reports progress.
* The township's quarterly report (MGT.6.QUARTERLY): written by the township, read by its
  county and the prefecture. Urgent reports (MGT.6.URGENT) go from the team to the township,
  which acknowledges them; the county reads them.
* The unit's half-yearly hearing (MGT.6.HALFYEAR) and its leadership's yearly visit
  (GUA.1.BIND): written by the unit; read by the county and prefecture where its cadres serve.
* Household names are personal data: shown to the team, the township and above; masked for
  the unit (``household_names_visible``).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhucun.accounts.models import User, UserRole
from zhucun.registry import scopes
from zhucun.registry.models import Village

NOTHING = Q(pk__in=[])
AREA_ROLES = frozenset({UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP})
TEAM_ROLES = frozenset({UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER})
LIST_ISSUERS = frozenset({UserRole.ADMIN, *AREA_ROLES})
NAME_ROLES = frozenset({UserRole.ADMIN, *AREA_ROLES, *TEAM_ROLES, UserRole.VILLAGE_SECRETARY})


def villages_readable(user: User) -> QuerySet[Village]:
    """The villages whose team work ``user`` may read (the registry's village scope)."""
    return scopes.villages_visible(user)


def village_q(user: User, *, field: str = "village") -> Q:
    """A filter on ``field`` (a Village FK) for what ``user`` may read."""
    if user.role == UserRole.ADMIN:
        return Q()
    return Q(**{f"{field}__in": villages_readable(user).values("pk")})


def team_village_id(user: User) -> int | None:
    """The village of a first secretary or team member in post (their team's village)."""
    if user.role in TEAM_ROLES:
        return scopes.own_village_id(user)
    return None


def is_first_secretary_of(user: User, village_id: int) -> bool:
    return user.role == UserRole.FIRST_SECRETARY and team_village_id(user) == village_id


def area_path(user: User) -> str | None:
    """The jurisdiction path of a township, county or prefecture user."""
    if user.role in AREA_ROLES and user.jurisdiction_id:
        return str(user.jurisdiction.path)
    return None


def household_names_visible(user: User) -> bool:
    return user.role in NAME_ROLES
