"""Issue 9 points 1 and 9 through the web forms and the web import: a formula-like or
invisible-character name shows the Chinese reason next to the field (or in the import report
with row and column) and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhucun.audit.models import Event
from zhucun.registry.models import Cadre, DispatchingUnit, Jurisdiction

from .helpers import html, login
from .test_edit import form_data

FORMULA_MESSAGE = "不能以 = + - @ 或制表符开头(防止表格公式注入)"
INVISIBLE_MESSAGE = "含有不可见字符(如零宽字符或双向控制符)"
CASES = [('=HYPERLINK("http://x","y")', FORMULA_MESSAGE), ("张\u200b三", INVISIBLE_MESSAGE)]


@pytest.mark.parametrize("value,message", CASES)
def test_cadre_edit_form(client, world, value, message):
    cadre = world.cadres["fs_a"]
    login(client, world, "county")
    url = f"/cadres/{cadre.pk}/edit/"
    events = Event.objects.count()
    for field in ("name", "post"):
        data = form_data(client, url)
        data[field] = value
        response = client.post(url, data)
        assert response.status_code == 200
        text = html(response)
        assert f'id="error_{field}"' in text and message in text
    cadre.refresh_from_db()
    assert cadre.name == "岳文华" and cadre.post != value
    assert Event.objects.count() == events


@pytest.mark.parametrize("value,message", CASES)
def test_unit_and_village_edit_forms(client, world, value, message):
    unit = world.units["mangshi"]
    village = world.villages["B"]
    login(client, world, "county")
    events = Event.objects.count()
    for url in (f"/units/{unit.pk}/edit/", f"/villages/{village.pk}/edit/"):
        data = form_data(client, url)
        data["name"] = value
        text = html(client.post(url, data))
        assert 'id="error_name"' in text and message in text
    assert DispatchingUnit.objects.get(pk=unit.pk).name == "芒市人民医院"
    assert Jurisdiction.objects.get(pk=village.jurisdiction_id).name == "拉勐村"
    assert Event.objects.count() == events


@pytest.mark.parametrize("value,message", CASES)
def test_web_import_reports_row_and_column(client, world, value, message):
    login(client, world, "county")
    body = f"单位名称,层级,性质,所在地区代码\n{value},县级,机关,533103000000\n"
    upload = SimpleUploadedFile("单位.csv", body.encode("utf-8"), content_type="text/csv")
    text = html(client.post("/import/", {"kind": "units", "file": upload}))
    assert "导入失败" in text and "单位名称" in text and message in text
    assert not DispatchingUnit.objects.filter(name=value).exists()
    assert not Cadre.objects.filter(name=value).exists()
