"""MGT.3.RANK / MGT.3.TALK / MGT.1.DAYS: attendance rate, the monthly ranking, interviews, days.

rank_township is the reference the database's window functions are compared against:
rank = RANK() OVER (ORDER BY rate DESC), bottom_rank = RANK() OVER (ORDER BY rate ASC),
is_bottom = bottom_rank ≤ rank_bottom_count (3), ties at the boundary all included.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhucun.policy import (
    Override,
    RankRow,
    WorkCalendar,
    attendance_rate,
    duty_days_findings,
    get_parameters,
    interview_findings,
    needs_interview,
    rank_township,
    ranking_published,
)

ON = date(2024, 7, 1)
JUNE_2024_WORKDAYS = WorkCalendar().workdays_in_month(2024, 6)  # 19 (端午节 6-10)


def table(rates: list[tuple[int, F]], **kw: object) -> dict[int, tuple[int, int, bool, bool]]:
    rows = rank_township(rates, on=ON, **kw)  # type: ignore[arg-type]
    return {r.cadre_id: (r.rank, r.bottom_rank, r.is_bottom, r.tie) for r in rows}


# ------------------------------------------------------------------------------------- rate


def test_mgt_3_rank_attendance_rate_is_exact() -> None:
    assert attendance_rate(17, 19) == F(17, 19)
    assert attendance_rate(0, 19) == 0
    assert attendance_rate(21, 19) == F(21, 19)  # not capped
    with pytest.raises(ValueError):
        attendance_rate(5, 0)
    with pytest.raises(ValueError):
        attendance_rate(-1, 19)


# ---------------------------------------------------------------------------------- ranking


def test_mgt_3_rank_bottom_three_distinct_rates() -> None:
    t = table([(1, F(1)), (2, F(9, 10)), (3, F(8, 10)), (4, F(7, 10)), (5, F(6, 10))])
    assert t == {
        1: (1, 5, False, False),
        2: (2, 4, False, False),
        3: (3, 3, True, False),
        4: (4, 2, True, False),
        5: (5, 1, True, False),
    }


def test_mgt_3_rank_three_tied_at_the_bottom_keep_the_fourth_out() -> None:
    """1, 0.9, 0.8, 0.8, 0.8: the 0.8s have bottom_rank 1, 0.9 has 4 ⇒ not bottom."""
    t = table([(1, F(1)), (2, F(9, 10)), (3, F(4, 5)), (4, F(4, 5)), (5, F(4, 5))])
    assert t[2] == (2, 4, False, False)
    assert t[3] == t[4] == t[5] == (3, 1, True, True)


def test_mgt_3_rank_tie_across_the_boundary_includes_all() -> None:
    """1, 0.9, 0.9, 0.9, 0.8: 0.8 is bottom 1, the 0.9s share bottom_rank 2 ⇒ 4 names."""
    rows = rank_township(
        [(1, F(1)), (2, F(9, 10)), (3, F(9, 10)), (4, F(9, 10)), (5, F(4, 5))], on=ON
    )
    bottom = [r for r in rows if r.is_bottom]
    assert [r.cadre_id for r in bottom] == [2, 3, 4, 5]
    assert [(r.rank, r.bottom_rank, r.tie, r.boundary_tie) for r in bottom] == [
        (2, 2, True, True),
        (2, 2, True, True),
        (2, 2, True, True),
        (5, 1, False, False),
    ]


def test_mgt_3_rank_tie_inside_the_bottom_set_is_not_a_boundary_tie() -> None:
    """1, 0.9, 0.8, 0.8: the 0.8s (bottom 1) tie inside the set; 0.9 (bottom 3) completes it."""
    rows = rank_township([(1, F(1)), (2, F(9, 10)), (3, F(4, 5)), (4, F(4, 5))], on=ON)
    assert [(r.cadre_id, r.is_bottom, r.tie, r.boundary_tie) for r in rows] == [
        (1, False, False, False),
        (2, True, False, False),
        (3, True, True, False),
        (4, True, True, False),
    ]


def test_mgt_3_rank_competition_ranking_1224_and_cadre_id_order() -> None:
    rows = rank_township([(9, F(1, 2)), (4, F(1)), (7, F(1)), (2, F(1, 2)), (5, F(1, 4))], on=ON)
    assert [(r.cadre_id, r.rank) for r in rows] == [(4, 1), (7, 1), (2, 3), (9, 3), (5, 5)]
    assert all(isinstance(r, RankRow) for r in rows)


def test_mgt_3_rank_everybody_equal_below_full_is_everybody_bottom() -> None:
    t = table([(i, F(9, 10)) for i in range(1, 7)])
    assert set(t.values()) == {(1, 1, True, True)}


def test_mgt_3_rank_full_attendance_is_never_on_the_bottom_list() -> None:
    """Issue 10: ties at 100 % pulled whole townships onto the 末3位 list."""
    t = table([(i, F(1)) for i in range(1, 7)])
    assert set(t.values()) == {(1, 1, False, False)}  # nobody falls short: the list is empty
    t = table([(1, F(1)), (2, F(1)), (3, F(1)), (4, F(19, 20))])
    assert [k for k, v in t.items() if v[2]] == [4]  # only the one who fell short


def test_mgt_3_rank_fewer_than_three_cadres_and_none() -> None:
    assert table([(1, F(1)), (2, F(1, 2))]) == {1: (1, 2, False, False), 2: (2, 1, True, False)}
    assert rank_township([], on=ON) == []


def test_mgt_3_rank_a_cadre_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="重复"):
        rank_township([(1, F(1)), (1, F(1, 2))], on=ON)


def test_mgt_3_rank_bottom_count_override() -> None:
    params = get_parameters().with_overrides(
        [Override("rank_bottom_count", "533103", date(2024, 1, 1), 1)]
    )
    rates = [(1, F(1)), (2, F(9, 10)), (3, F(4, 5))]
    rows = rank_township(rates, on=ON, params=params, jurisdiction="533103102")
    assert [r.cadre_id for r in rows if r.is_bottom] == [3]


def test_mgt_3_rank_publication_can_be_switched_off() -> None:
    assert ranking_published(on=ON) is True
    params = get_parameters().with_overrides(
        [Override("rank_publication_enabled", "533103", date(2024, 1, 1), False)]
    )
    assert ranking_published(on=ON, params=params, jurisdiction="533103") is False


rates_strategy = st.lists(
    st.tuples(st.integers(min_value=0, max_value=23), st.integers(min_value=1, max_value=23)),
    max_size=25,
).map(lambda pairs: [(i + 1, F(d, w)) for i, (d, w) in enumerate(pairs)])


@given(rates_strategy, st.integers(min_value=0, max_value=6))
def test_mgt_3_rank_property_ranks_are_consistent(rates: list[tuple[int, F]], count: int) -> None:
    params = get_parameters().with_overrides(
        [Override("rank_bottom_count", "533100", date(2024, 1, 1), count)]
    )
    rows = rank_township(rates, on=ON, params=params)
    n = len(rates)
    assert sorted(r.cadre_id for r in rows) == [i for i, _ in rates]
    assert rows == sorted(rows, key=lambda r: (-r.rate, r.cadre_id))
    for a in rows:
        same = sum(1 for b in rows if b.rate == a.rate)
        assert a.rank + a.bottom_rank == n + 2 - same
        for b in rows:
            if a.rate > b.rate:
                assert a.rank < b.rank and a.bottom_rank > b.bottom_rank
            if a.rate == b.rate:
                assert (a.rank, a.bottom_rank, a.is_bottom, a.tie) == (
                    b.rank,
                    b.bottom_rank,
                    b.is_bottom,
                    b.tie,
                )
    # Independent definition: sort, and give each position the first index of its rate.
    descending = sorted(r for _, r in rates)[::-1]
    assert all(r.rank == descending.index(r.rate) + 1 for r in rows)
    bottom = [r for r in rows if r.is_bottom]
    assert all(r.rate < 1 for r in bottom)  # full attendance is never on the bottom list
    assert len(bottom) >= min(sum(1 for _, r in rates if r < 1), count)
    if bottom:
        assert max(r.rate for r in bottom) < min(
            (r.rate for r in rows if not r.is_bottom), default=F(10**6)
        )
        worst_out = [r for r in bottom if r.rate < max(b.rate for b in bottom)]
        assert len(worst_out) < count  # only the highest bottom rate can overflow the count
    assert all(r.tie == (r.is_bottom and sum(b.rate == r.rate for b in rows) > 1) for r in rows)


# -------------------------------------------------------------------------------- interview


def test_mgt_3_talk_below_the_working_days_without_reason_is_an_interview() -> None:
    w = JUNE_2024_WORKDAYS
    assert w == 19
    assert needs_interview(duty_workdays=w - 1, workdays=w, valid_reason=False, on=ON)
    assert not needs_interview(duty_workdays=w, workdays=w, valid_reason=False, on=ON)
    assert not needs_interview(duty_workdays=w - 1, workdays=w, valid_reason=True, on=ON)
    (f,) = interview_findings(
        name="岩温", duty_workdays=15, workdays=w, valid_reason=False, on=ON, period="2024年6月"
    )
    assert (f.clause, f.severity) == ("MGT.3.TALK", "error")
    for who in ("乡镇驻村工作协调小组长", "派出单位分管领导", "驻村工作队员", "岩温"):
        assert who in f.message
    assert "在岗15个工作日" in f.message and "19个正常工作日" in f.message
    assert f.data["interviewees"] == ["乡镇驻村工作协调小组长", "派出单位分管领导", "驻村工作队员"]


def test_mgt_3_talk_valid_reason_is_noted_not_listed() -> None:
    (f,) = interview_findings(name="岩温", duty_workdays=10, workdays=19, valid_reason=True, on=ON)
    assert f.severity == "info" and "正常理由" in f.message and "不列入约谈" in f.message
    assert (
        interview_findings(name="岩温", duty_workdays=19, workdays=19, valid_reason=False, on=ON)
        == []
    )


def test_mgt_3_talk_ratio_override() -> None:
    params = get_parameters().with_overrides(
        [Override("talk_min_attendance_ratio", "533100", date(2024, 1, 1), "0.8")]
    )
    kw = {"workdays": 20, "valid_reason": False, "on": ON, "params": params}
    assert not needs_interview(duty_workdays=16, **kw)  # type: ignore[arg-type]
    assert needs_interview(duty_workdays=15, **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------- MGT.1.DAYS


def test_mgt_1_days_unset_minimum_is_info_never_an_invented_number() -> None:
    (f,) = duty_days_findings(name="岩温", days=120, year=2024, as_of=date(2024, 7, 1))
    assert (f.clause, f.severity) == ("MGT.1.DAYS", "info")
    assert "原文缺失此数值,须由本辖区设置" in f.message
    assert f.data["minimum"] is None and "200" not in f.message.split("。")[0]


DAYS_200 = get_parameters().with_overrides(
    [Override("min_days_on_duty_per_year", "533100", date(2021, 10, 19), 200)]
)


def days(n: int, as_of: date, **kw: object) -> list[str]:
    found = duty_days_findings(
        name="岩温",
        days=n,
        year=2024,
        as_of=as_of,
        params=DAYS_200,
        **kw,  # type: ignore[arg-type]
    )
    assert all(f.clause == "MGT.1.DAYS" for f in found)
    return [f.severity for f in found]


def test_mgt_1_days_year_over_below_minimum_is_an_error() -> None:
    assert days(199, date(2025, 1, 5)) == ["error"]
    assert days(200, date(2025, 1, 5)) == []


def test_mgt_1_days_behind_the_pro_rata_pace_is_a_warning() -> None:
    # 2024 is a leap year: 1 Jan – 1 Jul is 183 days ⇒ ⌊200 × 183 / 366⌋ = 100.
    assert days(99, date(2024, 7, 1)) == ["warning"]
    assert days(100, date(2024, 7, 1)) == []
    assert days(0, date(2024, 1, 1)) == []  # ⌊200/366⌋ = 0
    assert days(199, date(2024, 12, 31)) == ["warning"]  # not over until the year is


def test_mgt_1_days_mid_year_posting_is_prorated() -> None:
    # Posted from 1 July: 184 days of 366 ⇒ ⌊200 × 184 / 366⌋ = 100 required.
    assert days(100, date(2025, 1, 2), since=date(2024, 7, 1)) == []
    assert days(99, date(2025, 1, 2), since=date(2024, 7, 1)) == ["error"]
    assert days(0, date(2024, 6, 30), since=date(2024, 7, 1)) == []
    # 1 Jul – 31 Aug is 62 days ⇒ ⌊200 × 62 / 366⌋ = 33.
    assert days(32, date(2024, 8, 31), since=date(2024, 7, 1)) == ["warning"]
    assert days(33, date(2024, 8, 31), since=date(2024, 7, 1)) == []
