"""SEL.METHOD.FLOW end to end through the services: unit → county body → unit → county."""

import datetime as dt

import pytest

from tests.selection.flow import FIVE, ON, post_members, run_to_decided
from tests.world import cadre_data
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry import services as reg
from zhucun.registry.models import Posting
from zhucun.selection import services as sel
from zhucun.selection.models import CompositionException, NominationState, NominationStep


@pytest.fixture
def candidate(world):
    return reg.cadre_create(
        actor=world.users["unit"],
        data=cadre_data(name="刀成", serial=31, unit_name="芒市人民医院", occupation="医务科科员"),
    )


def test_sel_method_flow_full_path_posts_and_records_every_step(world, candidate):
    events = Event.objects.count()
    n = run_to_decided(world, candidate)
    n = sel.nomination_post(
        actor=world.users["county"],
        nomination_id=n.pk,
        village_id=world.villages["A"].pk,
        arrival_date=ON,
    )
    assert n.state == NominationState.POSTED
    assert Posting.objects.get(pk=n.posting_id).village == world.villages["A"]
    assert [s.action for s in NominationStep.objects.filter(nomination=n)] == [
        "create",
        "propose",
        "review",
        "decide",
        "post",
    ]
    assert Event.objects.filter(action__startswith="nomination.").count() == 5
    assert Event.objects.count() > events + 5  # plus the posting itself


def test_sel_method_flow_each_step_by_its_own_role(world, candidate):
    unit, county = world.users["unit"], world.users["county"]
    n = sel.nomination_create(
        actor=unit,
        cadre_id=candidate.pk,
        role="team_member",
        source="application",
        dispatch_date=ON,
    )
    with pytest.raises(Forbidden):
        sel.nomination_propose(
            actor=county,
            nomination_id=n.pk,
            basic_attested=True,
            no1_attested=True,
            attested_by="x",
        )
    with pytest.raises(ValidationFailed):  # skipping a step
        sel.nomination_review(actor=county, nomination_id=n.pk, checkpoints=FIVE, reviewer_name="x")
    sel.nomination_propose(
        actor=unit, nomination_id=n.pk, basic_attested=True, no1_attested=True, attested_by="王敏"
    )
    with pytest.raises(Forbidden):  # a unit cannot file its own proposal
        sel.nomination_review(actor=unit, nomination_id=n.pk, checkpoints=FIVE, reviewer_name="x")
    with pytest.raises(NotFound):  # another county's body does not even see it
        other = world.users["township"]
        sel.nomination_review(actor=other, nomination_id=n.pk, checkpoints=FIVE, reviewer_name="x")


def test_sel_method_five_checkpoints_required_at_review(world, candidate):
    unit, county = world.users["unit"], world.users["county"]
    n = sel.nomination_create(
        actor=unit,
        cadre_id=candidate.pk,
        role="team_member",
        source="application",
        dispatch_date=ON,
    )
    sel.nomination_propose(
        actor=unit, nomination_id=n.pk, basic_attested=True, no1_attested=True, attested_by="王敏"
    )
    with pytest.raises(ValidationFailed) as exc:
        sel.nomination_review(
            actor=county,
            nomination_id=n.pk,
            checkpoints={**FIVE, "integrity": False},
            reviewer_name="李华",
        )
    assert "SEL.METHOD.FIVE" in exc.value.errors


def test_sel_cond_basic_attestation_required_at_proposal(world, candidate):
    unit = world.users["unit"]
    n = sel.nomination_create(
        actor=unit,
        cadre_id=candidate.pk,
        role="team_member",
        source="application",
        dispatch_date=ON,
    )
    with pytest.raises(ValidationFailed) as exc:
        sel.nomination_propose(
            actor=unit,
            nomination_id=n.pk,
            basic_attested=False,
            no1_attested=True,
            attested_by="王敏",
        )
    assert "SEL.COND.BASIC" in exc.value.errors


def test_sel_cond_no3_teacher_refused_with_clause(world):
    unit = world.users["unit"]
    teacher = reg.cadre_create(
        actor=unit,
        data=cadre_data(
            name="教师甲",
            serial=41,
            unit_name="芒市人民医院",
            occupation="小学教师",
            occupation_code="primary_secondary_teacher",
        ),
    )
    n = sel.nomination_create(
        actor=unit,
        cadre_id=teacher.pk,
        role="team_member",
        source="recommendation",
        dispatch_date=ON,
    )
    assert any(f["clause"] == "SEL.COND.NO3" for f in n.findings)
    with pytest.raises(ValidationFailed) as exc:
        sel.nomination_propose(
            actor=unit,
            nomination_id=n.pk,
            basic_attested=True,
            no1_attested=True,
            attested_by="王敏",
        )
    assert "SEL.COND.NO3" in exc.value.errors and "教师甲" in exc.value.errors["SEL.COND.NO3"]


