"""GUA.3.TALK: 谈心谈话 records — entered by the unit (its cadres), the township and the
organisation departments (their scope); the cadres in post with no talk within
``talk_max_interval_months`` are listed for their unit and the area bodies."""

from __future__ import annotations

import datetime as dt

import pytest

from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.services import parameter_set
from zhucun.review.models import Talk
from zhucun.review.selectors.talks import overdue_rows, talk_list, talks_overdue
from zhucun.review.services.talks import talk_create

TODAY = dt.date(2026, 5, 31)  # boundary with 3 months: 2026-02-28


def talk(world, role="unit", cadre="tm_a", held_on=dt.date(2026, 4, 1), **over):
    data = {"talker": "王院长(院党委书记)", "topics": "驻村生活、工作困难", **over}
    return talk_create(
        actor=world.users[role], cadre_id=world.cadres[cadre].pk, held_on=held_on, **data
    )


def overdue(world, role, today=TODAY) -> set[str]:
    return {p.cadre.name for p in talks_overdue(user=world.users[role], today=today)}


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        ("unit", "unit"),
        ("township", "township"),
        ("county", "county"),
        ("prefecture", "prefecture"),
    ],
)
def test_gua_3_talk_writers_record_talks(world, role, kind):
    t = talk(world, role, follow_up="协调解决住宿")
    assert (t.talker_kind, t.recorded_by, t.follow_up) == (kind, world.users[role], "协调解决住宿")
    assert Event.objects.filter(action="talk.create", object_id=str(t.pk)).exists()


@pytest.mark.parametrize(("role", "cadre"), [("unit", "fs_a"), ("township", "fs_c")])
def test_gua_3_talk_cadre_outside_scope_is_not_found(world, role, cadre):
    with pytest.raises(NotFound):
        talk(world, role, cadre)
    assert not Talk.objects.exists()


@pytest.mark.parametrize("role", ["first_secretary", "team_member", "village_secretary"])
def test_gua_3_talk_cadres_cannot_record(world, role):
    with pytest.raises(Forbidden) as exc:
        talk(world, role)
    assert "GUA.3.TALK" in exc.value.message


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("held_on", dt.date(1999, 1, 1), "不能早于2000年"),
        ("held_on", dt.date.today() + dt.timedelta(days=2), "不能晚于"),
        ("talker", "=cmd", "公式"),
        ("talker", "", "不能为空"),
        ("topics", "+1", "公式"),
        ("follow_up", "跟进\u2066", "不可见"),
    ],
)
def test_gua_3_talk_fields_are_validated(world, field, value, words):
    with pytest.raises(ValidationFailed) as exc:
        talk(world, **{field: value})
    assert words in exc.value.errors[field]


def test_gua_3_talk_list_is_scoped(world):
    own = talk(world, "unit", "tm_a")
    area = talk(world, "county", "fs_a")
    far = talk(world, "prefecture", "fs_c")
    seen = {r: set(talk_list(user=u).values_list("pk", flat=True)) for r, u in world.users.items()}
    assert seen["unit"] == {own.pk}
    assert seen["county"] == seen["township"] == {own.pk, area.pk}
    assert seen["prefecture"] == seen["admin"] == {own.pk, area.pk, far.pk}
    for role in ("first_secretary", "team_member", "village_secretary"):
        assert seen[role] == set()
    assert list(talk_list(user=world.users["county"], cadre=world.cadres["fs_a"].pk)) == [area]


def test_gua_3_talk_overdue_lists_the_untalked_and_omits_the_recent(world):
    talk(world, "unit", "tm_a", held_on=dt.date(2026, 4, 1))
    assert overdue(world, "county") == {"岳文华", "排早腊"}  # 李国强 is in 瑞丽市
    assert overdue(world, "prefecture") == {"岳文华", "排早腊", "李国强"}
    assert overdue(world, "unit") == set()  # its one cadre in post was talked with
    for role in ("first_secretary", "team_member", "village_secretary"):
        assert overdue(world, role) == set()


def test_gua_3_talk_the_boundary_day_counts_as_recent(world):
    talk(world, "county", "fs_a", held_on=dt.date(2026, 2, 28))
    talk(world, "county", "fs_b", held_on=dt.date(2026, 2, 27))
    talk(world, "county", "fs_b", held_on=dt.date(2025, 12, 1))
    rows = list(talks_overdue(user=world.users["county"], today=TODAY))
    assert [(p.cadre.name, p.last_talk) for p in rows] == [
        ("线美玲", None),
        ("排早腊", dt.date(2026, 2, 27)),
    ]
    (never, old) = overdue_rows(rows, today=TODAY)
    (f,) = old["findings"]
    assert f.clause == "GUA.3.TALK" and "排早腊" in f.message and "2026年2月27日" in f.message
    assert "尚无谈心谈话记录" in never["findings"][0].message


def test_gua_3_talk_unit_sees_its_cadre_in_post_when_due(world):
    talk(world, "unit", "tm_a", held_on=dt.date(2025, 10, 1))
    assert overdue(world, "unit") == {"线美玲"}  # 赵小兵 is not in post


def test_gua_3_talk_a_county_parameter_moves_the_boundary(world):
    """talk_max_interval_months set to 1 for 芒市: a talk of 1 April is no longer recent on
    31 May there, but still is in 瑞丽市."""
    for cadre in ("tm_a", "fs_a", "fs_b"):
        talk(world, "prefecture", cadre, held_on=dt.date(2026, 4, 1))
    talk(world, "prefecture", "fs_c", held_on=dt.date(2026, 4, 1))
    assert overdue(world, "prefecture") == set()
    parameter_set(
        actor=world.admin,
        name="talk_max_interval_months",
        jurisdiction_code="533103000000",
        effective=dt.date(2026, 1, 1),
        value=1,
        note="芒市驻村办通知",
    )
    assert overdue(world, "prefecture") == {"岳文华", "排早腊", "线美玲"}
    assert overdue(world, "county") == {"岳文华", "排早腊", "线美玲"}
    rows = overdue_rows(talks_overdue(user=world.users["county"], today=TODAY), today=TODAY)
    assert all("1个月" in r["findings"][0].message for r in rows)
    assert overdue(world, "prefecture", today=dt.date(2026, 4, 30)) == set()


def test_gua_3_talk_overdue_is_one_query(world, django_assert_num_queries):
    talk(world, "county", "fs_a", held_on=dt.date(2025, 1, 1))
    qs = talks_overdue(user=world.users["county"], today=TODAY)
    with django_assert_num_queries(1):
        assert len(list(qs)) == 3
