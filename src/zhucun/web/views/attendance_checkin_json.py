"""The check-in JSON endpoints behind the 签到 button (MGT.1.CHECKIN): one check-in
(``/m/checkin/submit/``) and the phone's queue in one request (``/m/checkin/queue/``, issue
17), with the session and CSRF of the page; each check-in is answered as it would be alone.
The page is in ``attendance_cadre.py``."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhucun.accounts.models import User
from zhucun.attendance import services as att
from zhucun.attendance.models import CheckIn
from zhucun.core.errors import ValidationFailed

from .attendance_cadre import today_status
from .attendance_common import CADRES, error_rows


def _checkin_json(ci: CheckIn, created: bool, user: User, *, today: bool = True) -> dict[str, Any]:
    if ci.counts:
        message = "签到成功,已计入今日在岗" if created else "该次签到已上传(重复提交只记录一次)"
    elif ci.status == "late":
        message = "签到已记录,但上传超过补传时限,须乡镇党委批准更正后才计入在岗(MGT.1.CHECKIN)"
    elif ci.status == "no_point":
        message = "签到已记录,但本村尚未设置签到点,请联系乡镇党委(MGT.1.CHECKIN)"
    else:
        message = "签到已记录为异常,须乡镇党委核实认可后才计入在岗(MGT.1.CHECKIN)"
    now = today_status(user, ci.day) if today and ci.day == timezone.localdate() else None
    return {
        "status": ci.status,
        "status_label": ci.get_status_display(),
        "counts": ci.counts,
        "created": created,
        "client_key": str(ci.client_key),
        "day": ci.day.isoformat(),
        "distance_m": None if ci.distance_m is None else round(ci.distance_m),
        "message": message,
        "findings": [
            {
                "clause": f.get("clause", ""),
                "severity": f.get("severity", ""),
                "message": f.get("message", ""),
            }
            for f in (ci.findings or [])
            if f.get("severity") in ("error", "warning")
        ],
        "today": now.as_json() if now else None,
    }


# ---- pages -------------------------------------------------------------------------------------


def _json_error(status: int, message: str, errors: dict[str, str] | None = None) -> JsonResponse:
    return JsonResponse(
        _error_body(message, errors), status=status, json_dumps_params={"ensure_ascii": False}
    )


def _error_body(message: str, errors: dict[str, str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "error", "message": message}
    if errors is not None:
        body["errors"] = errors
        body["error_rows"] = error_rows(errors)
    return body


def _item_clean(user: User, data: Any) -> att.CheckInInput | tuple[int, dict[str, Any]]:
    """One check-in of the page (or of its queue) cleaned, or its refusal (status, body)."""
    if not isinstance(data, dict):
        return 400, _error_body("签到数据无效", {"body": "请求内容应为JSON对象"})
    if data.get("user") not in (None, "", str(user.pk)):
        # Queued on this phone under another account (shared phone): never record it as
        # this user's; the page keeps it for its owner.
        return 409, _error_body("该签到由本机另一账号保存,未上传;请该账号登录后上传")
    offline = data.get("offline")
    if offline is not None and not isinstance(offline, bool):
        return 400, _error_body("签到数据无效", {"offline": "离线标记应为true或false"})
    try:
        return att.checkin_clean(
            client_key=data.get("client_key"),
            lat=data.get("lat"),
            lng=data.get("lng"),
            accuracy_m=data.get("accuracy_m"),
            device_time=data.get("device_time"),
            received_at=None,
            device_id=data.get("device_id") or "",
            no_position_reason=data.get("no_position_reason") or "",
            offline=offline,
        )
    except ValidationFailed as exc:
        return 400, _error_body(exc.message.split(":")[0] or "签到数据无效", exc.errors)


def _outcome_answer(
    outcome: att.CheckInOutcome, user: User, *, today: bool
) -> tuple[int, dict[str, Any]]:
    error = outcome.error
    if isinstance(error, ValidationFailed):
        return 400, _error_body(error.message.split(":")[0] or "签到数据无效", error.errors)
    if error is not None:
        return error.status, _error_body(error.message)
    assert outcome.checkin is not None
    body = _checkin_json(outcome.checkin, outcome.created, user, today=today)
    return (201 if outcome.created else 200), body


def _request_user(request: HttpRequest) -> User | JsonResponse:
    user = request.user
    if not user.is_authenticated:
        return _json_error(401, "登录已过期,请重新登录;签到已保存在本机,登录后自动上传")
    if user.role not in CADRES:
        return _json_error(404, "页面不存在或您的角色无需使用此功能")
    return user  # type: ignore[return-value]


def _json_body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        return None


@require_POST
def checkin_submit(request: HttpRequest) -> JsonResponse:
    """POST JSON {client_key, lat, lng, accuracy_m, device_time, device_id, offline,
    no_position_reason} → 201 created / 200 already stored / 400 field errors (Chinese)."""
    user = _request_user(request)
    if isinstance(user, JsonResponse):
        return user
    cleaned = _item_clean(user, _json_body(request))
    if isinstance(cleaned, tuple):
        status, body = cleaned
    else:
        (outcome,) = att.checkins_record(items=[(user, cleaned)])
        status, body = _outcome_answer(outcome, user, today=True)
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


MAX_QUEUE = 100  # check-ins per request (the API's MAX_CHECKIN_BATCH): a queue after days offline


@require_POST
def checkin_submit_batch(request: HttpRequest) -> JsonResponse:
    """The phone's queue in one request (issue 17): POST {"items": [check-in, …]} →
    200 {"results": [{"status", "body"}, …], "today"}: each item answered as ``checkin_submit``
    would answer it alone, all recorded in one transaction (``checkins_record``)."""
    user = _request_user(request)
    if isinstance(user, JsonResponse):
        return user
    data = _json_body(request)
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_QUEUE:
        return _json_error(400, "签到数据无效", {"items": f"应为1至{MAX_QUEUE}条签到"})
    cleaned = [_item_clean(user, item) for item in items]
    fresh = [c for c in cleaned if not isinstance(c, tuple)]
    outcomes = iter(att.checkins_record(items=[(user, c) for c in fresh]) if fresh else [])
    results = []
    for c in cleaned:
        status, body = (
            c if isinstance(c, tuple) else _outcome_answer(next(outcomes), user, today=False)
        )
        results.append({"status": status, "body": body})
    today = today_status(user)
    return JsonResponse(
        {"results": results, "today": today.as_json()},
        json_dumps_params={"ensure_ascii": False},
    )
