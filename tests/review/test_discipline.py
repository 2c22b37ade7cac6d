"""MGT.10: discipline records (八必须、八严禁) — entered by the township, the county or the
prefecture within their scope, seen by the cadre's unit too, never by the cadres; corrected
by a new record that supersedes the old, never deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.review.models import DisciplineRecord
from zhucun.review.selectors.discipline import discipline_chain, discipline_get, discipline_list
from zhucun.review.services import discipline as services

DAY = dt.date(2025, 4, 8)
FIELDS = {
    "occurred_on": DAY,
    "description": "工作日多次不在村,群众反映强烈",
    "found_by": "县驻村办督查组",
    "outcome": "admonition",
    "prohibition": "reside",
}


def record(world, role="county", cadre="tm_a", **over):
    data = {**FIELDS, **over}
    return services.discipline_record_create(
        actor=world.users[role], cadre_id=world.cadres[cadre].pk, **data
    )


@pytest.mark.parametrize(
    ("role", "kind", "place"),
    [
        ("township", "township", "遮放镇"),
        ("county", "county", "芒市"),
        ("prefecture", "prefecture", "德宏傣族景颇族自治州"),
    ],
)
def test_mgt_10_area_bodies_enter_records_in_their_scope(world, role, kind, place):
    r = record(world, role)
    assert (r.recorder_kind, r.jurisdiction.name, r.recorded_by) == (kind, place, world.users[role])
    assert r.outcome == "admonition" and r.prohibition == "reside" and r.supersedes is None
    e = Event.objects.get(action="discipline.create")
    assert e.object_id == str(r.pk) and e.actor == world.users[role]


def test_mgt_10_codes_or_chinese_labels_are_accepted(world):
    r = record(world, outcome="诫勉谈话", prohibition="必须廉洁自律、严禁收受财物")
    assert (r.outcome, r.prohibition) == ("admonition", "integrity")


@pytest.mark.parametrize(("role", "cadre"), [("county", "fs_c"), ("township", "spare")])
def test_mgt_10_cadre_outside_scope_is_not_found(world, role, cadre):
    with pytest.raises(NotFound) as out:
        record(world, role, cadre)
    with pytest.raises(NotFound) as missing:
        services.discipline_record_create(actor=world.users[role], cadre_id=10**9, **FIELDS)
    assert out.value.message == missing.value.message
    assert not DisciplineRecord.objects.exists()


@pytest.mark.parametrize("role", ["unit", "first_secretary", "team_member", "village_secretary"])
def test_mgt_10_other_roles_cannot_enter(world, role):
    with pytest.raises(Forbidden) as exc:
        record(world, role)
    assert "MGT.10" in exc.value.message


def test_mgt_10_unit_sees_its_cadres_records_and_cadres_see_none(world):
    own = record(world, cadre="tm_a")
    other = record(world, cadre="fs_a")
    far = record(world, "prefecture", cadre="fs_c")
    seen = {
        role: set(discipline_list(user=u).values_list("pk", flat=True))
        for role, u in world.users.items()
    }
    assert seen["unit"] == {own.pk}
    assert seen["county"] == seen["township"] == {own.pk, other.pk}
    assert seen["prefecture"] == seen["admin"] == {own.pk, other.pk, far.pk}
    for role in ("first_secretary", "team_member", "village_secretary"):
        assert seen[role] == set()
    assert discipline_get(user=world.users["unit"], pk=own.pk) == own
    with pytest.raises(NotFound):
        discipline_get(user=world.users["unit"], pk=other.pk)
    with pytest.raises(NotFound):
        discipline_get(user=world.users["team_member"], pk=own.pk)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("occurred_on", timezone.localdate() + dt.timedelta(days=1), "不能晚于今天"),
        ("occurred_on", dt.date(1999, 12, 31), "不能早于2000年"),
        ("description", '=HYPERLINK("http://x")', "公式"),
        ("description", "事实\u200b", "不可见"),
        ("found_by", "督查\u202e组", "不可见"),
        ("found_by", "@群众", "公式"),
        ("found_by", "", "不能为空"),
        ("outcome", "开除", "不是有效值"),
        ("prohibition", "", "不能为空"),
        ("decided_on", dt.date(2025, 4, 1), "不能早于发生日期"),
        ("description", "事" * 2001, "不能超过2000"),
    ],
)
def test_mgt_10_fields_are_validated_in_chinese(world, field, value, words):
    with pytest.raises(ValidationFailed) as exc:
        record(world, **{field: value})
    assert words in exc.value.errors[field]
    assert not DisciplineRecord.objects.exists()


def test_mgt_10_description_keeps_line_breaks(world):
    r = record(world, description="第一条\n第二条")
    assert r.description == "第一条\n第二条"


def supersede(world, old, role="county", **over):
    data = {**FIELDS, "outcome": "criticism", **over}
    data.setdefault("reason", "经复核,处理结果应为批评教育")
    return services.discipline_record_supersede(actor=world.users[role], record_id=old.pk, **data)


def test_mgt_10_a_correction_supersedes_and_the_old_no_longer_stands(world):
    old = record(world, "township")
    new = supersede(world, old)
    assert new.supersedes == old and new.cadre_id == old.cadre_id
    assert new.correction_reason == "经复核,处理结果应为批评教育"
    assert new.recorder_kind == "county"
    old.refresh_from_db()
    assert old.outcome == "admonition"  # the old record is kept as it was
    standing = discipline_list(user=world.users["county"], standing_only=True)
    assert list(standing.values_list("pk", flat=True)) == [new.pk]
    rows = {r.pk: r.standing for r in discipline_list(user=world.users["county"])}
    assert rows == {old.pk: False, new.pk: True}
    assert discipline_chain(old) == discipline_chain(new) == [old, new]
    e = Event.objects.get(action="discipline.supersede")
    assert e.object_id == str(new.pk) and e.note == new.correction_reason


def test_mgt_10_a_superseded_record_cannot_be_corrected_again(world):
    old = record(world)
    newer = supersede(world, old)
    with pytest.raises(ValidationFailed) as exc:
        supersede(world, old, reason="再次更正")
    assert "已被更正" in exc.value.errors["record_id"]
    third = supersede(world, newer, outcome="sanction", reason="上级复核")
    assert discipline_chain(old) == [old, newer, third]
    assert DisciplineRecord.objects.count() == 3


def test_mgt_10_correction_needs_a_reason_and_valid_fields(world):
    old = record(world)
    with pytest.raises(ValidationFailed) as exc:
        supersede(world, old, reason="", occurred_on=dt.date(1990, 1, 1))
    assert set(exc.value.errors) == {"reason", "occurred_on"}
    assert DisciplineRecord.objects.count() == 1


def test_mgt_10_correction_scope_unit_403_outside_404(world):
    own = record(world)
    far = record(world, "prefecture", cadre="fs_c")
    with pytest.raises(Forbidden):
        supersede(world, own, "unit")
    with pytest.raises(NotFound):
        supersede(world, far, "county")
    with pytest.raises(NotFound):
        supersede(world, own, "team_member")
    assert DisciplineRecord.objects.count() == 2


def test_mgt_10_no_delete_path_exists(world, client):
    """Records are never deleted: no service, no API operation, no page does it."""
    assert not [n for n in dir(services) if "delete" in n or "remove" in n]
    from zhucun.api.main import api

    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        if "discipline" in path:
            assert set(ops) <= {"get", "post"}, path
    from zhucun.web.views import review_records

    assert not [p for p in review_records.urlpatterns if "delete" in str(p.pattern)]
