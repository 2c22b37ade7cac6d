"""Facts for the report tests (MGT.6.*), written directly with the models (the services of
meetings, tasks and visits belong to other parts)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from zhucun.attendance.models import CheckIn, DiaryEntry
from zhucun.registry.models import Jurisdiction
from zhucun.work.models import Household, Meeting, Task, Visit

TZ = dt.timezone(dt.timedelta(hours=8))
MONTH = dt.date(2025, 6, 1)


def checkin(cadre, village, day: dt.date, counts: bool = True) -> CheckIn:
    moment = dt.datetime.combine(day, dt.time(9), tzinfo=TZ)
    return CheckIn.objects.create(
        cadre=cadre,
        village=village,
        client_key=uuid.uuid4(),
        day=day,
        device_time=moment,
        received_at=moment,
        lat=Decimal("24.258928"),
        lng=Decimal("98.275715"),
        accuracy_m=10,
        distance_m=5,
        status="ok" if counts else "off_fence",
        counts=counts,
    )


def diary(cadre, village, day: dt.date, text: str, duties: list[str], user) -> DiaryEntry:
    return DiaryEntry.objects.create(
        cadre=cadre, village=village, day=day, duties=duties, text=text, created_by=user
    )


def group_of(village) -> Jurisdiction:
    return Jurisdiction.objects.get(parent=village.jurisdiction, level="village_group")


def visit(village, cadre, day: dt.date, user, *, risk: bool = False, findings: str = "") -> Visit:
    group = group_of(village)
    v = Visit.objects.create(
        village=village,
        group=group,
        cadre=cadre,
        visited_on=day,
        purposes=["monitoring"],
        findings=findings,
        risk_found=risk,
        recorded_by=user,
    )
    h = Household.objects.create(group=group, head_name="岩温", created_by=user)
    v.households.add(h)
    return v


def meeting(village, day: dt.date, user, topics: str = "研究本周工作") -> Meeting:
    return Meeting.objects.create(
        village=village,
        held_on=day,
        week=day - dt.timedelta(days=day.weekday()),
        topics=topics,
        decisions="落实产业项目",
        recorded_by=user,
    )


def task_done(village, owner, day: dt.date, user, title: str = "修缮村活动场所") -> Task:
    return Task.objects.create(
        village=village,
        title=title,
        owner=owner,
        due=day,
        duty="DUT.1",
        state="done",
        done_on=day,
        created_by=user,
    )
