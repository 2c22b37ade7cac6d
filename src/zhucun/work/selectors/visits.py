"""Village groups and visits, read side (MGT.8.GROUPS, MGT.8.VISITS, DUT.2).

Every list is a queryset computed in the database (Exists / Subquery / Count), for the caller
to paginate; only the page's rows get their finding. Household names are personal data: shown
to the team, the village secretary, the township and above, masked (first character + *) for
the others (``household_names_visible``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import NotFound
from zhucun.params.selectors import parameters_current
from zhucun.policy.findings import Finding
from zhucun.policy.parameters import Parameters
from zhucun.policy.work import VISIT_PURPOSE_LABELS, unvisited_findings
from zhucun.registry.models import Jurisdiction, Level, Posting, PostingStatus, Village

from ..models import GroupContact, Household, Visit
from ..scope import household_names_visible, village_q, villages_readable

VISIT_NOT_FOUND = "走访记录不存在或不在您的管辖范围内"


# ---- names -------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """张** : the first character and a star for each of the others (at least one)."""
    name = str(name or "")
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def household_name(user: User, household: Household) -> str:
    if household_names_visible(user):
        return household.head_name
    return mask_name(household.head_name)


def purpose_labels(codes: Iterable[str]) -> list[str]:
    return [VISIT_PURPOSE_LABELS.get(c, c) for c in codes or ()]


# ---- months ------------------------------------------------------------------------------


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


# ---- groups ------------------------------------------------------------------------------


def _team_posted() -> Exists:
    """The group's village has a team in post."""
    return Exists(
        Posting.objects.filter(
            village__jurisdiction_id=OuterRef("parent_id"), status=PostingStatus.ACTIVE
        )
    )


def groups_readable(user: User) -> QuerySet[Jurisdiction]:
    """The village groups of the villages ``user`` may read, with ``village_id`` and
    ``village_name``."""
    qs = Jurisdiction.objects.filter(level=Level.VILLAGE_GROUP, parent__village__isnull=False)
    if user.role != UserRole.ADMIN:
        qs = qs.filter(parent__village__in=villages_readable(user).values("pk"))
    return qs.annotate(
        village_id=F("parent__village__id"),
        village_name=F("parent__name"),
        village_code=F("parent__code"),
    )


def _contact_on(day: dt.date) -> QuerySet[GroupContact]:
    return GroupContact.objects.filter(group_id=OuterRef("pk"), since__lte=day).filter(
        Q(until__isnull=True) | Q(until__gte=day)
    )


def village_groups(
    *, user: User, village: int | None = None, on: dt.date | None = None
) -> QuerySet[Jurisdiction]:
    """MGT.8.GROUPS: the groups in scope with their contact on ``on`` (today): ``contact_id``,
    ``contact_cadre_id``, ``contact_name``, ``contact_since`` (None when there is none)."""
    from django.utils import timezone

    day = on or timezone.localdate()
    current = _contact_on(day).order_by("-since")
    qs = groups_readable(user)
    if village is not None:
        qs = qs.filter(parent__village__id=village)
    return qs.annotate(
        contact_id=Subquery(current.values("pk")[:1]),
        contact_cadre_id=Subquery(current.values("cadre_id")[:1]),
        contact_name=Subquery(current.values("cadre__name")[:1]),
        contact_since=Subquery(current.values("since")[:1]),
    ).order_by("parent__code", "code")


def groups_without_contact(*, user: User, on: dt.date) -> QuerySet[Jurisdiction]:
    """MGT.8.GROUPS: the groups of villages in scope with a team in post and no contact on
    ``on``, by village and group code."""
    return (
        groups_readable(user)
        .filter(_team_posted())
        .exclude(Exists(_contact_on(on)))
        .order_by("parent__code", "code")
    )


def _counties(user: User) -> QuerySet[Jurisdiction]:
    counties = Jurisdiction.objects.filter(level=Level.COUNTY)
    if user.role in (UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP):
        if not user.jurisdiction_id:
            return counties.none()
        if user.role == UserRole.PREFECTURE:
            return counties.filter(path__startswith=user.jurisdiction.path)
        return counties.filter(code__in=user.jurisdiction.chain_codes())
    return counties


def minimum_expression(user: User, month: dt.date, params: Parameters) -> Case | Value:
    """``visits_min_per_month`` per row's county as SQL: one value when all counties agree,
    else a CASE on the group's jurisdiction path."""
    home = params.int_value("visits_min_per_month", on=month)
    differing = [
        (path, n)
        for path, code in _counties(user).values_list("path", "code")
        if (n := params.int_value("visits_min_per_month", on=month, jurisdiction=code)) != home
    ]
    if not differing:
        return Value(home, output_field=IntegerField())
    return Case(
        *[When(path__startswith=path, then=Value(n)) for path, n in differing],
        default=Value(home),
        output_field=IntegerField(),
    )


