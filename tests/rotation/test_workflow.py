"""MGT.9.APPLY: 个人申请 → 乡镇党委签章 → 派出单位集体研究 → 填审批表 → 一进一出 → 组织部门审查,
each step by its own role; MGT.9.DOCS; SEL.COND.MUST2."""

from __future__ import annotations

import datetime as dt

import pytest

from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry.models import Posting, PostingStatus
from zhucun.rotation import services as rs
from zhucun.rotation.models import State

from . import flow
from .conftest import HANDOVER


def test_full_flow_each_step_by_its_role(world):
    w = world
    app = flow.form_filled(w)
    assert app.state == State.FORM_FILLED
    app = rs.rotation_grant(
        actor=w.users["county"], application_id=app.pk, opinion="同意", reviewer_name="县组织部"
    )
    assert app.state == State.GRANTED
    leaver = Posting.objects.get(pk=w.postings["tm_a"].pk)
    assert leaver.status == PostingStatus.ENDED and leaver.actual_end == HANDOVER
    new = app.new_posting
    assert new.cadre_id == w.cadres["spare"].pk and new.arrival_date == HANDOVER
    assert new.status == PostingStatus.ACTIVE and new.role == "team_member"
    assert [s.action for s in app.steps.all()] == [
        "apply",
        "seal",
        "decide",
        "submit",
        "grant",
    ]
    actions = set(Event.objects.values_list("action", flat=True))
    assert {"rotation.apply", "rotation.seal", "rotation.decide", "rotation.submit"} <= actions
    assert {"rotation.grant", "rotation.attachment", "posting.end", "posting.create"} <= actions


@pytest.mark.parametrize("role", ["unit", "county", "first_secretary", "team_member"])
def test_only_the_township_seals(world, role):
    app = flow.applied(world)
    with pytest.raises((Forbidden, NotFound)):
        rs.rotation_seal(
            actor=world.users[role], application_id=app.pk, opinion="同意", sealed_by="某"
        )


@pytest.mark.parametrize("role", ["township", "county", "team_member"])
def test_only_the_unit_decides(world, role):
    app = flow.sealed(world)
    with pytest.raises(Forbidden) as exc:
        rs.rotation_decide(
            actor=world.users[role],
            application_id=app.pk,
            meeting_name="会",
            meeting_date=dt.date(2025, 5, 10),
            minutes_number="1",
            replacement_id=world.cadres["spare"].pk,
            handover_date=HANDOVER,
        )
    assert "MGT.9.APPLY" in exc.value.message


def test_another_units_user_cannot_decide(world):
    from zhucun.accounts.models import User

    other = User.objects.create_user(
        "u2", password="pw", role="unit", unit=world.units["ruili"], display_name="瑞丽"
    )
    app = flow.sealed(world)
    with pytest.raises(NotFound):
        rs.rotation_seal(actor=other, application_id=app.pk, opinion="x", sealed_by="y")


def test_organisation_department_by_management_level(world, other_county):
    """MGT.3.TALK reading: a county-level unit's cadre is reviewed by its county, not the
    prefecture (the prefecture sees the application but does not grant it)."""
    app = flow.form_filled(world)
    with pytest.raises(Forbidden):
        rs.rotation_grant(
            actor=world.users["prefecture"], application_id=app.pk, opinion="x", reviewer_name="y"
        )
    with pytest.raises(NotFound):
        rs.rotation_grant(actor=other_county, application_id=app.pk, opinion="x", reviewer_name="y")


def test_cadre_applies_only_for_own_active_posting(world):
    with pytest.raises(NotFound):
        rs.rotation_apply(
            actor=world.users["team_member"],
            posting_id=world.postings["fs_a"].pk,
            cause="health",
            statement="x",
        )
    with pytest.raises(Forbidden):
        rs.rotation_apply(
            actor=world.users["unit"],
            posting_id=world.postings["tm_a"].pk,
            cause="health",
            statement="x",
        )


def test_apply_validates_and_one_open_application(world):
    with pytest.raises(ValidationFailed) as exc:
        rs.rotation_apply(
            actor=world.users["team_member"],
            posting_id=world.postings["tm_a"].pk,
            cause="bored",
            statement="",
        )
    assert set(exc.value.errors) == {"cause", "statement"}
    flow.applied(world)
    with pytest.raises(ValidationFailed) as exc:
        flow.applied(world)
    assert "posting_id" in exc.value.errors


def test_docs_gate_blocks_submit_without_medical_report(world):
    """MGT.9.DOCS: without the replacement's medical report and commitment letter the
    application cannot reach the organisation department."""
    app = flow.decided(world)
    flow.upload(world, app, "medical_report")
    with pytest.raises(ValidationFailed) as exc:
        rs.rotation_submit(
            actor=world.users["unit"], application_id=app.pk, unit_opinion="同意", form_handler="王"
        )
    assert "承诺书" in exc.value.errors["MGT.9.DOCS"]
    app.refresh_from_db()
    assert app.state == State.DECIDED
    flow.upload(world, app, "commitment_letter")
    app = rs.rotation_submit(
        actor=world.users["unit"], application_id=app.pk, unit_opinion="同意", form_handler="王"
    )
    assert app.state == State.FORM_FILLED


