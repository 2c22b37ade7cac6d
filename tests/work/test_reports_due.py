"""MGT.6.MONTHLY Done-when: a monthly report not submitted is not overdue on its due day and
is overdue the day after; a submitted report is not listed. MGT.6.QUARTERLY, MGT.6.HALFYEAR
and MGT.3.SUMMARY overdue lists the same way (anti-joins in SQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhucun.attendance.models import MonthlySummary
from zhucun.params.selectors import parameters_current
from zhucun.policy.work import monthly_report_due, quarterly_report_due
from zhucun.work.models import Report
from zhucun.work.selectors.reports import missing_summaries, overdue_reports

pytestmark = pytest.mark.django_db
D = dt.date
JUNE = D(2025, 6, 1)


def _due(world):
    return monthly_report_due(
        month=JUNE, params=parameters_current(), jurisdiction=world.villages["A"].township.code
    )


def _june(world, today):
    rows = overdue_reports(user=world.users["township"], kind="monthly", today=today)
    return {r["subject_name"] for r in rows if r["period"] == JUNE}


def test_mgt_6_monthly_not_overdue_on_due_day_overdue_the_day_after(world):
    due = _due(world)
    assert due == D(2025, 7, 5)
    assert _june(world, due) == set()
    assert _june(world, due + dt.timedelta(days=1)) == {"弄坎村", "拉勐村"}


def test_mgt_6_monthly_submitted_report_not_listed(world):
    a = world.villages["A"]
    Report.objects.create(
        kind="monthly",
        period_start=JUNE,
        period_end=D(2025, 6, 30),
        due=_due(world),
        village=a,
        township=a.township,
        subject_key=f"village:{a.pk}",
        title="六月报告",
        author=world.users["first_secretary"],
        submitted_at=timezone.now(),
    )
    after = _due(world) + dt.timedelta(days=1)
    assert _june(world, after) == {"拉勐村"}
    # an opened but unsubmitted report is still overdue
    Report.objects.filter(village=a).update(submitted_at=None)
    assert _june(world, after) == {"弄坎村", "拉勐村"}


def test_mgt_6_monthly_overdue_scope_and_village_without_fs(world):
    after = _due(world) + dt.timedelta(days=1)
    county = overdue_reports(user=world.users["county"], kind="monthly", today=after)
    assert {r["subject_name"] for r in county if r["period"] == JUNE} == {"弄坎村", "拉勐村"}
    fs_view = overdue_reports(user=world.users["first_secretary"], kind="monthly", today=after)
    assert {r["subject_name"] for r in fs_view if r["period"] == JUNE} == {"弄坎村"}
    assert list(overdue_reports(user=world.users["unit"], kind="monthly", today=after)) == []


def test_mgt_6_quarterly_overdue_from_the_day_after(world):
    town = world.villages["A"].township
    due = quarterly_report_due(
        year=2025, quarter=2, params=parameters_current(), jurisdiction=town.code
    )
    county = world.users["county"]

    def q2(today):
        rows = overdue_reports(user=county, kind="quarterly", today=today)
        return {r["subject_name"] for r in rows if r["period"] == D(2025, 4, 1)}

    assert q2(due) == set()
    assert q2(due + dt.timedelta(days=1)) == {"遮放镇"}


def test_mgt_6_halfyear_hearing_overdue_for_units_with_cadres(world):
    rows = overdue_reports(user=world.users["county"], kind="hearing", today=D(2025, 7, 1))
    names = {r["subject_name"] for r in rows if r["period"] == D(2025, 1, 1)}
    assert "芒市人民医院" in names
    on_due = overdue_reports(user=world.users["county"], kind="hearing", today=D(2025, 6, 30))
    assert {r["subject_name"] for r in on_due if r["period"] == D(2025, 1, 1)} == set()


def test_mgt_3_summary_missing_after_due_day(world):
    params = parameters_current()
    day = params.int_value(
        "monthly_summary_due_day", on=D(2025, 7, 1), jurisdiction=world.villages["A"].township.code
    )
    township = world.users["township"]
    on_due = D(2025, 7, day)
    assert list(missing_summaries(user=township, today=on_due)) == []
    after = on_due + dt.timedelta(days=1)
    assert {r["subject_name"] for r in missing_summaries(user=township, today=after)} == {
        "弄坎村",
        "拉勐村",
    }
    MonthlySummary.objects.create(
        month=JUNE,
        village=world.villages["A"],
        state="submitted",
        close_version=1,
        prepared_by=world.cadres["fs_a"],
        prepared_at=timezone.now(),
        submitted_at=timezone.now(),
    )
    MonthlySummary.objects.create(
        month=JUNE,
        village=world.villages["B"],
        state="signed",
        close_version=1,
        prepared_by=world.cadres["fs_b"],
        prepared_at=timezone.now(),
    )
    rows = list(missing_summaries(user=township, today=after))
    assert [(r["subject_name"], r["summary_state"]) for r in rows] == [("拉勐村", "signed")]


def test_mgt_6_overdue_queries_do_not_grow(world, django_assert_max_num_queries):
    after = _due(world) + dt.timedelta(days=1)
    with django_assert_max_num_queries(4):
        list(overdue_reports(user=world.users["township"], kind="monthly", today=after))
