"""MGT.1.CHECKIN: cleaning what a phone sends with a check-in (pure Python, no queries).

Every bad field is listed at once, in Chinese, as ``ValidationFailed`` (HTTP 400 with the field
names); nothing is written for a refused check-in. A device time must carry its time zone and
may not be ahead of the receipt by more than ``checkin_device_time_max_ahead_hours``; a
reported accuracy must be > 0 and at most ``checkin_max_reported_accuracy_m``
(``policy.checkin.checkin_input_errors``, the same for the API, the lean path and the page)."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from zhucun.core.errors import ValidationFailed
from zhucun.policy.checkin import DEVICE_TIME_WRONG, checkin_input_errors

from ._common import text

_SIX = Decimal("0.000001")


@dataclass(frozen=True, slots=True)
class CheckInInput:
    """A cleaned check-in, as the phone reported it."""

    client_key: uuid.UUID
    lat: Decimal | None
    lng: Decimal | None
    accuracy_m: float | None
    device_time: dt.datetime
    received_at: dt.datetime
    device_id: str
    no_position_reason: str
    offline: bool | None = None
    # a record imported from another app (MGT.1.CHECKIN): the app's name, the address it
    # gave, and the coordinates as the sheet had them (lat, lng, datum) before conversion
    source: str = ""
    address: str = ""
    original: tuple[str, str, str] | None = None


# ---- input ---------------------------------------------------------------------------------


def _coordinate(
    value: Any, field: str, label: str, bound: int, errors: dict[str, str]
) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = f"{label}应为数字"
        return None
    if not d.is_finite() or not (-bound <= d <= bound):
        errors[field] = f"{label}应在-{bound}到{bound}之间"
        return None
    return d.quantize(_SIX)


def _moment(
    value: Any, field: str, label: str, errors: dict[str, str], *, naive_ok: bool = True
) -> dt.datetime | None:
    moment: dt.datetime | None = None
    try:
        if isinstance(value, dt.datetime):
            moment = value
        elif (
            isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        ):
            # Browsers send Date.now(): milliseconds since the epoch.
            moment = dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
        elif isinstance(value, str) and value.strip():
            moment = dt.datetime.fromisoformat(value.strip())
    except (ValueError, OverflowError, OSError):
        moment = None
    if moment is None:
        errors[field] = f"{label}格式无效(应为ISO 8601时间,如 2025-03-03T08:30:00+08:00)"
        return None
    if timezone.is_naive(moment):
        if not naive_ok:  # the phone's own clock: a time without its zone is ambiguous
            errors[field] = f"{DEVICE_TIME_WRONG}({label}未带时区)"
            return None
        moment = timezone.make_aware(moment)
    return moment


def checkin_clean(
    *,
    client_key: Any,
    lat: Any,
    lng: Any,
    accuracy_m: Any,
    device_time: Any,
    received_at: Any,
    device_id: Any,
    no_position_reason: Any,
    offline: Any = None,
) -> CheckInInput:
    """The cleaned check-in; ``received_at`` None means now."""
    errors: dict[str, str] = {}
    try:
        key = client_key if isinstance(client_key, uuid.UUID) else uuid.UUID(str(client_key))
    except (TypeError, ValueError, AttributeError):
        errors["client_key"] = "客户端标识无效(应为UUID)"
        key = None
    la = _coordinate(lat, "lat", "纬度", 90, errors)
    ln = _coordinate(lng, "lng", "经度", 180, errors)
    if (la is None) != (ln is None) and "lat" not in errors and "lng" not in errors:
        errors["lng" if ln is None else "lat"] = "纬度和经度须同时提供"
    acc: float | None = None
    if accuracy_m is not None and accuracy_m != "":
        try:
            acc = float(accuracy_m)
        except (TypeError, ValueError):
            errors["accuracy_m"] = "定位精度应为数字(米)"
        else:
            if not math.isfinite(acc) or acc <= 0:
                errors["accuracy_m"] = "定位精度应为大于0的数字(米)"
    device = _moment(device_time, "device_time", "设备时间", errors, naive_ok=False)
    received = (
        timezone.now()
        if received_at is None
        else _moment(received_at, "received_at", "接收时间", errors)
    )
    device_id = text(device_id, "device_id", errors, "设备标识", max_len=128, required=False)
    reason = text(
        no_position_reason,
        "no_position_reason",
        errors,
        "无法定位原因",
        max_len=200,
        required=False,
    )
    if device is not None and received is not None:
        checked = checkin_input_errors(
            device_time=device,
            received_at=received,
            accuracy_m=None if "accuracy_m" in errors else acc,
        )
        errors.update({k: v for k, v in checked.items() if k not in errors})
    if errors or key is None or device is None or received is None:
        raise ValidationFailed(errors, message="签到数据无效")
    return CheckInInput(
        client_key=key,
        lat=la,
        lng=ln,
        accuracy_m=acc,
        device_time=device,
        received_at=received,
        device_id=device_id,
        no_position_reason=reason,
        offline=None if offline is None else bool(offline),
    )
