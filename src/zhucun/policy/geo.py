"""Geodesy for the geofenced check-in (MGT.1.CHECKIN): datums, the GCJ-02 offset, distances.

Phones report WGS-84; Chinese web maps (Amap, Tencent) draw and pick points in GCJ-02, the
obfuscated "Mars" datum, which lies some 300–600 m away in Dehong.  Every stored point says its
datum, and the geofence test converts both ends to WGS-84 before measuring the distance.

Public API
----------
``Datum``
    ``"WGS-84"``, ``"GCJ-02"`` or ``"BD-09"`` (Baidu's maps: a further offset of GCJ-02; only
    positions imported from another app are in it, village points never are).
``wgs84_to_gcj02(lat, lng)``
    The standard (published) GCJ-02 forward transform.  Outside China it is the identity.
``gcj02_to_wgs84(lat, lng)``
    The exact inverse of the forward transform, found by fixed-point iteration until the
    forward image of the result is within ``_INVERSE_TOLERANCE_DEG`` (about 0.1 mm) of the
    given point — not the one-step approximation, which is off by up to a few metres.
    Outside China it is the identity.
``bd09_to_gcj02(lat, lng)`` / ``gcj02_to_bd09(lat, lng)``
    Baidu's published BD-09 transform and its inverse (the inverse to within a few
    centimetres); the identity is never applied — BD-09 is offset everywhere.
``to_wgs84(lat, lng, datum)``
    The point in WGS-84, whatever its datum; ``ValueError`` for an unknown datum.
``distance_m(lat1, lng1, lat2, lng2)``
    Great-circle (haversine) distance in metres on a sphere of the WGS-84 mean radius.
``in_china(lat, lng)``
    Whether the GCJ-02 offset applies: the rectangle of the standard algorithm
    (72.004–137.8347 E, 0.8293–55.8271 N).  It is a bounding box, not the border: the parts of
    Myanmar next to Dehong lie inside it, as they do for the map providers that use it.
    Within about 0.01° of the rectangle's edge the forward image of a point may leave the
    rectangle, where the inverse is the identity; no village is near those edges.

Every function takes and returns decimal degrees as ``float`` and raises ``ValueError`` for a
latitude outside [-90, 90], a longitude outside [-180, 180] or a non-finite number.

The constants below are geodesy (the Krasovsky 1940 ellipsoid, the published GCJ-02
polynomial, the WGS-84 mean radius), not policy: no jurisdiction may change them, so they are
written here and not in ``parameters.toml``.  The purity test allows them in this module only.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

Datum = Literal["WGS-84", "GCJ-02", "BD-09"]
DATUMS: tuple[Datum, ...] = get_args(Datum)

# Krasovsky 1940 ellipsoid, on which GCJ-02 is defined: semi-major axis (m) and eccentricity².
_KRASOVSKY_A = 6378245.0
_KRASOVSKY_EE = 0.00669342162296594323
# Mean radius of the WGS-84 ellipsoid, R1 = (2a + b) / 3, in metres (IUGG).
WGS84_MEAN_RADIUS_M = 6371008.8
# The rectangle within which the standard algorithm applies the offset.
_CHINA_LNG = (72.004, 137.8347)
_CHINA_LAT = (0.8293, 55.8271)
# the latitude range of the globe (±90°): geodesy, exempt from the policy-number check
_LAT_LIMIT = 90.0
# Inverse: stop when the forward image is this close (degrees; 1e-9° ≈ 0.1 mm).
_INVERSE_TOLERANCE_DEG = 1e-9
_INVERSE_MAX_STEPS = 50
# Baidu's BD-09 transform (published constants: geodesy of a map provider, not policy).
_BD_X_PI = math.pi * 3000.0 / 180.0
_BD_DLNG, _BD_DLAT = 0.0065, 0.006
_BD_R, _BD_T = 0.00002, 0.000003


def _check(lat: float, lng: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise ValueError(f"坐标须为有限数值:({lat!r}, {lng!r})")
    if not -_LAT_LIMIT <= lat <= _LAT_LIMIT:
        raise ValueError(f"纬度 {lat!r} 超出 [-90, 90]")
    if not -180.0 <= lng <= 180.0:
        raise ValueError(f"经度 {lng!r} 超出 [-180, 180]")


def in_china(lat: float, lng: float) -> bool:
    """Whether the GCJ-02 offset applies at this point (the standard algorithm's rectangle)."""
    _check(lat, lng)
    return _CHINA_LNG[0] <= lng <= _CHINA_LNG[1] and _CHINA_LAT[0] <= lat <= _CHINA_LAT[1]


def _delta_lat(x: float, y: float) -> float:
    # The published GCJ-02 polynomial (geodesy, not policy); x = lng − 105, y = lat − 35.
    pi = math.pi
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * pi) + 40.0 * math.sin(y / 3.0 * pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * pi) + 320.0 * math.sin(y * pi / 30.0)) * 2.0 / 3.0
    return ret