def test_sel_src_xd_warning_needs_a_written_reason(world):
    unit = world.users["unit"]
    xd = reg.cadre_create(
        actor=unit,
        data=cadre_data(name="选调生乙", serial=42, unit_name="芒市人民医院", is_xuandiao=True),
    )
    n = sel.nomination_create(
        actor=unit,
        cadre_id=xd.pk,
        role="first_secretary",
        source="recommendation",
        dispatch_date=ON,
    )
    with pytest.raises(ValidationFailed) as exc:
        sel.nomination_propose(
            actor=unit,
            nomination_id=n.pk,
            basic_attested=True,
            no1_attested=True,
            attested_by="王敏",
        )
    assert "SEL.SRC.XD" in exc.value.errors
    n = sel.nomination_propose(
        actor=unit,
        nomination_id=n.pk,
        basic_attested=True,
        no1_attested=True,
        attested_by="王敏",
        reasons={"SEL.SRC.XD": "该村急需懂电商的干部,经县委组织部同意"},
    )
    assert n.state == NominationState.PROPOSED
    assert n.warning_reasons["SEL.SRC.XD"].startswith("该村急需")


def test_sel_scope_cat3_sixth_member_blocked_at_posting(world):
    """Village A is 3类村 (border): it may hold at most 5 people (SEL.SCOPE.CAT3)."""
    post_members(world, 3)
    sixth = reg.cadre_create(
        actor=world.users["unit"],
        data=cadre_data(name="第六人", serial=60, unit_name="芒市人民医院"),
    )
    n = run_to_decided(world, sixth)
    with pytest.raises(ValidationFailed) as exc:
        sel.nomination_post(
            actor=world.users["county"],
            nomination_id=n.pk,
            village_id=world.villages["A"].pk,
            arrival_date=ON,
        )
    assert "SEL.SCOPE.CAT3" in exc.value.errors and "6" in exc.value.errors["SEL.SCOPE.CAT3"]
    assert not Posting.objects.filter(cadre=sixth).exists()


def test_sel_scope_adjust_exception_lets_the_sixth_in(world):
    post_members(world, 3)
    sel.composition_exception_create(
        actor=world.users["county"],
        village_id=world.villages["A"].pk,
        reason="边境管控需要,增派1人",
        valid_from=ON,
        valid_until=ON + dt.timedelta(days=365),
        max_team_size=6,
    )
    sixth = reg.cadre_create(
        actor=world.users["unit"],
        data=cadre_data(name="第六人", serial=60, unit_name="芒市人民医院"),
    )
    n = run_to_decided(world, sixth)
    n = sel.nomination_post(
        actor=world.users["county"],
        nomination_id=n.pk,
        village_id=world.villages["A"].pk,
        arrival_date=ON,
    )
    assert n.state == NominationState.POSTED
    assert any(f["clause"] == "SEL.SCOPE.ADJUST" for f in n.findings)
    # beyond what the exception allows (6), the composition error is back (settled reading)
    seventh = reg.cadre_create(
        actor=world.users["unit"],
        data=cadre_data(name="第七人", serial=61, unit_name="芒市人民医院"),
    )
    n7 = run_to_decided(world, seventh)
    with pytest.raises(ValidationFailed) as exc:
        sel.nomination_post(
            actor=world.users["county"],
            nomination_id=n7.pk,
            village_id=world.villages["A"].pk,
            arrival_date=ON,
        )
    assert "全队不超过6人" in exc.value.errors["SEL.SCOPE.CAT3"]
    assert not Posting.objects.filter(cadre=seventh).exists()


def test_sel_scope_adjust_exception_must_state_composition_and_end(world):
    with pytest.raises(ValidationFailed) as exc:
        sel.composition_exception_create(
            actor=world.users["county"],
            village_id=world.villages["A"].pk,
            reason="边境管控需要,增派1人",
            valid_from=ON,
        )
    assert set(exc.value.errors) == {"valid_until", "max_team_size"}
    assert not CompositionException.objects.exists()


def test_sel_cond_no5_spouse_elsewhere_needs_reason_at_posting(world):
    unit = world.users["unit"]
    wife = reg.cadre_create(
        actor=unit,
        data=cadre_data(
            name="妻子丙",
            gender="女",
            serial=71,
            unit_name="芒市人民医院",
            spouse_id_number=world.cadres["tm_a"].id_number,
        ),
    )
    n = run_to_decided(world, wife)
    with pytest.raises(ValidationFailed) as exc:
        sel.nomination_post(
            actor=world.users["county"],
            nomination_id=n.pk,
            village_id=world.villages["B"].pk,
            arrival_date=ON,
        )
    assert "SEL.COND.NO5" in exc.value.errors and "线美玲" in exc.value.errors["SEL.COND.NO5"]
    n = sel.nomination_post(
        actor=world.users["county"],
        nomination_id=n.pk,
        village_id=world.villages["B"].pk,
        arrival_date=ON,
        reasons={"SEL.COND.NO5": "夫妻均为农技骨干,县委研究同意"},
    )
    assert n.state == NominationState.POSTED
