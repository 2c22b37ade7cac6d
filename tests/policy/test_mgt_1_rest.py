"""MGT.1.REST: "非特殊时期每季度可安排轮休1次,时间不超过1周,每批轮休人员不超过三分之一"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhucun.policy import (
    Finding,
    Override,
    check_rest,
    get_parameters,
    quarter_of,
    rest_limit,
)

ON = date(2024, 6, 3)
MONDAY = date(2024, 5, 6)


def rest(
    start: date = MONDAY,
    end: date | None = None,
    *,
    rests: int = 0,
    team: int = 6,
    resting: Mapping[date, int] | None = None,
    special: Sequence[tuple[date, date, str]] = (),
    **extra: object,
) -> list[Finding]:
    return check_rest(
        name="岩温",
        start=start,
        end=end or start + timedelta(days=4),
        rests_this_quarter=rests,
        team_size=team,
        resting_by_day=resting or {},
        special_periods=special,
        **extra,  # type: ignore[arg-type]
    )


def checks(findings: list[Finding]) -> list[tuple[str, str]]:
    assert all(f.clause == "MGT.1.REST" for f in findings)
    return [(f.data["check"], f.severity) for f in findings]


def test_mgt_1_rest_an_ordinary_request_passes() -> None:
    assert rest() == []


@pytest.mark.parametrize(
    ("team", "limit"), [(0, 0), (1, 1), (2, 1), (3, 1), (5, 1), (6, 2), (9, 3)]
)
def test_mgt_1_rest_third_of_team_rounded_down_never_below_one(team: int, limit: int) -> None:
    """Settled reading: ⅓ rounded down, but never below one person."""
    assert rest_limit(team, None, ON) == limit


def test_mgt_1_rest_third_of_team_rounded_down_team_of_3_lets_one_rest() -> None:
    assert rest(team=3) == []
    day = MONDAY + timedelta(days=2)
    (f,) = rest(team=3, resting={day: 1})
    assert checks([f]) == [("team_fraction", "error")]
    assert "2024-05-08" in f.message and "2人" in f.message and "上限1人" in f.message
    assert (f.data["day"], f.data["count"], f.data["limit"]) == ("2024-05-08", 2, 1)


def test_mgt_1_rest_third_of_team_rounded_down_team_of_6_lets_two_rest() -> None:
    assert rest(team=6, resting={MONDAY: 1}) == []
    found = rest(team=6, resting={MONDAY: 2, MONDAY + timedelta(days=1): 2})
    assert [f.data["day"] for f in found] == ["2024-05-06", "2024-05-07"]
    assert checks(found) == [("team_fraction", "error")] * 2


def test_mgt_1_rest_team_of_2_lets_one_rest_and_refuses_the_second() -> None:
    """Settled reading: every cadre's once-a-quarter rest must be usable in a team of two."""
    assert rest(team=2) == []
    assert rest(team=1) == []
    (f,) = rest(team=2, resting={MONDAY: 1})
    assert checks([f]) == [("team_fraction", "error")]
    assert "上限1人" in f.message and "三分之一" in f.message and "至少1人" in f.message


def test_mgt_1_rest_floor_and_fraction_come_from_the_parameters() -> None:
    params = get_parameters().with_overrides(
        [
            Override("rest_min_team_batch", "533124", date(2024, 1, 1), 2),
            Override("rest_max_team_fraction", "533124", date(2024, 1, 1), "1/4"),
        ]
    )
    assert rest_limit(3, params, ON, "533124") == 2
    (f,) = rest(team=3, resting={MONDAY: 2}, params=params, jurisdiction="533124")
    assert "四分之一" in f.message and "至少2人" in f.message


def test_mgt_1_rest_days_outside_the_request_do_not_count() -> None:
    assert (
        rest(team=3, resting={MONDAY - timedelta(days=1): 1, MONDAY + timedelta(days=5): 1}) == []
    )


