"""Reading the use of assessment results (MGT.5.FEEDBACK, GUA.3.PRIORITY) and the facts the
quarterly review takes from this app (MGT.4.CAUSE: 民主评议满意度较低, 不能胜任).

* ``results_for_unit``: the finalised results a user may read — a unit: its cadres' (its
  inbox); the county, township and prefecture: those of their area — newest year first, the
  ones the unit has not yet received (签收) first within a year.
* ``excellent_results`` / ``latest_excellent``: the 优秀 results surfaced wherever a cadre is
  considered for promotion (GUA.3.PRIORITY).
* ``quarter_incompetent`` / ``satisfaction_counts`` (the votes themselves:
  ``sjsp.cadre_satisfaction``): one quarter's
  三讲三评 votes (MGT.8.SJSP) and 不称职 results, each in one aggregate query."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from zhucun.accounts.models import User
from zhucun.policy.assessment import EXCELLENT, INCOMPETENT, SATISFIED, VOTES

from ..models import Assessment, AssessmentState, SjspTally
from ..scope import assessment_q

YEAR_MIN, YEAR_MAX = 2000, 2099
KIND_SHORT = {"annual": "年度", "term_end": "年期满"}  # "2025年度" / "2026年期满"


def _final(user: User) -> QuerySet[Assessment]:
    return Assessment.objects.filter(assessment_q(user), state=AssessmentState.FINAL)


def _related(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return qs.select_related(
        "cadre__unit",
        "county",
        "posting__village__jurisdiction",
        "posting__village__township",
    )


def results_for_unit(
    *, user: User, year: int | None = None, unreceived_only: bool = False
) -> QuerySet[Assessment]:
    """MGT.5.FEEDBACK: the finalised results ``user`` reads (a unit: its cadres' only)."""
    qs = _final(user)
    if year:
        qs = qs.filter(year=year)
    if unreceived_only:
        qs = qs.filter(unit_received_at__isnull=True)
    return _related(qs).order_by(
        "-year",
        ExpressionWrapper(  # not yet received first
            Q(unit_received_at__isnull=False), output_field=BooleanField()
        ),
        "county__code",
        "cadre__name",
        "kind",
        "pk",
    )


def unreceived_count(*, user: User) -> int:
    """The finalised results not yet received by the unit (its home box)."""
    return _final(user).filter(unit_received_at__isnull=True).count()


def result_years(*, user: User) -> list[int]:
    """The years that have finalised results ``user`` reads, newest first (for a filter)."""
    return list(_final(user).order_by("-year").values_list("year", flat=True).distinct())


def notice_groups(*, user: User, year: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """One 考核结果通知 per year, county and unit: ``[{year, county_id, county__name,
    cadre__unit_id, cadre__unit__name, count}]``, newest year first, at most ``limit``."""
    qs = _final(user)
    if year:
        qs = qs.filter(year=year)
    return list(
        qs.order_by()
        .values("year", "county_id", "county__name", "cadre__unit_id", "cadre__unit__name")
        .annotate(count=Count("pk"))
        .order_by("-year", "county__name", "cadre__unit__name")[:limit]
    )


def excellent_results(*, user: User, cadre_id: int | None = None) -> QuerySet[Assessment]:
    """GUA.3.PRIORITY: the finalised 优秀 results ``user`` reads, newest first."""
    qs = _final(user).filter(grade=EXCELLENT)
    if cadre_id is not None:
        qs = qs.filter(cadre_id=cadre_id)
    return _related(qs).order_by("-year", "cadre__unit__name", "cadre__name", "kind", "pk")


def latest_excellent(
    cadre_ids: Iterable[int], *, user: User | None = None
) -> dict[int, tuple[int, str]]:
    """GUA.3.PRIORITY for a list: cadre id → (year, kind) of the cadre's latest finalised 优秀,
    in one query. With ``user``, only the results that user may read."""
    ids = list(cadre_ids)
    if not ids:
        return {}
    qs = Assessment.objects.filter(cadre_id__in=ids, state=AssessmentState.FINAL, grade=EXCELLENT)
    if user is not None:
        qs = qs.filter(assessment_q(user))
    out: dict[int, tuple[int, str]] = {}
    for cadre_id, year, kind in qs.order_by("cadre_id", "-year", "-finalised_at").values_list(
        "cadre_id", "year", "kind"
    ):
        out.setdefault(cadre_id, (year, kind))
    return out


# ---- the quarterly review's facts (MGT.4.CAUSE) ------------------------------------------------


def _quarter_tallies(*, year: int, quarter: int, area_path: str = "") -> QuerySet[SjspTally]:
    qs = SjspTally.objects.filter(event__year=year, event__quarter=quarter)
    if area_path:
        qs = qs.filter(event__village__jurisdiction__path__startswith=area_path)
    return qs


def satisfaction_counts(
    *, cadre: Any, year: int, quarter: int, area_path: str = ""
) -> tuple[Coalesce, Coalesce]:
    """The (好 + 较好, all votes) of the quarter for the cadre ``cadre`` (an OuterRef), as two
    scalar subqueries, so that a list can be filtered on satisfaction in the database."""
    base = _quarter_tallies(year=year, quarter=quarter, area_path=area_path).filter(cadre_id=cadre)

    def total(fields: Iterable[str]) -> Coalesce:
        names = list(fields)
        expr: Any = Coalesce(Sum(names[0]), Value(0))
        for name in names[1:]:
            expr = expr + Coalesce(Sum(name), Value(0))
        sub = base.order_by().values("cadre_id").annotate(n=expr).values("n")
        return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))

    return total(SATISFIED), total(VOTES)


def _incompetent_in(first: dt.date, last: dt.date) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        state=AssessmentState.FINAL,
        grade=INCOMPETENT,
        finalised_at__date__range=(first, last),
    )


def incompetent_label(year: int, kind: str) -> str:
    return f"{year}{KIND_SHORT.get(kind, '年度')}"


def quarter_incompetent(
    *, cadre_ids: Iterable[int], first: dt.date, last: dt.date
) -> dict[int, tuple[str, ...]]:
    """MGT.4.CAUSE 不能胜任: cadre id → the labels ("2025年度", "2026年期满") of the
    assessments finalised 不称职 between ``first`` and ``last``; one query."""
    ids = list(cadre_ids)
    if not ids:
        return {}
    out: dict[int, list[str]] = defaultdict(list)
    for cadre_id, year, kind in (
        _incompetent_in(first, last)
        .filter(cadre_id__in=ids)
        .order_by("cadre_id", "year", "kind")
        .values_list("cadre_id", "year", "kind")
    ):
        out[cadre_id].append(incompetent_label(year, kind))
    return {k: tuple(v) for k, v in out.items()}


def incompetent_exists(*, cadre: Any, first: dt.date, last: dt.date) -> Exists:
    """An EXISTS for a list: the cadre ``cadre`` (an OuterRef) has a 不称职 finalised in the
    period."""
    return Exists(_incompetent_in(first, last).filter(cadre_id=cadre))


def excellent_years(*, user: User, cadre_id: int) -> list[int]:
    """GUA.3.PRIORITY: the years of the cadre's 优秀 results ``user`` reads, newest first."""
    qs = _final(user).filter(grade=EXCELLENT, cadre_id=cadre_id)
    return list(qs.order_by("-year").values_list("year", flat=True).distinct())
