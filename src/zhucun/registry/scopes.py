"""The one place that decides what a user may see and change in the registry.

Every list, detail, edit, export and API call goes through these functions; views never
filter by role themselves. Outside the scope an object simply does not exist (404).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from zhucun.accounts.models import User, UserRole

from .models import (
    Cadre,
    DispatchingUnit,
    Jurisdiction,
    Posting,
    PostingStatus,
    UnitLevel,
    Village,
)

FULL_PERSONAL_DATA_ROLES = {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY}
PHONE_ROLES = FULL_PERSONAL_DATA_ROLES | {UserRole.TOWNSHIP, UserRole.FIRST_SECRETARY}
PERSONAL_FIELDS = ("id_number", "phone", "health_fit", "family_hardship", "spouse")
EDIT_REGISTRY_ROLES = {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY}
# who registers cadres (one by one or by import): the departments and the dispatching units
CADRE_CREATE_ROLES = EDIT_REGISTRY_ROLES | {UserRole.UNIT}


def _subtree(user: User) -> str | None:
    if user.role in (UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP):
        return user.jurisdiction.path if user.jurisdiction_id else "\x00none"
    return None


def own_village_id(user: User) -> int | None:
    """The village a cadre user (FS/TM) is posted to now, or a village secretary's village."""
    if user.role == UserRole.VILLAGE_SECRETARY:
        return user.village_id
    if user.role in (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER) and user.cadre_id:
        return (
            Posting.objects.filter(cadre_id=user.cadre_id, status=PostingStatus.ACTIVE)
            .values_list("village_id", flat=True)
            .first()
        )
    return None


def villages_visible(user: User) -> QuerySet[Village]:
    qs = Village.objects.all()
    if user.role == UserRole.ADMIN:
        return qs
    if (path := _subtree(user)) is not None:
        return qs.filter(jurisdiction__path__startswith=path)
    if user.role == UserRole.UNIT:
        return qs.filter(
            Exists(Posting.objects.filter(village=OuterRef("pk"), cadre__unit_id=user.unit_id))
        )
    return qs.filter(pk=own_village_id(user))


def jurisdictions_visible(user: User) -> QuerySet[Jurisdiction]:
    qs = Jurisdiction.objects.all()
    if user.role == UserRole.ADMIN:
        return qs
    if (path := _subtree(user)) is not None:
        return qs.filter(path__startswith=path)
    village_ids = villages_visible(user).values("jurisdiction_id")
    groups = Jurisdiction.objects.filter(parent_id__in=village_ids)
    return qs.filter(Q(pk__in=village_ids) | Q(pk__in=groups.values("pk")))


def postings_visible(user: User) -> QuerySet[Posting]:
    qs = Posting.objects.all()
    if user.role == UserRole.ADMIN:
        return qs
    if (path := _subtree(user)) is not None:
        return qs.filter(village__jurisdiction__path__startswith=path)
    if user.role == UserRole.UNIT:
        return qs.filter(cadre__unit_id=user.unit_id)
    if user.role == UserRole.TEAM_MEMBER:
        return qs.filter(cadre_id=user.cadre_id)
    if user.role == UserRole.FIRST_SECRETARY and user.cadre_id:
        # the village's postings, and the cadre's own history also once it has ended (issue 11)
        return qs.filter(Q(village_id=own_village_id(user)) | Q(cadre_id=user.cadre_id))
    return qs.filter(village_id=own_village_id(user))


def cadres_visible(user: User) -> QuerySet[Cadre]:
    qs = Cadre.objects.all()
    if user.role == UserRole.ADMIN:
        return qs
    if (path := _subtree(user)) is not None:
        posted_here = Posting.objects.filter(
            cadre=OuterRef("pk"), village__jurisdiction__path__startswith=path
        )
        return qs.filter(Exists(posted_here) | Q(unit__jurisdiction__path__startswith=path))
    if user.role == UserRole.UNIT:
        return qs.filter(unit_id=user.unit_id)
    if user.role == UserRole.TEAM_MEMBER:
        return qs.filter(pk=user.cadre_id)
    village_id = own_village_id(user)
    active_here = Posting.objects.filter(
        cadre=OuterRef("pk"), village_id=village_id, status=PostingStatus.ACTIVE
    )
    return qs.filter(Exists(active_here))


def units_visible(user: User) -> QuerySet[DispatchingUnit]:
    qs = DispatchingUnit.objects.all()
    if user.role in (UserRole.ADMIN, UserRole.PREFECTURE):
        return qs
    if user.role == UserRole.UNIT:
        return qs.filter(pk=user.unit_id)
    cadre_units = cadres_visible(user).values("unit_id")
    if (path := _subtree(user)) is not None:
        return qs.filter(Q(pk__in=cadre_units) | Q(jurisdiction__path__startswith=path))
    return qs.filter(pk__in=cadre_units)


