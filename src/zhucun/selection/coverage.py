"""SEL.SCOPE.COVER: every village of a jurisdiction with its team and every finding.

Counting and ordering happen in the database (uncovered villages first, then villages whose
team breaks the composition rule, then the rest); the policy's ``check_team`` then explains
each row of the page being shown, so the figures and the findings come from one rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from zhucun.accounts.models import User
from zhucun.params.selectors import parameters_current
from zhucun.policy import Finding
from zhucun.registry import scopes
from zhucun.registry.models import Posting, PostingStatus, Role, Village

from .adapters import team_member_of
from .models import CompositionException
from .services.team import team_findings

# Settled reading of SEL.SCOPE.CAT3/OTHER: only a first secretary fills the FS slot; a team
# leader who is not first secretary counts as a team member.
TM_ROLES = (Role.TEAM_MEMBER, Role.TEAM_LEADER)
CAT3 = Q(former_poor=True) | Q(relocation=True) | Q(border=True)


@dataclass
class CoverageRow:
    village: Village
    team: list[Posting]
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> str:
        if not self.team:
            return "未覆盖"
        if any(f.severity == "error" for f in self.findings):
            return "不符合"
        if any(f.clause == "SEL.SCOPE.ADJUST" for f in self.findings):
            return "例外"
        if any(f.severity == "warning" for f in self.findings):
            return "需说明"
        return "符合"


def coverage_queryset(
    *,
    user: User | None,
    on: dt.date,
    county: str = "",
    township: str = "",
    only_problems: bool = False,
) -> QuerySet[Village]:
    """Villages in scope annotated with their team counts and ordered worst first."""
    qs = scopes.villages_visible(user) if user is not None else Village.objects.all()
    if county:
        qs = qs.filter(Q(township__parent__code=county) | Q(township__parent__name=county))
    if township:
        qs = qs.filter(Q(township__code=township) | Q(township__name=township))
    params = parameters_current()
    home = scopes_home(user)

    def limit(name: str) -> int:
        return params.int_value(name, on=on, jurisdiction=home)

    active = Q(postings__status=PostingStatus.ACTIVE)
    exception = CompositionException.objects.filter(
        village=OuterRef("pk"), valid_from__lte=on
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    qs = (
        qs.annotate(
            team_size=Count("postings", filter=active),
            fs_count=Count("postings", filter=active & Q(postings__role=Role.FIRST_SECRETARY)),
            tm_count=Count("postings", filter=active & Q(postings__role__in=TM_ROLES)),
            has_exception=Exists(exception),
        )
        .annotate(
            is_cat3=Case(When(CAT3, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        .annotate(
            rank=Case(
                When(team_size=0, then=Value(0)),
                When(has_exception=True, then=Value(2)),
                When(
                    Q(is_cat3=1)
                    & (
                        Q(fs_count__lt=limit("cat3_min_first_secretaries"))
                        | Q(tm_count__lt=limit("cat3_min_team_members"))
                        | Q(team_size__gt=limit("cat3_max_team_size"))
                    ),
                    then=Value(1),
                ),
                When(
                    Q(is_cat3=0) & Q(fs_count__lt=limit("other_min_first_secretaries")),
                    then=Value(1),
                ),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
    )
    if only_problems:
        qs = qs.filter(rank__lt=3)
    return qs.select_related("jurisdiction", "township", "township__parent").order_by(
        "rank", "jurisdiction__code"
    )


def scopes_home(user: User | None) -> str | tuple[()]:
    if user is not None and user.jurisdiction_id:
        return user.jurisdiction.code
    return ()


def coverage_rows(villages: Iterable[Village], *, on: dt.date) -> list[CoverageRow]:
    """The findings for a page of villages (their teams fetched in one query)."""
    villages = list(villages)
    teams: dict[int, list[Posting]] = {v.pk: [] for v in villages}
    for p in (
        Posting.objects.filter(village_id__in=teams, status=PostingStatus.ACTIVE)
        .select_related("cadre", "cadre__unit")
        .order_by("role", "arrival_date", "id")
    ):
        teams[p.village_id].append(p)
    params = parameters_current()  # once per page, not once per village
    rows = []
    for v in villages:
        members = [team_member_of(p) for p in teams[v.pk]]
        findings = team_findings(
            village=v,
            on=on,
            members=members,
            params=params,
            may_have_exception=getattr(v, "has_exception", True),  # annotated for ``on``
        )
        rows.append(CoverageRow(v, teams[v.pk], findings))
    return rows


def coverage_iter(qs: QuerySet[Village], *, on: dt.date, chunk: int = 500) -> Iterator[CoverageRow]:
    """All rows of a report, a chunk of villages at a time (exports, the CLI)."""
    offset = 0
    while True:
        page = list(qs[offset : offset + chunk])
        if not page:
            return
        yield from coverage_rows(page, on=on)
        offset += chunk


def coverage_summary(qs: QuerySet[Village]) -> dict[str, Any]:
    return qs.aggregate(
        villages=Count("pk"),
        uncovered=Count("pk", filter=Q(rank=0)),
        failing=Count("pk", filter=Q(rank=1)),
        exceptions=Count("pk", filter=Q(rank=2)),
        cat3=Count("pk", filter=Q(is_cat3=1)),
    )


__all__ = [
    "CoverageRow",
    "coverage_iter",
    "coverage_queryset",
    "coverage_rows",
    "coverage_summary",
    "Prefetch",
]