def unvisited_groups(
    *, user: User, month: dt.date, params: Parameters | None = None
) -> QuerySet[Jurisdiction]:
    """MGT.8.VISITS: the groups in scope with a contact during ``month`` visited fewer than
    ``visits_min_per_month`` times in it, annotated ``visits``, ``minimum``, ``contact_name``
    (the contact at the month's end, or the last one in the month)."""
    params = params or parameters_current()
    first, last = month_bounds(month)
    in_month = GroupContact.objects.filter(group_id=OuterRef("pk"), since__lte=last).filter(
        Q(until__isnull=True) | Q(until__gte=first)
    )
    visits = (
        Visit.objects.filter(group_id=OuterRef("pk"), visited_on__range=(first, last))
        .order_by()
        .values("group_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        groups_readable(user)
        .filter(Exists(in_month))
        .annotate(
            visits=Coalesce(Subquery(visits, output_field=IntegerField()), Value(0)),
            minimum=minimum_expression(user, first, params),
            contact_name=Subquery(in_month.order_by("-since").values("cadre__name")[:1]),
        )
        .filter(visits__lt=F("minimum"))
        .order_by("parent__code", "code")
    )


def unvisited_rows(
    groups: Iterable[Jurisdiction], *, month: dt.date, params: Parameters | None = None
) -> list[dict[str, Any]]:
    """The page's rows with their MGT.8.VISITS finding."""
    params = params or parameters_current()
    rows = []
    for g in groups:
        findings: list[Finding] = unvisited_findings(
            village=getattr(g, "village_name", ""),
            group=g.name,
            month=month.replace(day=1),
            visits=getattr(g, "visits", 0),
            params=params,
            jurisdiction=getattr(g, "village_code", ""),
        )
        rows.append({"group": g, "findings": findings})
    return rows


# ---- households --------------------------------------------------------------------------


def household_list(
    *, user: User, group: int | None = None, village: int | None = None
) -> QuerySet[Household]:
    qs = Household.objects.filter(group_id__in=groups_readable(user).values("pk")).select_related(
        "group"
    )
    if group is not None:
        qs = qs.filter(group_id=group)
    if village is not None:
        qs = qs.filter(group__parent__village__id=village)
    return qs.order_by("group__code", "head_name", "id")


# ---- visits ------------------------------------------------------------------------------


def _visits(user: User) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(village_q(user))
        .select_related("group", "cadre", "village__jurisdiction", "acknowledged_by")
        .prefetch_related(Prefetch("households", queryset=Household.objects.order_by("id")))
    )


def visit_list(
    *, user: User, village: int | None = None, month: dt.date | None = None
) -> QuerySet[Visit]:
    qs = _visits(user)
    if village is not None:
        qs = qs.filter(village_id=village)
    if month is not None:
        qs = qs.filter(visited_on__range=month_bounds(month))
    return qs.order_by("-visited_on", "-id")


def visit_get(*, user: User, pk: int) -> Visit:
    visit = _visits(user).filter(pk=pk).first()
    if visit is None:
        raise NotFound(VISIT_NOT_FOUND)
    return visit


def risk_visits(*, user: User, open_only: bool = True) -> QuerySet[Visit]:
    """MGT.8.VISITS: visits that found a return-to-poverty risk (the township's flag list);
    ``open_only``: not yet acknowledged. Oldest first (the longest waiting on top)."""
    qs = _visits(user).filter(risk_found=True)
    if open_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    return qs.order_by("visited_on", "id")


def open_risk_households(*, user: User) -> int:
    """The households named in unacknowledged risk visits in scope (the township home)."""
    return (
        Household.objects.filter(visits__in=risk_visits(user=user).order_by().values("pk"))
        .distinct()
        .count()
    )


def visit_ledger(*, village: Village, month: dt.date) -> QuerySet[Visit]:
    """走访台账: the village's visits of the month, in date order."""
    return (
        Visit.objects.filter(village=village, visited_on__range=month_bounds(month))
        .select_related("group", "cadre")
        .prefetch_related(Prefetch("households", queryset=Household.objects.order_by("id")))
        .order_by("visited_on", "id")
    )


def visit_row(user: User, v: Visit) -> dict[str, Any]:
    """One visit as people read it (household names masked per role)."""
    households = list(v.households.all())
    return {
        "visit": v,
        "purposes": purpose_labels(v.purposes),
        "households": [household_name(user, h) for h in households],
        "risk_households": [
            household_name(user, h) for h in households if h.risk_return_to_poverty
        ],
    }
