"""MGT.1.CHECKIN / MGT.1.LIVE — judging one daily geofenced check-in (定点签到).

"吃住在村、工作在村 … 每天利用“云岭先锋”APP定点签到": a counted check-in is the day's evidence
of presence in the village (MGT.1.LIVE); the rules below decide whether a check-in counts.

Public API
----------
``CheckinJudgement(status, counts, distance_m, findings, remedy="", day=None)``
    ``status`` is one of ``ok``, ``no_position``, ``no_point``, ``low_accuracy``,
    ``off_fence``, ``late``; only ``ok`` counts.  ``distance_m`` is the distance to the
    village's fixed point in metres (both ends in WGS-84), ``None`` when either end is
    unknown.  ``remedy`` says what may still make the day count: ``new_checkin`` (check in
    again), ``set_fixed_point`` (the county/township must give the village a fixed point),
    ``township_acceptance`` (the township accepts the kept record), ``township_correction``
    (the township approves a correction); ``""`` when ok.  ``day`` is ``checkin_day(...)``.
``judge_checkin(*, name, lat, lng, accuracy_m, point, radius_m, device_time, received_at,
params=None, jurisdiction=(), village="", datum="WGS-84", tz="Asia/Shanghai")``
    Every applicable problem is reported as a ``warning`` (MGT.1.CHECKIN), and ``status`` is
    the first of them in this order:

    1. ``no_position`` — ``lat`` or ``lng`` missing ⇒ not counted; check in again.
    2. ``no_point`` — ``point`` is ``None`` (the village has no fixed point) ⇒ not counted;
       the message names the village whose point is missing.
    3. ``low_accuracy`` — ``accuracy_m`` > ``checkin_min_accuracy_m`` ⇒ kept, not counted,
       needs the township's acceptance.  Equal to the limit is accurate enough ("不得大于").
       ``accuracy_m`` ``None`` (the device did not say) cannot show the limit was kept: it is
       treated the same way — kept, shown to the township, not counted until accepted.
    4. ``off_fence`` — the distance, after converting the position (``datum``, WGS-84 for
       phones) and the fixed point (its own datum) to WGS-84, exceeds the radius ⇒ not
       counted, needs acceptance; the message names the distance and the radius.  A distance
       equal to the radius is inside ("以内" includes the number).  ``radius_m`` ``None`` ⇒
       ``checkin_default_radius_m``.
    5. ``late`` — ``received_at − device_time`` > ``checkin_late_window_hours`` ⇒ recorded,
       not counted, needs a correction approved by the township.  Exactly the window is in
       time ("within" = ≤).  A device clock ahead of the server is not lateness; it is a
       fraud signal (``fraud_signals``) and moves the day (``checkin_day``).

    Otherwise ``ok`` and counted.  ``device_time`` and ``received_at`` must be timezone-aware;
    naive datetimes, coordinates out of range, a negative or non-finite accuracy and a radius
    below 1 m raise ``ValueError``.  Parameters are looked up on the check-in's day.
``checkin_day(device_time, received_at, *, tz="Asia/Shanghai", params=None, jurisdiction=())``
    The day the check-in is for: the local date (``tz``) of the device time — an offline
    check-in uploaded later still counts for the day it was made — unless the device time is
    ahead of ``received_at`` by more than ``fraud_clock_skew_minutes`` (a clock set forward
    cannot claim a future day), then the local date of ``received_at``.
``checkin_input_errors(*, device_time, received_at, accuracy_m, params=None, jurisdiction=())``
    What a server refuses outright (HTTP 400) rather than judges, as ``{field: Chinese
    reason}``: a device time without a time zone or ahead of ``received_at`` by more than
    ``checkin_device_time_max_ahead_hours`` (``DEVICE_TIME_WRONG`` — the phone keeps the
    check-in for the user to fix), an accuracy ≤ 0 or above
    ``checkin_max_reported_accuracy_m``. Empty when the input may be judged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .findings import Finding
from .geo import distance_m as _distance_m
from .geo import in_china, to_wgs84
from .loader import get_parameters
from .parameters import Parameters

CheckinStatus = Literal["ok", "off_fence", "low_accuracy", "no_position", "late", "no_point"]
CHECKIN_STATUSES: tuple[CheckinStatus, ...] = get_args(CheckinStatus)
# The order in which a check-in's problems decide its status (the first applicable one).
CHECKIN_STATUSES_BY_PRECEDENCE: tuple[CheckinStatus, ...] = (
    "no_position",
    "no_point",
    "low_accuracy",
    "off_fence",
    "late",
)
Remedy = Literal["", "new_checkin", "set_fixed_point", "township_acceptance", "township_correction"]
DEFAULT_TZ = "Asia/Shanghai"
_CLAUSE = "MGT.1.CHECKIN"
# China Standard Time has been UTC+8 without daylight saving since 1991: the fallback when the
# system has no time-zone database.
_CST = timedelta(hours=8)


@dataclass(frozen=True)
class CheckinJudgement:
    """Whether one check-in counts for its day, and why not."""

    status: CheckinStatus
    counts: bool
    distance_m: float | None
    findings: list[Finding] = field(default_factory=list)
    remedy: Remedy = ""
    day: date | None = None


def _zone(tz: str | tzinfo) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except ZoneInfoNotFoundError:
        if tz == DEFAULT_TZ:
            return timezone(_CST, DEFAULT_TZ)
        raise


def _aware(value: datetime, what: str) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{what}须为带时区的时间(aware datetime):{value!r}")
    return value


def clock_skew_limit(
    *, on: date, params: Parameters | None = None, jurisdiction: str | Sequence[str] = ()
) -> timedelta:
    """``fraud_clock_skew_minutes`` as a ``timedelta``."""
    params = params or get_parameters()
    minutes = params.int_value("fraud_clock_skew_minutes", on=on, jurisdiction=jurisdiction)
    return timedelta(minutes=minutes)


def checkin_day(
    device_time: datetime,
    received_at: datetime,
    *,
    tz: str | tzinfo = DEFAULT_TZ,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> date:
    """The local day a check-in is for (see module doc)."""
    zone = _zone(tz)
    device = _aware(device_time, "设备签到时间").astimezone(zone)
    received = _aware(received_at, "服务器接收时间").astimezone(zone)
    skew = clock_skew_limit(on=received.date(), params=params, jurisdiction=jurisdiction)
    if device - received > skew:
        return received.date()
    return device.date()


DEVICE_TIME_WRONG = "手机时间不正确,请校准后重试"


def checkin_input_errors(
    *,
    device_time: datetime,
    received_at: datetime,
    accuracy_m: float | None,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
) -> dict[str, str]:
    """Input refused before judging (see module doc): ``{field: reason}``, empty if none."""
    params = params or get_parameters()
    received = _aware(received_at, "服务器接收时间")
    on = received.date()
    errors: dict[str, str] = {}
    if device_time.utcoffset() is None:
        errors["device_time"] = f"{DEVICE_TIME_WRONG}(设备时间未带时区)"
    else:
        hours = params.int_value(
            "checkin_device_time_max_ahead_hours", on=on, jurisdiction=jurisdiction
        )
        ahead = device_time - received
        if ahead > timedelta(hours=hours):
            errors["device_time"] = (
                f"{DEVICE_TIME_WRONG}(设备时间比服务器时间超前{duration_text(ahead)},"
                f"超过{hours}小时)"
            )
    if accuracy_m is not None:
        most = params.int_value("checkin_max_reported_accuracy_m", on=on, jurisdiction=jurisdiction)
        if not math.isfinite(accuracy_m) or accuracy_m <= 0:
            errors["accuracy_m"] = "定位精度应为大于0的数字(米)"
        elif accuracy_m > most:
            errors["accuracy_m"] = (
                f"定位精度{metres_text(accuracy_m)}米不合理(大于{most}米),请重新定位后签到"
            )
    return errors


def metres_text(value: float) -> str:
    """Metres for a message, to 0.1 m without trailing zeros: 420, 100.5."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def duration_text(delta: timedelta) -> str:
    """A duration for a message: 72小时, 72小时0分1秒, 45分."""
    seconds = int(abs(delta).total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{hours}小时" if hours else ""
    if minutes or secs or not hours:
        text += f"{minutes}分"
    if secs:
        text += f"{secs}秒"
    return text


def _stamp(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def judge_checkin(
    *,
    name: str,
    lat: float | None,
    lng: float | None,
    accuracy_m: float | None,
    point: tuple[float, float, str] | None,
    radius_m: int | None,
    device_time: datetime,
    received_at: datetime,
    params: Parameters | None = None,
    jurisdiction: str | Sequence[str] = (),
    village: str = "",
    datum: str = "WGS-84",
    tz: str | tzinfo = DEFAULT_TZ,
) -> CheckinJudgement:
    """Judge one check-in against MGT.1.CHECKIN (see module doc)."""
    params = params or get_parameters()
    zone = _zone(tz)
    day = checkin_day(device_time, received_at, tz=zone, params=params, jurisdiction=jurisdiction)
    place = village or "所驻村"
    if accuracy_m is not None and not (math.isfinite(accuracy_m) and accuracy_m >= 0):
        raise ValueError(f"定位精度须为非负有限数值:{accuracy_m!r}")
    base: dict[str, Any] = {
        "name": name,
        "village": village,
        "day": day.isoformat(),
        "device_time": device_time.isoformat(),
        "received_at": received_at.isoformat(),
    }
    problems: list[tuple[CheckinStatus, Remedy, Finding]] = []
    findings: list[Finding] = []
    has_position = lat is not None and lng is not None

    def problem(status: CheckinStatus, remedy: Remedy, message: str, **data: Any) -> None:
        finding = Finding(
            _CLAUSE,
            "warning",
            f"{message}({_CLAUSE})",
            {**base, "status": status, "remedy": remedy, **data},
        )
        problems.append((status, remedy, finding))

    if not has_position:
        problem(
            "no_position",
            "new_checkin",
            f"{name} {day.isoformat()} 的签到没有定位信息,不计入当日签到;请重新定点签到",
        )
    if point is None:
        problem(
            "no_point",
            "set_fixed_point",
            f"{place}尚未设置定点签到位置,{name} {day.isoformat()} 的签到无法核验是否在村,"
            f"不计入当日签到;须先为{place}设置定点坐标",
        )
    distance: float | None = None
    radius: int | None = None
    if lat is not None and lng is not None:
        in_china(lat, lng)  # ValueError for coordinates out of range
    if has_position and point is not None:
        assert lat is not None and lng is not None
        here = to_wgs84(lat, lng, datum)
        there = to_wgs84(point[0], point[1], point[2])
        distance = _distance_m(here[0], here[1], there[0], there[1])
        radius = (
            radius_m
            if radius_m is not None
            else params.int_value("checkin_default_radius_m", on=day, jurisdiction=jurisdiction)
        )
        if radius < 1:
            raise ValueError(f"签到范围半径须至少为1米:{radius!r}")
    if has_position:
        limit = params.int_value("checkin_min_accuracy_m", on=day, jurisdiction=jurisdiction)
        if accuracy_m is None:
            problem(
                "low_accuracy",
                "township_acceptance",
                f"{name} {day.isoformat()} 的签到设备未报告定位精度,无法确认误差不大于要求的{limit}米,"
                "签到已保存但不计入当日签到,须乡镇核实认可",
                accuracy_m=None,
                limit_m=limit,
            )
        elif accuracy_m > limit:
            problem(
                "low_accuracy",
                "township_acceptance",
                f"{name} {day.isoformat()} 签到定位误差{metres_text(accuracy_m)}米,大于要求的{limit}米,"
                "签到已保存但不计入当日签到,须乡镇核实认可",
                accuracy_m=accuracy_m,
                limit_m=limit,
            )
    if distance is not None and radius is not None and distance > radius:
        problem(
            "off_fence",
            "township_acceptance",
            f"{name} {day.isoformat()} 签到位置距{place}定点{metres_text(distance)}米,超出{radius}米"
            "签到范围,不能证明“吃住在村、工作在村”,不计入当日签到,须乡镇核实认可",
            distance_m=round(distance, 1),
            radius_m=radius,
            point_datum=point[2] if point else None,
            position_datum=datum,
        )
    window_h = params.int_value("checkin_late_window_hours", on=day, jurisdiction=jurisdiction)
    delay = _aware(received_at, "服务器接收时间") - _aware(device_time, "设备签到时间")
    if delay > timedelta(hours=window_h):
        hours = delay / timedelta(hours=1)
        problem(
            "late",
            "township_correction",
            f"{name} {_stamp(device_time, zone)} 的签到至 {_stamp(received_at, zone)} 才上传,"
            f"相隔{duration_text(delay)},超过{window_h}小时补传时限,已记录但不计入当日签到,"
            "须经乡镇审批更正",
            delay_hours=round(hours, 2),
            window_hours=window_h,
        )
    order = {status: i for i, status in enumerate(CHECKIN_STATUSES_BY_PRECEDENCE)}
    findings = [p[2] for p in problems] + findings
    if not problems:
        return CheckinJudgement("ok", True, distance, findings, "", day)
    status, remedy, _ = min(problems, key=lambda p: order[p[0]])
    return CheckinJudgement(status, False, distance, findings, remedy, day)
