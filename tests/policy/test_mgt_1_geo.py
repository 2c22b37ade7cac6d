"""MGT.1.CHECKIN geodesy: WGS-84 ↔ GCJ-02 and distances, with real Dehong coordinates.

Phones report WGS-84; a village's fixed point picked on Amap or Tencent maps is GCJ-02, some
300–600 m away in Dehong (DESIGN.md, Geography).  The geofence must convert before measuring.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhucun.policy import (
    distance_m,
    gcj02_to_wgs84,
    in_china,
    judge_checkin,
    to_wgs84,
    wgs84_to_gcj02,
)
from zhucun.policy.geo import gcj02_to_bd09

from .geo_helpers import CHECKED_IN, RECEIVED, destination

MANGSHI = (24.4334, 98.5848)  # 芒市 (州府), WGS-84
ZHEFANG = (24.256, 98.276)  # 遮放镇 (芒市), WGS-84


@pytest.mark.parametrize("place", [MANGSHI, ZHEFANG], ids=["芒市", "遮放镇"])
def test_mgt_1_checkin_gcj02_offset_in_dehong_is_300_to_600_m(place: tuple[float, float]) -> None:
    gcj = wgs84_to_gcj02(*place)
    offset = distance_m(*place, *gcj)
    assert 300 <= offset <= 600, offset
    # GCJ-02 in Dehong lies south and a little east of WGS-84.
    assert gcj[0] < place[0] and gcj[1] > place[1]


@pytest.mark.parametrize("place", [MANGSHI, ZHEFANG], ids=["芒市", "遮放镇"])
def test_mgt_1_checkin_round_trips_are_accurate_to_5_cm(place: tuple[float, float]) -> None:
    back = gcj02_to_wgs84(*wgs84_to_gcj02(*place))
    assert distance_m(*place, *back) < 0.05
    again = wgs84_to_gcj02(*gcj02_to_wgs84(*place))  # the place read as a GCJ-02 point
    assert distance_m(*place, *again) < 0.05


def test_mgt_1_checkin_inverse_is_exact_not_the_one_step_approximation() -> None:
    gcj = wgs84_to_gcj02(*MANGSHI)
    # The usual one-step inverse: subtract the offset computed at the GCJ-02 point.
    shifted = wgs84_to_gcj02(*gcj)
    one_step = (2 * gcj[0] - shifted[0], 2 * gcj[1] - shifted[1])
    exact = gcj02_to_wgs84(*gcj)
    assert distance_m(*MANGSHI, *exact) < 0.01
    assert distance_m(*MANGSHI, *one_step) > distance_m(*MANGSHI, *exact)


def test_mgt_1_checkin_known_distance_mangshi_to_zhefang() -> None:
    d = distance_m(*MANGSHI, *ZHEFANG)
    assert 35_000 < d < 38_000  # about 36.8 km as the crow flies
    assert distance_m(*ZHEFANG, *MANGSHI) == pytest.approx(d)
    assert distance_m(*MANGSHI, *MANGSHI) == 0


def test_mgt_1_checkin_outside_china_the_transforms_are_the_identity() -> None:
    for place in [(51.5, -0.12), (-33.9, 151.2), (40.7, -74.0)]:  # London, Sydney, New York
        assert not in_china(*place)
        assert wgs84_to_gcj02(*place) == place
        assert gcj02_to_wgs84(*place) == place
    assert in_china(*MANGSHI) and in_china(*ZHEFANG)
    # The standard algorithm's test is a rectangle, not the border: Muse (木姐, Myanmar),
    # across the river from 瑞丽, is inside it, as it is for the map providers.
    assert in_china(23.98, 97.90)


def test_mgt_1_checkin_to_wgs84_by_datum() -> None:
    gcj = wgs84_to_gcj02(*ZHEFANG)
    assert to_wgs84(*ZHEFANG, "WGS-84") == ZHEFANG
    assert distance_m(*to_wgs84(*gcj, "GCJ-02"), *ZHEFANG) < 0.01
    bd = gcj02_to_bd09(*gcj)  # Baidu's maps (issue 16: other apps' check-ins)
    assert distance_m(*to_wgs84(*bd, "BD-09"), *ZHEFANG) < 0.1
    with pytest.raises(ValueError, match="未知的坐标系"):
        to_wgs84(*ZHEFANG, "XY-99")


@pytest.mark.parametrize("bad", [(91.0, 98.0), (24.0, 181.0), (math.nan, 98.0), (24.0, math.inf)])
def test_mgt_1_checkin_coordinates_out_of_range_are_refused(bad: tuple[float, float]) -> None:
    with pytest.raises(ValueError):
        wgs84_to_gcj02(*bad)
    with pytest.raises(ValueError):
        distance_m(*bad, *ZHEFANG)


# ------------------------------------------------- a 400 m check-in against a GCJ-02 fixed point


def _village() -> tuple[tuple[float, float, str], tuple[float, float]]:
    """遮放's fixed point as picked on a GCJ-02 map, and the same place in WGS-84."""
    gcj_point = wgs84_to_gcj02(*ZHEFANG)
    return (gcj_point[0], gcj_point[1], "GCJ-02"), gcj02_to_wgs84(*gcj_point)