def _delta_lng(x: float, y: float) -> float:
    # The published GCJ-02 polynomial (geodesy, not policy); x = lng − 105, y = lat − 35.
    pi = math.pi
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * pi) + 20.0 * math.sin(2.0 * x * pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * pi) + 40.0 * math.sin(x / 3.0 * pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * pi) + 300.0 * math.sin(x / 30.0 * pi)) * 2.0 / 3.0
    return ret


def _forward(lat: float, lng: float) -> tuple[float, float]:
    if not in_china(lat, lng):
        return lat, lng
    x, y = lng - 105.0, lat - 35.0
    rad_lat = math.radians(lat)
    magic = 1 - _KRASOVSKY_EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = math.degrees(
        _delta_lat(x, y) / ((_KRASOVSKY_A * (1 - _KRASOVSKY_EE)) / (magic * sqrt_magic))
    )
    d_lng = math.degrees(_delta_lng(x, y) / (_KRASOVSKY_A / sqrt_magic * math.cos(rad_lat)))
    return lat + d_lat, lng + d_lng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """The GCJ-02 coordinates of a WGS-84 point (identity outside China)."""
    _check(lat, lng)
    return _forward(lat, lng)


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """The WGS-84 point whose GCJ-02 image is (lat, lng), to well under 0.01 m.

    Fixed-point iteration w ← w − (forward(w) − g): the offset changes by under 1e-5 of a
    degree per degree, so each step gains about five digits; two or three steps suffice.
    """
    _check(lat, lng)
    if not in_china(lat, lng):
        return lat, lng
    w_lat, w_lng = lat, lng
    for _ in range(_INVERSE_MAX_STEPS):
        f_lat, f_lng = _forward(w_lat, w_lng)
        e_lat, e_lng = f_lat - lat, f_lng - lng
        if abs(e_lat) < _INVERSE_TOLERANCE_DEG and abs(e_lng) < _INVERSE_TOLERANCE_DEG:
            break
        w_lat, w_lng = w_lat - e_lat, w_lng - e_lng
    return w_lat, w_lng


def gcj02_to_bd09(lat: float, lng: float) -> tuple[float, float]:
    """Baidu's BD-09 coordinates of a GCJ-02 point."""
    _check(lat, lng)
    z = math.hypot(lng, lat) + _BD_R * math.sin(lat * _BD_X_PI)
    theta = math.atan2(lat, lng) + _BD_T * math.cos(lng * _BD_X_PI)
    return z * math.sin(theta) + _BD_DLAT, z * math.cos(theta) + _BD_DLNG


def bd09_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """The GCJ-02 point of Baidu's BD-09 coordinates (the published inverse)."""
    _check(lat, lng)
    x, y = lng - _BD_DLNG, lat - _BD_DLAT
    z = math.hypot(x, y) - _BD_R * math.sin(y * _BD_X_PI)
    theta = math.atan2(y, x) - _BD_T * math.cos(x * _BD_X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def to_wgs84(lat: float, lng: float, datum: str) -> tuple[float, float]:
    """The point in WGS-84; ``datum`` is ``"WGS-84"``, ``"GCJ-02"`` or ``"BD-09"``."""
    if datum == "WGS-84":
        _check(lat, lng)
        return lat, lng
    if datum == "GCJ-02":
        return gcj02_to_wgs84(lat, lng)
    if datum == "BD-09":
        return gcj02_to_wgs84(*bd09_to_gcj02(lat, lng))
    raise ValueError(f"未知的坐标系 {datum!r}(应为 {' / '.join(DATUMS)})")


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Haversine distance in metres on the sphere of the WGS-84 mean radius."""
    _check(lat1, lng1)
    _check(lat2, lng2)
    p1, p2 = math.radians(lat1), math.radians(lat2)
    d_lat = p2 - p1
    d_lng = math.radians(lng2 - lng1)
    h = math.sin(d_lat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(d_lng / 2) ** 2
    return 2 * WGS84_MEAN_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))
