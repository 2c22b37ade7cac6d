"""The quarterly review (MGT.4.REVIEW) takes two facts from the assessment app:

* MGT.8.SJSP / MGT.4.CAUSE — the quarter's 三讲三评 satisfaction (好 + 较好 over all votes of
  every voter group at the quarter's events in the county) below the jurisdiction's
  ``sjsp_satisfaction_threshold`` suggests "能力素质不高、作风不实、民主评议满意度较低";
  exactly at it does not (「不低于」 includes the number); while unset, nothing is suggested.
* MGT.5.GRADE / MGT.4.CAUSE — an assessment finalised 不称职 within the quarter suggests
  "不能胜任本职工作".

Both rows are found by 仅显示有召回情形提示的 (in SQL), the satisfaction is shown as a percent
with the votes, in the row and in the 研判表, and frozen at signing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.assessment.feedback_helpers import assessment, at, sjsp_event, votes
from tests.review.quarterly_helpers import AFTER, QUARTER, YEAR, set_today
from tests.web.helpers import html, login
from zhucun.params.services import parameter_set
from zhucun.review.models import ReviewEntry
from zhucun.review.selectors.quarterly import review_rows, rows_page_facts
from zhucun.review.services.quarterly import review_conclude, review_sign, review_start

pytestmark = pytest.mark.django_db


def _threshold(world, value: str = "0.90") -> None:
    parameter_set(
        actor=world.users["county"],
        name="sjsp_satisfaction_threshold",
        jurisdiction_code="533103000000",
        effective=dt.date(2021, 10, 19),
        value=value,
        note="芒组通〔2026〕3号",
    )


@pytest.fixture
def linked(world, monkeypatch):
    """2026 Q3 in 芒市: 岳文华 8/10 (below 90 %), 线美玲 9/10 (exactly at it; a Q2 event with
    poor votes does not count); 排早腊's 2025 annual assessment finalised 不称职 on 1 August
    (a 不称职 finalised in June for 线美玲 does not count)."""
    set_today(monkeypatch, AFTER)
    c = world.cadres
    a = sjsp_event(world, "A", year=YEAR, quarter=QUARTER, held_on=dt.date(2026, 8, 10))
    votes(a, c["fs_a"], "village_cadres", good=3, fairly_good=1, average=1)
    votes(a, c["fs_a"], "villagers", good=4, poor=1)
    votes(a, c["tm_a"], "village_cadres", good=5)
    votes(a, c["tm_a"], "villagers", fairly_good=4, poor=1)
    old = sjsp_event(world, "A", year=YEAR, quarter=2, held_on=dt.date(2026, 5, 10))
    votes(old, c["tm_a"], "villagers", poor=30)
    assessment(world, "fs_b", grade="incompetent", finalised_at=at(2026, 8, 1))
    assessment(world, "tm_a", grade="incompetent", year=2024, finalised_at=at(2026, 6, 30))
    return review_start(actor=world.users["county"], year=YEAR, quarter=QUARTER)


def _rows(review, **kw):
    rows = list(review_rows(review=review, **kw))
    got = rows_page_facts(rows, review=review)
    return {e.cadre.name: got[e.pk] for e in rows}


def _causes(f) -> list[str]:
    return [s["data"]["cause"] for s in f.suggestions]


def test_mgt_8_sjsp_satisfaction_below_threshold_suggests_mgt_4_cause_performance(world, linked):
    _threshold(world)
    rows = _rows(linked)
    fs_a = rows["岳文华"]
    assert _causes(fs_a) == ["performance"]
    (s,) = fs_a.suggestions
    assert s["clause"] == "MGT.4.CAUSE" and "民主评议满意度80.0%" in s["message"]
    assert s["data"]["satisfaction"] == "4/5" and s["data"]["limit"] == "9/10"
    assert fs_a.facts["satisfaction"] == "4/5"
    assert fs_a.facts["sjsp_votes"] == {"satisfied": 8, "total": 10}
    # exactly at the threshold: 「不低于」 includes the number; the Q2 event does not count
    tm_a = rows["线美玲"]
    assert tm_a.facts["satisfaction"] == "9/10" and _causes(tm_a) == []
    assert rows["排早腊"].facts["satisfaction"] is None  # nobody voted on him


def test_mgt_8_sjsp_threshold_unset_suggests_nothing(world, linked):
    rows = _rows(linked)
    assert _causes(rows["岳文华"]) == [] and rows["岳文华"].facts["satisfaction"] == "4/5"
    assert {e.cadre.name for e in review_rows(review=linked, suggested_only=True)} == {"排早腊"}


def test_mgt_5_grade_incompetent_in_quarter_suggests_mgt_4_cause_incompetent(world, linked):
    rows = _rows(linked)
    fs_b = rows["排早腊"]
    assert _causes(fs_b) == ["incompetent"]
    assert "2025年度考核等次为“不称职”" in fs_b.suggestions[0]["message"]
    assert fs_b.facts["incompetent"] == ["2025年度"]
    assert rows["线美玲"].facts["incompetent"] == []  # finalised in June: another quarter


def test_mgt_4_cause_suggested_only_finds_satisfaction_and_incompetent_in_sql(world, linked):
    _threshold(world)
    only = {e.cadre.name for e in review_rows(review=linked, suggested_only=True)}
    assert only == {"岳文华", "排早腊"}


def test_mgt_8_sjsp_satisfaction_shown_with_votes_and_frozen_at_signing(world, linked, client):
    _threshold(world)
    login(client, world, "county")
    url = f"/review/quarterly/{linked.pk}/"
    page = html(client.get(url))
    assert "80.0%(8/10)" in page and "90.0%(9/10)" in page and "待考核模块" not in page
    assert "能力素质不高、作风不实、民主评议满意度较低" in page and "不能胜任本职工作" in page
    only = html(client.get(url, {"suggested": "1"}))
    assert "岳文华" in only and "排早腊" in only and "线美玲" not in only
    ws = load_workbook(io.BytesIO(client.get(url + "xlsx/").content)).active
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "80.0%(8/10)" in texts and "待考核模块" not in texts
    county = world.users["county"]
    for key in ("fs_a", "fs_b"):
        review_conclude(
            actor=county, review_id=linked.pk, cadre_id=world.cadres[key].pk, conclusion="talk"
        )
    review_sign(actor=county, review_id=linked.pk, meeting="芒市领导小组会议")
    entry = ReviewEntry.objects.get(review=linked, cadre=world.cadres["fs_a"])
    assert entry.facts["satisfaction"] == "4/5"
    assert entry.suggestions[0]["data"]["cause"] == "performance"
    assert "80.0%(8/10)" in html(client.get(url))
