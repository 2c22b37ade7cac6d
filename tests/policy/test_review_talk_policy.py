"""GUA.3.TALK: 谈心谈话 interval — talk_due_since counts back the parameter's months to the
corresponding day (the month's last day when there is none), talk_findings warns when the
latest talk is before that day or there is none."""

from __future__ import annotations

from datetime import date

from zhucun.policy import Override, get_parameters
from zhucun.policy.review import talk_due_since, talk_findings


def test_gua_3_talk_due_since_is_the_corresponding_day() -> None:
    assert talk_due_since(today=date(2026, 5, 31)) == date(2026, 2, 28)
    assert talk_due_since(today=date(2024, 5, 31)) == date(2024, 2, 29)
    assert talk_due_since(today=date(2026, 2, 15)) == date(2025, 11, 15)


def test_gua_3_talk_a_talk_on_the_boundary_is_recent() -> None:
    today = date(2026, 5, 31)
    assert talk_findings(name="线美玲", last_talk=date(2026, 2, 28), today=today) == []
    (f,) = talk_findings(name="线美玲", last_talk=date(2026, 2, 27), today=today)
    assert f.clause == "GUA.3.TALK" and f.severity == "warning"
    assert "线美玲" in f.message and "2026年2月27日" in f.message and "3个月" in f.message
    assert f.data["since"] == "2026-02-28" and f.data["limit_months"] == 3


def test_gua_3_talk_never_talked_is_a_finding() -> None:
    (f,) = talk_findings(name="岳文华", last_talk=None, today=date(2026, 5, 31))
    assert "尚无谈心谈话记录" in f.message and f.data["last_talk"] is None


def test_gua_3_talk_interval_comes_from_the_parameters() -> None:
    params = get_parameters().with_overrides(
        [Override("talk_max_interval_months", "533103", date(2021, 10, 19), 2)]
    )
    today = date(2026, 5, 31)
    assert talk_due_since(today=today, params=params, jurisdiction="533103") == date(2026, 3, 31)
    assert talk_due_since(today=today, params=params, jurisdiction="533102") == date(2026, 2, 28)
    (f,) = talk_findings(
        name="线美玲",
        last_talk=date(2026, 3, 15),
        today=today,
        params=params,
        jurisdiction="533103",
    )
    assert "2个月" in f.message
