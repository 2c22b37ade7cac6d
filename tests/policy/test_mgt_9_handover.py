"""MGT.9.HANDOVER (期满轮换、压茬交接), MGT.TERM (no early end) and GUA.3.LEAVE15 (补假15天):
the pure rules of zhucun.policy.tenure, periods counted as 民法典 第201–202条."""

from __future__ import annotations

from datetime import date

import pytest

from zhucun.policy.tenure import (
    coverage_gap,
    early_end_findings,
    gap_days,
    handover_findings,
    leave_after_term,
    term_end_notice_window,
)


def test_mgt_9_handover_gap_is_exactly_the_first_five_days():
    gap = coverage_gap(leaver_end=date(2026, 1, 31), replacement_arrival=date(2026, 2, 6))
    assert gap == (date(2026, 2, 1), date(2026, 2, 5))
    assert gap_days(gap) == 5


@pytest.mark.parametrize("arrival", [date(2026, 1, 20), date(2026, 1, 31), date(2026, 2, 1)])
def test_mgt_9_handover_no_gap_when_replacement_arrives_by_the_next_day(arrival):
    assert coverage_gap(leaver_end=date(2026, 1, 31), replacement_arrival=arrival) is None
    assert gap_days(None) == 0


def test_mgt_9_handover_end_before_replacement_arrival_is_an_error():
    (f,) = handover_findings(
        name="甲",
        leaver_end=date(2026, 1, 31),
        replacement_name="乙",
        replacement_arrival=date(2026, 2, 6),
    )
    assert f.clause == "MGT.9.HANDOVER" and f.is_error
    assert "乙" in f.message and "2026年2月1日至2026年2月5日(5天)" in f.message
    assert f.data["gap_days"] == 5


def test_mgt_9_handover_overlap_is_fine():
    assert not handover_findings(
        name="甲",
        leaver_end=date(2026, 2, 6),
        replacement_name="乙",
        replacement_arrival=date(2026, 2, 1),
    )


def test_mgt_term_early_end_refused_for_term_cause():
    (f,) = early_end_findings(
        name="甲", end=date(2025, 6, 1), regular_end=date(2026, 3, 1), cause="term", reference=""
    )
    assert f.clause == "MGT.TERM" and f.is_error
    assert "甲" in f.message and "2026年3月1日" in f.message and "2025年6月1日" in f.message


@pytest.mark.parametrize("cause", ["rotation", "recall"])
def test_mgt_term_early_end_needs_a_reference_for_rotation_or_recall(cause):
    args = dict(name="甲", end=date(2025, 6, 1), regular_end=date(2026, 3, 1), cause=cause)
    assert early_end_findings(**args, reference="")[0].clause == "MGT.TERM"
    assert early_end_findings(**args, reference="  ") != []
    assert early_end_findings(**args, reference="申请12") == []


def test_mgt_term_end_on_or_after_regular_end_is_fine():
    for end in (date(2026, 3, 1), date(2026, 4, 1)):
        assert not early_end_findings(
            name="甲", end=end, regular_end=date(2026, 3, 1), cause="term", reference=""
        )


def test_mgt_term_unknown_cause_raises():
    with pytest.raises(ValueError):
        early_end_findings(
            name="甲", end=date(2026, 3, 1), regular_end=date(2026, 3, 1), cause="x", reference=""
        )


def test_gua_3_leave15_term_ending_on_the_31st_grants_1st_to_15th():
    assert leave_after_term(term_end=date(2026, 1, 31)) == (date(2026, 2, 1), date(2026, 2, 15))


def test_gua_3_leave15_counts_calendar_days_across_the_year_end():
    start, end = leave_after_term(term_end=date(2026, 12, 25))
    assert (start, end) == (date(2026, 12, 26), date(2027, 1, 9))
    assert (end - start).days + 1 == 15


def test_mgt_9_handover_term_end_notice_window_is_90_days():
    assert term_end_notice_window(today=date(2026, 1, 1)) == (date(2026, 1, 1), date(2026, 4, 1))
