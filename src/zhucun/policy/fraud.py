"""MGT.1.FRAUD — signs that a check-in may be faked (弄虚作假), flagged to the township and the FS.

"对弄虚作假的,将严肃追究乡镇(街道)党(工)委领导和驻村第一书记的责任": the system does not
judge fraud, it points the township party committee and the first secretary at check-ins that
deserve a look.  Every signal is a ``warning`` citing MGT.1.FRAUD; none of them stops the
check-in from being recorded (``judge_checkin`` decides whether it counts).

Public API
----------
``CheckinFact(cadre_id, name, lat, lng, device_time, received_at, device_id="")``
    One check-in as stored; positions as the device reported them (WGS-84 for phones).
``coordinate_key(lat, lng)``
    The coordinates in whole micro-degrees (6 decimals, rounded half to even): the key under
    which callers count exactly repeated coordinates for ``identical_coordinates_count``.
``fraud_signals(*, current, previous, other_cadres_on_device, identical_coordinates_count,
on_leave, params=None, jurisdiction=(), offline=None)``
    Findings, in this order:

    * ``speed`` — between ``previous`` (the same cadre's preceding check-in) and ``current``,
      both with a position: the distance, less the error two fixes within
      ``checkin_min_accuracy_m`` each may show (2 × the limit; never below 0), divided by the
      time between the two **device** times (in either order) exceeds ``fraud_max_speed_kmh``.
      The same instant with any distance beyond that allowance is impossible travel too.
      ``previous`` of another cadre is a ``ValueError``.
    * ``shared_device`` — ``other_cadres_on_device`` (the names of the other cadres who have
      checked in from the same ``device_id``) is not empty; the message names them.
    * ``repeated_coordinates`` — ``identical_coordinates_count``, the number of this cadre's
      check-ins at exactly ``coordinate_key(current.lat, current.lng)`` **including the
      current one**, is at least ``fraud_repeat_coordinates_min``: a real GPS fix never
      repeats to 6 decimals.  Only when the current check-in has a position.
    * ``on_leave`` — the cadre checked in while on approved leave (or rest).
    * ``clock_ahead`` — the device time is ahead of ``received_at`` by more than
      ``fraud_clock_skew_minutes``: a device cannot record a check-in after the server got it,
      so its clock was set forward (``checkin_day`` then uses the receive date).
    * ``clock_behind`` — only when the app says the check-in was sent online
      (``offline=False``): the device time is behind ``received_at`` by more than the same
      tolerance.  When ``offline`` is ``True`` or unknown (``None``) a device time in the past
      is explained by the offline queue, and ``checkin_late_window_hours``
      (``judge_checkin``) is the rule for it — so a genuine offline upload is never flagged
      twice.

    Parameters are looked up on the check-in's day (``checkin_day``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .checkin import checkin_day, clock_skew_limit, duration_text
from .findings import Finding
from .geo import distance_m
from .loader import get_parameters
from .parameters import Parameters

_CLAUSE = "MGT.1.FRAUD"
_MICRO = 1_000_000  # micro-degrees: 6 decimals
_TO_WHOM = "请乡镇党委和第一书记核查"


@dataclass(frozen=True)
class CheckinFact:
    """One stored check-in, as the fraud signals need it."""

    cadre_id: int
    name: str
    lat: float | None
    lng: float | None
    device_time: datetime
    received_at: datetime
    device_id: str = ""

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lng is not None


def coordinate_key(lat: float, lng: float) -> tuple[int, int]:
    """The coordinates in whole micro-degrees, for counting exact repeats."""
    return round(lat * _MICRO), round(lng * _MICRO)


def fraud_signals(
    *,
    current: CheckinFact,
    previous: CheckinFact | None,
    other_cadres_on_device: Sequence[str],
    identical_coordinates_count: int,
    on_leave: bool,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
    offline: bool | None = None,
) -> list[Finding]:
    """The MGT.1.FRAUD warnings about ``current`` (see module doc); ``[]`` if none."""
    params = params or get_parameters()
    if previous is not None and previous.cadre_id != current.cadre_id:
        raise ValueError(
            f"前一次签到属于干部#{previous.cadre_id},不是干部#{current.cadre_id} / "
            "previous check-in of another cadre"
        )
    day = checkin_day(
        current.device_time, current.received_at, params=params, jurisdiction=jurisdiction
    )
    name = current.name
    base: dict[str, Any] = {
        "cadre_id": current.cadre_id,
        "name": name,
        "day": day.isoformat(),
        "device_id": current.device_id,
    }
    findings: list[Finding] = []

    def flag(signal: str, message: str, **data: Any) -> None:
        findings.append(
            Finding(
                _CLAUSE,
                "warning",
                f"{name} {day.isoformat()} 的签到{message},{_TO_WHOM}({_CLAUSE})",
                {**base, "signal": signal, **data},
            )
        )

    def value(param: str) -> int:
        return params.int_value(param, on=day, jurisdiction=jurisdiction)

    if previous is not None and previous.has_position and current.has_position:
        assert previous.lat is not None and previous.lng is not None
        assert current.lat is not None and current.lng is not None
        metres = distance_m(previous.lat, previous.lng, current.lat, current.lng)
        allowance = 2 * value("checkin_min_accuracy_m")
        moved = max(0.0, metres - allowance)
        elapsed = abs(current.device_time - previous.device_time)
        limit = value("fraud_max_speed_kmh")
        hours = elapsed / timedelta(hours=1)
        if moved > 0 and (hours == 0 or moved / 1000 / hours > limit):
            speed = float("inf") if hours == 0 else moved / 1000 / hours
            shown = "瞬间" if hours == 0 else f"折合每小时{speed:.0f}公里"
            flag(
                "speed",
                f"与前一次签到({previous.device_time.isoformat()})相距{metres / 1000:.1f}公里,"
                f"间隔{duration_text(elapsed)},{shown},"
                f"超过每小时{limit}公里的合理移动速度",
                distance_m=round(metres, 1),
                allowance_m=allowance,
                elapsed_minutes=round(elapsed / timedelta(minutes=1), 2),
                speed_kmh=None if hours == 0 else round(speed, 1),
                limit_kmh=limit,
            )
    others = sorted({n for n in other_cadres_on_device if n and n != name})
    if others:
        flag(
            "shared_device",
            f"所用设备{('(' + current.device_id + ')') if current.device_id else ''}"
            f"也被{'、'.join(others)}用于签到,存在代签可能",
            others=others,
        )
    repeat_min = value("fraud_repeat_coordinates_min")
    if current.has_position and identical_coordinates_count >= repeat_min:
        assert current.lat is not None and current.lng is not None
        flag(
            "repeated_coordinates",
            f"坐标({current.lat:.6f}, {current.lng:.6f})与其以往签到完全相同,"
            f"已累计{identical_coordinates_count}次(达到{repeat_min}次即提示),"
            "真实定位几乎不会精确重复,可能使用了虚拟定位",
            count=identical_coordinates_count,
            limit=repeat_min,
            key=list(coordinate_key(current.lat, current.lng)),
        )
    if on_leave:
        flag("on_leave", "发生在已批准的请假(轮休)期间,请核实是否实际在村或代签")
    skew = clock_skew_limit(on=day, params=params, jurisdiction=jurisdiction)
    ahead = current.device_time - current.received_at
    skew_minutes = skew / timedelta(minutes=1)
    if ahead > skew:
        flag(
            "clock_ahead",
            f"设备时间比服务器接收时间超前{duration_text(ahead)}"
            f"(允许{skew_minutes:.0f}分钟),设备时钟可能被调整,按接收日期计入",
            skew_minutes=round(ahead / timedelta(minutes=1), 2),
            limit_minutes=skew_minutes,
        )
    elif offline is False and -ahead > skew:
        flag(
            "clock_behind",
            f"为在线签到,但设备时间比服务器接收时间落后{duration_text(ahead)}"
            f"(允许{skew_minutes:.0f}分钟),设备时钟可能被调整",
            skew_minutes=round(-ahead / timedelta(minutes=1), 2),
            limit_minutes=skew_minutes,
        )
    return findings