def test_mgt_1_rest_seven_days_pass_eight_are_refused() -> None:
    assert rest(MONDAY, MONDAY + timedelta(days=6)) == []
    (f,) = rest(MONDAY, MONDAY + timedelta(days=7))
    assert checks([f]) == [("length", "error")]
    assert "共8天" in f.message and "7天" in f.message


def test_mgt_1_rest_second_rest_in_a_quarter_refused_next_quarter_fine() -> None:
    (f,) = rest(date(2024, 6, 10), date(2024, 6, 14), rests=1)
    assert checks([f]) == [("per_quarter", "error")]
    assert "2024年第2季度已轮休1次" in f.message
    assert rest(date(2024, 7, 1), date(2024, 7, 5), rests=0) == []


def test_mgt_1_rest_may_cross_a_quarter_end_and_counts_where_it_starts() -> None:
    """Settled reading: a rest may cross a quarter's end; it counts for the starting quarter."""
    assert rest(date(2024, 3, 29), date(2024, 4, 2)) == []
    (f,) = rest(date(2024, 3, 29), date(2024, 4, 2), rests=1)
    assert checks([f]) == [("per_quarter", "error")]
    assert "2024年第1季度已轮休1次" in f.message


def test_mgt_1_rest_special_period_overlap_names_it() -> None:
    special = [(date(2024, 5, 10), date(2024, 5, 20), "边境疫情防控特殊时期")]
    (f,) = rest(MONDAY, date(2024, 5, 10), special=special)  # shares one day
    assert checks([f]) == [("special_period", "error")]
    assert "边境疫情防控特殊时期" in f.message and "非特殊时期" in f.message
    assert rest(MONDAY, date(2024, 5, 9), special=special) == []


def test_mgt_1_rest_every_problem_is_reported() -> None:
    special = [(date(2024, 3, 25), date(2024, 3, 26), "防汛")]
    found = rest(date(2024, 3, 25), date(2024, 4, 5), rests=1, team=3, resting={}, special=special)
    assert [c for c, _ in checks(found)] == [
        "length",
        "per_quarter",
        "special_period",
    ]


def test_mgt_1_rest_end_before_start() -> None:
    (f,) = rest(MONDAY, MONDAY - timedelta(days=1))
    assert checks([f]) == [("dates", "error")]


def test_mgt_1_rest_bad_input() -> None:
    with pytest.raises(ValueError):
        rest(team=0)
    with pytest.raises(ValueError):
        rest(rests=-1)


def test_mgt_1_rest_quarter_of() -> None:
    assert [quarter_of(date(2024, m, 1))[1] for m in range(1, 13)] == [1] * 3 + [2] * 3 + [
        3
    ] * 3 + [4] * 3
    assert quarter_of(date(2024, 12, 31)) == (2024, 4)


def test_mgt_1_rest_fraction_override_by_jurisdiction() -> None:
    params = get_parameters().with_overrides(
        [Override("rest_max_team_fraction", "533124", date(2024, 1, 1), "1/2")]
    )
    assert rest_limit(4, params, ON, "533124") == 2
    assert rest_limit(4, params, ON) == 1
    assert rest(team=4, resting={MONDAY: 1}, params=params, jurisdiction="533124") == []


@given(st.integers(min_value=0, max_value=500))
def test_mgt_1_rest_property_limit_is_the_largest_count_within_a_third(team: int) -> None:
    limit = rest_limit(team, None, ON)
    if team == 0:
        assert limit == 0
    elif team < 3:
        assert limit == 1  # never below one person
    else:
        assert Fraction(limit) <= Fraction(team, 3) < limit + 1


def test_mgt_1_rest_fractions_are_written_as_the_policy_writes_them() -> None:
    from zhucun.policy.numbers import chinese_int, fraction_text

    assert fraction_text(Fraction(1, 3)) == "三分之一"
    assert fraction_text(Fraction(2, 5)) == "五分之二"
    assert [chinese_int(n) for n in (0, 7, 10, 12, 20, 23, 100)] == [
        "零",
        "七",
        "十",
        "十二",
        "二十",
        "二十三",
        "100",
    ]
