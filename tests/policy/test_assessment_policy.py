"""MGT.8.SJSP, MGT.5.GRADE, MGT.5.INPUT and GUA.3.PRIORITY as pure policy (no database)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from zhucun.policy import get_parameters
from zhucun.policy.assessment import (
    GRADE_LABELS,
    VOTE_LABELS,
    Tally,
    excellent_quota,
    opinion_findings,
    priority_findings,
    quota_findings,
    satisfaction,
    sjsp_findings,
)
from zhucun.policy.parameters import Override

ON = date(2026, 9, 30)
SET = date(2021, 10, 19)


def _with(name: str, value: str):
    return get_parameters().with_overrides([Override(name, "533100", SET, value)])


def test_mgt_8_sjsp_the_four_votes_and_grades_are_the_texts():
    assert list(VOTE_LABELS.values()) == ["好", "较好", "一般", "差"]
    assert list(GRADE_LABELS.values()) == ["优秀", "称职", "基本称职", "不称职"]


def test_mgt_8_sjsp_satisfaction_is_exact():
    assert satisfaction(Tally(good=6, fairly_good=3, average=1)) == Fraction(9, 10)
    assert satisfaction(Tally()) is None
    assert Tally.sum([Tally(good=1), Tally(poor=2)]) == Tally(good=1, poor=2)
    with pytest.raises(ValueError, match="非负整数"):
        Tally(good=-1)


def test_mgt_8_sjsp_exactly_at_the_threshold_needs_no_rectification_one_vote_below_does():
    """「不低于」 includes the number: 27/30 = 90 % passes, 26/30 does not (fractions, not floats)."""
    params = _with("sjsp_satisfaction_threshold", "0.90")
    at = Tally(good=20, fairly_good=7, average=3)
    below = Tally(good=20, fairly_good=6, average=4)
    assert sjsp_findings(name="岩温", tally=at, params=params, on=ON) == []
    [f] = sjsp_findings(name="岩温", tally=below, params=params, on=ON)
    assert (f.clause, f.severity) == ("MGT.8.SJSP", "error")
    assert "岩温" in f.message and "86.7%" in f.message and "90.0%" in f.message
    assert f.data["satisfaction"] == "13/15" and f.data["limit"] == "9/10"


def test_mgt_8_sjsp_threshold_unset_says_so_and_never_guesses():
    [f] = sjsp_findings(name="岩温", tally=Tally(good=1, poor=9), on=ON)
    assert f.severity == "info" and "尚未设置" in f.message and f.data["limit"] is None


def test_mgt_5_grade_quota_is_a_floor_of_the_ratio_and_unset_without_a_jurisdiction():
    params = _with("excellent_quota_ratio", "0.20")
    assert excellent_quota(assessed=12, params=params, on=ON) == 2
    assert excellent_quota(assessed=10, params=params, on=ON) == 2
    assert excellent_quota(assessed=4, params=params, on=ON) == 0
    assert excellent_quota(assessed=12, on=ON) is None


def test_mgt_5_grade_quota_refuses_beyond_without_a_recorded_decision():
    assert quota_findings(name="李明", used=1, quota=2, decision="") == []
    [f] = quota_findings(name="李明", used=2, quota=2, decision="")
    assert f.severity == "error" and "2名已用2名" in f.message
    [f] = quota_findings(name="李明", used=2, quota=2, decision="县委常委会2026年12月研究同意")
    assert f.severity == "info" and "县委常委会" in f.message
    [f] = quota_findings(name="李明", used=0, quota=None, decision="")
    assert f.severity == "error" and "尚未设置" in f.message


def test_mgt_5_input_each_of_the_three_groups_is_heard():
    [f] = opinion_findings(name="李明", groups=["villagers"])
    assert f.clause == "MGT.5.INPUT" and f.data["missing"] == ["village_cadres", "party_members"]
    assert "村(社区)干部、党员" in f.message
    assert (
        opinion_findings(name="李明", groups=["villagers", "party_members", "village_cadres"]) == []
    )


def test_gua_3_priority_only_for_excellent():
    [f] = priority_findings(name="李明", year=2025, grade="excellent")
    assert f.clause == "GUA.3.PRIORITY" and "2025年度" in f.message
    assert priority_findings(name="李明", year=2025, grade="competent") == []
