"""The one place that decides which attendance records a user may see.

Built on ``zhucun.registry.scopes``: a team member sees their own records; a first secretary
the team's (their village's); a village secretary the village's; a township its villages; a
county or the prefecture its subtree; a dispatching unit its own cadres wherever they serve;
the admin everything. Outside the scope a record does not exist (404).

Every attendance model carries ``cadre`` and ``village``, so one ``Q`` serves them all."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from zhucun.accounts.models import User, UserRole
from zhucun.registry import scopes as registry_scopes

from .models import (
    CheckIn,
    DiaryEntry,
    FraudSignal,
    Interview,
    LeaveRequest,
    MonthlyAttendance,
    MonthlySummary,
)

M = TypeVar("M", bound=Model)
NOTHING = Q(pk__in=[])


def managed_q(user: User, *, cadre: str = "cadre") -> Q:
    """MGT.3.TALK (settled reading: 按干管权限): the cadres whose organisation department
    ``user`` is — a county's for cadres of county-level units in its county, the prefecture's
    for cadres of prefecture- and province-level units. Wherever the cadre serves."""
    unit = f"{cadre}__unit"
    if user.role == UserRole.ADMIN:
        return Q()
    if user.role not in (UserRole.PREFECTURE, UserRole.COUNTY) or not user.jurisdiction_id:
        return NOTHING
    if user.role == UserRole.COUNTY:
        return Q(**{f"{unit}__level": "county"}) & Q(
            **{f"{unit}__jurisdiction__path__startswith": user.jurisdiction.path}
        )
    return Q(**{f"{unit}__level__in": ("prefecture", "province")})


def scope_q(user: User, *, cadre: str = "cadre", village: str = "village") -> Q:
    """The filter for records of ``cadre`` serving in ``village`` that ``user`` may see."""
    if user.role == UserRole.ADMIN:
        return Q()
    if user.role in (UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP):
        if not user.jurisdiction_id:
            return NOTHING
        return Q(**{f"{village}__jurisdiction__path__startswith": user.jurisdiction.path})
    if user.role == UserRole.UNIT:
        return Q(**{f"{cadre}__unit_id": user.unit_id}) if user.unit_id else NOTHING
    if user.role == UserRole.TEAM_MEMBER:
        return Q(**{f"{cadre}_id": user.cadre_id}) if user.cadre_id else NOTHING
    if user.role in (UserRole.FIRST_SECRETARY, UserRole.VILLAGE_SECRETARY):
        village_id = registry_scopes.own_village_id(user)
        q = Q(**{f"{village}_id": village_id}) if village_id else NOTHING
        if user.role == UserRole.FIRST_SECRETARY and user.cadre_id:
            # a cadre always sees their own records, also once the posting has ended (issue 11)
            q |= Q(**{f"{cadre}_id": user.cadre_id})
        return q
    return NOTHING


def _visible(model: type[M], user: User) -> QuerySet[M]:
    return model.objects.filter(scope_q(user))  # type: ignore[attr-defined, no-any-return]


def checkins_visible(user: User) -> QuerySet[CheckIn]:
    return _visible(CheckIn, user)


def fraud_signals_visible(user: User) -> QuerySet[FraudSignal]:
    return _visible(FraudSignal, user)


def diary_visible(user: User) -> QuerySet[DiaryEntry]:
    return _visible(DiaryEntry, user)


def leave_visible(user: User) -> QuerySet[LeaveRequest]:
    return _visible(LeaveRequest, user)


def monthly_visible(user: User) -> QuerySet[MonthlyAttendance]:
    return _visible(MonthlyAttendance, user)


def interviews_visible(user: User) -> QuerySet[Interview]:
    """Interviews in scope, and those the user's organisation department held (MGT.3.TALK)."""
    if user.role in (UserRole.PREFECTURE, UserRole.COUNTY):
        return Interview.objects.filter(scope_q(user) | managed_q(user))
    return _visible(Interview, user)


def summaries_visible(user: User) -> QuerySet[MonthlySummary]:
    if user.role == UserRole.TEAM_MEMBER:
        # A team member sees the summary of the team they serve in.
        village_id = registry_scopes.own_village_id(user)
        return (
            MonthlySummary.objects.filter(village_id=village_id)
            if village_id
            else (MonthlySummary.objects.none())
        )
    if user.role == UserRole.UNIT:
        from zhucun.registry.models import Posting

        villages = Posting.objects.filter(cadre__unit_id=user.unit_id).values("village_id")
        return MonthlySummary.objects.filter(village_id__in=villages)
    q: Any = scope_q(user, cadre="prepared_by")
    return MonthlySummary.objects.filter(q)
