"""考核评议 (MGT.8.SJSP, MGT.5.*): 三讲三评 rectifications to plan and to close, the county's
assessments at each step (opinions to hear, grade to set, to finalise, end-of-term ones to
start) and the results fed back for the unit to sign for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Exists, Min, OuterRef, Q

from zhucun.accounts.models import User, UserRole
from zhucun.assessment.models import Assessment, AssessmentOpinion, AssessmentState
from zhucun.assessment.scope import assessment_county, assessment_q
from zhucun.assessment.selectors import feedback as feedback_read
from zhucun.assessment.selectors.assessments import term_end_candidates
from zhucun.assessment.selectors.sjsp import rectification_list
from zhucun.core.links import page_url
from zhucun.params.selectors import parameters_current
from zhucun.policy.assessment import VOTER_GROUP_LABELS

from ..items import TodoItem
from ..registry import provider

R = UserRole


@provider(R.TOWNSHIP, R.COUNTY)
def rectifications_to_follow(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.8.SJSP: a cadre below the satisfaction threshold rectifies; the body that held the
    三讲三评 records the measures with a due date, then the closing. The township follows
    every rectification in its villages; the county those of the events it held itself."""
    qs = rectification_list(user=user)
    if user.role == R.COUNTY:
        qs = qs.filter(event__recorded_by__role=R.COUNTY)
    planned = ~Q(plan="")
    counts = qs.order_by().aggregate(
        to_plan=Count("pk", filter=~planned),
        to_close=Count("pk", filter=planned),
        first=Min("due", filter=planned),
        late=Count("pk", filter=planned & Q(due__lt=today)),
    )
    url = page_url("web:sjsp_rectifications")
    yield TodoItem("sjsp_plan", "待制定措施的三讲三评整改", counts["to_plan"], url, "MGT.8.SJSP")
    yield TodoItem(
        "sjsp_rectify",
        "待完成的三讲三评整改",
        counts["to_close"],
        url,
        "MGT.8.SJSP",
        due=counts["first"],
        overdue=counts["late"],
    )


@provider(R.FIRST_SECRETARY)
def team_rectifications(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.8.SJSP: the rectifications of the first secretary's team (the township or county
    records the closing; the team does the rectifying by the due date)."""
    counts = (
        rectification_list(user=user)
        .order_by()
        .aggregate(n=Count("pk"), first=Min("due"), late=Count("pk", filter=Q(due__lt=today)))
    )
    yield TodoItem(
        "sjsp_rectify",
        "本村待完成的三讲三评整改",
        counts["n"],
        page_url("web:sjsp_rectifications"),
        "MGT.8.SJSP",
        due=counts["first"],
        overdue=counts["late"],
    )


@provider(R.COUNTY)
def assessments_in_progress(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.5.INPUT / MGT.5.GRADE / MGT.5.ANNUAL: the county's draft assessments by their next
    step — the three groups' opinions to hear, then the appraisal and grade, then finalising —
    counted in one query; each links to the list of the oldest year with that step."""
    county = assessment_county(user)
    if county is None:
        return
    heard = {
        f"heard_{code}": Exists(
            AssessmentOpinion.objects.filter(assessment=OuterRef("pk"), group=code)
        )
        for code in VOTER_GROUP_LABELS
    }
    all_heard = Q(**{name: True for name in heard})
    graded = ~Q(grade="") & ~Q(appraisal="")
    steps = {
        "hear": ~all_heard,
        "grade": all_heard & ~graded,
        "finalise": all_heard & graded,
    }
    counts = (
        Assessment.objects.filter(assessment_q(user), county=county, state=AssessmentState.DRAFT)
        .annotate(**heard)
        .aggregate(
            **{f"n_{k}": Count("pk", filter=q) for k, q in steps.items()},
            **{f"y_{k}": Min("year", filter=q) for k, q in steps.items()},
        )
    )
    titles = {
        "hear": ("assessment_hear", "待听取村干部、党员、群众意见的考核", "MGT.5.INPUT"),
        "grade": ("assessment_grade", "待填写评语和等次的考核", "MGT.5.GRADE"),
        "finalise": ("assessment_finalise", "待确定等次的考核", "MGT.5.ANNUAL"),
    }
    base = page_url("web:assessment_list")
    for step, (kind, title, clause) in titles.items():
        year = counts[f"y_{step}"] or today.year
        url = f"{base}?year={year}&state={AssessmentState.DRAFT}"
        yield TodoItem(kind, title, counts[f"n_{step}"], url, clause)


@provider(R.COUNTY)
def term_end_assessments_to_start(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.5.ANNUAL 驻村期满考核: postings of the county whose term ends within the term-end
    notice window (MGT.9.HANDOVER) or ended within the last year, without their end-of-term
    assessment; due by the term's end."""
    county = assessment_county(user)
    if county is None:
        return
    window = parameters_current().int_value(
        "term_end_notice_days", on=today, jurisdiction=county.code
    )
    counts = (
        term_end_candidates(county=county, today=today, window_days=window)
        .order_by()
        .aggregate(n=Count("pk"), first=Min("end"))
    )
    yield TodoItem(
        "assessment_term_end",
        "待开展的驻村期满考核",
        counts["n"],
        page_url("web:assessment_list") + "#term-end-box",
        "MGT.5.ANNUAL",
        due=counts["first"],
    )


@provider(R.UNIT)
def results_to_receive(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.5.FEEDBACK: the finalised results of the unit's cadres wait for its 签收."""
    n = feedback_read.unreceived_count(user=user)
    url = page_url("web:assessment_results") + "?unreceived=1"
    yield TodoItem("assessment_receive", "待签收的考核结果", n, url, "MGT.5.FEEDBACK")
