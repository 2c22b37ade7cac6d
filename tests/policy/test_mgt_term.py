"""MGT.TERM: 任期一般不少于2年 — a shorter planned term is a warning needing a reason."""

from __future__ import annotations

from datetime import date

from zhucun.policy import Override, get_parameters, regular_term_end, term_findings

ARRIVAL = date(2024, 3, 1)


def test_mgt_term_regular_end_is_the_corresponding_day() -> None:
    assert regular_term_end(arrival=ARRIVAL) == date(2026, 3, 1)
    assert regular_term_end(arrival=date(2024, 2, 29)) == date(2026, 2, 28)


def test_mgt_term_at_or_after_the_regular_end_says_nothing() -> None:
    assert term_findings(name="岳文华", arrival=ARRIVAL, planned_end=date(2026, 3, 1)) == []
    assert term_findings(name="岳文华", arrival=ARRIVAL, planned_end=date(2027, 1, 1)) == []
    assert term_findings(name="岳文华", arrival=ARRIVAL, planned_end=None) == []


def test_mgt_term_one_day_short_is_a_warning_naming_person_dates_and_limit() -> None:
    (f,) = term_findings(name="岳文华", arrival=ARRIVAL, planned_end=date(2026, 2, 28))
    assert (f.clause, f.severity) == ("MGT.TERM", "warning")
    assert "岳文华" in f.message and "2026-02-28" in f.message and "2026-03-01" in f.message
    assert "不少于2年" in f.message
    assert f.data["term_min_years"] == 2


def test_mgt_term_end_not_after_arrival_is_an_error() -> None:
    (f,) = term_findings(name="岳文华", arrival=ARRIVAL, planned_end=ARRIVAL)
    assert (f.clause, f.severity) == ("MGT.TERM", "error")


def test_mgt_term_years_come_from_the_parameters() -> None:
    params = get_parameters().with_overrides(
        [Override("term_min_years", "533103", date(2021, 10, 19), 3)]
    )
    (f,) = term_findings(
        name="岳文华",
        arrival=ARRIVAL,
        planned_end=date(2026, 3, 1),
        params=params,
        jurisdiction="533103",
    )
    assert "不少于3年" in f.message and f.data["regular_end"] == "2027-03-01"
