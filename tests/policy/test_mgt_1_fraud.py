"""MGT.1.FRAUD: signs of a faked check-in, flagged to the township and the first secretary.

Operational parameters (运行参数, the policy gives no figure): fraud_max_speed_kmh 120,
fraud_repeat_coordinates_min 3, fraud_clock_skew_minutes 30.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from zhucun.policy import (
    CheckinFact,
    Finding,
    Override,
    coordinate_key,
    distance_m,
    fraud_signals,
    get_parameters,
)

from .geo_helpers import CHECKED_IN, RECEIVED, destination

MANGSHI = (24.4334, 98.5848)
ZHEFANG = (24.256, 98.276)
TODAY = CheckinFact(1, "岩温", *ZHEFANG, CHECKED_IN, RECEIVED, device_id="A1")


def signals(
    current: CheckinFact = TODAY,
    previous: CheckinFact | None = None,
    others: tuple[str, ...] = (),
    repeats: int = 1,
    on_leave: bool = False,
    **extra: object,
) -> list[Finding]:
    return fraud_signals(
        current=current,
        previous=previous,
        other_cadres_on_device=others,
        identical_coordinates_count=repeats,
        on_leave=on_leave,
        **extra,  # type: ignore[arg-type]
    )


def kinds(findings: list[Finding]) -> list[str]:
    assert all((f.clause, f.severity) == ("MGT.1.FRAUD", "warning") for f in findings)
    assert all("乡镇党委和第一书记" in f.message and "岩温" in f.message for f in findings)
    return [f.data["signal"] for f in findings]


def test_mgt_1_fraud_an_ordinary_check_in_raises_nothing() -> None:
    yesterday = replace(TODAY, device_time=CHECKED_IN - timedelta(days=1))
    assert signals(previous=yesterday) == []


def test_mgt_1_fraud_mangshi_to_zhefang_in_ten_minutes_is_impossible() -> None:
    km = distance_m(*MANGSHI, *ZHEFANG) / 1000
    before = CheckinFact(1, "岩温", *MANGSHI, CHECKED_IN - timedelta(minutes=10), RECEIVED)
    (f,) = signals(previous=before)
    assert kinds([f]) == ["speed"]
    assert f.data["speed_kmh"] > 120 and f.data["limit_kmh"] == 120
    assert f"{km:.1f}公里" in f.message and "120公里" in f.message
    # An hour apart is a drive (≈ 37 km/h).
    earlier = replace(before, device_time=CHECKED_IN - timedelta(hours=1))
    assert signals(previous=earlier) == []


def test_mgt_1_fraud_speed_limit_boundary() -> None:
    """120 km/h over the distance less the 2 × 100 m accuracy allowance."""
    start = destination(ZHEFANG, 12_190, 270)  # 11.99 km beyond the allowance
    six_minutes = CheckinFact(1, "岩温", *start, CHECKED_IN - timedelta(minutes=6), RECEIVED)
    assert signals(previous=six_minutes) == []  # 119.9 km/h
    assert 12_189 < distance_m(*start, *ZHEFANG) < 12_191
    faster = replace(six_minutes, device_time=CHECKED_IN - timedelta(minutes=5, seconds=50))
    assert kinds(signals(previous=faster)) == ["speed"]


def test_mgt_1_fraud_gps_jitter_within_the_accuracy_allowance_is_not_travel() -> None:
    jitter = destination(ZHEFANG, 150, 10)
    one_second = CheckinFact(1, "岩温", *jitter, CHECKED_IN - timedelta(seconds=1), RECEIVED)
    assert signals(previous=one_second) == []
    same_instant = CheckinFact(1, "岩温", *MANGSHI, CHECKED_IN, RECEIVED)
    (f,) = signals(previous=same_instant)
    assert f.data["signal"] == "speed" and "瞬间" in f.message and f.data["speed_kmh"] is None


def test_mgt_1_fraud_previous_of_another_cadre_or_without_position() -> None:
    with pytest.raises(ValueError):
        signals(previous=replace(TODAY, cadre_id=2))
    blind = replace(TODAY, lat=None, lng=None, device_time=CHECKED_IN - timedelta(minutes=1))
    assert signals(previous=blind) == []


def test_mgt_1_fraud_shared_device_names_the_other_cadres() -> None:
    (f,) = signals(others=("李四", "王五", "李四", "岩温", ""))
    assert kinds([f]) == ["shared_device"]
    assert "李四、王五" in f.message and "A1" in f.message
    assert f.data["others"] == ["李四", "王五"]


def test_mgt_1_fraud_repeated_coordinates_from_the_third_time() -> None:
    assert signals(repeats=2) == []
    (f,) = signals(repeats=3)
    assert kinds([f]) == ["repeated_coordinates"]
    assert "3次" in f.message and "24.256000" in f.message
    assert signals(current=replace(TODAY, lat=None), repeats=5) == []


def test_mgt_1_fraud_coordinate_key_is_six_decimals() -> None:
    assert coordinate_key(24.256, 98.276) == (24_256_000, 98_276_000)
    assert coordinate_key(24.2560004, 98.276) == coordinate_key(24.256, 98.276)
    assert coordinate_key(24.256001, 98.276) != coordinate_key(24.256, 98.276)


def test_mgt_1_fraud_check_in_on_approved_leave() -> None:
    (f,) = signals(on_leave=True)
    assert kinds([f]) == ["on_leave"] and "请假" in f.message


def test_mgt_1_fraud_device_clock_ahead_beyond_30_minutes() -> None:
    at = RECEIVED + timedelta(minutes=30)
    assert signals(current=replace(TODAY, device_time=at)) == []
    (f,) = signals(current=replace(TODAY, device_time=at + timedelta(seconds=60)))
    assert kinds([f]) == ["clock_ahead"] and f.data["limit_minutes"] == 30


def test_mgt_1_fraud_device_clock_behind_only_flagged_when_sent_online() -> None:
    """Decision: a past device time is explained by the offline queue unless sent online."""
    old = replace(TODAY, device_time=RECEIVED - timedelta(hours=2))
    assert signals(current=old) == []
    assert signals(current=old, offline=True) == []
    (f,) = signals(current=old, offline=False)
    assert kinds([f]) == ["clock_behind"] and "在线签到" in f.message
    assert signals(current=replace(old, device_time=RECEIVED - timedelta(minutes=30))) == []


def test_mgt_1_fraud_all_signals_in_order_and_jurisdiction_override() -> None:
    ahead = replace(TODAY, device_time=RECEIVED + timedelta(hours=1))
    before = CheckinFact(1, "岩温", *MANGSHI, ahead.device_time - timedelta(minutes=10), RECEIVED)
    found = signals(ahead, before, ("李四",), 3, True)
    assert kinds(found) == [
        "speed",
        "shared_device",
        "repeated_coordinates",
        "on_leave",
        "clock_ahead",
    ]
    params = get_parameters().with_overrides(
        [Override("fraud_repeat_coordinates_min", "533103", date(2024, 1, 1), 5)]
    )
    assert signals(repeats=3, params=params, jurisdiction="533103102") == []
