"""MGT.8.GROUPS: each village group has a contact cadre from the team; groups without one are
listed exactly."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.work.visit_helpers import SINCE, contact, group
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.work.models import GroupContact
from zhucun.work.selectors.visits import groups_without_contact, village_groups
from zhucun.work.services.visits import group_contact_assign

TODAY = dt.date(2025, 6, 15)


def names(qs):
    return [g.name for g in qs]


def test_mgt8_groups_village_with_one_group_lacking_contact_listed_exactly(world):
    """MGT.8.GROUPS (Done when): a village with a group lacking a contact cadre is listed with
    exactly that group; assigning one removes it."""
    a1, a2 = group(world, "A", 1), group(world, "A", 2, name="弄坎二组")
    b1 = group(world, "B", 1, name="拉勐一组")
    group(world, "C", 1, name="团结一组")  # another township's village
    contact(world, a1)
    group_contact_assign(
        actor=world.users["township"], group_id=b1.pk, cadre_id=world.cadres["fs_b"].pk, since=SINCE
    )
    township = world.users["township"]
    assert names(groups_without_contact(user=township, on=TODAY)) == ["弄坎二组"]
    row = groups_without_contact(user=township, on=TODAY).get()
    assert row.village_name == "弄坎村" and row.village_id == world.villages["A"].pk
    assert names(groups_without_contact(user=world.users["admin"], on=TODAY)) == [
        "团结一组",  # 瑞丽市 533102… before 芒市 533103…
        "弄坎二组",
    ]
    contact(world, a2, cadre="fs_a")
    assert names(groups_without_contact(user=township, on=TODAY)) == []
    # before the contacts began every group of a village with a team is listed
    assert names(groups_without_contact(user=township, on=SINCE - dt.timedelta(days=1))) == [
        "弄坎一组",
        "弄坎二组",
        "拉勐一组",
    ]


def test_mgt8_groups_non_team_cadre_refused(world):
    """MGT.8.GROUPS: the contact must be on the village's team on the start day."""
    a1 = group(world, "A", 1)
    for cadre in ("spare", "fs_b"):  # no posting; another village's team
        with pytest.raises(ValidationFailed) as exc:
            contact(world, a1, cadre=cadre)
        assert "不在弄坎村驻村工作队" in exc.value.errors["cadre_id"]
    with pytest.raises(ValidationFailed) as exc:  # before the arrival (2024-03-01)
        group_contact_assign(
            actor=world.users["first_secretary"],
            group_id=a1.pk,
            cadre_id=world.cadres["tm_a"].pk,
            since=dt.date(2024, 2, 1),
        )
    assert "cadre_id" in exc.value.errors
    assert GroupContact.objects.count() == 0


def test_mgt8_groups_new_contact_ends_the_previous_one(world):
    a1 = group(world, "A", 1)
    first = contact(world, a1, cadre="tm_a")
    second = group_contact_assign(
        actor=world.users["township"],
        group_id=a1.pk,
        cadre_id=world.cadres["fs_a"].pk,
        since=dt.date(2025, 3, 1),
    )
    first.refresh_from_db()
    assert first.until == dt.date(2025, 2, 28) and second.until is None
    assert Event.objects.filter(action="group_contact.end", object_id=str(first.pk)).exists()
    assert Event.objects.filter(action="group_contact.assign").count() == 2
    (row,) = village_groups(user=world.users["unit"], on=dt.date(2025, 2, 1))
    assert row.contact_name == "线美玲"
    (row,) = village_groups(user=world.users["unit"], on=dt.date(2025, 3, 1))
    assert row.contact_name == "岳文华"
    with pytest.raises(ValidationFailed) as exc:  # the same cadre again
        contact(world, a1, cadre="fs_a", role="township")
    assert "since" in exc.value.errors or "cadre_id" in exc.value.errors


@pytest.mark.parametrize(
    ("role", "error"),
    [
        ("team_member", Forbidden),
        ("village_secretary", Forbidden),
        ("county", Forbidden),
        ("prefecture", Forbidden),
        ("unit", Forbidden),
        ("admin", Forbidden),
    ],
)
def test_mgt8_groups_only_fs_or_township_assign(world, role, error):
    a1 = group(world, "A", 1)
    with pytest.raises(error):
        contact(world, a1, role=role)


def test_mgt8_groups_outside_scope_404(world):
    c1 = group(world, "C", 1)
    for role in ("first_secretary", "township"):
        with pytest.raises(NotFound):
            contact(world, c1, cadre="fs_c", role=role)
    with pytest.raises(NotFound):  # a village, not a group
        group_contact_assign(
            actor=world.users["township"],
            group_id=world.villages["A"].jurisdiction_id,
            cadre_id=world.cadres["tm_a"].pk,
            since=SINCE,
        )


def test_mgt8_groups_concurrent_assignment_refused_in_chinese(world, monkeypatch):
    """MGT.8.GROUPS: two assignments at once — the second meets the one-current-contact
    constraint and gets a Chinese 400, not a 500."""
    from zhucun.work.services import visits as svc

    a1 = group(world, "A", 1)
    contact(world, a1, cadre="tm_a")
    monkeypatch.setattr(svc, "current_contact", lambda g: None)  # read before the other commit
    with pytest.raises(ValidationFailed) as exc:
        contact(world, a1, cadre="fs_a", role="township")
    assert "刚被他人修改" in exc.value.errors["group_id"]
    assert GroupContact.objects.filter(group=a1).count() == 1
