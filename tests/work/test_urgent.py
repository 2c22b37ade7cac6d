"""MGT.6.URGENT: an urgent report goes to the village's township at once, is on top of its
inbox until acknowledged; another township does not see it."""

from __future__ import annotations

import pytest

from zhucun.accounts.models import User, UserRole
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry.models import Jurisdiction
from zhucun.work.selectors.reports import urgent_inbox, urgent_waiting
from zhucun.work.services.reports import urgent_acknowledge, urgent_report

pytestmark = pytest.mark.django_db


def test_mgt_6_urgent_on_top_until_acknowledged(world):
    tm = world.users["team_member"]
    township = world.users["township"]
    first = urgent_report(actor=tm, title="山洪冲毁村道", body="今晨山洪冲毁村道约50米,无人员伤亡")
    assert first.submitted_at is not None and first.township_id == world.villages["A"].township_id
    assert Event.objects.filter(action="report.urgent").count() == 1
    assert [r.pk for r in urgent_inbox(user=township)] == [first.pk]
    assert urgent_waiting(user=township) == 1
    urgent_acknowledge(actor=township, report_id=first.pk, note="已派人赶赴现场")
    second = urgent_report(
        actor=world.users["first_secretary"], title="火情", body="村后山发生小范围火情,已扑灭"
    )
    inbox = list(urgent_inbox(user=township))
    assert [r.pk for r in inbox] == [second.pk, first.pk]  # the unacknowledged on top
    urgent_acknowledge(actor=township, report_id=second.pk)
    assert urgent_waiting(user=township) == 0
    with pytest.raises(ValidationFailed):
        urgent_acknowledge(actor=township, report_id=second.pk)


def test_mgt_6_urgent_other_township_does_not_see_it(world):
    report = urgent_report(actor=world.users["team_member"], title="火情", body="已扑灭")
    other = User.objects.create_user(
        "other_town",
        password="pw",
        role=UserRole.TOWNSHIP,
        jurisdiction=Jurisdiction.objects.get(code="533102001000"),
    )
    assert list(urgent_inbox(user=other)) == []
    with pytest.raises(NotFound):
        urgent_acknowledge(actor=other, report_id=report.pk)
    # the county reads it but does not acknowledge it
    assert [r.pk for r in urgent_inbox(user=world.users["county"])] == [report.pk]
    with pytest.raises(Forbidden):
        urgent_acknowledge(actor=world.users["county"], report_id=report.pk)


def test_mgt_6_urgent_only_from_the_team(world):
    for role in ("township", "unit", "village_secretary", "county"):
        with pytest.raises(Forbidden):
            urgent_report(actor=world.users[role], title="火情", body="已扑灭")
    with pytest.raises(ValidationFailed) as exc:
        urgent_report(actor=world.users["team_member"], title="", body="=cmd")
    assert set(exc.value.errors) == {"title", "body"}
