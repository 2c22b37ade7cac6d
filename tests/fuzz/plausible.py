"""Plausible request bodies and query values for the schemathesis run.

Values generated from the schema alone almost never get past the business rules (a random
string is not a division code, a random integer not a cadre), so the success responses would
go unchecked. The schemathesis hooks in test_schemathesis.py therefore replace, in half of
the draws, the generated body or query with one built here from the rows in the database —
the other half stays as generated (positive or negative)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from .conftest import real_ids

FIVE = {"political": True, "conduct": True, "ability": True, "style": True, "integrity": True}
LEAVE_KINDS = ["personal", "sick", "business_trip", "training", "meeting", "rotation_rest"]


def _pick(values: list[Any], n: int, default: Any = 1) -> Any:
    return values[n % len(values)] if values else default


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def _point() -> tuple[float, float]:
    from zhucun.policy.geo import gcj02_to_wgs84

    lat, lng = gcj02_to_wgs84(24.256, 98.276)  # village A's check-in point
    return round(lat, 6), round(lng, 6)


def _cadre_body(n: int) -> dict[str, Any]:
    from tests.world import cadre_data

    data = cadre_data(name="杨测试", serial=200 + n % 700, unit_name="芒市人民医院")
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


def _id_numbers(n: int) -> str:
    from zhucun.registry.models import Cadre

    numbers = list(Cadre.objects.order_by("pk").values_list("id_number", flat=True)[:50])
    return _pick(numbers, n, "")


def _village_codes() -> list[str]:
    from zhucun.registry.models import Village

    return list(Village.objects.order_by("pk").values_list("jurisdiction__code", flat=True)[:50])


def _screening_csv(n: int) -> bytes:
    from zhucun.selection.screening import SPEC

    flags = ["是", "否", "否", "否", "否", "否", "否", "否", "否"]
    job, code = [("科员", ""), ("小学教师", "primary_secondary_teacher")][n % 2]
    row = ["合格甲", "1990-05-17", "正式党员", "2015-07-01", "2012-08-01", job, code, *flags]
    lines = [[label for label, _c in SPEC.values()], [*row, "工作队员", "2026-12-01"]]
    return "\n".join(",".join(cells) for cells in lines).encode("utf-8-sig")


def body(label: str, n: int, key: uuid.UUID) -> Any:
    """A body for the operation ``label`` ("POST /api/v1/leave") that a user of the right role
    could well send; None when there is none to offer."""
    method, _, path = label.partition(" ")
    path = path.removeprefix("/api/v1")
    ids = real_ids()
    today = _today()
    later = today + dt.timedelta(days=100 + n % 300)
    day = today - dt.timedelta(days=1 + n % 20)
    lat, lng = _point()
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/villages"): lambda: {
            "code": f"533103102{100 + n % 800:03d}",
            "name": f"新寨村{n % 1000}",
            "township_code": "533103102000",
            "border": n % 2 == 0,
            "checkin_lat": 24.25,
            "checkin_lng": 98.27,
            "checkin_datum": "GCJ-02",
            "checkin_radius_m": 500,
        },
        ("PATCH", "/villages/{id}"): lambda: {
            "checkin_radius_m": 300 + n % 500,
            "key_village": n % 2 == 0,
        },
        ("POST", "/units"): lambda: {
            "name": f"芒市测试局{n % 1000}",
            "level": "county",
            "kind": "organ",
            "jurisdiction_code": "533103000000",
            "address": "芒市勇罕街1号",
        },
        ("PATCH", "/units/{id}"): lambda: {"address": f"芒市勇罕街{n % 100}号"},
        ("POST", "/cadres"): lambda: _cadre_body(n),
        ("PATCH", "/cadres/{id}"): lambda: {"phone": "13900001111", "post": "副科长"},
        ("POST", "/postings"): lambda: {
            "id_number": _id_numbers(n),
            "village_code": _pick(_village_codes(), n, ""),
            "role": "team_member",
            "arrival_date": "2026-03-02",
        },
        ("POST", "/postings/{id}/end"): lambda: {"end_date": day.isoformat(), "note": "期满"},
        ("POST", "/postings/{id}/milestones"): lambda: {
            "kind": ["appoint", "transfer"][n % 2],
            "on": "2026-03-10",
            "note": "",
        },
        ("POST", "/nominations"): lambda: {
            "cadre_id": _pick(ids["cadres"], n),
            "role": ["team_member", "first_secretary"][n % 2],
            "source": ["recommendation", "application"][n % 2],
            "dispatch_date": "2026-03-02",
        },
        ("POST", "/nominations/{id}/propose"): lambda: {
            "basic_attested": True,
            "no1_attested": True,
            "attested_by": "人事科 王敏",
        },
        ("POST", "/nominations/{id}/review"): lambda: {
            "checkpoints": FIVE,
            "reviewer_name": "县驻村办 李华",
        },
        ("POST", "/nominations/{id}/decide"): lambda: {"note": "党委会2026年第3次会议"},
        ("POST", "/nominations/{id}/post"): lambda: {
            "village_id": _pick(ids["villages"], n),
            "arrival_date": "2026-03-09",
        },
        ("POST", "/nominations/{id}/reject"): lambda: {"note": "不符合选派条件"},
        ("POST", "/nominations/{id}/withdraw"): lambda: {"note": "本人撤回"},
        ("POST", "/coverage/exceptions"): lambda: {
            "village_id": _pick(ids["villages"], n),
            "reason": "人口少,一名第一书记即可",
            "valid_from": "2026-01-01",
        },
        ("POST", "/screening"): lambda: {"file": _screening_csv(n), "on": "2026-12-01"},
        ("POST", "/parameters"): lambda: {
            "name": "min_days_on_duty_per_year",
            "jurisdiction_code": ["533103000000", "533100000000"][n % 2],
            "effective": "2026-01-01",
            "value": 180 + n % 40,
            "note": "芒组通〔2026〕1号",
        },
        ("POST", "/checkins"): lambda: {
            "client_key": str(key),
            "lat": lat if n % 3 else None,
            "lng": lng if n % 3 else None,
            "accuracy_m": 10.0 if n % 3 else None,
            "device_time": (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=n % 90)).isoformat(),
            "device_id": f"PHONE-{n % 3}",
            "no_position_reason": "" if n % 3 else "浏览器拒绝定位权限",
            "offline": n % 2 == 0,
        },
        ("POST", "/checkins/{id}/review"): lambda: {
            "accept": n % 2 == 0,
            "reason": "经核实因公出差",
        },
        ("POST", "/fraud-signals/{id}/resolve"): lambda: {"note": "已核实,系同事借用手机"},
        ("POST", "/leave"): lambda: {
            "kind": _pick(LEAVE_KINDS, n),
            "start": later.isoformat(),
            "end": (later + dt.timedelta(days=n % 3)).isoformat(),
            "reason": "家中有事",
        },
        ("POST", "/leave/{id}/decide"): lambda: {
            "approve": n % 2 == 0,
            "note": "同意" if n % 2 == 0 else "工作需要,暂缓",
            "override_reason": "" if n % 3 else "队员已返岗,工作有人负责",
        },
        ("POST", "/leave/{id}/override"): lambda: {"reason": "春耕后工作平稳,同意轮休"},
        ("POST", "/leave/{id}/return"): lambda: {"returned_on": today.isoformat()},
        ("POST", "/leave/{id}/cancel"): lambda: {"reason": "行程取消"},
        ("POST", "/special-periods"): lambda: {
            "jurisdiction_code": ["533103000000", "533103102000", "533100000000"][n % 3],
            "start": later.isoformat(),
            "end": (later + dt.timedelta(days=10)).isoformat(),
            "reason": "防汛救灾",
        },
        ("PUT", "/diary/{day}"): lambda: {"duties": ["DUT.1", "DUT.3"], "text": "召开党员大会"},
        ("POST", "/months/{month}/close"): lambda: {},
        ("POST", "/summaries"): lambda: {"month": "2024-10", "note": ""},
        ("POST", "/interviews"): lambda: {
            "cadre_id": _pick(ids["cadres"], n),
            "month": "2024-10",
            "township_leader": "遮放镇党委副书记 张明",
            "unit_leader": "芒市人民医院副院长 李红",
            "held_on": "2024-11-06",
            "record": "指出出勤不足,本人表示整改。",
        },
    }
    make = bodies.get((method, path))
    return None if make is None else make()


def query(current: dict[str, Any], n: int) -> dict[str, Any]:
    """``current`` with the parameters it has set to values that name real rows."""
    ids = real_ids()
    today = _today()
    values: dict[str, Any] = {
        "village": _pick(ids["villages"], n),
        "cadre": _pick(ids["cadres"], n),
        "unit": _pick(ids["units"], n),
        "month": ["2024-10", f"{today:%Y-%m}", ""][n % 3],
        "day": (today - dt.timedelta(days=n % 3)).isoformat(),
        "day_from": "2024-10-01",
        "day_to": today.isoformat(),
        "on": ["2026-03-02", ""][n % 2],
        "year": [2024, today.year][n % 2],
        "county": ["533103000000", "芒市", ""][n % 3],
        "township": ["533103102000", "遮放镇", ""][n % 3],
        "parent": ["533103102000", "533100000000"][n % 2],
        "q": ["村", "岳", "局", "5331"][n % 4],
        "page": 1 + n % 2,
        "page_size": [50, 1, 200][n % 3],
    }
    return {k: values.get(k, v) for k, v in current.items()}
