"""Fixtures and helpers for the attendance tests (built on tests/world.py)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from tests.world import cadre_data
from zhucun.accounts.models import User, UserRole
from zhucun.attendance import services as att
from zhucun.policy.geo import distance_m, gcj02_to_wgs84
from zhucun.registry import services as reg
from zhucun.registry.models import Jurisdiction

TZ = dt.timezone(dt.timedelta(hours=8))
# Village A (弄坎村) has its fixed point in GCJ-02; this is the same place in WGS-84 terms.
A_POINT_GCJ = (24.256, 98.276)
A_POINT_WGS = gcj02_to_wgs84(*A_POINT_GCJ)
METRES_PER_DEGREE_LAT = 111_194.93


def south_of(point: tuple[float, float], metres: float) -> tuple[float, float]:
    lat, lng = point
    target = (lat - metres / METRES_PER_DEGREE_LAT, lng)
    assert abs(distance_m(*point, *target) - metres) < 1
    return target


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def checkin(user: User, *, when: dt.datetime | None = None, pos: Any = "A", **kw: Any):
    """Check ``user`` in at ``pos`` ("A": on village A's point; None: no position)."""
    when = when or timezone.now()
    lat_lng = A_POINT_WGS if pos == "A" else pos
    args: dict[str, Any] = {
        "client_key": uuid.uuid4(),
        "lat": None if lat_lng is None else round(lat_lng[0], 6),
        "lng": None if lat_lng is None else round(lat_lng[1], 6),
        "accuracy_m": None if lat_lng is None else 15.0,
        "device_time": when,
        "received_at": when + dt.timedelta(minutes=1),
    }
    args.update(kw)
    return att.checkin_record(actor=user, **args)


_serial = iter(range(40, 999))


def add_member(
    world: Any,
    name: str,
    *,
    village: str = "A",
    role: str = "team_member",
    arrival: dt.date = dt.date(2024, 3, 1),
    user_role: str | None = None,
) -> User:
    """A new cadre posted to ``village`` with a login of their own."""
    cadre = reg.cadre_create(
        actor=world.admin,
        data=cadre_data(
            name=name,
            serial=next(_serial),
            unit_name="芒市人民医院",
            party_status="none",
            full_member_since=None,
        ),
    )
    world.cadres[name] = cadre
    reg.posting_create(
        actor=world.admin,
        data={
            "id_number": cadre.id_number,
            "village_code": world.villages[village].jurisdiction.code,
            "role": role,
            "arrival_date": arrival,
            "planned_end": dt.date(2027, 3, 1),
        },
    )
    return User.objects.create_user(
        f"u{cadre.pk}",
        password="pw",
        role=user_role
        or (UserRole.FIRST_SECRETARY if role == "first_secretary" else UserRole.TEAM_MEMBER),
        display_name=name,
        cadre=cadre,
    )


def other_township_user() -> User:
    return User.objects.create_user(
        "township_ruili",
        password="pw",
        role=UserRole.TOWNSHIP,
        display_name="勐卯街道",
        jurisdiction=Jurisdiction.objects.get(code="533102001000"),
    )


def run_concurrently(fns: list[Callable[[], Any]]) -> list[Any]:
    """Run each function in its own thread (own database connection), started together.
    Returns each result or the exception it raised."""
    barrier = threading.Barrier(len(fns))
    results: list[Any] = [None] * len(fns)

    def worker(i: int, fn: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def users(world):
    return world.users
