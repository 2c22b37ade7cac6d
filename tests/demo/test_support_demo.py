"""The demo shows 培训保障 (issue 15): a training year with one cadre short of days and one
first secretary without the prefecture's training, the first secretaries' funds with one
shortfall, subsidies with one overdue month, a missing exam and a lapsed insurance."""

from __future__ import annotations

import pytest

from zhucun.accounts.models import User
from zhucun.support.models import SubsidyPayment, TrainingAttendance
from zhucun.support.selectors.funds import shortfalls
from zhucun.support.selectors.subsidies import overdue_payments
from zhucun.support.selectors.training import coverage_gaps, training_days
from zhucun.support.selectors.welfare import insurance_gap_rows, insurance_gaps, missing_exams

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_demo_mgt_7_one_short_of_days_and_a_first_secretary_without_prefecture_training(demo):
    year = demo.timeline.today.year
    mangshi = User.objects.get(username="mangshi")
    assert TrainingAttendance.objects.filter(leave__isnull=False).exists()
    short = training_days(user=mangshi, year=year, short_only=True)
    assert short.filter(cadre__postings__village__jurisdiction__code__startswith="533103102")
    gaps = coverage_gaps(user=mangshi, year=year)
    assert gaps.exists()


def test_demo_gua_2_funds_subsidies_and_welfare(demo):
    today = demo.timeline.today
    zhou = User.objects.get(username="zhou")
    nongye = User.objects.get(username="nongye")
    assert len(shortfalls(user=zhou, year=today.year, kind="fs")) >= 1
    assert SubsidyPayment.objects.filter(kind="transport").count() > 10
    assert SubsidyPayment.objects.filter(kind="living").exists()
    assert not SubsidyPayment.objects.filter(kind="communication").exists()  # standard unset
    overdue = list(overdue_payments(user=nongye, today=today))
    assert len(overdue) >= 1
    assert missing_exams(user=nongye, year=today.year).exists()
    rows = insurance_gap_rows(insurance_gaps(user=nongye, today=today), today=today)
    assert any(r.gap_from is not None for r in rows)
