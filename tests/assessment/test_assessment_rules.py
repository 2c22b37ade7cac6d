"""Assessment rules (MGT.5.ANNUAL, MGT.5.INPUT, MGT.5.GRADE): the county's start of a year,
the three groups' opinions before finalising, the four grades with a Chinese field error,
the resident cadres' 优秀 quota counted per county-year and never against the unit, and the
frozen, read-only finalised assessment."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.assessment.assessment_helpers import YEAR, hear_all, ready, set_ratio
from zhucun.assessment.models import Assessment, AssessmentState
from zhucun.assessment.selectors.assessments import quota_status
from zhucun.assessment.services import assessments as svc
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.registry import services as registry
from zhucun.registry.models import Jurisdiction


def _start(world) -> dict[str, Assessment]:
    svc.assessment_start(actor=world.users["county"], year=YEAR)
    return {
        key: Assessment.objects.get(cadre=world.cadres[key], year=YEAR, kind="annual")
        for key in ("fs_a", "tm_a", "fs_b")
    }


def test_mgt_5_annual_start_one_draft_per_posted_cadre_idempotent(world):
    county = world.users["county"]
    assert svc.assessment_start(actor=county, year=YEAR) == 3
    assert svc.assessment_start(actor=county, year=YEAR) == 0  # idempotent
    rows = Assessment.objects.filter(year=YEAR)
    assert {a.cadre_id for a in rows} == {world.cadres[k].pk for k in ("fs_a", "tm_a", "fs_b")}
    a = rows.get(cadre=world.cadres["fs_a"])
    assert (a.period_start, a.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert a.state == AssessmentState.DRAFT and a.county.code == "533103000000"
    # the year the posting began: from the arrival
    assert svc.assessment_start(actor=county, year=2024) == 3
    assert Assessment.objects.get(cadre=world.cadres["fs_a"], year=2024).period_start == dt.date(
        2024, 3, 1
    )
    assert Event.objects.filter(action="assessment.start").count() == 2


@pytest.mark.parametrize("role", ["admin", "prefecture", "township", "unit", "first_secretary"])
def test_mgt_5_annual_only_the_county_starts(world, role):
    with pytest.raises(Forbidden):
        svc.assessment_start(actor=world.users[role], year=YEAR)
    assert not Assessment.objects.exists()


def test_mgt_5_annual_future_year_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        svc.assessment_start(actor=world.users["county"], year=dt.date.today().year + 1)
    assert "尚未开始" in exc.value.errors["year"]


def test_mgt_5_annual_term_end_from_arrival_to_end(world):
    a = svc.assessment_term_end_start(
        actor=world.users["county"], posting_id=world.postings["fs_b"].pk
    )
    assert (a.kind, a.period_start, a.period_end) == (
        "term_end",
        dt.date(2024, 3, 1),
        dt.date(2026, 3, 1),
    )
    with pytest.raises(ValidationFailed):
        svc.assessment_term_end_start(
            actor=world.users["county"], posting_id=world.postings["fs_b"].pk
        )


def test_mgt_5_input_cannot_finalise_without_each_of_the_three_groups(world):
    a = _start(world)["fs_a"]
    county = world.users["county"]
    svc.assessment_grade_set(actor=county, assessment_id=a.pk, appraisal="履职尽责", grade="称职")
    for group in ("village_cadres", "party_members"):
        svc.assessment_opinion_add(
            actor=county, assessment_id=a.pk, group=group, source="座谈会", text="认可"
        )
    with pytest.raises(ValidationFailed) as exc:
        svc.assessment_finalise(actor=county, assessment_id=a.pk)
    message = exc.value.errors["opinions"]
    assert "群众" in message and "MGT.5.INPUT" in message and "岳文华" in message
    a.refresh_from_db()
    assert a.state == AssessmentState.DRAFT
    svc.assessment_opinion_add(
        actor=county, assessment_id=a.pk, group="群众", source="入户走访8户", text="满意"
    )
    svc.assessment_finalise(actor=county, assessment_id=a.pk)
    a.refresh_from_db()
    assert a.state == AssessmentState.FINAL and a.grade == "competent"


def test_mgt_5_input_opinion_group_must_be_one_of_three(world):
    a = _start(world)["fs_a"]
    with pytest.raises(ValidationFailed) as exc:
        svc.assessment_opinion_add(
            actor=world.users["county"], assessment_id=a.pk, group="游客", source="x", text="y"
        )
    assert exc.value.errors["group"] == "意见来源应为:村(社区)干部、党员、群众"


@pytest.mark.parametrize("grade", ["良好", "合格", "A", ""])
def test_mgt_5_grade_outside_the_four_refused_with_chinese_field_error(world, grade):
    a = _start(world)["fs_a"]
    with pytest.raises(ValidationFailed) as exc:
        svc.assessment_grade_set(
            actor=world.users["county"], assessment_id=a.pk, appraisal="评语", grade=grade
        )
    assert exc.value.errors["grade"] == "考核等次应为:优秀、称职、基本称职、不称职"


def test_mgt_5_grade_needs_appraisal_and_grade_to_finalise(world):
    a = _start(world)["fs_a"]
    hear_all(world, a.pk)
    with pytest.raises(ValidationFailed) as exc:
        svc.assessment_finalise(actor=world.users["county"], assessment_id=a.pk)
    assert set(exc.value.errors) == {"appraisal", "grade"}


def test_mgt_5_grade_quota_cannot_be_exceeded_silently(world):
    """3 assessed × 0.5 ⇒ 1 place; the second 优秀 needs a recorded decision."""
    set_ratio(world, "0.5")
    rows = _start(world)
    county = world.users["county"]
    status = quota_status(county=rows["fs_a"].county, year=YEAR)
    assert (status.assessed, status.quota, status.used, status.remaining) == (3, 1, 0, 1)
    ready(world, rows["fs_a"].pk, "优秀")
    svc.assessment_finalise(actor=county, assessment_id=rows["fs_a"].pk)
    ready(world, rows["tm_a"].pk, "excellent")
    with pytest.raises(ValidationFailed) as exc:
        svc.assessment_finalise(actor=county, assessment_id=rows["tm_a"].pk)
    assert (
        "名额1名已用1名" in exc.value.errors["grade"] and "MGT.5.GRADE" in exc.value.errors["grade"]
    )
    assert Assessment.objects.get(pk=rows["tm_a"].pk).state == AssessmentState.DRAFT
    # with the body's decision recorded it passes, and the decision is in the audit note
    svc.assessment_grade_set(
        actor=county,
        assessment_id=rows["tm_a"].pk,
        appraisal="表现突出",
        grade="优秀",
        quota_decision="经县委驻村工作领导小组2026年1月会议研究同意",
    )
    svc.assessment_finalise(actor=county, assessment_id=rows["tm_a"].pk)
    event = Event.objects.filter(action="assessment.finalise").order_by("-pk").first()
    assert "超出名额" in event.note and "领导小组" in event.note
    assert quota_status(county=rows["fs_a"].county, year=YEAR).used == 2
    # a grade other than 优秀 takes no place
    ready(world, rows["fs_b"].pk, "称职")
    svc.assessment_finalise(actor=county, assessment_id=rows["fs_b"].pk)


def test_mgt_5_grade_quota_unset_refuses_excellent_and_says_so(world):
    rows = _start(world)
    status = quota_status(county=rows["fs_a"].county, year=YEAR)
    assert status.quota is None and status.remaining is None
    ready(world, rows["fs_a"].pk, "优秀")
    with pytest.raises(ValidationFailed) as exc:
        svc.assessment_finalise(actor=world.users["county"], assessment_id=rows["fs_a"].pk)
    assert "尚未设置" in exc.value.errors["grade"]


def test_mgt_5_grade_unit_with_its_own_quota_full_still_gets_excellent(world):
    """MGT.5.GRADE: 优秀 of posted cadres is never counted against the dispatching unit's
    quota. 芒市人民医院 already has a finalised 优秀 of its cadre posted in 瑞丽市 (and in the
    unit's own eyes its quota is full): its cadre 线美玲 in 芒市 is still graded 优秀 within
    芒市's resident-cadre quota."""
    admin = world.users["admin"]
    spare = world.cadres["spare"]  # 芒市人民医院
    posting = registry.posting_create(
        actor=admin,
        data={
            "id_number": spare.id_number,
            "village_code": world.villages["C"].jurisdiction.code,
            "role": "team_member",
            "arrival_date": dt.date(2024, 3, 1),
            "planned_end": dt.date(2026, 3, 1),
        },
    )
    ruili = Jurisdiction.objects.get(code="533102000000")
    Assessment.objects.create(
        cadre=spare,
        posting=posting,
        county=ruili,
        kind="annual",
        year=YEAR,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        state=AssessmentState.FINAL,
        grade="excellent",
        appraisal="优秀",
        started_by=admin,
    )
    set_ratio(world, "0.34")  # 芒市: ⌊3 × 0.34⌋ = 1 place
    rows = _start(world)
    ready(world, rows["tm_a"].pk, "优秀")
    svc.assessment_finalise(actor=world.users["county"], assessment_id=rows["tm_a"].pk)
    tm = Assessment.objects.get(pk=rows["tm_a"].pk)
    assert tm.state == AssessmentState.FINAL and tm.grade == "excellent"
    assert tm.cadre.unit_id == spare.unit_id
    assert quota_status(county=tm.county, year=YEAR).used == 1


def test_mgt_5_annual_finalised_is_frozen_and_read_only(world):
    a = _start(world)["fs_a"]
    ready(world, a.pk, "称职")
    svc.assessment_finalise(actor=world.users["county"], assessment_id=a.pk)
    a.refresh_from_db()
    assert {"attendance", "duty_days", "diaries", "sjsp", "discipline", "talks"} <= set(a.facts)
    assert a.finalised_by == world.users["county"]
    with pytest.raises(ValidationFailed) as exc:
        svc.assessment_opinion_add(
            actor=world.users["county"], assessment_id=a.pk, group="党员", source="x", text="y"
        )
    assert "已确定等次" in exc.value.errors["state"]
    with pytest.raises(ValidationFailed):
        svc.assessment_grade_set(
            actor=world.users["county"], assessment_id=a.pk, appraisal="改", grade="优秀"
        )


@pytest.mark.parametrize("role", ["admin", "prefecture", "township"])
def test_mgt_5_annual_readers_cannot_act(world, role):
    a = _start(world)["fs_a"]
    with pytest.raises(Forbidden):
        svc.assessment_grade_set(
            actor=world.users[role], assessment_id=a.pk, appraisal="评语", grade="称职"
        )
