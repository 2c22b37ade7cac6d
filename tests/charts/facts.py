"""Facts for the chart tests, made through the services on top of tests/world.py.

Attendance (MGT.3.RANK): October and November 2024 closed. In October 岳文华 (A, 遮放镇) is
in on every working day, 线美玲 (A) on the first 10, 排早腊 (B) on none, 李国强 (C, 瑞丽市) on
every one; in November 岳文华, 线美玲 and 李国强 every working day and 排早腊 the first half.
Coverage (SEL.SCOPE.COVER): A (抵边村) has 1 FS + 1 TM — short of the 3类村 rule; B is in
order; C (原建档立卡贫困村) has its FS only — short; D (遮放镇, new) has nobody."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.world import cadre_data
from zhucun.accounts.models import User, UserRole
from zhucun.attendance import services as att
from zhucun.attendance.models import CheckIn
from zhucun.params.calendar import work_calendar
from zhucun.registry import services as reg

TZ = dt.timezone(dt.timedelta(hours=8))
OCT, NOV = dt.date(2024, 10, 1), dt.date(2024, 11, 1)
A_POINT = (24.256, 98.276)  # village A's point, entered in GCJ-02


def workdays(month: dt.date) -> list[dt.date]:
    cal = work_calendar()
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return [
        month + dt.timedelta(days=i)
        for i in range((nxt - month).days)
        if cal.is_workday(month + dt.timedelta(days=i))
    ]


def cadre_user(world, key: str) -> User:
    role = UserRole.TEAM_MEMBER if key.startswith("tm") else UserRole.FIRST_SECRETARY
    existing = User.objects.filter(cadre=world.cadres[key]).first()
    return existing or User.objects.create_user(
        f"u_{key}", password="pw", role=role, cadre=world.cadres[key]
    )


def check_in(user: User, day: dt.date, *, at_point: bool) -> None:
    from zhucun.policy.geo import gcj02_to_wgs84

    moment = dt.datetime.combine(day, dt.time(9), tzinfo=TZ)
    lat = lng = None
    if at_point:
        lat, lng = (round(x, 6) for x in gcj02_to_wgs84(*A_POINT))
    att.checkin_record(
        actor=user,
        client_key=str(uuid.uuid4()),
        lat=lat,
        lng=lng,
        accuracy_m=15.0 if at_point else None,
        device_time=moment,
        received_at=moment + dt.timedelta(minutes=1),
    )


def close_months(world) -> dict[str, int]:
    """The two months above, closed; returns the working days {"oct": n, "nov": m}."""
    oct_days, nov_days = workdays(OCT), workdays(NOV)
    plan = {
        "fs_a": (oct_days, nov_days, True),
        "tm_a": (oct_days[:10], nov_days, True),
        "fs_b": ([], nov_days[: len(nov_days) // 2], False),
        "fs_c": (oct_days, nov_days, False),
    }
    for key, (in_oct, in_nov, at_point) in plan.items():
        user = cadre_user(world, key)
        for day in [*in_oct, *in_nov]:
            check_in(user, day, at_point=at_point)
    # 拉勐村 and 团结村 have no fixed point: the township accepts their check-ins (MGT.1.CHECKIN)
    unchecked = CheckIn.objects.filter(counts=False).values_list("pk", flat=True)
    att.checkins_review(
        actor=world.admin, checkin_ids=list(unchecked), accept=True, reason="乡镇核实在岗"
    )
    att.month_close(month=OCT)
    att.month_close(month=NOV)
    return {"oct": len(oct_days), "nov": len(nov_days)}


def add_uncovered_village(world):
    world.villages["D"] = reg.village_create(
        actor=world.admin, code="533103102003", name="芒棒村", township_code="533103102000"
    )
    return world.villages["D"]


def post_party_member(world, name: str, village: str, arrival: dt.date, serial: int):
    """A party member posted to ``village`` (team member) reporting on ``arrival``."""
    cadre = reg.cadre_create(
        actor=world.admin,
        data=cadre_data(name=name, serial=serial, unit_name="芒市人民医院"),
    )
    return reg.posting_create(
        actor=world.admin,
        data={
            "id_number": cadre.id_number,
            "village_code": world.villages[village].jurisdiction.code,
            "role": "team_member",
            "arrival_date": arrival,
            "planned_end": arrival + dt.timedelta(days=730),
        },
    )
