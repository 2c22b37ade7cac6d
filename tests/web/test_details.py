"""Detail pages: in scope 200, out of scope 404 (no leak), personal data as scopes allow."""

import pytest

from .helpers import html, login


def test_county_cannot_see_village_in_ruili(client, world):
    login(client, world, "county")
    response = client.get(f"/villages/{world.villages['C'].pk}/")
    assert response.status_code == 404
    text = html(response)
    assert "404" in text and "团结村" not in text
    assert "不在您的管辖范围内" in text


@pytest.mark.parametrize(
    ("url_name", "key"),
    [("cadres", "fs_c"), ("postings", "fs_c")],
)
def test_county_gets_404_for_ruili_objects(client, world, url_name, key):
    login(client, world, "county")
    obj = world.cadres[key] if url_name == "cadres" else world.postings[key]
    assert client.get(f"/{url_name}/{obj.pk}/").status_code == 404
    assert client.get(f"/{url_name}/{obj.pk}/edit/").status_code == 404


def test_unknown_ids_are_404(client, world):
    login(client, world, "admin")
    for url in ("/villages/99999/", "/cadres/99999/", "/units/99999/", "/postings/99999/"):
        assert client.get(url).status_code == 404
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "404 未找到" in html(response)


def test_village_detail_shows_team_and_edit_button(client, world):
    login(client, world, "county")
    response = client.get(f"/villages/{world.villages['A'].pk}/")
    text = html(response)
    assert response.status_code == 200
    assert "弄坎村" in text and "岳文华" in text and "线美玲" in text
    assert 'id="edit-button"' in text


def test_no_edit_button_without_edit_right(client, world):
    login(client, world, "township")
    text = html(client.get(f"/villages/{world.villages['A'].pk}/"))
    assert "弄坎村" in text and 'id="edit-button"' not in text


def test_cadre_personal_data_masked_for_township(client, world):
    cadre = world.cadres["fs_a"]
    login(client, world, "township")
    response = client.get(f"/cadres/{cadre.pk}/")
    assert response.status_code == 200
    text = html(response)
    assert cadre.id_number not in text
    assert cadre.id_number[:2] + "*" * 14 + cadre.id_number[-2:] in text
    assert cadre.phone in text  # township may read phone numbers
    assert "无权查看" in text  # health, family hardship, spouse
    assert 'id="edit-button"' not in text


def test_cadre_personal_data_masked_for_village_secretary(client, world):
    cadre = world.cadres["fs_a"]
    login(client, world, "village_secretary")
    text = html(client.get(f"/cadres/{cadre.pk}/"))
    assert cadre.id_number not in text and cadre.phone not in text
    assert "139****6655" in text


def test_cadre_personal_data_in_full_for_county(client, world):
    cadre = world.cadres["fs_a"]
    login(client, world, "county")
    text = html(client.get(f"/cadres/{cadre.pk}/"))
    assert cadre.id_number in text and cadre.phone in text
    assert "无权查看" not in text
    assert 'id="edit-button"' in text


def test_team_member_sees_own_personal_data(client, world):
    cadre = world.cadres["tm_a"]
    login(client, world, "team_member")
    text = html(client.get(f"/cadres/{cadre.pk}/"))
    assert cadre.id_number in text
    assert client.get(f"/cadres/{world.cadres['fs_a'].pk}/").status_code == 404


def test_unit_detail_lists_cadres_in_scope(client, world):
    login(client, world, "unit")
    response = client.get(f"/units/{world.units['mangshi'].pk}/")
    text = html(response)
    assert "线美玲" in text and "赵小兵" in text and 'id="edit-button"' in text
    assert client.get(f"/units/{world.units['ruili'].pk}/").status_code == 404


def test_posting_detail_and_end_button(client, world):
    posting = world.postings["fs_a"]
    login(client, world, "county")
    text = html(client.get(f"/postings/{posting.pk}/"))
    assert "岳文华" in text and "第一书记" in text and 'id="end-button"' in text
    login(client, world, "unit")
    text = html(client.get(f"/postings/{world.postings['tm_a'].pk}/"))
    assert "线美玲" in text and 'id="end-button"' not in text
