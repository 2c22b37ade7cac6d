"""The demo shows 考核评议 (issue 13): two quarters of 三讲三评 with one village below the
threshold and its rectification, the previous year's annual assessment finalised for one
county within the 优秀 quota, and this year's in progress."""

from __future__ import annotations

from fractions import Fraction

import pytest

from zhucun.assessment.models import Assessment, Rectification, SjspEvent
from zhucun.assessment.selectors.assessments import quota_status
from zhucun.params.selectors import parameters_current
from zhucun.policy.assessment import VOTER_GROUPS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_mgt_8_sjsp_two_quarters_one_village_below_and_rectified(demo):
    quarters = sorted(set(SjspEvent.objects.values_list("year", "quarter")))
    assert len(quarters) == 2
    rects = Rectification.objects.select_related("event").order_by("event__year", "event__quarter")
    assert [(r.event.year, r.event.quarter) for r in rects] == quarters
    earlier, later = rects
    assert earlier.closed_on is not None and earlier.plan
    assert later.closed_on is None and later.plan and later.due > later.event.held_on
    assert Fraction(later.satisfaction) < Fraction(later.threshold) == Fraction(9, 10)
    event = later.event
    assert set(event.tallies.values_list("group", flat=True)) == set(VOTER_GROUPS)


def test_demo_mgt_5_grade_previous_year_finalised_within_the_quota(demo):
    year = demo.timeline.today.year - 1
    done = Assessment.objects.filter(year=year, state="final")
    assert done.exists() and not Assessment.objects.filter(year=year, state="draft").exists()
    county = done.first().county
    status = quota_status(county=county, year=year)
    assert status.quota is not None and 0 < status.used <= status.quota
    assert done.filter(grade="incompetent").count() == 1
    for a in done[:5]:
        assert set(a.opinions.values_list("group", flat=True)) == set(VOTER_GROUPS)
        assert a.facts  # frozen at finalising


def test_demo_mgt_5_annual_this_year_in_progress(demo):
    drafts = Assessment.objects.filter(year=demo.timeline.today.year, state="draft")
    assert drafts.count() > 100 and drafts.filter(opinions__isnull=False).exists()


def test_demo_sets_the_jurisdiction_figures_as_labelled_demo_values(demo):
    params = parameters_current()
    on = demo.timeline.today
    assert params.fraction_value(
        "sjsp_satisfaction_threshold", on=on, jurisdiction="533103"
    ) == Fraction(9, 10)
    assert params.fraction_value("excellent_quota_ratio", on=on, jurisdiction="533102") == Fraction(
        1, 5
    )
