"""MGT.1.LEAVE / MGT.1.DAYS: leave kinds, who approves, overlaps, which absences are on duty."""

from __future__ import annotations

from datetime import date

import pytest

from zhucun.policy import (
    LEAVE_KINDS,
    approver_findings,
    counts_as_duty,
    leave_approver,
    overlap_findings,
)


def test_mgt_1_leave_kinds() -> None:
    assert dict(LEAVE_KINDS) == {
        "personal": "事假",
        "sick": "病假",
        "business_trip": "因公出差",
        "training": "培训",
        "meeting": "会议",
        "rotation_rest": "轮休",
    }


@pytest.mark.parametrize(
    ("role", "approver"),
    [
        ("first_secretary", "township"),
        ("team_leader", "township"),
        ("team_member", "first_secretary"),
    ],
)
def test_mgt_1_leave_first_secretary_to_township_team_member_to_first_secretary(
    role: str, approver: str
) -> None:
    assert leave_approver(role) == approver
    assert approver_findings(name="岩温", role=role, approver=approver) == []


def test_mgt_1_leave_wrong_approver_is_an_error() -> None:
    (f,) = approver_findings(name="岩温", role="first_secretary", approver="first_secretary")
    assert (f.clause, f.severity) == ("MGT.1.LEAVE", "error")
    assert "乡镇(街道)党(工)委" in f.message and "岩温" in f.message
    with pytest.raises(ValueError, match="未知的驻村职务"):
        leave_approver("village_secretary")


def test_mgt_1_days_business_trip_training_meeting_count_as_on_duty() -> None:
    """ "每年在岗时间不少于…天(含因公出差)"."""
    assert {k for k in LEAVE_KINDS if counts_as_duty(k)} == {
        "business_trip",
        "training",
        "meeting",
    }
    with pytest.raises(ValueError, match="未知的请假类型"):
        counts_as_duty("holiday")


EXISTING = [
    (date(2024, 5, 6), date(2024, 5, 8), "personal"),
    (date(2024, 5, 20), date(2024, 5, 22), "市级培训"),
]


def test_mgt_1_leave_overlap_sharing_one_day_is_refused() -> None:
    (f,) = overlap_findings(
        name="岩温", start=date(2024, 5, 8), end=date(2024, 5, 9), existing=EXISTING
    )
    assert (f.clause, f.severity) == ("MGT.1.LEAVE", "error")
    assert "事假" in f.message and "2024-05-06" in f.message and "重叠 1 天" in f.message
    assert f.data["overlap_days"] == 1


def test_mgt_1_leave_adjacent_requests_do_not_overlap() -> None:
    assert (
        overlap_findings(
            name="岩温", start=date(2024, 5, 9), end=date(2024, 5, 19), existing=EXISTING
        )
        == []
    )


def test_mgt_1_leave_one_error_per_overlapped_request() -> None:
    found = overlap_findings(
        name="岩温", start=date(2024, 5, 1), end=date(2024, 5, 31), existing=EXISTING
    )
    assert [f.data["other"] for f in found] == ["personal", "市级培训"]
    assert "市级培训" in found[1].message and "重叠 3 天" in found[1].message


def test_mgt_1_leave_end_before_start_is_one_error() -> None:
    (f,) = overlap_findings(
        name="岩温", start=date(2024, 5, 9), end=date(2024, 5, 7), existing=EXISTING
    )
    assert f.severity == "error" and "早于" in f.message
