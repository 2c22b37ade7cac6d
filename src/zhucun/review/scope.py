"""Who sees and who writes the review app's records. Outside the scope a record does not
exist (404, exactly like one that was never written); a role that may see but not act gets
403 with the reason.

* Discipline records (MGT.10): entered by the township, county or prefecture for cadres in
  their scope; visible to them and to the cadre's dispatching unit; never to the cadres.
* Talks (GUA.3.TALK): entered and seen by the unit (its cadres), the township, the county and
  the prefecture (cadres in their scope).
* Quarterly reviews (MGT.4.REVIEW): the county's body runs its own county's; the prefecture
  reads its counties' (they are reported up when signed).
* Recalls (MGT.4.CAUSE/CONSEQ): decided and recorded by the county (召回工作由县级驻村工作领导
  协调机构负责) for cadres posted in it; seen by the county, the prefecture, the township of
  the village and the cadre's unit (which owes the replacement).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from zhucun.accounts.models import User, UserRole
from zhucun.registry import scopes
from zhucun.registry.models import Cadre, Jurisdiction, Level, Posting

NOTHING = Q(pk__in=[])
AREA_ROLES = frozenset({UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP})
DISCIPLINE_WRITERS = frozenset({UserRole.ADMIN, *AREA_ROLES})
TALK_WRITERS = frozenset({UserRole.ADMIN, UserRole.UNIT, *AREA_ROLES})
REVIEW_READERS = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY})
RECALL_WRITERS = frozenset({UserRole.ADMIN, UserRole.COUNTY})
RECALL_READERS = frozenset({UserRole.ADMIN, UserRole.UNIT, *AREA_ROLES})


def _cadres_q(user: User, *, cadre: str = "cadre") -> Q:
    """The cadres ``user`` deals with here: the unit its own; an area body those it sees in
    the registry (posted in its area or belonging to a unit of it); admin all."""
    if user.role == UserRole.ADMIN:
        return Q()
    if user.role == UserRole.UNIT:
        return Q(**{f"{cadre}__unit_id": user.unit_id}) if user.unit_id else NOTHING
    if user.role in AREA_ROLES:
        return Q(**{f"{cadre}__in": scopes.cadres_visible(user).values("pk")})
    return NOTHING


def discipline_visible_q(user: User) -> Q:
    if user.role in DISCIPLINE_WRITERS or user.role == UserRole.UNIT:
        return _cadres_q(user)
    return NOTHING


def discipline_cadres(user: User) -> QuerySet[Cadre]:
    """The cadres ``user`` may record a discipline matter about."""
    if user.role not in DISCIPLINE_WRITERS:
        return Cadre.objects.none()
    if user.role == UserRole.ADMIN:
        return Cadre.objects.all()
    return scopes.cadres_visible(user)


def talk_visible_q(user: User) -> Q:
    if user.role in TALK_WRITERS:
        return _cadres_q(user)
    return NOTHING


def talk_cadres(user: User) -> QuerySet[Cadre]:
    """The cadres ``user`` may record a talk with."""
    if user.role not in TALK_WRITERS:
        return Cadre.objects.none()
    if user.role == UserRole.ADMIN:
        return Cadre.objects.all()
    if user.role == UserRole.UNIT:
        return Cadre.objects.filter(unit_id=user.unit_id)
    return scopes.cadres_visible(user)


def review_counties(user: User) -> QuerySet[Jurisdiction]:
    """The counties whose reviews ``user`` may read."""
    counties = Jurisdiction.objects.filter(level=Level.COUNTY)
    if user.role == UserRole.ADMIN:
        return counties
    if user.role in (UserRole.PREFECTURE, UserRole.COUNTY) and user.jurisdiction_id:
        return counties.filter(path__startswith=user.jurisdiction.path)
    return counties.none()


def review_county_editable(user: User) -> Jurisdiction | None:
    """The one county whose reviews ``user`` runs (the county's own body), or ``None``."""
    if user.role == UserRole.COUNTY and user.jurisdiction_id:
        return user.jurisdiction
    return None


def recall_visible_q(user: User) -> Q:
    """Recalls ``user`` may read: by the village of the ended posting for area bodies, by
    the cadre's unit for a unit."""
    if user.role == UserRole.ADMIN:
        return Q()
    if user.role == UserRole.UNIT:
        return Q(cadre__unit_id=user.unit_id) if user.unit_id else NOTHING
    if user.role in AREA_ROLES and user.jurisdiction_id:
        return Q(posting__village__jurisdiction__path__startswith=user.jurisdiction.path)
    return NOTHING


def recall_postings(user: User) -> QuerySet[Posting]:
    """The postings ``user`` may end by a recall: the county's, of villages in its county."""
    if user.role not in RECALL_WRITERS:
        return Posting.objects.none()
    return scopes.postings_editable(user)


def cadre_in(qs: QuerySet[Cadre], cadre_id: object) -> bool:
    return qs.filter(pk=cadre_id).exists()
