"""SEL.METHOD.NEED on the pages: village needs on the edit and detail pages and the list
filter; the new-nomination page ranks the unit's cadres for the chosen village with reasons
and marks those who fail screening before any nomination is created."""

from __future__ import annotations

import re

from tests.world import cadre_data
from zhucun.audit.models import Event
from zhucun.registry import services as reg
from zhucun.registry.models import Village
from zhucun.selection.models import Nomination

from .helpers import html, login, table_pks
from .test_edit import form_data

ON = "2026-03-02"


def test_village_edit_sets_needs_by_checkbox_with_audit(client, world):
    village = world.villages["A"]
    login(client, world, "county")
    url = f"/villages/{village.pk}/edit/"
    data = form_data(client, url)
    assert "need__industry" not in data
    data.update(need__industry="on", need__border_unity="on")
    events = Event.objects.count()
    assert client.post(url, data).status_code == 302
    assert Village.objects.get(pk=village.pk).needs == ["industry", "border_unity"]
    assert Event.objects.count() == events + 1
    # unticking one keeps the other
    data = form_data(client, url)
    assert data["need__industry"] == "on"
    del data["need__industry"]
    client.post(url, data)
    assert Village.objects.get(pk=village.pk).needs == ["border_unity"]
    # the detail page shows them
    text = html(client.get(f"/villages/{village.pk}/"))
    needs = re.search(r'id="village-needs">(.*?)</dd>', text, re.S).group(1)
    assert "边境/民族团结" in needs and "产业发展" not in needs


def test_village_list_filters_by_need(client, world):
    reg.village_update(
        actor=world.admin, village_id=world.villages["B"].pk, data={"needs": ["governance"]}
    )
    login(client, world, "prefecture")
    response = client.get("/villages/", {"need": "governance"})
    assert table_pks(response, "village-table") == {world.villages["B"].pk}


def _ranking_rows(text: str) -> list[tuple[str, str]]:
    table = text[
        text.index('id="ranking-table"') : text.index("</table>", text.index('id="ranking-table"'))
    ]
    return re.findall(r'<tr data-cadre="(\d+)" class="([^"]*)"', table)


def test_new_nomination_page_ranks_for_the_village_and_marks_failures(client, world):
    admin = world.admin
    reg.village_update(actor=admin, village_id=world.villages["A"].pk, data={"needs": ["industry"]})
    agri = reg.cadre_create(
        actor=admin,
        data=cadre_data(name="农专", serial=81, unit_name="芒市人民医院", agri_specialty=True),
    )
    hard = reg.cadre_create(
        actor=admin,
        data=cadre_data(name="困难", serial=82, unit_name="芒市人民医院", family_hardship=True),
    )
    spare = world.cadres["spare"]
    login(client, world, "unit")
    text = html(
        client.get(
            "/nominations/new/",
            {"village_id": world.villages["A"].pk, "role": "team_member", "dispatch_date": ON},
        )
    )
    rows = _ranking_rows(text)
    assert [int(pk) for pk, _ in rows] == [agri.pk, spare.pk, hard.pk]
    assert rows[2][1] == "sev-error"  # marked, not dropped
    assert "契合本村“产业发展”需求" in text and "SEL.METHOD.NEED" in text
    assert "SEL.COND.NO4" in text and "不符合" in text
    # the cadre list of the form marks the one who fails screening
    option = re.search(rf'<option value="{hard.pk}"[^>]*>([^<]*)</option>', text).group(1)
    assert "不符合选派条件" in option and "SEL.COND.NO4" in option
    option = re.search(rf'<option value="{agri.pk}"[^>]*>([^<]*)</option>', text).group(1)
    assert "不符合" not in option
    assert not Nomination.objects.exists()


def test_choosing_from_the_ranking_prefills_the_form(client, world):
    login(client, world, "unit")
    spare = world.cadres["spare"]
    text = html(
        client.get(
            "/nominations/new/",
            {
                "village_id": world.villages["A"].pk,
                "role": "first_secretary",
                "dispatch_date": ON,
                "cadre_id": spare.pk,
            },
        )
    )
    assert re.search(rf'<option value="{spare.pk}" selected', text)
    assert re.search(r'<option value="first_secretary" selected', text)
    # the posted form still creates the nomination as before
    r = client.post(
        "/nominations/new/",
        {
            "cadre_id": spare.pk,
            "role": "first_secretary",
            "source": "recommendation",
            "dispatch_date": ON,
            "village_id": world.villages["A"].pk,
        },
    )
    assert r.status_code == 302
    assert Nomination.objects.get().village_id == world.villages["A"].pk


def test_new_nomination_page_without_village_still_screens(client, world):
    login(client, world, "unit")
    text = html(client.get("/nominations/new/"))
    assert 'id="ranking-table"' in text and "未指定拟派驻村" in text
    assert f'data-cadre="{world.cadres["spare"].pk}"' in text


def test_village_outside_the_units_reach_is_a_message_not_a_crash(client, world):
    login(client, world, "unit")
    r = client.get("/nominations/new/", {"village_id": world.villages["C"].pk})
    assert r.status_code == 200
    assert 'id="rank-message"' in html(r) and "不在您的管辖范围内" in html(r)
    # a date before any parameter is in force: said on the page, not a crash
    r = client.get("/nominations/new/", {"dispatch_date": "2000-01-01"})
    assert r.status_code == 200 and "max_age_years" in html(r)
    r = client.get("/nominations/new/", {"village_id": "abc", "dispatch_date": "bad"})
    assert r.status_code == 200 and 'id="error_dispatch_date"' in html(r)


def test_village_page_links_the_unit_to_the_ranking(client, world):
    login(client, world, "admin")
    text = html(client.get(f"/villages/{world.villages['A'].pk}/"))
    assert f"/nominations/new/?village_id={world.villages['A'].pk}" in text
    login(client, world, "township")
    text = html(client.get(f"/villages/{world.villages['A'].pk}/"))
    assert 'id="rank-link"' not in text
