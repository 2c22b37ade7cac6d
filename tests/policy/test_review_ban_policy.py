"""Pure policy of MGT.4.CONSEQ: the promotion ban after a recall ends on the corresponding day
three years on (inclusive; 29 February → 28 February), screening refuses through that day and
not after, and the replacement deadline follows the recall by the parameter's days."""

from __future__ import annotations

import datetime as dt

from zhucun.policy import get_parameters
from zhucun.policy.review import (
    promotion_ban_findings,
    promotion_ban_until,
    replacement_due,
)


def test_mgt_4_conseq_ban_ends_on_the_corresponding_day_three_years_on():
    assert promotion_ban_until(recall_date=dt.date(2026, 3, 15)) == dt.date(2029, 3, 15)
    assert promotion_ban_until(recall_date=dt.date(2026, 12, 31)) == dt.date(2029, 12, 31)


def test_mgt_4_conseq_ban_from_29_february_ends_28_february():
    assert promotion_ban_until(recall_date=dt.date(2028, 2, 29)) == dt.date(2031, 2, 28)


def test_mgt_4_conseq_ban_years_come_from_the_parameter():
    years = get_parameters().int_value("recall_promotion_ban_years", on=dt.date(2026, 3, 15))
    assert promotion_ban_until(recall_date=dt.date(2026, 3, 15)).year == 2026 + years


def test_mgt_4_conseq_findings_on_the_last_day_refuse_and_the_day_after_allow():
    until = dt.date(2029, 3, 15)
    last = promotion_ban_findings(
        name="线美玲", on=until, ban_until=until, recall_date=dt.date(2026, 3, 15)
    )
    assert [f.clause for f in last] == ["MGT.4.CONSEQ"]
    assert last[0].severity == "error"
    for part in ("线美玲", "2026年3月15日", "2029年3月15日", "MGT.4.CONSEQ"):
        assert part in last[0].message
    assert (
        promotion_ban_findings(
            name="线美玲", on=until + dt.timedelta(days=1), ban_until=until, recall_date=None
        )
        == []
    )
    assert promotion_ban_findings(name="线美玲", on=until, ban_until=None) == []


def test_mgt_4_conseq_screen_candidate_cites_the_ban():
    from zhucun.policy import Candidate, screen_candidate

    base = dict(
        name="线美玲",
        birth_date=dt.date(1990, 5, 17),
        party_status="none",
        full_member_since=None,
        work_start_date=dt.date(2012, 8, 1),
        occupation="科员",
        occupation_code="",
        health_fit=True,
        family_hardship=False,
        is_xuandiao=False,
        retired=False,
        age_exception=False,
        rural_experience=False,
        agri_specialty=False,
        tech_commissioner=False,
        talent_program=False,
    )
    until = dt.date(2029, 3, 15)
    banned = Candidate(**base, promotion_ban_until=until, recalled_on=dt.date(2026, 3, 15))
    during = screen_candidate(banned, role="team_member", on=until)
    assert any(f.clause == "MGT.4.CONSEQ" and f.is_error for f in during)
    after = screen_candidate(banned, role="team_member", on=until + dt.timedelta(days=1))
    assert not any(f.clause == "MGT.4.CONSEQ" for f in after)
    assert not any(
        f.clause == "MGT.4.CONSEQ"
        for f in screen_candidate(Candidate(**base), role="team_member", on=until)
    )


def test_mgt_4_conseq_replacement_due_follows_the_parameter():
    days = get_parameters().int_value("recall_replacement_days", on=dt.date(2026, 3, 15))
    assert replacement_due(recall_date=dt.date(2026, 3, 15)) == dt.date(2026, 3, 15) + dt.timedelta(
        days=days
    )
