"""MGT.5.ANNUAL × MGT.6.MONTHLY: the assessment draft's "工作报告情况" is taken from the
monthly reports of the village where the cadre was first secretary (on time, late, overdue),
not typed; a team member has none ("—")."""

from __future__ import annotations

import datetime as dt

import pytest

from zhucun.assessment.facts import FACT_PROVIDERS, fact_rows, facts_for
from zhucun.assessment.selectors.assessments import assessment_list
from zhucun.assessment.services import assessments as svc
from zhucun.params.selectors import parameters_current
from zhucun.policy.work import monthly_report_due
from zhucun.work.models import Report

pytestmark = pytest.mark.django_db
YEAR = 2025
TZ = dt.timezone(dt.timedelta(hours=8))


def _report(world, month, submitted_on):
    v = world.villages["A"]
    Report.objects.create(
        kind="monthly",
        period_start=month,
        period_end=month + dt.timedelta(days=27),
        due=month,
        village=v,
        township=v.township,
        subject_key=f"village:{v.pk}",
        title=str(month),
        author=world.admin,
        submitted_at=dt.datetime.combine(submitted_on, dt.time(9), tzinfo=TZ),
    )


def test_mgt_5_annual_reports_fact_from_monthly_reports(world):
    assert FACT_PROVIDERS["reports"].clause == "MGT.6.MONTHLY"
    code = world.villages["A"].township.code
    params = parameters_current()
    jan_due = monthly_report_due(month=dt.date(YEAR, 1, 1), params=params, jurisdiction=code)
    feb_due = monthly_report_due(month=dt.date(YEAR, 2, 1), params=params, jurisdiction=code)
    _report(world, dt.date(YEAR, 1, 1), jan_due)  # on the due day: on time
    _report(world, dt.date(YEAR, 2, 1), feb_due + dt.timedelta(days=2))  # late
    svc.assessment_start(actor=world.users["county"], year=YEAR)
    drafts = {a.cadre_id: a for a in assessment_list(user=world.users["county"], year=YEAR)}
    fs = drafts[world.cadres["fs_a"].pk]
    tm = drafts[world.cadres["tm_a"].pk]
    facts = facts_for([fs, tm])
    # the year is over (today is after its reports' due days): 10 months never written
    assert facts[fs.pk]["reports"] == {"on_time": 1, "late": 1, "overdue": 10}
    assert facts[tm.pk]["reports"] is None
    rows = {r["key"]: r["text"] for r in fact_rows(facts[fs.pk])}
    assert rows["reports"] == "月度工作报告已报送2份(其中逾期报送1份),逾期未报送10份(MGT.6.MONTHLY)"