# ---- editing ---------------------------------------------------------------------------


def villages_editable(user: User) -> QuerySet[Village]:
    if user.role not in EDIT_REGISTRY_ROLES:
        return Village.objects.none()
    return villages_visible(user)


def jurisdictions_editable(user: User) -> QuerySet[Jurisdiction]:
    if user.role not in EDIT_REGISTRY_ROLES:
        return Jurisdiction.objects.none()
    return jurisdictions_visible(user)


def units_editable(user: User) -> QuerySet[DispatchingUnit]:
    if user.role in (UserRole.ADMIN, UserRole.PREFECTURE):
        return DispatchingUnit.objects.all()
    if user.role == UserRole.COUNTY:
        return DispatchingUnit.objects.filter(jurisdiction__path__startswith=_subtree(user))
    if user.role == UserRole.UNIT:
        return DispatchingUnit.objects.filter(pk=user.unit_id)
    return DispatchingUnit.objects.none()


def cadres_editable(user: User) -> QuerySet[Cadre]:
    if user.role in EDIT_REGISTRY_ROLES or user.role == UserRole.UNIT:
        return cadres_visible(user)
    return Cadre.objects.none()


def cadres_postable(user: User) -> QuerySet[Cadre]:
    """The cadres whose posting ``user`` may record by ID number, as far as the registry knows:
    what the user sees, for the roles that record postings. The selection app widens it with
    the cadres of decided nominations (``selection.selectors.cadres_postable``) and passes that
    to ``posting_create``. A number outside answers exactly like an unregistered one."""
    if user.role not in EDIT_REGISTRY_ROLES:
        return Cadre.objects.none()
    return cadres_visible(user)


def villages_nominable(user: User) -> QuerySet[Village]:
    """The villages a nomination may name as 拟派驻村 (``nomination_create``). A nomination is
    posted by the unit's same-level body (SEL.METHOD.FLOW) into a village that body may edit:
    a county-level unit's into its county, a prefecture- or province-level unit's anywhere in
    the prefecture — so that is what a unit may name; any other village answers like one that
    does not exist."""
    if user.role == UserRole.ADMIN:
        return Village.objects.all()
    if user.role != UserRole.UNIT or not user.unit_id:
        return Village.objects.none()
    unit = user.unit
    if unit.level == UnitLevel.COUNTY:
        if unit.jurisdiction_id is None:
            return Village.objects.none()
        return Village.objects.filter(jurisdiction__path__startswith=unit.jurisdiction.path)
    return Village.objects.all()


def postings_editable(user: User) -> QuerySet[Posting]:
    if user.role not in EDIT_REGISTRY_ROLES:
        return Posting.objects.none()
    return postings_visible(user)


# ---- personal data -----------------------------------------------------------------------


def reads_full_id_numbers(user: User) -> bool:
    """Whether ``user`` reads the full ID number of every cadre it sees (the organisation
    departments, and a unit, which sees only its own cadres)."""
    return user.role in FULL_PERSONAL_DATA_ROLES or (
        user.role == UserRole.UNIT and bool(user.unit_id)
    )


def cadres_fully_readable(user: User) -> Q:
    """The cadres whose personal fields ``user`` reads in full, as a filter — the rule of
    ``personal_fields_visible_for`` (the search matches full ID numbers only among these)."""
    if user.role in FULL_PERSONAL_DATA_ROLES:
        return Q()
    cond = Q(pk__in=[])
    if user.role == UserRole.UNIT and user.unit_id:
        cond |= Q(unit_id=user.unit_id)
    if user.cadre_id:
        cond |= Q(pk=user.cadre_id)
    return cond


def personal_fields_visible(user: User, cadre: Cadre) -> frozenset[str]:
    """Which of PERSONAL_FIELDS ``user`` may read in full for ``cadre``. What is shown of the
    rest (masked ID number, birth year only, …) is ``disclosure.cadre_view``."""
    return personal_fields_visible_for(user, unit_id=cadre.unit_id, cadre_id=cadre.pk)


def personal_fields_visible_for(
    user: User, *, unit_id: int | None, cadre_id: int | None
) -> frozenset[str]:
    if user.role in FULL_PERSONAL_DATA_ROLES:
        return frozenset(PERSONAL_FIELDS)
    if user.role == UserRole.UNIT and unit_id is not None and unit_id == user.unit_id:
        return frozenset(PERSONAL_FIELDS)
    if user.cadre_id and user.cadre_id == cadre_id:
        return frozenset(PERSONAL_FIELDS)
    if user.role in PHONE_ROLES:
        return frozenset({"phone"})
    return frozenset()
