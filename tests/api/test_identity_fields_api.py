"""Issue 9 points 1 and 9 through the API: a formula-like or invisible-character value in a
name or identifier answers 400 with the field and the Chinese reason; nothing is written."""

from __future__ import annotations

import pytest

from tests.world import cadre_data
from zhucun.audit.models import Event
from zhucun.registry.models import Cadre, DispatchingUnit, Jurisdiction

FORMULA_MESSAGE = "不能以 = + - @ 或制表符开头(防止表格公式注入)"
INVISIBLE_MESSAGE = "含有不可见字符(如零宽字符或双向控制符)"


def _refused(r, field: str, message: str) -> None:
    assert r.status_code == 400, r.content
    errors = r.json()["errors"]
    assert [(e["field"], e["reason"]) for e in errors] == [(field, message)], errors


@pytest.mark.parametrize(
    "value,message",
    [('=HYPERLINK("http://x","y")', FORMULA_MESSAGE), ("单\u200b位", INVISIBLE_MESSAGE)],
)
def test_unit_create_and_update(api, world, value, message):
    admin = api("admin")
    events = Event.objects.count()
    r = admin.post("/units", {"name": value, "level": "县级", "kind": "机关"})
    _refused(r, "name", message)
    unit = world.units["mangshi"]
    r = admin.patch(f"/units/{unit.pk}", {"name": value})
    _refused(r, "name", message)
    assert DispatchingUnit.objects.get(pk=unit.pk).name == "芒市人民医院"
    assert not DispatchingUnit.objects.filter(name=value).exists()
    assert Event.objects.count() == events


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("name", "+1", FORMULA_MESSAGE),
        ("post", "@SUM(A1)", FORMULA_MESSAGE),
        ("education", "-1+2", FORMULA_MESSAGE),
        ("name", "\u202e三张", INVISIBLE_MESSAGE),
        ("post", "科\u200d员", INVISIBLE_MESSAGE),
    ],
)
def test_cadre_create_and_update(api, world, field, value, message):
    admin = api("admin")
    events = Event.objects.count()
    body = {
        k: (str(v) if hasattr(v, "isoformat") else v)
        for k, v in cadre_data(serial=801, **{field: value}).items()
    }
    r = admin.post("/cadres", body)
    _refused(r, field, message)
    cadre = world.cadres["fs_a"]
    r = admin.patch(f"/cadres/{cadre.pk}", {field: value})
    _refused(r, field, message)
    assert getattr(Cadre.objects.get(pk=cadre.pk), field) != value
    assert Event.objects.count() == events


@pytest.mark.parametrize(
    "value,message", [("\t=1", FORMULA_MESSAGE), ("村\u2066名\u2069", INVISIBLE_MESSAGE)]
)
def test_village_create_and_update(api, world, value, message):
    admin = api("admin")
    events = Event.objects.count()
    r = admin.post(
        "/villages", {"code": "533103102099", "name": value, "township_code": "533103102000"}
    )
    _refused(r, "name", message)
    village = world.villages["B"]
    r = admin.patch(f"/villages/{village.pk}", {"name": value})
    _refused(r, "name", message)
    assert not Jurisdiction.objects.filter(code="533103102099").exists()
    assert Jurisdiction.objects.get(pk=village.jurisdiction_id).name == "拉勐村"
    assert Event.objects.count() == events
