"""The assessment draft assembles the facts the system holds, without typing (MGT.5.ANNUAL):
the month close's attendance rates (MGT.3.RANK), on-duty days against MGT.1.DAYS when set,
the 三讲三评 satisfaction of each quarter and pooled (MGT.8.SJSP), and — registered by the
review app — the standing discipline records (MGT.10) and talks (GUA.3.TALK) of the period;
the columns of modules not yet landed say so; a page's facts take a fixed number of
queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessment.assessment_helpers import YEAR, ready, sjsp
from tests.review.quarterly_helpers import discipline, month_row
from zhucun.assessment.facts import FACT_PROVIDERS, PENDING, fact_rows, facts_for
from zhucun.assessment.models import Assessment
from zhucun.assessment.selectors.assessments import assessment_list
from zhucun.assessment.services import assessments as svc
from zhucun.params.services import parameter_set
from zhucun.review.models import Talk


def _draft(world, key: str = "tm_a") -> Assessment:
    svc.assessment_start(actor=world.users["county"], year=YEAR)
    return (
        assessment_list(user=world.users["county"], year=YEAR).filter(cadre=world.cadres[key]).get()
    )


def _rows(a: Assessment) -> dict[str, str]:
    return {r["key"]: r["text"] for r in fact_rows(facts_for([a])[a.pk])}


def test_mgt_5_annual_draft_shows_attendance_and_satisfaction_without_typing(world):
    tm = world.postings["tm_a"]
    month_row(tm, dt.date(2025, 3, 1), short=False)  # 21/21
    month_row(tm, dt.date(2025, 4, 1), short=True)  # 12/21, needs an interview
    month_row(tm, dt.date(2024, 12, 1), short=True)  # outside the year: not shown
    cadre = world.cadres["tm_a"]
    # Q1: villagers 8 好 + 1 较好 of 10, village cadres 4 of 5 ⇒ 13/15; Q3: 3 of 4
    sjsp(world, "A", cadre, year=2025, quarter=1, votes={"villagers": (8, 1, 1, 0)})
    sjsp(world, "A", cadre, year=2025, quarter=1, votes={"village_cadres": (2, 2, 0, 1)})
    sjsp(world, "A", cadre, year=2025, quarter=3, votes={"party_members": (1, 2, 1, 0)})
    sjsp(world, "A", cadre, year=2024, quarter=4, votes={"villagers": (0, 0, 0, 9)})  # outside
    a = _draft(world)
    facts = facts_for([a])[a.pk]
    assert [m["month"] for m in facts["attendance"]] == ["2025-03", "2025-04"]
    assert facts["attendance"][0]["rate"] == "1.0000"
    assert facts["attendance"][1] == {
        "month": "2025-04",
        "rate": "0.5714",
        "duty_workdays": 12,
        "workdays": 21,
        "needs_interview": True,
    }
    s = facts["sjsp"]
    assert [(q["quarter"], q["satisfied"], q["total"]) for q in s["quarters"]] == [
        (1, 13, 15),
        (3, 3, 4),
    ]
    assert s["quarters"][0]["satisfaction"] == "13/15"
    assert s["pooled"] == {"satisfied": 16, "total": 19, "satisfaction": "16/19"}
    text = _rows(a)
    assert (
        "3月100.0%(21/21天)" in text["attendance"]
        and "4月57.1%(12/21天)(需约谈)" in text["attendance"]
    )
    assert "2025年第1季度86.7%(13/15)" in text["sjsp"] and "合计满意度84.2%(16/19)" in text["sjsp"]
    # the frozen facts are these facts
    ready(world, a.pk, "称职")
    svc.assessment_finalise(actor=world.users["county"], assessment_id=a.pk)
    a.refresh_from_db()
    assert a.facts["sjsp"] == s and a.facts["attendance"] == facts["attendance"]


def test_mgt_1_days_in_the_draft_against_the_minimum_when_set(world):
    a = _draft(world)
    text = _rows(a)["duty_days"]
    assert text.startswith("在岗0天") and "尚未设置" in text
    parameter_set(
        actor=world.users["county"],
        name="min_days_on_duty_per_year",
        jurisdiction_code="533103000000",
        effective=dt.date(2020, 1, 1),
        value=200,
        note="芒组通〔2025〕1号",
    )
    assert "每年不少于200天" in _rows(a)["duty_days"]


def test_mgt_10_and_talks_from_the_review_app_provider(world):
    assert {"discipline", "talks"} <= set(FACT_PROVIDERS)
    county = world.users["county"]
    cadre = world.cadres["fs_a"]
    discipline(cadre, dt.date(2025, 5, 6), county)
    old = discipline(cadre, dt.date(2025, 6, 1), county)
    discipline(cadre, dt.date(2025, 6, 1), county, supersedes=old, correction_reason="更正")
    discipline(cadre, dt.date(2024, 6, 1), county)  # outside the year
    Talk.objects.create(
        cadre=cadre,
        held_on=dt.date(2025, 7, 8),
        talker="张三 县委组织部副部长",
        talker_kind="county",
        topics="驻村工作",
        recorded_by=county,
    )
    a = _draft(world, "fs_a")
    facts = facts_for([a])[a.pk]
    assert [d["occurred_on"] for d in facts["discipline"]] == ["2025-05-06", "2025-06-01"]
    assert len(facts["talks"]) == 1
    text = _rows(a)
    assert text["talks"].startswith("1次:2025-07-08 张三")


def test_mgt_5_annual_every_column_is_provided_by_its_module_nothing_pending(world):
    a = _draft(world)
    text = _rows(a)
    assert PENDING not in text.values()
    # "meetings" and "visits" are provided by the work app (MGT.2, MGT.8.VISITS)
    assert text["meetings"] == "参加工作例会0次(MGT.2)"
    assert text["visits"] == "到组到户走访0次,涉及农户0户次(MGT.8.VISITS)"
    # "training" is provided by the support app (MGT.7.DAYS): no event attended yet
    assert text["training"] == "参加集中培训0次,共0天(MGT.7.DAYS)"
    # "reports" is provided by the work app (MGT.6.MONTHLY): a team member writes none
    assert text["reports"] == "—"


def test_mgt_5_annual_facts_of_a_page_take_a_fixed_number_of_queries(world):
    svc.assessment_start(actor=world.users["county"], year=YEAR)
    svc.assessment_start(actor=world.users["county"], year=2024)
    page = list(assessment_list(user=world.users["county"], year=YEAR))
    both = list(assessment_list(user=world.users["county"]))
    with CaptureQueriesContext(connection) as one:
        facts_for(page[:1])
    with CaptureQueriesContext(connection) as many:
        facts_for(page)
    assert len(many) == len(one)
    assert len(both) == 6


def test_mgt_5_annual_draft_counts_meetings_and_visits_recorded_once(world):
    """MGT.2 / MGT.8.VISITS → MGT.5.ANNUAL: a meeting the cadre attended and a visit the cadre
    recorded in the year appear in the draft without typing; one outside the year does not."""
    from tests.work.visit_helpers import group as village_group
    from zhucun.work.models import Household, Meeting, Visit

    a = _draft(world)
    village = world.villages["A"]
    group = village_group(world)
    cadre = world.cadres["tm_a"]
    for day in (dt.date(YEAR, 6, 2), dt.date(YEAR - 1, 12, 29)):
        m = Meeting.objects.create(
            village=village, held_on=day, week=day, topics="例会", recorded_by=world.admin
        )
        m.attendees.add(cadre)
        v = Visit.objects.create(
            village=village,
            group=group,
            cadre=cadre,
            visited_on=day,
            purposes=["caring"],
            risk_found=True,
            follow_up="跟进",
            recorded_by=world.admin,
        )
        v.households.add(
            Household.objects.create(group=group, head_name="岩温", created_by=world.admin)
        )
    text = _rows(a)
    assert text["meetings"] == "参加工作例会1次(MGT.2)"
    assert text["visits"] == "到组到户走访1次,涉及农户1户次,发现返贫致贫风险1次(MGT.8.VISITS)"