def _judge(phone: tuple[float, float], radius: int) -> float | None:
    point, _ = _village()
    judgement = judge_checkin(
        name="岩温",
        lat=phone[0],
        lng=phone[1],
        accuracy_m=10,
        point=point,
        radius_m=radius,
        device_time=CHECKED_IN,
        received_at=RECEIVED,
    )
    assert judgement.counts == (judgement.status == "ok")
    return judgement.distance_m if judgement.counts else -1.0


def test_mgt_1_checkin_400_m_away_is_outside_300_and_inside_500_after_conversion() -> None:
    point, true_village = _village()
    gcj_as_is = (point[0], point[1])
    bearing_to_gcj = _bearing(true_village, gcj_as_is)
    # A phone 400 m from the village, once toward the GCJ-02 point and once away from it.
    toward = destination(true_village, 400, bearing_to_gcj)
    away = destination(true_village, 400, bearing_to_gcj + 180)
    for phone in (toward, away):
        assert distance_m(*phone, *true_village) == pytest.approx(400, abs=0.5)
        assert _judge(phone, 300) == -1.0  # off_fence
        assert _judge(phone, 500) == pytest.approx(400, abs=0.5)  # ok
    # Naive comparison (WGS-84 phone against the GCJ-02 numbers) gets both wrong:
    naive_toward = distance_m(*toward, *gcj_as_is)
    naive_away = distance_m(*away, *gcj_as_is)
    assert naive_toward < 300  # "inside the 300 m fence" — wrong, it is 400 m away
    assert naive_away > 500  # "outside the 500 m fence" — wrong, it is 400 m away
    # … and a cadre standing at the village itself would be ~330 m "away".
    assert distance_m(*true_village, *gcj_as_is) > 300
    assert _judge(true_village, 300) == pytest.approx(0, abs=0.05)


def _bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(y, x))


# ------------------------------------------------------------------------------- properties

# Inside the standard rectangle, away from its edges (where a forward image may leave it).
china_points = st.tuples(
    st.floats(min_value=3.0, max_value=53.0), st.floats(min_value=74.0, max_value=135.0)
)
dehong_points = st.tuples(
    st.floats(min_value=23.8, max_value=25.4), st.floats(min_value=97.5, max_value=98.9)
)
any_points = st.tuples(
    st.floats(min_value=-89.0, max_value=89.0), st.floats(min_value=-180.0, max_value=180.0)
)


@given(china_points)
def test_mgt_1_checkin_property_wgs_gcj_wgs_round_trip(place: tuple[float, float]) -> None:
    back = gcj02_to_wgs84(*wgs84_to_gcj02(*place))
    assert distance_m(*place, *back) < 0.05


@given(china_points)
def test_mgt_1_checkin_property_gcj_wgs_gcj_round_trip(place: tuple[float, float]) -> None:
    again = wgs84_to_gcj02(*gcj02_to_wgs84(*place))
    assert distance_m(*place, *again) < 0.05


@given(dehong_points)
def test_mgt_1_checkin_property_offset_across_dehong_is_about_300_to_600_m(
    place: tuple[float, float],
) -> None:
    # "About": in the far south of the prefecture (24.0 N, 98.1 E) it dips to 299.9 m.
    assert 280 <= distance_m(*place, *wgs84_to_gcj02(*place)) <= 600


@given(any_points, any_points)
def test_mgt_1_checkin_property_distance_is_a_symmetric_non_negative_measure(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    d = distance_m(*a, *b)
    assert 0 <= d <= math.pi * 6371008.8 + 1
    assert d == pytest.approx(distance_m(*b, *a), abs=1e-6)
    assert distance_m(*a, *a) == 0
