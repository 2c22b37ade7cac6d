"""待办 of 考核评议 (issue 16, point 1): 三讲三评 rectifications to plan and to close
(MGT.8.SJSP), the county's assessments at each step (MGT.5.INPUT, MGT.5.GRADE, MGT.5.ANNUAL)
and end-of-term ones to start, the results the unit signs for (MGT.5.FEEDBACK); the notices of
a rectification assigned and of a result fed back reach only the people concerned."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.assessment.assessment_helpers import hear_all
from tests.assessment.sjsp_helpers import HELD, event, record, set_threshold
from zhucun.accounts.models import User, UserRole
from zhucun.assessment.models import Assessment, Rectification
from zhucun.assessment.selectors.assessments import term_end_candidates
from zhucun.assessment.services import assessments as svc
from zhucun.assessment.services.feedback import assessment_results_receive
from zhucun.assessment.services.sjsp import rectification_close, rectification_plan_set
from zhucun.notices.models import Notice
from zhucun.params.selectors import parameters_current

from .helpers import opens, todo

YEAR = 2025


def test_rectification_to_plan_then_to_close_and_the_cadre_told_MGT_8_SJSP(client, world):
    set_threshold(world)
    ev = event(world)
    record(world, ev, cadre="fs_a", good=5, fairly_good=3, average=2, poor=0)  # 80 % < 90 %
    r = Rectification.objects.get()
    township, fs, county = (world.users[k] for k in ("township", "first_secretary", "county"))
    assert todo(township)["sjsp_plan"].count == 1
    assert "sjsp_rectify" not in todo(township)
    opens(client, township, todo(township)["sjsp_plan"])
    assert todo(fs)["sjsp_rectify"].count == 1  # the team's rectification, no deadline yet
    # the township held the event: the county follows its own events only; the unit none
    assert "sjsp_plan" not in todo(county) and "sjsp_rectify" not in todo(county)
    due = HELD + dt.timedelta(days=10)
    rectification_plan_set(actor=township, rectification_id=r.pk, plan="每周走访农户", due=due)
    notice = Notice.objects.get()
    assert notice.user == fs and notice.clause == "MGT.8.SJSP" and "前完成整改" in notice.title
    assert notice.body == "每周走访农户"
    client.force_login(fs)
    assert client.get(notice.url).status_code == 200
    items = todo(township)
    assert "sjsp_plan" not in items
    item = items["sjsp_rectify"]
    assert (item.count, item.due) == (1, due)
    if due < timezone.localdate():  # the deadline passed: negative working days
        assert item.overdue == 1 and item.working_days_left < 0
    opens(client, township, item)
    opens(client, fs, todo(fs)["sjsp_rectify"])
    rectification_close(
        actor=township, rectification_id=r.pk, closed_on=timezone.localdate(), closing_note="已整改"
    )
    assert "sjsp_rectify" not in todo(township) and "sjsp_rectify" not in todo(fs)


def test_county_rectifications_of_its_own_events_MGT_8_SJSP(world):
    set_threshold(world)
    ev = event(world, role="county")
    record(world, ev, cadre="tm_a", role="county", good=1, fairly_good=0, average=3, poor=1)
    assert todo(world.users["county"])["sjsp_plan"].count == 1
    assert todo(world.users["township"])["sjsp_plan"].count == 1  # its village either way
    r = Rectification.objects.get()
    rectification_plan_set(
        actor=world.users["county"],
        rectification_id=r.pk,
        plan="入户走访",
        due=HELD + dt.timedelta(days=30),
    )
    notice = Notice.objects.get()  # a team member has no page for it: the notice says all
    assert notice.user == world.users["team_member"] and notice.url == ""
    assert notice.body == "入户走访"


def test_assessment_steps_for_the_county_MGT_5(client, world):
    """MGT.5.INPUT → MGT.5.GRADE → MGT.5.ANNUAL: each draft counts at its next step; the
    finalised result is fed back to the unit's accounts (MGT.5.FEEDBACK) and waits there."""
    county, unit = world.users["county"], world.users["unit"]
    n = svc.assessment_start(actor=county, year=YEAR)
    assert n == 3  # 岳文华, 线美玲, 排早腊 in 芒市
    items = todo(county)
    hear = items["assessment_hear"]
    assert hear.count == 3 and hear.clause == "MGT.5.INPUT"
    assert hear.url.endswith(f"?year={YEAR}&state=draft")
    opens(client, county, hear)
    a = Assessment.objects.get(cadre=world.cadres["tm_a"])
    hear_all(world, a.pk)
    items = todo(county)
    assert items["assessment_hear"].count == 2 and items["assessment_grade"].count == 1
    svc.assessment_grade_set(
        actor=county, assessment_id=a.pk, appraisal="履职尽责", grade="competent"
    )
    items = todo(county)
    assert "assessment_grade" not in items and items["assessment_finalise"].count == 1
    opens(client, county, items["assessment_finalise"])
    for role in ("township", "prefecture", "unit"):
        assert not {"assessment_hear", "assessment_finalise"} & set(todo(world.users[role]))
    assert "assessment_receive" not in todo(unit)
    other_unit = User.objects.create_user(
        "pref_unit", password="pw", role=UserRole.UNIT, unit=world.units["pref"]
    )
    svc.assessment_finalise(actor=county, assessment_id=a.pk)
    assert "assessment_finalise" not in todo(county)
    notice = Notice.objects.get()  # 线美玲's unit only (芒市人民医院)
    assert notice.user == unit and notice.clause == "MGT.5.FEEDBACK" and "线美玲" in notice.title
    item = todo(unit)["assessment_receive"]
    assert item.count == 1 and item.url == notice.url
    opens(client, unit, item)
    assert "assessment_receive" not in todo(other_unit)
    assessment_results_receive(actor=unit)
    assert "assessment_receive" not in todo(unit)


def test_term_end_assessments_to_start_MGT_5_ANNUAL(client, world):
    county = world.users["county"]
    today = timezone.localdate()
    window = parameters_current().int_value(
        "term_end_notice_days", on=today, jurisdiction=county.jurisdiction.code
    )
    pending = list(term_end_candidates(county=county.jurisdiction, today=today, window_days=window))
    item = todo(county).get("assessment_term_end")
    if not pending:  # the world's terms ended 2026-03-01: out of the window a year later
        assert item is None
        return
    assert item.count == len(pending) and item.due == min(p.end for p in pending)
    opens(client, county, item)
    assert "assessment_term_end" not in todo(world.users["township"])
    for p in pending:
        svc.assessment_term_end_start(actor=county, posting_id=p.pk)
    assert "assessment_term_end" not in todo(county)
