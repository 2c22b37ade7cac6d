"""研判召回 (MGT.4, GUA.3.TALK): the county's quarterly review of the last quarter not yet
started or signed, the replacements a unit owes after a recall (and, for the county that
decided it, those already overdue), the cadres due a talk. Discipline records wait for
nobody: nothing of them is listed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Min, Q

from zhucun.accounts.models import User, UserRole
from zhucun.core.links import page_url
from zhucun.policy.review import quarter_bounds, quarter_label
from zhucun.registry.selectors import postings_in_period
from zhucun.review.models import QuarterlyReview, ReviewState
from zhucun.review.scope import review_county_editable
from zhucun.review.selectors.recall import replacements_due
from zhucun.review.selectors.talks import talks_overdue

from ..items import TodoItem
from ..registry import provider

R = UserRole


def last_ended_quarter(today: dt.date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3 + 1
    return (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)


@provider(R.COUNTY)
def quarterly_review(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.4.REVIEW: the county body reviews every quarter; the last ended quarter's review
    is to start (if the county had cadres posted then) or to sign. Neither the policy nor the
    parameters set a time limit: no deadline."""
    county = review_county_editable(user)
    if county is None:
        return
    year, quarter = last_ended_quarter(today)
    label = quarter_label(year, quarter)
    review = (
        QuarterlyReview.objects.filter(county=county, year=year, quarter=quarter)
        .values("pk", "state")
        .first()
    )
    if review is None:
        first, last = quarter_bounds(year, quarter)
        if postings_in_period(area_path=county.path, first=first, last=last).exists():
            url = page_url("web:review_quarterly_list") + "#start-review"
            yield TodoItem(
                "review_quarter", f"{label}履职情况分析研判待开展", 1, url, "MGT.4.REVIEW"
            )
    elif review["state"] != ReviewState.SIGNED:
        url = page_url("web:review_quarterly_detail", review["pk"])
        yield TodoItem("review_quarter", f"{label}分析研判待签发报州", 1, url, "MGT.4.REVIEW")


@provider(R.UNIT, R.COUNTY)
def replacements(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.4.CONSEQ "派出单位要另行选派符合条件的人员顶替": the unit owes the replacement
    by ``replacement_due``; the county that decided the recall sees those overdue. One query."""
    agg = replacements_due(user=user, today=today).aggregate(
        n=Count("pk"),
        overdue=Count("pk", filter=Q(replacement_due__lt=today)),
        due=Min("replacement_due"),
        late=Min("replacement_due", filter=Q(replacement_due__lt=today)),
    )
    url = page_url("web:review_replacements")
    if user.role == R.UNIT:
        yield TodoItem(
            "recall_replacement",
            "召回撤换后待选派的顶替人员",
            agg["n"],
            url,
            "MGT.4.CONSEQ",
            agg["due"],
            agg["overdue"],
        )
    else:
        yield TodoItem(
            "recall_replacement_overdue",
            "派出单位逾期未选派的顶替人员",
            agg["overdue"],
            url,
            "MGT.4.CONSEQ",
            agg["late"],
            agg["overdue"],
        )


@provider(R.UNIT, R.TOWNSHIP, R.COUNTY)
def talks_due(user: User, today: dt.date) -> Iterator[TodoItem]:
    """GUA.3.TALK "县(市)级驻村工作领导协调机构、乡镇(街道)党(工)委和派出单位要经常…谈心谈话":
    the cadres in scope without a talk within ``talk_max_interval_months`` — all past it."""
    n = talks_overdue(user=user, today=today).count()
    url = page_url("web:review_talk_overdue")
    yield TodoItem("talk_overdue", "超期未谈心谈话的驻村干部", n, url, "GUA.3.TALK", overdue=n)
