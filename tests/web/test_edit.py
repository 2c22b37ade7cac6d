"""Edit forms go through the registry services: changes are saved and audited; bad values
show the Chinese reason next to the field and change nothing; no right → 403."""

import datetime as dt

import pytest

from zhucun.audit.models import Event
from zhucun.registry.models import Cadre, DispatchingUnit, Posting, Village

from .helpers import html, login


def form_data(client, url):
    """The current values of the edit form at ``url``, as the browser would submit them."""
    import re

    text = html(client.get(url))
    data = {}
    for name, value in re.findall(
        r'<input type="(?:text|date)" name="(\w+)" id="id_\w+" value="([^"]*)"', text
    ):
        data[name] = value
    for name in re.findall(r'<input type="checkbox" name="(\w+)" id="id_\w+" checked', text):
        data[name] = "on"
    for name, body in re.findall(r'<select name="(\w+)" id="id_\w+">(.*?)</select>', text, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_village_edit_changes_and_audits(client, world):
    village = world.villages["B"]
    login(client, world, "county")
    url = f"/villages/{village.pk}/edit/"
    data = form_data(client, url)
    assert data["name"] == "拉勐村"
    data.update(name="拉勐新村", key_village="on", checkin_lat="24.25", checkin_lng="98.27")
    events = Event.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/villages/{village.pk}/"
    village.refresh_from_db()
    assert village.key_village and str(village.checkin_lat) == "24.250000"
    assert village.jurisdiction.name == "拉勐新村"
    actions = list(Event.objects.filter(seq__gt=events).values_list("action", flat=True))
    assert sorted(actions) == ["jurisdiction.rename", "village.update"]
    assert Event.objects.get(action="village.update").actor == world.users["county"]


def test_village_edit_bad_value_shows_chinese_error_and_changes_nothing(client, world):
    village = world.villages["A"]
    login(client, world, "county")
    url = f"/villages/{village.pk}/edit/"
    data = form_data(client, url)
    data.update(checkin_lat="2.5", checkin_radius_m="abc", key_village="on")
    events = Event.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    text = html(response)
    assert 'id="error_checkin_lat"' in text and "超出中国境内范围" in text
    assert 'id="error_checkin_radius_m"' in text and "不是整数" in text
    assert 'value="2.5"' in text  # the user's input is kept
    assert Event.objects.count() == events
    fresh = Village.objects.get(pk=village.pk)
    assert str(fresh.checkin_lat) == "24.256000" and not fresh.key_village


def test_village_edit_without_change_writes_nothing(client, world):
    village = world.villages["A"]
    login(client, world, "county")
    url = f"/villages/{village.pk}/edit/"
    events = Event.objects.count()
    assert client.post(url, form_data(client, url)).status_code == 302
    assert Event.objects.count() == events


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("township", "/villages/{A}/edit/"),
        ("unit", "/villages/{A}/edit/"),
        ("township", "/cadres/{fs_a}/edit/"),
        ("first_secretary", "/cadres/{tm_a}/edit/"),
        ("county", "/units/{pref}/edit/"),
        ("township", "/postings/{fs_a}/end/"),
        ("unit", "/postings/{tm_a}/end/"),
    ],
)
def test_visible_but_not_editable_is_403(client, world, role, url):
    ids = {
        "A": world.villages["A"].pk,
        "fs_a": world.cadres["fs_a"].pk if "cadres" in url else world.postings["fs_a"].pk,
        "tm_a": world.cadres["tm_a"].pk if "cadres" in url else world.postings["tm_a"].pk,
        "pref": world.units["pref"].pk,
    }
    login(client, world, role)
    url = url.format(**ids)
    detail = url.rsplit("/", 2)[0] + "/"
    assert client.get(detail).status_code == 200
    events = Event.objects.count()
    for response in (client.get(url), client.post(url, {"name": "x", "actual_end": "2025-01-01"})):
        assert response.status_code == 403
        assert "无权" in html(response)
    assert Event.objects.count() == events


def test_cadre_edit_changes_and_audits(client, world):
    cadre = world.cadres["spare"]
    login(client, world, "unit")
    url = f"/cadres/{cadre.pk}/edit/"
    data = form_data(client, url)
    assert data["unit_name"] == "芒市人民医院" and data["id_number"] == cadre.id_number
    data.update(phone="13900001111", post="副科长")
    response = client.post(url, data)
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.phone == "13900001111" and cadre.post == "副科长"
    event = Event.objects.filter(action="cadre.update").latest("seq")
    assert event.object_id == str(cadre.pk) and event.after["phone"] == "13900001111"


def test_cadre_edit_cross_check_error(client, world):
    cadre = world.cadres["fs_a"]
    login(client, world, "county")
    url = f"/cadres/{cadre.pk}/edit/"
    data = form_data(client, url)
    data.update(full_member_since="", id_number="123")
    response = client.post(url, data)
    assert response.status_code == 200
    text = html(response)
    assert "身份证号应为18位" in text
    cadre.refresh_from_db()
    assert cadre.full_member_since == dt.date(2015, 7, 1)
    data = form_data(client, url)
    data["full_member_since"] = ""
    text = html(client.post(url, data))
    assert 'id="error_full_member_since"' in text and "正式党员须填写转正日期" in text
    assert Cadre.objects.get(pk=cadre.pk).full_member_since == dt.date(2015, 7, 1)


def test_unit_edit_by_its_own_unit_user(client, world):
    unit = world.units["mangshi"]
    login(client, world, "unit")
    url = f"/units/{unit.pk}/edit/"
    data = form_data(client, url)
    data.update(address="芒市勇罕街1号")
    assert client.post(url, data).status_code == 302
    assert DispatchingUnit.objects.get(pk=unit.pk).address == "芒市勇罕街1号"
    data.update(name="德宏州农业农村局")
    text = html(client.post(url, data))
    assert "已存在" in text
    assert DispatchingUnit.objects.get(pk=unit.pk).name == "芒市人民医院"


def test_posting_end(client, world):
    posting = world.postings["fs_b"]
    login(client, world, "county")
    url = f"/postings/{posting.pk}/end/"
    text = html(client.post(url, {"actual_end": "2020-01-01", "note": "测试"}))
    assert "结束日期不能早于到岗日期" in text
    assert Posting.objects.get(pk=posting.pk).status == "active"
    text = html(client.post(url, {"actual_end": "不是日期", "note": ""}))
    assert "无法识别" in text
    # MGT.TERM: before the regular end (arrival 2024-03-01 + 2 years) a term end is refused
    text = html(client.post(url, {"actual_end": "2025-06-30", "note": "期满轮换"}))
    assert "MGT.TERM" in text and "2026年3月1日" in text
    assert Posting.objects.get(pk=posting.pk).status == "active"
    response = client.post(url, {"actual_end": "2026-03-01", "note": "期满轮换"})
    assert response.status_code == 302
    posting.refresh_from_db()
    assert posting.status == "ended" and posting.actual_end == dt.date(2026, 3, 1)
    event = Event.objects.filter(action="posting.end").latest("seq")
    assert event.note == "期满轮换"
    # an ended posting cannot be ended again
    text = html(client.post(url, {"actual_end": "2026-03-02"}))
    assert "该任职已结束" in text
