"""GUA.3.PRIORITY: "同等条件下优先考虑提拔任用" — a finalised 优秀 is shown wherever the cadre is
considered for promotion: a green note on the cadre's page, a 考核优秀 badge in the cadre
list (one query for the page, not one per row), ``excellent_years`` in the API's cadre
detail; never for 称职, never for a draft, never to a role that does not read the result."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessment.feedback_helpers import assessment
from tests.web.helpers import html, login
from zhucun.assessment.selectors.feedback import latest_excellent

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(world):
    return {
        "excellent": assessment(world, "tm_a", grade="excellent", year=2024),
        "excellent2": assessment(world, "tm_a", grade="excellent", year=2025),
        "competent": assessment(world, "fs_a", grade="competent"),
        "draft": assessment(world, "fs_b", final=False),
    }


def _row(page: str, pk: int) -> str:
    m = re.search(rf'<tr data-pk="{pk}">(.*?)</tr>', page, re.S)
    assert m, pk
    return m.group(1)


def test_gua_3_priority_cadre_page_shows_a_note_per_excellent_result(world, graded, client):
    login(client, world, "county")
    page = html(client.get(f"/cadres/{world.cadres['tm_a'].pk}/"))
    notes = re.findall(r'<div class="alert success priority-note"[^>]*>(.*?)</div>', page)
    assert len(notes) == 2
    assert "线美玲 驻村2025年度考核为“优秀”" in notes[0] and "(GUA.3.PRIORITY)" in notes[0]
    assert "2024年度" in notes[1]
    # inside the content block, never in <title>
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and "GUA.3.PRIORITY" not in title.group(1)
    competent = html(client.get(f"/cadres/{world.cadres['fs_a'].pk}/"))
    assert "priority-note" not in competent and "GUA.3.PRIORITY" not in competent


def test_gua_3_priority_unit_sees_its_cadre_note_team_member_does_not(world, graded, client):
    login(client, world, "unit")
    assert "priority-note" in html(client.get(f"/cadres/{world.cadres['tm_a'].pk}/"))
    login(client, world, "first_secretary")  # sees the team, does not read assessments
    page = html(client.get(f"/cadres/{world.cadres['tm_a'].pk}/"))
    assert "priority-note" not in page


def test_gua_3_priority_cadre_list_badge_in_one_query(world, graded, client):
    login(client, world, "county")
    page = html(client.get("/cadres/"))
    tm_a = _row(page, world.cadres["tm_a"].pk)
    assert "考核优秀" in tm_a and "2025年年度考核" in tm_a and "GUA.3.PRIORITY" in tm_a
    for key in ("fs_a", "fs_b"):  # 称职, and a draft
        assert "考核优秀" not in _row(page, world.cadres[key].pk)
    with CaptureQueriesContext(connection) as few:
        client.get("/cadres/")
    assessment(world, "fs_a", grade="excellent", year=2024)
    assessment(world, "fs_b", grade="excellent", year=2025, kind="term_end")
    with CaptureQueriesContext(connection) as more:
        page = html(client.get("/cadres/"))
    assert len(more) == len(few)  # no query per row
    assert "考核优秀" in _row(page, world.cadres["fs_b"].pk)


def test_gua_3_priority_latest_excellent_is_the_newest(world, graded):
    ids = [c.pk for c in world.cadres.values()]
    got = latest_excellent(ids)
    assert got == {world.cadres["tm_a"].pk: (2025, "annual")}
    assert latest_excellent(ids, user=world.users["team_member"]) == {}
    assert latest_excellent([]) == {}


def test_gua_3_priority_api_cadre_detail_has_excellent_years(world, graded, client):
    login(client, world, "county")
    body = client.get(f"/api/v1/cadres/{world.cadres['tm_a'].pk}").json()
    assert body["excellent_years"] == [2025, 2024]
    assert client.get(f"/api/v1/cadres/{world.cadres['fs_a'].pk}").json()["excellent_years"] == []
    listed = client.get("/api/v1/cadres").json()["results"]
    assert {c["excellent_years"] for c in listed} == {None}  # detail only
    login(client, world, "first_secretary")
    assert client.get(f"/api/v1/cadres/{world.cadres['tm_a'].pk}").json()["excellent_years"] == []
