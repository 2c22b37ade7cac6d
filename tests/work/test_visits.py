"""MGT.8.VISITS and DUT.2: visits recorded with date, group, households, purposes and
findings; per month the contacted groups not visited enough are listed exactly; a
return-to-poverty risk is flagged to the township until it acknowledges it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.work.visit_helpers import contact, group, visit
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.work.models import Household, Visit
from zhucun.work.selectors.visits import (
    open_risk_households,
    risk_visits,
    unvisited_groups,
    unvisited_rows,
    visit_list,
)
from zhucun.work.services.visits import household_add, visit_record, visit_risk_acknowledge

JUNE = dt.date(2025, 6, 1)
MAY = dt.date(2025, 5, 1)


def names(qs):
    return [g.name for g in qs]


def test_mgt8_visits_unvisited_groups_listed_exactly(world):
    """MGT.8.VISITS (Done when): visited groups are not listed; a group visited only the month
    before is still listed; a group without a contact is not (it is on the other list)."""
    a1, a2 = group(world, "A", 1), group(world, "A", 2, name="弄坎二组")
    group(world, "A", 3, name="弄坎三组")  # no contact
    contact(world, a1)
    contact(world, a2, cadre="fs_a")
    visit(world, a1, dt.date(2025, 6, 30))
    visit(world, a2, dt.date(2025, 5, 31))
    township = world.users["township"]
    june = unvisited_groups(user=township, month=JUNE)
    assert names(june) == ["弄坎二组"]
    (row,) = unvisited_rows(june, month=JUNE)
    assert row["group"].visits == 0 and row["group"].contact_name == "岳文华"
    (finding,) = row["findings"]
    assert finding.clause == "MGT.8.VISITS" and "弄坎村弄坎二组" in finding.message
    assert "2025年6月走访0次" in finding.message and "1次" in finding.message
    assert names(unvisited_groups(user=township, month=MAY)) == ["弄坎一组"]
    # another township sees none of them; the unit where its cadre serves sees them
    assert names(unvisited_groups(user=world.users["unit"], month=JUNE)) == ["弄坎二组"]
    assert Visit.objects.count() == 2


def test_mgt8_visits_contact_beginning_after_the_month_not_listed(world):
    a1 = group(world, "A", 1)
    contact(world, a1)  # since 2025-01-01
    assert names(unvisited_groups(user=world.users["township"], month=dt.date(2024, 12, 1))) == []


def test_mgt8_visits_risk_flagged_to_township_until_acknowledged(world):
    """MGT.8.VISITS / DUT.2: a risk found marks the households and stays on the township's
    list with the follow-up until the township acknowledges it."""
    a1 = group(world, "A", 1)
    h = household_add(actor=world.users["team_member"], group_id=a1.pk, head_name="岩温")
    v = visit(
        world,
        a1,
        dt.date(2025, 6, 3),
        purposes=["monitoring", "关心慰问"],
        household_ids=[h.pk],
        new_households=[{"head_name": "玉香", "risk_return_to_poverty": False}],
        findings="家中主要劳动力因病不能务工",
        risk_found=True,
        follow_up="协调申请临时救助,纳入监测",
    )
    assert v.purposes == ["monitoring", "caring"] and v.cadre_id == world.cadres["tm_a"].pk
    h.refresh_from_db()
    assert h.risk_return_to_poverty is True
    assert Household.objects.get(head_name="玉香").risk_return_to_poverty is False
    township = world.users["township"]
    assert [x.pk for x in risk_visits(user=township)] == [v.pk]
    assert open_risk_households(user=township) == 2
    assert [x.pk for x in risk_visits(user=world.users["county"])] == [v.pk]
    assert list(risk_visits(user=world.users["admin"]).filter(village__pk=0)) == []
    for role, error in (("county", Forbidden), ("first_secretary", Forbidden)):
        with pytest.raises(error):
            visit_risk_acknowledge(actor=world.users[role], visit_id=v.pk, note="")
    visit_risk_acknowledge(actor=township, visit_id=v.pk, note="已安排民政办跟进")
    assert list(risk_visits(user=township)) == []
    assert [x.pk for x in risk_visits(user=township, open_only=False)] == [v.pk]
    assert open_risk_households(user=township) == 0
    ack = Event.objects.get(action="visit.acknowledge")
    assert ack.note == "已安排民政办跟进"
    assert Event.objects.filter(action="visit.record", object_id=str(v.pk)).exists()
    with pytest.raises(ValidationFailed) as exc:
        visit_risk_acknowledge(actor=township, visit_id=v.pk, note="")
    assert "已确认" in exc.value.errors["visit_id"]


def test_mgt8_visits_risk_without_follow_up_refused(world):
    a1 = group(world, "A", 1)
    with pytest.raises(ValidationFailed) as exc:
        visit(world, a1, dt.date(2025, 6, 3), risk_found=True, follow_up="  ")
    assert "跟进措施" in exc.value.errors["follow_up"]
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("purposes", [[], ["bogus"], "", ["返贫监测", "走亲戚"]])
def test_mgt8_visits_purposes_validated(world, purposes):
    a1 = group(world, "A", 1)
    with pytest.raises(ValidationFailed) as exc:
        visit(world, a1, dt.date(2025, 6, 3), purposes=purposes)
    assert "走访事项" in exc.value.errors["purposes"]


def test_mgt8_visits_group_of_another_village_404(world):
    b1, c1 = group(world, "B", 1), group(world, "C", 1)
    for g in (b1, c1):
        with pytest.raises(NotFound):
            visit(world, g, dt.date(2025, 6, 3))
    a1 = group(world, "A", 1)
    for role in ("township", "unit", "village_secretary", "county"):
        with pytest.raises(Forbidden):
            visit(world, a1, dt.date(2025, 6, 3), role=role)


def test_mgt8_visits_fields_validated(world):
    a1, a2 = group(world, "A", 1), group(world, "A", 2)
    other = household_add(actor=world.users["township"], group_id=a2.pk, head_name="岩庄")
    with pytest.raises(ValidationFailed) as exc:
        visit(
            world,
            a1,
            dt.date(2099, 1, 1),
            household_ids=[other.pk],
            findings="=cmd",
            new_households=[{"head_name": "=HYPERLINK()"}],
        )
    errors = exc.value.errors
    assert set(errors) >= {"visited_on", "household_ids", "findings", "new_households"}
    with pytest.raises(ValidationFailed) as exc:
        household_add(actor=world.users["team_member"], group_id=a1.pk, head_name="")
    assert "head_name" in exc.value.errors
    with pytest.raises(Forbidden):
        household_add(actor=world.users["unit"], group_id=a1.pk, head_name="岩温")


def test_mgt8_visits_list_by_month(world):
    a1 = group(world, "A", 1)
    v1 = visit(world, a1, dt.date(2025, 6, 3), role="first_secretary")
    v2 = visit(world, a1, dt.date(2025, 5, 3))
    user = world.users["village_secretary"]
    assert [v.pk for v in visit_list(user=user)] == [v1.pk, v2.pk]
    assert [v.pk for v in visit_list(user=user, month=JUNE)] == [v1.pk]
    assert list(visit_list(user=user, village=world.villages["B"].pk)) == []
    assert visit_record  # imported for the module's API