def test_docs_gate_needs_the_evidence(world):
    app = flow.applied(world)
    rs.rotation_seal(
        actor=world.users["township"], application_id=app.pk, opinion="同意", sealed_by="刀"
    )
    rs.rotation_decide(
        actor=world.users["unit"],
        application_id=app.pk,
        meeting_name="会",
        meeting_date=dt.date(2025, 5, 10),
        minutes_number="1",
        replacement_id=world.cadres["spare"].pk,
        handover_date=HANDOVER,
        replacement_planned_end=dt.date(2027, 6, 1),
    )
    flow.with_documents(world, app)
    with pytest.raises(ValidationFailed) as exc:
        rs.rotation_submit(
            actor=world.users["unit"], application_id=app.pk, unit_opinion="同意", form_handler="王"
        )
    assert "证明材料" in exc.value.errors["MGT.9.DOCS"]


def test_replacement_failing_screening_cannot_be_named(world):
    """A replacement is screened like any nominee (MGT.9.APPLY 一进一出, SEL.COND.MUST2): one
    unfit for village work (SEL.COND.NO2) cannot be named."""
    spare = world.cadres["spare"]
    spare.health_fit = False
    spare.save()
    with pytest.raises(ValidationFailed) as exc:
        flow.decided(world)
    assert "SEL.COND.NO2" in exc.value.errors, exc.value.errors
    from zhucun.rotation.models import RotationApplication

    assert RotationApplication.objects.get().state == State.SEALED


def test_replacement_must_be_an_unposted_cadre_of_the_unit(world):
    with pytest.raises(ValidationFailed) as exc:
        flow.decided(world, replacement_id=world.cadres["fs_c"].pk)
    assert "SEL.COND.MUST2" in exc.value.errors["replacement_id"]


def test_team_is_rechecked_with_the_leaver_out(world, monkeypatch):
    """The team check sees the replacement in and the leaver out."""
    from zhucun.selection.services import posting_checks

    seen = {}
    real = posting_checks.team_findings

    def spy(**kw):
        seen["members"] = [m.cadre_id for m in kw["members"]] + [kw["extra"].cadre_id]
        return real(**kw)

    monkeypatch.setattr(posting_checks, "team_findings", spy)
    flow.decided(world)
    assert world.cadres["tm_a"].pk not in seen["members"]
    assert world.cadres["spare"].pk in seen["members"]
    assert world.cadres["fs_a"].pk in seen["members"]


def test_term_warning_needs_a_reason(world):
    """MGT.TERM: a replacement's planned end short of the term needs a written reason."""
    with pytest.raises(ValidationFailed) as exc:
        flow.decided(world, replacement_planned_end=dt.date(2026, 1, 1))
    assert exc.value.needs_reason and "MGT.TERM" in exc.value.errors
    from zhucun.rotation.models import RotationApplication

    a = RotationApplication.objects.get()
    rs.rotation_decide(
        actor=world.users["unit"],
        application_id=a.pk,
        meeting_name="会",
        meeting_date=dt.date(2025, 5, 10),
        minutes_number="1",
        replacement_id=world.cadres["spare"].pk,
        handover_date=HANDOVER,
        replacement_planned_end=dt.date(2026, 1, 1),
        reasons={"MGT.TERM": "接续原任期"},
    )
    a.refresh_from_db()
    assert a.state == State.DECIDED and a.warning_reasons == {"MGT.TERM": "接续原任期"}


def test_reject_only_by_the_holder_and_withdraw_by_the_cadre(world):
    app = flow.applied(world)
    with pytest.raises(Forbidden):
        rs.rotation_reject(actor=world.users["unit"], application_id=app.pk, note="不同意")
    app = rs.rotation_withdraw(actor=world.users["team_member"], application_id=app.pk)
    assert app.state == State.WITHDRAWN
    app2 = flow.applied(world)
    app2 = rs.rotation_reject(actor=world.users["township"], application_id=app2.pk, note="不同意")
    assert app2.state == State.REJECTED


def test_grant_failing_posting_checks_leaves_nothing_written(world):
    """If posting the replacement fails at grant, the leaver's posting is not ended."""
    app = flow.form_filled(world)
    spare = world.cadres["spare"]
    spare.health_fit = False  # SEL.COND.NO2: screening at grant now refuses
    spare.save()
    with pytest.raises(ValidationFailed):
        rs.rotation_grant(
            actor=world.users["county"], application_id=app.pk, opinion="同意", reviewer_name="县"
        )
    assert Posting.objects.get(pk=world.postings["tm_a"].pk).status == PostingStatus.ACTIVE
    app.refresh_from_db()
    assert app.state == State.FORM_FILLED and app.new_posting is None


def test_granted_application_is_found_for_the_posting(world):
    """MGT.TERM: ending a posting before its regular end needs a granted MGT.9 application —
    the selector the tenure app asks."""
    from zhucun.rotation.selectors import rotation_granted_for

    app = flow.form_filled(world)
    posting_id = world.postings["tm_a"].pk
    assert rotation_granted_for(posting_id=posting_id) is None
    rs.rotation_grant(
        actor=world.users["county"], application_id=app.pk, opinion="同意", reviewer_name="县"
    )
    assert rotation_granted_for(posting_id=posting_id).pk == app.pk
    assert rotation_granted_for(posting_id=world.postings["fs_a"].pk) is None
