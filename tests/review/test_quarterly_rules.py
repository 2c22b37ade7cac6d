"""MGT.4.REVIEW / MGT.4.CAUSE: the quarterly review suggests recall causes from the facts the
system holds, with their evidence; the threshold of "长期不在岗" comes from the parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.review.quarterly_helpers import (
    AFTER,
    MONTHS,
    QUARTER,
    YEAR,
    discipline,
    month_row,
    set_today,
)
from zhucun.params.services import parameter_set
from zhucun.review.selectors.quarterly import review_rows, rows_page_facts
from zhucun.review.services.quarterly import review_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def facts(world, monkeypatch):
    set_today(monkeypatch, AFTER)
    p = world.postings
    county = world.users["county"]
    record = discipline(world.cadres["fs_a"], dt.date(2026, 8, 3), county)
    # superseded and out-of-quarter records do not count
    old = discipline(world.cadres["fs_b"], dt.date(2026, 7, 9), county)
    discipline(world.cadres["fs_b"], dt.date(2026, 6, 30), county)
    for month in MONTHS:
        month_row(p["fs_a"], month, short=False)
        month_row(p["tm_a"], month, short=month != MONTHS[2])  # July and August short
    month_row(p["fs_b"], MONTHS[0], short=True)  # one month only
    month_row(p["fs_b"], MONTHS[1], short=True, reason="因公借调(有批件)")
    month_row(p["fs_b"], MONTHS[2], short=False)
    review = review_start(actor=county, year=YEAR, quarter=QUARTER)
    return {"review": review, "record": record, "old": old}


def _suggestions(review, **kw):
    rows = list(review_rows(review=review, **kw))
    got = rows_page_facts(rows, review=review)
    return {e.cadre.name: (e, got[e.pk]) for e in rows}


def _supersede(world, old):
    """fs_b's July record is corrected (a new record that supersedes it, dated in June)."""
    discipline(
        world.cadres["fs_b"],
        dt.date(2026, 6, 1),
        world.users["county"],
        supersedes=old,
        correction_reason="日期录错",
    )


def test_mgt_4_cause_discipline_record_in_quarter_is_suggested_with_the_record(world, facts):
    _supersede(world, facts["old"])
    rows = _suggestions(facts["review"])
    entry, f = rows["岳文华"]
    assert entry.discipline == 1
    (s,) = f.suggestions
    assert s["clause"] == "MGT.4.CAUSE" and s["severity"] == "warning"
    assert s["data"]["cause"] == "discipline"
    assert s["data"]["records"] == [facts["record"].pk]
    assert "2026年8月3日" in s["message"] and "岳文华" in s["message"]
    assert f.facts["discipline"][0]["id"] == facts["record"].pk


def test_mgt_4_cause_two_months_below_working_days_without_reason_are_suggested(world, facts):
    rows = _suggestions(facts["review"])
    entry, f = rows["线美玲"]
    assert entry.absent_months == 2
    (s,) = f.suggestions
    assert s["data"]["cause"] == "absent"
    assert s["data"]["months"] == ["2026-07-01", "2026-08-01"]
    assert s["data"]["limit"] == 2
    assert "线美玲" in s["message"] and "2个月" in s["message"]
    assert f.facts["rates"][0] is not None and f.facts["rates"][2] == "1.0000"


def test_mgt_4_cause_neither_and_one_month_only_suggest_nothing(world, facts):
    _supersede(world, facts["old"])
    rows = _suggestions(facts["review"])
    assert rows["排早腊"][0].absent_months == 1
    assert rows["排早腊"][0].discipline == 0  # superseded and out-of-quarter records
    assert rows["排早腊"][1].suggestions == []
    suggested = _suggestions(facts["review"], suggested_only=True)
    assert set(suggested) == {"岳文华", "线美玲"}


def test_mgt_4_cause_threshold_comes_from_the_parameter_file(world, facts):
    _supersede(world, facts["old"])
    parameter_set(
        actor=world.users["county"],
        name="recall_absent_months_min",
        jurisdiction_code="533103000000",
        effective=dt.date(2026, 1, 1),
        value=1,
        note="芒组通〔2026〕1号 一个月即提示",
    )
    rows = _suggestions(facts["review"])
    (s,) = rows["排早腊"][1].suggestions
    assert s["data"]["months"] == ["2026-07-01"] and s["data"]["limit"] == 1
    assert set(_suggestions(facts["review"], suggested_only=True)) == {
        "岳文华",
        "线美玲",
        "排早腊",
    }


def test_mgt_4_review_only_the_county_cadres_are_listed(world, facts):
    rows = _suggestions(facts["review"])
    assert set(rows) == {"岳文华", "线美玲", "排早腊"}  # 李国强 is posted in 瑞丽市
