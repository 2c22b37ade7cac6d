"""MGT.6.MONTHLY Done-when: a monthly report's draft contains, without typing, the month's
on-duty days, diary lines by duty and the visits recorded — and nothing invented: a month
without records says 本月无记录 in every section."""

from __future__ import annotations

import datetime as dt

import pytest

from zhucun.work.drafts import EMPTY_MONTH, draft_text, monthly_draft

from .reports_helpers import MONTH, checkin, diary, visit

pytestmark = pytest.mark.django_db
D = dt.date


def _section(draft, key):
    return next(s for s in draft["sections"] if s["key"] == key)


def test_mgt_6_monthly_draft_holds_recorded_days_diary_and_visits(world):
    a = world.villages["A"]
    fs, tm = world.cadres["fs_a"], world.cadres["tm_a"]
    user = world.users["first_secretary"]
    for day in (D(2025, 6, 3), D(2025, 6, 4), D(2025, 6, 5)):
        checkin(fs, a, day)
    checkin(fs, a, D(2025, 6, 5))  # a second check-in of a day counts once
    checkin(tm, a, D(2025, 6, 3))
    checkin(tm, a, D(2025, 6, 4), counts=False)  # not counted
    checkin(fs, a, D(2025, 7, 1))  # another month
    diary(fs, a, D(2025, 6, 3), "召开党员大会\n第二行不进草稿", ["DUT.1"], user)
    diary(fs, a, D(2025, 6, 4), "走访脱贫户", ["DUT.2", "DUT.5"], user)
    diary(fs, a, D(2025, 7, 2), "七月的日志", ["DUT.1"], user)
    visit(a, tm, D(2025, 6, 10), user, risk=True, findings="因病返贫风险")
    visit(a, tm, D(2025, 7, 10), user)

    draft = monthly_draft(village=a, month=MONTH)

    duty = _section(draft, "duty_days")
    days = {r["cadre"]: r["days"] for r in duty["rows"]}
    assert days == {"岳文华": 3, "线美玲": 1}
    assert duty["total"] == 4
    diary_s = _section(draft, "diary")
    assert diary_s["total"] == 2
    by_duty = {r["duty"]: [ln["line"] for ln in r["lines"]] for r in diary_s["rows"]}
    assert by_duty == {"DUT.1": ["召开党员大会"], "DUT.2": ["走访脱贫户"], "DUT.5": ["走访脱贫户"]}
    visits = _section(draft, "visits")
    assert visits["total"] == 1
    assert visits["rows"][0]["visited_on"] == "2025-06-10"
    assert visits["rows"][0]["risk_found"] is True
    assert visits["rows"][0]["households"] == 1
    # nothing invented: no meetings, tasks, leave or fraud signals were recorded
    for key in ("meetings", "tasks", "leave", "fraud"):
        assert _section(draft, key)["rows"] == []
        assert _section(draft, key)["total"] == 0
    text = draft_text(draft)
    assert "岳文华(第一书记):在岗3天" in text
    assert "召开党员大会" in text and "第二行不进草稿" not in text
    assert "七月的日志" not in text
    assert text.count(EMPTY_MONTH) == 4


def test_mgt_6_monthly_draft_of_an_empty_month_says_no_records(world):
    a = world.villages["A"]
    draft = monthly_draft(village=a, month=MONTH)
    for s in draft["sections"]:
        if s["key"] == "duty_days":
            # the team is listed (it was in post), with 0 days — a count, not an invention
            assert {r["days"] for r in s["rows"]} == {0}
        else:
            assert s["rows"] == [] and s["total"] == 0
    text = draft_text(draft)
    assert text.count(EMPTY_MONTH) == len(draft["sections"]) - 1
    assert "在岗0天" in text


def test_mgt_6_monthly_draft_queries_are_bounded(world, django_assert_max_num_queries):
    a = world.villages["A"]
    user = world.users["first_secretary"]
    for i in range(1, 20):
        checkin(world.cadres["fs_a"], a, D(2025, 6, i))
        diary(world.cadres["fs_a"], a, D(2025, 6, i), f"第{i}天", ["DUT.3"], user)
    with django_assert_max_num_queries(10):
        monthly_draft(village=a, month=MONTH)
