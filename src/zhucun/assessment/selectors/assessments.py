"""Reading assessments (MGT.5.ANNUAL): the list in the user's scope (county, year, state and
kind filters; the number of voter groups heard counted in SQL), one assessment, its
opinions, and the resident cadres' 优秀 quota of a county-year (MGT.5.GRADE)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.params.selectors import parameters_current
from zhucun.policy.assessment import EXCELLENT, excellent_quota
from zhucun.policy.errors import ParameterUnset
from zhucun.registry.models import Jurisdiction, Posting

from ..models import Assessment, AssessmentOpinion, AssessmentState
from ..scope import assessment_counties, assessment_q

ANNUAL = "annual"


def quota_on() -> dt.date:
    """The day whose ``excellent_quota_ratio`` applies: the ratio in force when the body
    decides (today)."""
    return timezone.localdate()


def quota_figures(county: Jurisdiction, year: int) -> tuple[int, int | None, int]:
    """(assessed, quota, used) of the resident cadres' 优秀 quota of ``county`` and ``year``
    (MGT.5.GRADE): annual assessments only, finalised 优秀 only. The dispatching unit and the
    village are never looked at — their own 优秀 quotas are not the system's business."""
    annual = Assessment.objects.filter(county=county, year=year, kind=ANNUAL)
    assessed = annual.count()
    used = annual.filter(state=AssessmentState.FINAL, grade=EXCELLENT).count()
    quota = excellent_quota(
        assessed=assessed, params=parameters_current(), on=quota_on(), jurisdiction=county.code
    )
    return assessed, quota, used


def assessment_list(
    *,
    user: User,
    county: str = "",
    year: int | None = None,
    state: str = "",
    kind: str = "",
    q: str = "",
) -> QuerySet[Assessment]:
    """The assessments ``user`` may read, by year, county, village and name; each with
    ``opinion_groups`` (how many of the three groups have been heard)."""
    qs = Assessment.objects.filter(assessment_q(user))
    if county:
        qs = qs.filter(county__code=county)
    if year:
        qs = qs.filter(year=year)
    if state in AssessmentState.values:
        qs = qs.filter(state=state)
    if kind in ("annual", "term_end"):
        qs = qs.filter(kind=kind)
    if q:  # the cadre's name
        qs = qs.filter(cadre__name__contains=q)
    return (
        qs.select_related(
            "cadre__unit",
            "county",
            "posting__village__jurisdiction",
            "posting__village__township",
        )
        .annotate(opinion_groups=Count("opinions__group", distinct=True))
        .order_by(
            "-year", "county__code", "posting__village__jurisdiction__code", "cadre__name", "pk"
        )
    )


def assessment_get(*, user: User, assessment_id: int) -> Assessment | None:
    return assessment_list(user=user).filter(pk=assessment_id).first()


def opinion_list(*, assessment: Assessment) -> QuerySet[AssessmentOpinion]:
    return AssessmentOpinion.objects.filter(assessment=assessment).order_by("group", "pk")


@dataclass(frozen=True)
class QuotaStatus:
    """MGT.5.GRADE: the resident cadres' 优秀 quota of one county and year."""

    county: Jurisdiction
    year: int
    assessed: int
    quota: int | None  # None: the jurisdiction has not set the ratio
    used: int
    ratio: Fraction | None

    @property
    def remaining(self) -> int | None:
        return None if self.quota is None else max(self.quota - self.used, 0)

    @property
    def ratio_text(self) -> str:
        return "" if self.ratio is None else f"{float(self.ratio):.0%}"


def quota_status(*, county: Jurisdiction, year: int) -> QuotaStatus:
    assessed, quota, used = quota_figures(county, year)
    try:
        ratio = parameters_current().fraction_value(
            "excellent_quota_ratio", on=quota_on(), jurisdiction=county.code
        )
    except ParameterUnset:
        ratio = None
    return QuotaStatus(county, year, assessed, quota, used, ratio)


def quota_county(*, user: User, code: str = "") -> Jurisdiction | None:
    """The county whose quota ``user`` is shown: the given code within their counties, else
    their own county (the county body)."""
    counties = assessment_counties(user)
    if code:
        return counties.filter(code=code).first()
    if counties.count() == 1:
        return counties.first()
    return None


def term_end_candidates(
    *, county: Jurisdiction, today: dt.date, window_days: int
) -> QuerySet[Posting]:
    """MGT.5.ANNUAL 驻村期满考核: the county's postings whose term ends within ``window_days``
    (the term-end notice window, MGT.9.HANDOVER) or ended within the last year, without a
    term-end assessment yet; the soonest end first."""
    assessed = Assessment.objects.filter(posting=OuterRef("pk"), kind="term_end")
    end = Coalesce("actual_end", "planned_end")
    return (
        Posting.objects.filter(village__jurisdiction__path__startswith=county.path)
        .annotate(end=end)
        .filter(
            end__isnull=False,
            end__lte=today + dt.timedelta(days=window_days),
            end__gte=today - dt.timedelta(days=366),
        )
        .exclude(Exists(assessed))
        .select_related("cadre", "village__jurisdiction")
        .order_by("end", "pk")
    )
