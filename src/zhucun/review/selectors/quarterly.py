"""Reading quarterly reviews (MGT.4.REVIEW): the list (prefecture: every county of its area ×
state; county: its own), the rows of one review with the facts computed in the database,
and the evidence of one page of rows with the MGT.4.CAUSE suggestions.

A draft shows the facts live; a signed review shows what was frozen at signing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.assessment.selectors.feedback import (
    incompetent_exists,
    quarter_incompetent,
    satisfaction_counts,
)
from zhucun.assessment.selectors.sjsp import cadre_satisfaction
from zhucun.attendance.models import CheckIn, DiaryEntry, FraudSignal, MonthlyAttendance
from zhucun.params.selectors import parameters_current
from zhucun.policy.assessment import Tally, satisfaction, threshold
from zhucun.policy.parameters import Parameters
from zhucun.policy.review import (
    DisciplineFact,
    QuarterFacts,
    quarter_bounds,
    quarter_months,
    recall_suggestions,
)
from zhucun.registry.models import Jurisdiction, Role
from zhucun.work.report_facts import late_or_missing, monthly_states

from ..models import (
    DisciplineRecord,
    QuarterlyReview,
    ReviewCorrection,
    ReviewEntry,
    ReviewState,
)
from ..scope import review_counties

RATE_FIELDS = ("rate_1", "rate_2", "rate_3")
SATISFACTION_NONE = "本季度未评议"  # no 三讲三评 votes for the cadre in the quarter


def review_list(
    *, user: User, year: int | None = None, quarter: int | None = None, state: str = ""
) -> QuerySet[QuarterlyReview]:
    """The reviews ``user`` may read, newest quarter first, each with its number of rows."""
    qs = QuarterlyReview.objects.filter(county__in=review_counties(user))
    if year:
        qs = qs.filter(year=year)
    if quarter:
        qs = qs.filter(quarter=quarter)
    if state in ReviewState.values:
        qs = qs.filter(state=state)
    return (
        qs.select_related("county", "signed_by", "started_by")
        .annotate(entry_count=Count("entries"))
        .order_by("-year", "-quarter", "county__code", "pk")
    )


def review_county_status(*, user: User, year: int, quarter: int) -> QuerySet[Jurisdiction]:
    """Every county ``user`` may read, each with its review of ``year``/``quarter``
    (``review_id``, ``review_state``; None when not started) and its row count, by code."""
    reviews = QuarterlyReview.objects.filter(county_id=OuterRef("pk"), year=year, quarter=quarter)
    return (
        review_counties(user)
        .annotate(
            review_id=Subquery(reviews.values("pk")[:1]),
            review_state=Subquery(reviews.values("state")[:1]),
            review_entries=Subquery(
                ReviewEntry.objects.filter(review_id=OuterRef("review_id"))
                .order_by()
                .values("review_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
        )
        .order_by("code")
    )


def review_get(*, user: User, review_id: int) -> QuarterlyReview | None:
    return (
        QuarterlyReview.objects.filter(county__in=review_counties(user), pk=review_id)
        .select_related("county", "signed_by", "started_by")
        .first()
    )


def absent_months_min(review: QuarterlyReview, params: Parameters | None = None) -> int:
    """MGT.4.CAUSE: the months below working days without a valid reason that make a cadre
    "长期不在岗" (parameter ``recall_absent_months_min`` of the review's county)."""
    params = params or parameters_current()
    _, last = quarter_bounds(review.year, review.quarter)
    return params.int_value("recall_absent_months_min", on=last, jurisdiction=review.county.code)


def _count_of(qs: QuerySet[Any], key: str) -> Coalesce:
    """The number of rows of ``qs`` (filtered on one OuterRef ``key``), as a scalar subquery:
    GROUP BY the key gives one row."""
    sub = qs.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _count(qs: QuerySet[Any]) -> Coalesce:
    return _count_of(qs, "cadre_id")


def review_rows(*, review: QuarterlyReview, suggested_only: bool = False) -> QuerySet[ReviewEntry]:
    """The rows of ``review``, by village and role, annotated in SQL: the three months' rates
    (``rate_1``..``rate_3``), ``absent_months`` (below working days without a valid reason),
    ``fraud_open`` (unresolved fraud signals on the quarter's check-ins), ``discipline``
    (standing records that occurred in the quarter) and ``missing_diaries`` (counted
    check-in days without a diary), ``sjsp_satisfied`` / ``sjsp_total`` (the quarter's
    三讲三评 votes in the county, MGT.8.SJSP) and ``incompetent`` (an assessment finalised
    不称职 in the quarter, MGT.5.GRADE). ``suggested_only``: rows with a MGT.4.CAUSE
    suggestion (a discipline record, ``recall_absent_months_min`` months, satisfaction below
    ``sjsp_satisfaction_threshold`` when set — compared exactly, in integers — or a 不称职)
    — for a signed review, the rows whose frozen suggestions are not empty."""
    qs = (
        ReviewEntry.objects.filter(review=review)
        .select_related(
            "cadre__unit",
            "posting__village__jurisdiction",
            "posting__village__township",
        )
        .order_by("posting__village__jurisdiction__code", "posting__role", "cadre__name", "pk")
    )
    if review.state == ReviewState.SIGNED:
        latest = ReviewCorrection.objects.filter(entry_id=OuterRef("pk")).order_by("-pk")
        qs = qs.annotate(
            corrected=Subquery(latest.values("conclusion")[:1]),
            correction_count=_count_of(
                ReviewCorrection.objects.filter(entry_id=OuterRef("pk")), "entry_id"
            ),
        )
        if suggested_only:
            qs = qs.filter(suggestions__0__clause__isnull=False)
        return qs
    first, last = quarter_bounds(review.year, review.quarter)
    months = quarter_months(review.year, review.quarter)
    cadre = OuterRef("cadre_id")
    month_rows = MonthlyAttendance.objects.filter(cadre_id=cadre)
    rates = {
        name: Subquery(
            month_rows.filter(month=m).values("rate")[:1],
            output_field=DecimalField(max_digits=6, decimal_places=4),
        )
        for name, m in zip(RATE_FIELDS, months, strict=True)
    }
    diary = DiaryEntry.objects.filter(cadre_id=OuterRef("cadre_id"), day=OuterRef("day"))
    satisfied, votes = satisfaction_counts(
        cadre=cadre, year=review.year, quarter=review.quarter, area_path=review.county.path
    )
    qs = qs.annotate(
        sjsp_satisfied=satisfied,
        sjsp_total=votes,
        incompetent=incompetent_exists(cadre=cadre, first=first, last=last),
        **rates,
        absent_months=_count(month_rows.filter(month__in=months, needs_interview=True)),
        fraud_open=_count(
            FraudSignal.objects.filter(
                cadre_id=cadre, resolved_at__isnull=True, checkin__day__range=(first, last)
            )
        ),
        discipline=_count(
            DisciplineRecord.objects.filter(
                cadre_id=cadre,
                superseded_by__isnull=True,
                occurred_on__range=(first, last),
            )
        ),
        missing_diaries=Coalesce(
            Subquery(
                CheckIn.objects.filter(cadre_id=cadre, counts=True, day__range=(first, last))
                .filter(~Exists(diary))
                .order_by()
                .values("cadre_id")
                .annotate(n=Count("day", distinct=True))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )
    if suggested_only:
        found = (
            Q(discipline__gt=0)
            | Q(absent_months__gte=absent_months_min(review))
            | Q(incompetent=True)
        )
        limit = sjsp_limit(review)
        if limit is not None:  # satisfied / total < p / q  ⇔  satisfied·q − p·total < 0
            qs = qs.alias(
                sjsp_short=F("sjsp_satisfied") * limit.denominator
                - F("sjsp_total") * limit.numerator
            )
            found |= Q(sjsp_total__gt=0, sjsp_short__lt=0)
        qs = qs.filter(found)
    return qs


def sjsp_limit(review: QuarterlyReview, params: Parameters | None = None) -> Fraction | None:
    """MGT.8.SJSP: the county's satisfaction threshold at the quarter's end, or ``None``
    while unset (then satisfaction suggests nothing)."""
    _, last = quarter_bounds(review.year, review.quarter)
    return threshold(
        params=params or parameters_current(), on=last, jurisdiction=review.county.code
    )


@dataclass
class RowFacts:
    """What one row shows: the facts (JSON-able, as frozen at signing) and the suggestions
    ``[{clause, severity, message, data}]``."""

    facts: dict[str, Any]
    suggestions: list[dict[str, Any]]


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.0001")))


def rows_page_facts(
    rows: Sequence[ReviewEntry], *, review: QuarterlyReview, params: Parameters | None = None
) -> dict[int, RowFacts]:
    """For ONE page of ``review_rows``: entry id → its facts and suggestions. A signed
    review answers from the frozen JSON (no query); a draft fetches the evidence of the
    page (which months, which records) in two queries and asks
    ``policy.review.recall_suggestions`` with the current parameters."""
    if review.state == ReviewState.SIGNED:
        return {e.pk: RowFacts(dict(e.facts), list(e.suggestions)) for e in rows}
    if not rows:
        return {}
    params = params or parameters_current()
    first, last = quarter_bounds(review.year, review.quarter)
    months = quarter_months(review.year, review.quarter)
    cadre_ids = [e.cadre_id for e in rows]
    absent: dict[int, list[dt.date]] = defaultdict(list)
    for cadre_id, month in (
        MonthlyAttendance.objects.filter(
            cadre_id__in=cadre_ids, month__in=months, needs_interview=True
        )
        .order_by("month")
        .values_list("cadre_id", "month")
    ):
        absent[cadre_id].append(month)
    records: dict[int, list[DisciplineFact]] = defaultdict(list)
    for r in (
        DisciplineRecord.objects.filter(
            cadre_id__in=cadre_ids, superseded_by__isnull=True, occurred_on__range=(first, last)
        )
        .order_by("occurred_on", "pk")
        .values("pk", "cadre_id", "occurred_on", "outcome", "prohibition")
    ):
        records[r["cadre_id"]].append(
            DisciplineFact(
                record_id=r["pk"],
                occurred_on=r["occurred_on"],
                outcome=r["outcome"],
                prohibition=r["prohibition"],
            )
        )
    votes = cadre_satisfaction(
        cadre_ids=cadre_ids,
        year=review.year,
        quarter=review.quarter,
        area_path=review.county.path,
    )
    incompetent = quarter_incompetent(cadre_ids=cadre_ids, first=first, last=last)
    overdue = quarter_overdue_reports(rows, first=first, last=last, params=params)
    out: dict[int, RowFacts] = {}
    for e in rows:
        tally = votes.get(e.cadre_id)
        facts = QuarterFacts(
            name=e.cadre.name,
            absent_months=tuple(absent.get(e.cadre_id, ())),
            discipline=tuple(records.get(e.cadre_id, ())),
            satisfaction=satisfaction(tally) if tally is not None else None,
            incompetent=incompetent.get(e.cadre_id, ()),
        )
        found = recall_suggestions(facts, on=last, params=params, jurisdiction=review.county.code)
        out[e.pk] = RowFacts(
            facts=facts_json(e, facts, months, tally=tally, overdue_reports=overdue.get(e.pk)),
            suggestions=[f.to_dict() for f in found],
        )
    return out


def _today() -> dt.date:
    return timezone.localdate()


def quarter_overdue_reports(
    rows: Sequence[ReviewEntry], *, first: dt.date, last: dt.date, params: Parameters
) -> dict[int, int | None]:
    """Entry id → the monthly reports of the quarter the first secretary's village submitted
    late or not at all (one query for the page); ``None`` for a cadre not first secretary."""
    fs = [e for e in rows if e.posting.role == Role.FIRST_SECRETARY]
    villages = {e.posting.village_id: e.posting.village.township.code for e in fs}
    states = monthly_states(villages, first, last, _today(), params=params)
    out: dict[int, int | None] = {e.pk: None for e in rows}
    for e in fs:
        out[e.pk] = late_or_missing(states.get(e.posting.village_id, []), first, last)
    return out


def facts_json(
    e: ReviewEntry,
    facts: QuarterFacts,
    months: Iterable[dt.date],
    *,
    tally: Tally | None = None,
    overdue_reports: int | None = None,
) -> dict[str, Any]:
    """The facts of one row as stored at signing (and as the API answers for a draft).
    ``satisfaction`` is the exact fraction as text ("13/15"), ``None`` when nobody voted;
    keys are only ever added (signed reviews keep the shape they were signed with)."""
    return {
        "months": [m.isoformat() for m in months],
        "rates": [_rate(getattr(e, name, None)) for name in RATE_FIELDS],
        "absent_months": [m.isoformat() for m in facts.absent_months],
        "fraud_open": int(getattr(e, "fraud_open", 0) or 0),
        "discipline": [
            {
                "id": d.record_id,
                "occurred_on": d.occurred_on.isoformat(),
                "outcome": d.outcome,
                "prohibition": d.prohibition,
            }
            for d in facts.discipline
        ],
        "missing_diaries": int(getattr(e, "missing_diaries", 0) or 0),
        "satisfaction": None if facts.satisfaction is None else str(facts.satisfaction),
        # MGT.6.MONTHLY: the quarter's monthly reports of the first secretary's village
        # submitted late or not at all (None: the cadre was not the first secretary)
        "overdue_reports": overdue_reports,
        # MGT.8.SJSP: the quarter's votes behind the satisfaction (好 + 较好, all votes)
        "sjsp_votes": (
            None if tally is None else {"satisfied": tally.satisfied, "total": tally.total}
        ),
        "incompetent": list(facts.incompetent),  # MGT.5.GRADE: "2025年度" finalised 不称职
    }
