"""posting_close: MGT.TERM (no early end without a granted application or recall),
MGT.9.HANDOVER (one in, one out) and GUA.3.LEAVE15 (补假15天 from the next day)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhucun.attendance.models import LeaveKind, LeaveRequest, LeaveState
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.registry import services as reg
from zhucun.registry.models import Posting, PostingStatus
from zhucun.tenure.models import PostingClosure
from zhucun.tenure.services import posting_close

REGULAR = dt.date(2026, 3, 1)  # the world's postings arrive 2024-03-01, term 2 years


def _replacement(world, *, arrival: dt.date, village="B", key="spare") -> Posting:
    return reg.posting_create(
        actor=world.admin,
        data={
            "id_number": world.cadres[key].id_number,
            "village_code": world.villages[village].jurisdiction.code,
            "role": "first_secretary",
            "arrival_date": arrival,
            "planned_end": None,
            "status": PostingStatus.PLANNED,
        },
    )


def test_mgt_term_early_term_end_is_refused_naming_cadre_and_dates(world):
    p = world.postings["fs_b"]
    with pytest.raises(ValidationFailed) as exc:
        posting_close(
            actor=world.admin, posting_id=p.pk, end_date=dt.date(2025, 9, 30), cause="term"
        )
    msg = exc.value.errors["MGT.TERM"]
    assert "排早腊" in msg and "2026年3月1日" in msg and "2025年9月30日" in msg
    p.refresh_from_db()
    assert p.status == PostingStatus.ACTIVE and p.actual_end is None
    assert not PostingClosure.objects.exists()


@pytest.mark.parametrize("cause", ["rotation", "recall"])
def test_mgt_term_early_end_with_granted_application_or_recall_is_accepted(world, cause):
    p = world.postings["fs_b"]
    with pytest.raises(ValidationFailed):
        posting_close(
            actor=world.admin, posting_id=p.pk, end_date=dt.date(2025, 9, 30), cause=cause
        )
    posting_close(
        actor=world.admin,
        posting_id=p.pk,
        end_date=dt.date(2025, 9, 30),
        cause=cause,
        reference="申请第7号",
    )
    p.refresh_from_db()
    assert p.status == PostingStatus.ENDED and p.actual_end == dt.date(2025, 9, 30)
    closure = PostingClosure.objects.get(posting=p)
    assert closure.cause == cause and closure.reference == "申请第7号"
    assert closure.leave is None  # the leave after term is for a term end
    assert Event.objects.filter(action="posting.close").count() == 1


def test_gua_3_leave15_term_end_on_the_31st_grants_15_days_from_the_1st(world):
    p = world.postings["fs_b"]
    Posting.objects.filter(pk=p.pk).update(arrival_date=dt.date(2024, 1, 31))
    posting_close(actor=world.admin, posting_id=p.pk, end_date=dt.date(2026, 1, 31), cause="term")
    leave = LeaveRequest.objects.get(cadre=world.cadres["fs_b"], kind=LeaveKind.AFTER_TERM)
    assert (leave.start, leave.end) == (dt.date(2026, 2, 1), dt.date(2026, 2, 15))
    assert leave.state == LeaveState.APPROVED
    assert PostingClosure.objects.get(posting=p).leave == leave
    assert Event.objects.filter(action="leave.after_term").exists()


def test_mgt_9_handover_end_before_replacement_arrival_needs_an_exception(world):
    p = world.postings["fs_b"]
    _replacement(world, arrival=dt.date(2026, 3, 6))
    with pytest.raises(ValidationFailed) as exc:
        posting_close(actor=world.admin, posting_id=p.pk, end_date=REGULAR, cause="term")
    assert "赵小兵" in exc.value.errors["MGT.9.HANDOVER"]
    assert "2026年3月2日至2026年3月5日(4天)" in exc.value.errors["MGT.9.HANDOVER"]
    posting_close(
        actor=world.admin,
        posting_id=p.pk,
        end_date=REGULAR,
        cause="term",
        gap_reason="接替人员体检未完成,乡镇党委书记代管",
    )
    assert PostingClosure.objects.get(posting=p).gap_reason.startswith("接替人员")


def test_mgt_9_handover_end_after_replacement_arrival_is_accepted(world):
    p = world.postings["fs_b"]
    _replacement(world, arrival=dt.date(2026, 2, 20))
    posting_close(actor=world.admin, posting_id=p.pk, end_date=REGULAR, cause="term")
    p.refresh_from_db()
    assert p.status == PostingStatus.ENDED


def test_posting_close_refuses_non_editors_and_unknown_cause(world):
    p = world.postings["tm_a"]  # the unit's own cadre: visible, not editable
    with pytest.raises(Forbidden):
        posting_close(actor=world.users["unit"], posting_id=p.pk, end_date=REGULAR, cause="term")
    with pytest.raises(ValidationFailed) as exc:
        posting_close(actor=world.admin, posting_id=p.pk, end_date=REGULAR, cause="quit")
    assert "cause" in exc.value.errors


def test_posting_close_twice_is_refused(world):
    p = world.postings["fs_c"]
    posting_close(actor=world.admin, posting_id=p.pk, end_date=REGULAR, cause="term")
    with pytest.raises(ValidationFailed) as exc:
        posting_close(actor=world.admin, posting_id=p.pk, end_date=REGULAR, cause="term")
    assert "status" in exc.value.errors


def test_gua_3_leave15_the_command_line_roster_carries_the_leave_after_the_term(world, tmp_path):
    """GUA.3.LEAVE15: 'exported with the roster' holds for ``zhucun export-roster`` as well as
    for the web page (the columns are registered once by the tenure app)."""
    from django.core.management import call_command
    from openpyxl import load_workbook

    out = tmp_path / "roster.xlsx"
    call_command("export-roster", "--user", "county", "--status", "all", "-o", str(out))
    header = [c.value for c in load_workbook(out).active[3]]
    assert {"实际结束", "结束原因", "驻村结束补假"} <= set(header)
