"""MGT.1.CHECKIN / MGT.1.LIVE: judging one daily geofenced check-in (定点签到).

The village is 遮放镇's seat; its fixed point is stored in GCJ-02 as picked on a web map.
Defaults: radius 500 m, accuracy ≤ 100 m, late window 72 h (parameters.toml, 运行参数).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from zhucun.policy import (
    CheckinJudgement,
    Override,
    checkin_day,
    get_parameters,
    judge_checkin,
    wgs84_to_gcj02,
)

from .geo_helpers import CHECKED_IN, CST, RECEIVED, destination

ZHEFANG = (24.256, 98.276)  # WGS-84
GCJ = wgs84_to_gcj02(*ZHEFANG)
POINT = (GCJ[0], GCJ[1], "GCJ-02")


def judge(
    *,
    at: tuple[float, float] | None = ZHEFANG,
    accuracy: float | None = 15,
    point: tuple[float, float, str] | None = POINT,
    radius: int | None = None,
    device_time: datetime = CHECKED_IN,
    received_at: datetime = RECEIVED,
    **extra: object,
) -> CheckinJudgement:
    return judge_checkin(
        name="岩温",
        lat=at[0] if at else None,
        lng=at[1] if at else None,
        accuracy_m=accuracy,
        point=point,
        radius_m=radius,
        device_time=device_time,
        received_at=received_at,
        village="遮放村",
        **extra,  # type: ignore[arg-type]
    )


def test_mgt_1_checkin_at_the_fixed_point_counts() -> None:
    j = judge()
    assert (j.status, j.counts, j.findings, j.remedy) == ("ok", True, [], "")
    assert j.distance_m is not None and j.distance_m < 0.05
    assert j.day == date(2024, 6, 3)


def test_mgt_1_checkin_default_radius_is_500_m() -> None:
    assert judge(at=destination(ZHEFANG, 499, 90)).status == "ok"
    j = judge(at=destination(ZHEFANG, 501, 90))
    assert (j.status, j.counts, j.remedy) == ("off_fence", False, "township_acceptance")


def test_mgt_1_checkin_off_fence_names_the_distance_and_the_radius() -> None:
    j = judge(at=destination(ZHEFANG, 420, 0), radius=300)
    assert (j.status, j.counts) == ("off_fence", False)
    (f,) = j.findings
    assert (f.clause, f.severity) == ("MGT.1.CHECKIN", "warning")
    assert "420米" in f.message and "300米" in f.message and "岩温" in f.message
    assert "遮放村" in f.message and "乡镇核实认可" in f.message
    assert f.data["radius_m"] == 300 and f.data["distance_m"] == pytest.approx(420, abs=0.5)


def test_mgt_1_checkin_radius_boundary_is_inclusive() -> None:
    """ "以内" includes the number: a distance equal to the radius is inside."""
    inside = judge(at=destination(ZHEFANG, 299.9, 45), radius=300)
    outside = judge(at=destination(ZHEFANG, 300.1, 45), radius=300)
    assert (inside.status, outside.status) == ("ok", "off_fence")


def test_mgt_1_checkin_jurisdiction_default_radius_override() -> None:
    params = get_parameters().with_overrides(
        [Override("checkin_default_radius_m", "533103102", date(2024, 1, 1), 300)]
    )
    at = destination(ZHEFANG, 400, 180)
    assert judge(at=at, params=params).status == "ok"  # 德宏 default 500 m
    assert judge(at=at, params=params, jurisdiction="533103102").status == "off_fence"


def test_mgt_1_checkin_position_in_gcj02_is_converted_too() -> None:
    """An app built on a Chinese map SDK may report GCJ-02; it says so and is converted."""
    assert judge(at=GCJ, datum="GCJ-02").status == "ok"
    assert judge(at=GCJ).status == "ok"  # ~327 m read as WGS-84: inside 500 m, but…
    assert judge(at=GCJ, radius=300).status == "off_fence"  # …not inside 300 m


def test_mgt_1_checkin_accuracy_limit_is_inclusive() -> None:
    assert judge(accuracy=100).status == "ok"
    j = judge(accuracy=100.5)
    assert (j.status, j.counts, j.remedy) == ("low_accuracy", False, "township_acceptance")
    (f,) = j.findings
    assert "误差100.5米,大于要求的100米" in f.message
    assert "乡镇核实认可" in f.message and "已保存" in f.message


def test_mgt_1_checkin_unknown_accuracy_is_treated_as_low_accuracy() -> None:
    """MGT.1.CHECKIN (issue 9 point 8): a device that reports no accuracy cannot show the
    limit was kept — kept, shown to the township, not counted until accepted."""
    j = judge(accuracy=None)
    assert (j.status, j.counts, j.remedy) == ("low_accuracy", False, "township_acceptance")
    (f,) = j.findings
    assert (
        f.severity == "warning" and "未报告定位精度" in f.message and "须乡镇核实认可" in f.message
    )
    assert f.data["accuracy_m"] is None and f.data["limit_m"] == 100


def test_mgt_1_checkin_without_position_is_not_counted() -> None:
    j = judge(at=None)
    assert (j.status, j.counts, j.distance_m, j.remedy) == (
        "no_position",
        False,
        None,
        "new_checkin",
    )
    (f,) = j.findings
    assert (f.clause, f.severity) == ("MGT.1.CHECKIN", "warning")
    assert "没有定位信息" in f.message
    half = judge_checkin(
        name="岩温",
        lat=24.2,
        lng=None,
        accuracy_m=5,
        point=POINT,
        radius_m=None,
        device_time=CHECKED_IN,
        received_at=RECEIVED,
    )
    assert half.status == "no_position"


def test_mgt_1_checkin_village_without_fixed_point_names_the_village() -> None:
    j = judge(point=None)
    assert (j.status, j.counts, j.distance_m, j.remedy) == (
        "no_point",
        False,
        None,
        "set_fixed_point",
    )
    (f,) = j.findings
    assert "遮放村尚未设置定点签到位置" in f.message and f.severity == "warning"


def test_mgt_1_checkin_late_window_72_hours_is_inclusive() -> None:
    """Decision: "within 72 h" is ≤ 72 h; a second more is late."""
    on_time = judge(received_at=CHECKED_IN + timedelta(hours=72))
    late = judge(received_at=CHECKED_IN + timedelta(hours=72, seconds=1))
    assert (on_time.status, on_time.counts) == ("ok", True)
    assert (late.status, late.counts, late.remedy) == ("late", False, "township_correction")
    (f,) = late.findings
    assert "相隔72小时0分1秒,超过72小时补传时限" in f.message
    assert "乡镇审批更正" in f.message and "已记录" in f.message
    assert late.day == date(2024, 6, 3)  # still the day it was made


def test_mgt_1_checkin_status_is_the_first_problem_and_all_are_reported() -> None:
    j = judge(at=None, point=None, received_at=CHECKED_IN + timedelta(days=5))
    assert j.status == "no_position"
    assert [f.data["status"] for f in j.findings] == ["no_position", "no_point", "late"]
    k = judge(at=destination(ZHEFANG, 900, 0), accuracy=250)
    assert k.status == "low_accuracy"
    assert [f.data["status"] for f in k.findings] == ["low_accuracy", "off_fence"]
    assert k.distance_m == pytest.approx(900, abs=0.5)


def test_mgt_1_checkin_naive_times_and_bad_input_are_refused() -> None:
    with pytest.raises(ValueError, match="带时区"):
        judge(device_time=datetime(2024, 6, 3, 8, 30))
    with pytest.raises(ValueError, match="定位精度"):
        judge(accuracy=-1)
    with pytest.raises(ValueError, match="半径"):
        judge(radius=0)
    with pytest.raises(ValueError):
        judge(at=(95.0, 98.0))


# ------------------------------------------------------------------------------ checkin_day


def test_mgt_1_checkin_day_is_the_local_date_of_the_device_time() -> None:
    # 01:00 on 3 June in Dehong is 17:00 UTC on 2 June.
    device = datetime(2024, 6, 2, 17, 0, tzinfo=UTC)
    assert checkin_day(device, device + timedelta(seconds=1)) == date(2024, 6, 3)
    assert checkin_day(device, device, tz="UTC") == date(2024, 6, 2)


def test_mgt_1_checkin_day_offline_upload_counts_for_the_day_it_was_made() -> None:
    made = datetime(2024, 6, 3, 23, 50, tzinfo=CST)
    assert checkin_day(made, made + timedelta(hours=9)) == date(2024, 6, 3)


def test_mgt_1_checkin_day_clock_ahead_beyond_30_minutes_uses_the_receive_date() -> None:
    received = datetime(2024, 6, 3, 23, 40, tzinfo=CST)
    assert checkin_day(received + timedelta(minutes=30), received) == date(2024, 6, 4)
    assert checkin_day(received + timedelta(minutes=31), received) == date(2024, 6, 3)
    # The status is not "late" for a clock that runs ahead (that is a fraud signal).
    j = judge(device_time=received + timedelta(minutes=45), received_at=received)
    assert (j.status, j.day) == ("ok", date(2024, 6, 3))
