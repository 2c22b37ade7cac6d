"""MGT.4.REVIEW × MGT.6.MONTHLY: the quarterly review's ``overdue_reports`` fact is the number
of the quarter's monthly reports of the first secretary's village submitted late or not at
all (None for a cadre who is not the first secretary); the JSON keeps its shape."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.review.quarterly_helpers import AFTER, MONTHS, QUARTER, YEAR, set_today
from zhucun.params.selectors import parameters_current
from zhucun.policy.work import monthly_report_due
from zhucun.review.selectors import quarterly as q
from zhucun.review.services.quarterly import review_start
from zhucun.work.models import Report

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def _report(world, key, month, submitted_on):
    v = world.villages[key]
    due = monthly_report_due(month=month, params=parameters_current(), jurisdiction=v.township.code)
    Report.objects.create(
        kind="monthly",
        period_start=month,
        period_end=month + dt.timedelta(days=27),
        due=due,
        village=v,
        township=v.township,
        subject_key=f"village:{v.pk}",
        title=f"{key}{month}",
        author=world.admin,
        submitted_at=(
            dt.datetime.combine(submitted_on, dt.time(10), tzinfo=TZ) if submitted_on else None
        ),
    )
    return due


def test_mgt_4_review_overdue_reports_counts_late_and_missing(world, monkeypatch):
    set_today(monkeypatch, AFTER)
    monkeypatch.setattr(q, "_today", lambda: AFTER)
    due_july = _report(world, "A", MONTHS[0], None)
    Report.objects.filter(period_start=MONTHS[0]).update(
        submitted_at=dt.datetime.combine(due_july, dt.time(10), tzinfo=TZ)
    )  # on the due day: on time
    due_aug = monthly_report_due(
        month=MONTHS[1], params=parameters_current(), jurisdiction=world.villages["A"].township.code
    )
    _report(world, "A", MONTHS[1], due_aug + dt.timedelta(days=1))  # late
    # September: not written at all → overdue on AFTER
    for m in MONTHS:
        _report(world, "B", m, m + dt.timedelta(days=31))  # early in the next month
    review = review_start(actor=world.users["county"], year=YEAR, quarter=QUARTER)
    rows = list(q.review_rows(review=review))
    facts = q.rows_page_facts(rows, review=review)
    got = {e.cadre.name: facts[e.pk].facts["overdue_reports"] for e in rows}
    assert got == {"岳文华": 2, "线美玲": None, "排早腊": 0}
    # the shape is unchanged: the key is present for every row
    assert all("overdue_reports" in facts[e.pk].facts for e in rows)


def test_mgt_4_review_overdue_reports_not_before_due(world, monkeypatch):
    """On the due day of September's report nothing is overdue yet for September."""
    due_sep = monthly_report_due(
        month=MONTHS[2], params=parameters_current(), jurisdiction=world.villages["A"].township.code
    )
    set_today(monkeypatch, AFTER)
    monkeypatch.setattr(q, "_today", lambda: due_sep)
    for m in MONTHS[:2]:
        _report(world, "A", m, m + dt.timedelta(days=31))
    review = review_start(actor=world.users["county"], year=YEAR, quarter=QUARTER)
    rows = list(q.review_rows(review=review))
    facts = q.rows_page_facts(rows, review=review)
    got = {e.cadre.name: facts[e.pk].facts["overdue_reports"] for e in rows}
    assert got["岳文华"] == 0
