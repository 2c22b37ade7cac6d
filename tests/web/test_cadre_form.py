"""Issue 16 point 6: 新增干部 through a form (``/cadres/new/``) — the import's service and checks
(``cadre_create``: ID checksum, birth date from the number, party dates), Chinese errors on the
fields, units only in scope (a unit registers only its own cadres), audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.world import make_id_number
from zhucun.audit.models import Event
from zhucun.registry.models import Cadre

from .helpers import html, login
from .test_edit import form_data

URL = "/cadres/new/"


def new_data(client, **over):
    """The blank form as the browser submits it, filled with one valid cadre."""
    data = form_data(client, URL)
    data.update(
        name="新干部",
        gender="female",
        ethnicity="傣族",
        id_number=make_id_number(dt.date(1991, 2, 3), 77),
        phone="13912345678",
        birth_date="",
        education="大学本科",
        post="科员",
        party_status="full",
        full_member_since="2016-07-01",
        work_start_date="2014-08-01",
        rural_experience="on",
    )
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("role", "unit"), [("admin", "pref"), ("prefecture", "ruili"), ("county", "mangshi")]
)
def test_department_registers_a_cadre(client, world, role, unit):
    user = login(client, world, role)
    unit_name = world.units[unit].name
    events = Event.objects.count()
    response = client.post(URL, new_data(client, unit_name=unit_name))
    cadre = Cadre.objects.get(name="新干部")
    assert response.status_code == 302 and response["Location"] == f"/cadres/{cadre.pk}/"
    assert cadre.unit == world.units[unit] and cadre.gender == "female"
    assert cadre.birth_date == dt.date(1991, 2, 3)  # from the ID number (left empty)
    assert cadre.full_member_since == dt.date(2016, 7, 1) and cadre.rural_experience
    event = Event.objects.get(seq__gt=events, action="cadre.create")
    assert event.actor == user and event.object_id == str(cadre.pk)


def test_the_list_links_to_the_form_for_the_roles_that_register(client, world):
    for role, shown in (("county", True), ("unit", True), ("township", False)):
        login(client, world, role)
        assert ('id="new-cadre"' in html(client.get("/cadres/"))) is shown, role


def test_unit_registers_only_its_own_cadres(client, world):
    login(client, world, "unit")  # 芒市人民医院
    text = html(client.get(URL))
    options = re.findall(r'<option value="([^"]*)"', text[text.index('name="unit_name"') :])
    assert options[0] == "芒市人民医院"
    assert "德宏州农业农村局" not in text and "瑞丽市财政局" not in text
    response = client.post(URL, new_data(client))
    assert response.status_code == 302
    assert Cadre.objects.get(name="新干部").unit == world.units["mangshi"]


@pytest.mark.parametrize("forged", ["德宏州农业农村局", "瑞丽市财政局", "不存在的单位"])
def test_a_forged_unit_is_a_field_error_and_writes_nothing(client, world, forged):
    login(client, world, "unit")
    events = Event.objects.count()
    response = client.post(URL, new_data(client, unit_name=forged))
    assert response.status_code == 200
    text = html(response)
    assert 'id="error_unit_name"' in text and "不在您的管辖范围内" in text
    assert not Cadre.objects.filter(name="新干部").exists()
    assert Event.objects.count() == events


def test_county_cannot_register_for_a_unit_outside_its_scope(client, world):
    login(client, world, "county")  # 芒市: 瑞丽市财政局 is neither in it nor has cadres in it
    response = client.post(URL, new_data(client, unit_name="瑞丽市财政局"))
    assert 'id="error_unit_name"' in html(response)
    assert not Cadre.objects.filter(name="新干部").exists()


@pytest.mark.parametrize(
    ("over", "field", "reason"),
    [
        ({"id_number": "533103199102030770"}, "id_number", "校验位"),
        ({"id_number": "5331031991"}, "id_number", "18位"),
        ({"birth_date": "1991-02-04"}, "birth_date", "不一致"),
        ({"full_member_since": ""}, "full_member_since", "正式党员须填写转正日期"),
        ({"work_start_date": "1990-01-01"}, "work_start_date", "不能早于出生日期"),
        ({"name": "=HYPERLINK()"}, "name", "公式"),
        ({"name": ""}, "name", "不能为空"),
        ({"gender": ""}, "gender", "不能为空"),
        ({"phone": "12345"}, "phone", "不是有效的手机号"),
        (
            {"spouse_id_number": make_id_number(dt.date(1970, 1, 1), 5)},
            "spouse_id_number",
            "未登记",
        ),
    ],
)
def test_bad_values_show_chinese_errors_on_their_fields(client, world, over, field, reason):
    """SEL.COND (the import's checks): the reason next to the field, the values kept, nothing
    written."""
    login(client, world, "county")
    events = Event.objects.count()
    data = new_data(client, unit_name="芒市人民医院", **over)
    response = client.post(URL, data)
    assert response.status_code == 200
    text = html(response)
    m = re.search(rf'id="error_{field}">([^<]*)<', text)
    assert m and reason in m.group(1), (field, m and m.group(1))
    assert 'value="傣族"' in text  # what was typed stays in the form
    assert not Cadre.objects.filter(ethnicity="傣族", name=data["name"] or "新干部").exists()
    assert Event.objects.count() == events


def test_an_empty_birth_date_waits_for_a_valid_number(client, world):
    """出生日期 left empty is not an error of its own while the number does not read."""
    login(client, world, "county")
    data = new_data(client, unit_name="芒市人民医院", id_number="533103199102030770")
    text = html(client.post(URL, data))
    assert 'id="error_id_number"' in text and 'id="error_birth_date"' not in text


def test_duplicate_id_number_is_refused(client, world):
    login(client, world, "county")
    taken = world.cadres["tm_a"].id_number
    response = client.post(URL, new_data(client, unit_name="芒市人民医院", id_number=taken))
    assert "该身份证号已登记" in html(response)
    assert Cadre.objects.filter(id_number=taken).count() == 1


@pytest.mark.parametrize(
    "role", ["township", "first_secretary", "team_member", "village_secretary"]
)
def test_other_roles_may_not_register(client, world, role):
    login(client, world, role)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"name": "新干部", "unit_name": "芒市人民医院"})
    assert response.status_code == 403
    assert not Cadre.objects.filter(name="新干部").exists()


def test_edit_covers_what_an_office_changes(client, world):
    """The edit form has every field of the import (the unit's own cadre: all personal data)."""
    login(client, world, "unit")
    cadre = world.cadres["spare"]
    data = form_data(client, f"/cadres/{cadre.pk}/edit/")
    for name in (
        "name",
        "phone",
        "post",
        "education",
        "party_status",
        "unit_name",
        "id_number",
        "birth_date",
        "work_start_date",
        "occupation",
    ):
        assert name in data, name
    data.update(post="副院长", phone="13700001111", education="硕士研究生")
    assert client.post(f"/cadres/{cadre.pk}/edit/", data).status_code == 302
    cadre.refresh_from_db()
    assert (cadre.post, cadre.phone, cadre.education) == ("副院长", "13700001111", "硕士研究生")
    event = Event.objects.filter(action="cadre.update").latest("seq")
    assert event.actor == world.users["unit"] and event.after["post"] == "副院长"
    # moving the cadre to another unit by a forged value is refused on the field
    data["unit_name"] = "德宏州农业农村局"
    response = client.post(f"/cadres/{cadre.pk}/edit/", data)
    assert 'id="error_unit_name"' in html(response)
    cadre.refresh_from_db()
    assert cadre.unit == world.units["mangshi"]
