"""Helpers for the MGT.1 tests: moving a point on the sphere, fixed check-in times."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from zhucun.policy.geo import WGS84_MEAN_RADIUS_M

CST = timezone(timedelta(hours=8), "Asia/Shanghai")
CHECKED_IN = datetime(2024, 6, 3, 8, 30, tzinfo=CST)  # a Monday morning in Dehong
RECEIVED = CHECKED_IN + timedelta(seconds=2)


def destination(start: tuple[float, float], metres: float, bearing: float) -> tuple[float, float]:
    """The point ``metres`` from ``start`` along ``bearing`` (degrees from north)."""
    lat1, lng1 = math.radians(start[0]), math.radians(start[1])
    theta = math.radians(bearing)
    delta = metres / WGS84_MEAN_RADIUS_M
    lat2 = math.asin(
        math.sin(lat1) * math.cos(delta) + math.cos(lat1) * math.sin(delta) * math.cos(theta)
    )
    lng2 = lng1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(lat1),
        math.cos(delta) - math.sin(lat1) * math.sin(lat2),
    )
    return math.degrees(lat2), math.degrees(lng2)
