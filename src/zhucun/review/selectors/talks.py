"""GUA.3.TALK: talks within the user's scope, and the cadres due a talk.

A cadre is due when their latest talk is before ``talk_due_since(today)`` (the parameter
``talk_max_interval_months``, per the county of the village they are posted to) or when they
have had none. The list is computed in the database: the last talk is a Max subquery and the
boundary per county a CASE; only the page's rows get their finding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    Case,
    DateField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from zhucun.accounts.models import User, UserRole
from zhucun.params.selectors import parameters_current
from zhucun.policy.parameters import Parameters
from zhucun.policy.review import talk_due_since, talk_findings
from zhucun.registry.models import Jurisdiction, Level, Posting, PostingStatus

from ..models import Talk
from ..scope import talk_visible_q


def talk_list(
    *,
    user: User,
    cadre: int | None = None,
    q: str = "",
    since: Any = None,
    until: Any = None,
    talker_kind: str = "",
) -> QuerySet[Talk]:
    """The talks ``user`` may see, newest first (a queryset for the caller to paginate).
    ``q``: the cadre's name; ``since``/``until``: 谈话日期 within (inclusive)."""
    qs = Talk.objects.filter(talk_visible_q(user)).select_related("cadre__unit")
    if cadre is not None:
        qs = qs.filter(cadre_id=cadre)
    if q:
        qs = qs.filter(cadre__name__contains=q)
    if since:
        qs = qs.filter(held_on__gte=since)
    if until:
        qs = qs.filter(held_on__lte=until)
    if talker_kind:
        qs = qs.filter(talker_kind=talker_kind)
    return qs.order_by("-held_on", "-id")


def _counties(user: User) -> QuerySet[Jurisdiction]:
    """The counties whose villages may hold postings in ``user``'s scope (all for the unit
    and the admin: a unit's cadres may serve anywhere)."""
    counties = Jurisdiction.objects.filter(level=Level.COUNTY)
    if user.role in (UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP):
        if not user.jurisdiction_id:
            return counties.none()
        if user.role == UserRole.PREFECTURE:
            return counties.filter(path__startswith=user.jurisdiction.path)
        return counties.filter(code__in=user.jurisdiction.chain_codes())
    return counties


def due_since_expression(
    user: User, today: dt.date, params: Parameters | None = None
) -> Case | Value:
    """``talk_due_since(today)`` per row's county as SQL: one value when all counties agree,
    else a CASE on the village's jurisdiction path."""
    params = params or parameters_current()
    home = talk_due_since(today=today, params=params)
    by_county = [
        (path, talk_due_since(today=today, params=params, jurisdiction=code))
        for path, code in _counties(user).values_list("path", "code")
    ]
    differing = [(path, since) for path, since in by_county if since != home]
    if not differing:
        return Value(home, output_field=DateField())
    return Case(
        *[
            When(village__jurisdiction__path__startswith=path, then=Value(since))
            for path, since in differing
        ],
        default=Value(home),
        output_field=DateField(),
    )


def talks_overdue(
    *, user: User, today: dt.date, params: Parameters | None = None
) -> QuerySet[Posting]:
    """GUA.3.TALK: the active postings in ``user``'s scope (a unit: its own cadres) whose
    cadre has had no talk since the boundary, annotated ``last_talk`` and ``due_since``;
    those never talked with first, then the longest ago."""
    last = (
        Talk.objects.filter(cadre_id=OuterRef("cadre_id"))
        .values("cadre_id")
        .annotate(last=Max("held_on"))
        .values("last")[:1]
    )
    return (
        Posting.objects.filter(status=PostingStatus.ACTIVE)
        .filter(talk_visible_q(user))
        .select_related("cadre__unit", "village__jurisdiction")
        .annotate(
            last_talk=Subquery(last, output_field=DateField()),
            due_since=due_since_expression(user, today, params),
        )
        .filter(Q(last_talk__isnull=True) | Q(last_talk__lt=F("due_since")))
        .order_by(
            Coalesce("last_talk", Value(dt.date.min, output_field=DateField())),
            "cadre__name",
            "id",
        )
    )


def overdue_rows(
    postings: Iterable[Posting], *, today: dt.date, params: Parameters | None = None
) -> list[dict[str, Any]]:
    """The page's rows with their GUA.3.TALK finding (the county's parameter value)."""
    params = params or parameters_current()
    rows = []
    for p in postings:
        code = p.village.jurisdiction.code
        findings = talk_findings(
            name=p.cadre.name,
            last_talk=getattr(p, "last_talk", None),
            today=today,
            params=params,
            jurisdiction=code,
        )
        rows.append({"posting": p, "cadre": p.cadre, "findings": findings})
    return rows
