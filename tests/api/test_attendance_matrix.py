"""Permission matrix of the attendance endpoints: every role × every endpoint with the exact
status and, for lists, the exact cadres (or villages). The API decides nothing itself: the
statuses are those of zhucun.attendance's selectors, scopes and services (a role that may see
but not act, 403; outside the scope, 404; a township or jurisdiction outside the scope named
in a body, 400) — and every successful write leaves an audit event by its user."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.api.test_permission_matrix import (
    ALL,
    CADRE_USERS,
    FS_A,
    FS_B,
    FS_C,
    ROLES,
    TM_A,
    WHOLE,
    A,
    B,
    C,
    statuses,
)
from tests.attendance.conftest import A_POINT_WGS, at
from zhucun.accounts.models import User, UserRole
from zhucun.attendance import services as att
from zhucun.attendance.models import CheckIn, FraudSignal, LeaveRequest, MonthlySummary
from zhucun.audit.models import Event

OCT = dt.date(2024, 10, 1)
EVERYONE = {FS_A, TM_A, FS_B, FS_C}
COUNTY = {FS_A, TM_A, FS_B}
TEAM_A = {FS_A, TM_A}
UPPER = {"admin", "prefecture", "county", "township"}


def scoped(
    whole: set[str], county: set[str], team: set[str], unit: set[str], own: set[str]
) -> dict[str, set[str]]:
    return {
        **dict.fromkeys(WHOLE, whole),
        **dict.fromkeys(["county", "township"], county),
        "unit": unit,
        **dict.fromkeys(["first_secretary", "village_secretary"], team),
        "team_member": own,
    }


BY_CADRE = scoped(EVERYONE, COUNTY, TEAM_A, {TM_A}, {TM_A})
BY_VILLAGE = scoped({A, B, C}, {A, B}, {A}, {A}, {A})


def cadre_user(world: Any, key: str) -> User:
    if key == "fs_a":
        return world.users["first_secretary"]
    if key == "tm_a":
        return world.users["team_member"]
    return User.objects.get_or_create(
        username=key,
        defaults={
            "role": UserRole.FIRST_SECRETARY,
            "cadre": world.cadres[key],
            "display_name": key,
        },
    )[0]


def seed(world: Any) -> dict[str, Any]:
    """Per cadre (岳文华, 线美玲 in A; 排早腊 in B; 李国强 in C): two check-ins in October 2024
    (the second with the device clock 2 h ahead: one fraud signal), a pending personal leave,
    a diary entry; October closed everywhere; each first secretary's summary prepared."""
    made: dict[str, Any] = {"checkin": {}, "signal": {}, "leave": {}, "summary": {}}
    for key in ("fs_a", "tm_a", "fs_b", "fs_c"):
        user = cadre_user(world, key)
        for day, ahead in ((8, 0), (9, 2)):
            ci, _ = att.checkin_record(
                actor=user,
                client_key=uuid.uuid4(),
                lat=round(A_POINT_WGS[0], 6),
                lng=round(A_POINT_WGS[1] + 0.0001 * day, 6),
                accuracy_m=10,
                device_time=at(2024, 10, day, 9 + ahead),
                received_at=at(2024, 10, day, 9),
                device_id=f"PHONE-{key}",
            )
            made["checkin"][key] = ci.pk
        made["signal"][key] = FraudSignal.objects.get(cadre=world.cadres[key]).pk
        made["leave"][key] = att.leave_request_create(
            actor=user,
            kind="personal",
            start=dt.date(2026, 12, 7),
            end=dt.date(2026, 12, 8),
            reason="家中有事",
        ).pk
        att.diary_save(actor=user, day=dt.date(2024, 10, 8), duties=["DUT.1"], text="党员大会")
    att.month_close(month=OCT)
    for key in ("fs_a", "fs_b", "fs_c"):
        made["summary"][key] = att.summary_prepare(actor=cadre_user(world, key), month=OCT).pk
    return made


# ---- lists ----------------------------------------------------------------------------------

# name → (path, params, key of a result, {role: expected keys})
LISTS: dict[str, tuple[str, dict[str, Any], str, dict[str, set[str]]]] = {
    "checkins": ("/checkins", {}, "cadre_name", BY_CADRE),
    "fraud-signals": ("/fraud-signals", {}, "cadre_name", BY_CADRE),
    "team/today": ("/team/today", {}, "cadre_name", BY_CADRE),
    "leave": ("/leave", {}, "cadre_name", BY_CADRE),
    "leave.mine": (
        "/leave",
        {"view": "mine"},
        "cadre_name",
        {**dict.fromkeys(ALL, set()), "first_secretary": {FS_A}, "team_member": {TM_A}},
    ),
    "leave.approve": (
        "/leave",
        {"view": "approve"},
        "cadre_name",
        {**dict.fromkeys(ALL, set()), "township": {FS_A, FS_B}, "first_secretary": {TM_A}},
    ),
    "diary": ("/diary", {"month": "2024-10"}, "cadre_name", BY_CADRE),
    "months.attendance": ("/months/2024-10/attendance", {}, "cadre_name", BY_CADRE),
    "months.rankings": ("/months/2024-10/rankings", {}, "cadre_name", BY_CADRE),
    "duty-days": ("/duty-days", {"year": 2024}, "cadre_name", BY_CADRE),
    "interviews": ("/interviews", {"month": "2024-10"}, "cadre_name", BY_CADRE),
    "summaries": ("/summaries", {"month": "2024-10"}, "village_name", BY_VILLAGE),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(LISTS))
def test_list(api, world, role, endpoint):
    seed(world)
    path, params, key, expected = LISTS[endpoint]
    assert set(expected) == ALL
    r = api(role).get(path, {**params, "page_size": 200})
    assert r.status_code == 200, r.json()
    got = [item[key] for item in r.json()["results"]]
    per_cadre = 2 if endpoint == "checkins" else 1
    assert set(got) == expected[role]
    assert r.json()["count"] == len(expected[role]) * per_cadre == len(got)


# ---- writes ---------------------------------------------------------------------------------

Setup = Callable[[Any, dict[str, Any]], Any]
# method, setup (→ object id), path, body, {role: status}
Write = tuple[str, Setup, Callable[[Any], str], Callable[[Any, Any], Any], dict[str, int]]


def _none(world: Any, made: dict[str, Any]) -> None:
    return None


def _approved_tm_leave(world: Any, made: dict[str, Any]) -> int:
    leave = att.leave_request_create(
        actor=world.users["team_member"],
        kind="sick",
        start=dt.date(2026, 11, 9),
        end=dt.date(2026, 11, 11),
        reason="感冒",
    )
    att.leave_decide(actor=world.users["first_secretary"], leave_id=leave.pk, approve=True)
    return leave.pk


def _tm_rest(world: Any, made: dict[str, Any]) -> int:
    return att.leave_request_create(
        actor=world.users["team_member"],
        kind="rotation_rest",
        start=dt.date(2027, 2, 8),
        end=dt.date(2027, 2, 10),
        reason="轮休",
    ).pk


def _signed_a(world: Any, made: dict[str, Any]) -> int:
    att.summary_sign(actor=world.users["village_secretary"], summary_id=made["summary"]["fs_a"])
    return made["summary"]["fs_a"]


def _checkin_body(world: Any, x: Any) -> dict[str, Any]:
    return {
        "client_key": str(uuid.uuid4()),
        "lat": round(A_POINT_WGS[0], 6),
        "lng": round(A_POINT_WGS[1], 6),
        "accuracy_m": 10.0,
        "device_time": at(2026, 11, 27, 9).isoformat(),
        "device_id": "PHONE-X",
    }


def _interview(cadre: str) -> Callable[[Any, Any], dict[str, Any]]:
    return lambda w, x: {
        "cadre_id": w.cadres[cadre].pk,
        "month": "2024-10",
        "township_leader": "乡镇党委副书记 张明",
        "unit_leader": "派出单位副职 李红",
        "held_on": "2024-11-05",
        "record": "指出出勤不足,本人表示整改。",
    }


def _made(kind: str, key: str) -> Setup:
    return lambda w, m: m[kind][key]


NOT_TM_A = ALL - {"unit", "team_member"}  # who sees 岳文华's records (besides the FS)
WRITES: dict[str, Write] = {
    "checkin.create": (
        "POST",
        _none,
        lambda x: "/checkins",
        _checkin_body,
        statuses(201, CADRE_USERS, 403),
    ),
    "checkin.review": (
        "POST",
        _made("checkin", "tm_a"),
        lambda x: f"/checkins/{x}/review",
        lambda w, x: {"accept": True, "reason": "经核实在村"},
        statuses(200, {"admin", "township"}, 403),
    ),
    "checkin.review.outside": (
        "POST",
        _made("checkin", "fs_c"),
        lambda x: f"/checkins/{x}/review",
        lambda w, x: {"accept": False, "reason": "无法核实"},
        {**statuses(200, {"admin"}, 404), "prefecture": 403},
    ),
    "checkin.review.batch": (
        "POST",
        _made("checkin", "tm_a"),
        lambda x: "/checkins/review",
        lambda w, x: {"ids": [int(x)], "accept": True, "reason": "经核实在村"},
        statuses(200, {"admin", "township"}, 403),
    ),
    "checkin.review.batch.outside": (
        "POST",
        _made("checkin", "fs_c"),
        lambda x: "/checkins/review",
        lambda w, x: {"ids": [int(x)], "accept": False, "reason": "无法核实"},
        {**statuses(200, {"admin"}, 404), "prefecture": 403},
    ),
    "signal.resolve": (
        "POST",
        _made("signal", "tm_a"),
        lambda x: f"/fraud-signals/{x}/resolve",
        lambda w, x: {"note": "手机时间设置有误,已纠正"},
        statuses(200, {"admin", "township", "first_secretary"}, 403),
    ),
    "signal.resolve.own": (
        "POST",
        _made("signal", "fs_a"),
        lambda x: f"/fraud-signals/{x}/resolve",
        lambda w, x: {"note": "手机时间设置有误"},
        {**statuses(200, {"admin", "township"}, 403), "unit": 404, "team_member": 404},
    ),
    "leave.create": (
        "POST",
        _none,
        lambda x: "/leave",
        lambda w, x: {
            "kind": "personal",
            "start": "2027-01-04",
            "end": "2027-01-05",
            "reason": "事",
        },
        statuses(201, CADRE_USERS, 403),
    ),
    "leave.decide": (
        "POST",
        _made("leave", "tm_a"),
        lambda x: f"/leave/{x}/decide",
        lambda w, x: {"approve": True, "note": "同意"},
        statuses(200, {"first_secretary"}, 403),
    ),
    "leave.decide.first_secretary": (
        "POST",
        _made("leave", "fs_a"),
        lambda x: f"/leave/{x}/decide",
        lambda w, x: {"approve": False, "note": "近期有检查"},
        {**statuses(200, {"township"}, 403), "unit": 404, "team_member": 404},
    ),
    "leave.decide.outside": (
        "POST",
        _made("leave", "fs_c"),
        lambda x: f"/leave/{x}/decide",
        lambda w, x: {"approve": True},
        {**statuses(404, ALL - WHOLE, 403)},
    ),
    "leave.return": (
        "POST",
        _approved_tm_leave,
        lambda x: f"/leave/{x}/return",
        lambda w, x: {"returned_on": "2026-11-11"},
        statuses(200, {"team_member", "first_secretary"}, 403),
    ),
    "leave.cancel": (
        "POST",
        _made("leave", "tm_a"),
        lambda x: f"/leave/{x}/cancel",
        lambda w, x: {"reason": "事情已办完"},
        statuses(200, {"team_member"}, 403),
    ),
    "leave.override": (
        "POST",
        _tm_rest,
        lambda x: f"/leave/{x}/override",
        lambda w, x: {"reason": "工作平稳,同意轮休"},
        statuses(200, {"township"}, 403),
    ),
    "special_period": (
        "POST",
        _none,
        lambda x: "/special-periods",
        lambda w, x: {
            "jurisdiction_code": "533103000000",
            "start": "2027-06-01",
            "end": "2027-06-30",
            "reason": "防汛救灾",
        },
        statuses(201, {"admin", "prefecture", "county"}, 403),
    ),
    "special_period.outside": (
        "POST",
        _none,
        lambda x: "/special-periods",
        lambda w, x: {
            "jurisdiction_code": "533102000000",
            "start": "2027-06-01",
            "end": "2027-06-30",
            "reason": "边境管控",
        },
        {**statuses(201, WHOLE, 403), "county": 400},
    ),
    "diary.save": (
        "PUT",
        _none,
        lambda x: "/diary/2024-10-09",
        lambda w, x: {"duties": ["DUT.2"], "text": "入户走访"},
        statuses(200, CADRE_USERS, 403),
    ),
    "month.close": (
        "POST",
        _none,
        lambda x: "/months/2024-09/close",
        lambda w, x: {},
        statuses(200, UPPER, 403),
    ),
    "month.close.outside": (
        "POST",
        _none,
        lambda x: "/months/2024-09/close",
        lambda w, x: {"township_code": "533102001000"},
        {**statuses(200, WHOLE, 403), "county": 400, "township": 400},
    ),
    "summary.prepare": (
        "POST",
        _none,
        lambda x: "/summaries",
        lambda w, x: {"month": "2024-10", "note": "重新汇总"},
        statuses(201, {"first_secretary"}, 403),
    ),
    "summary.sign": (
        "POST",
        _made("summary", "fs_a"),
        lambda x: f"/summaries/{x}/sign",
        lambda w, x: None,
        statuses(200, {"village_secretary"}, 403),
    ),
    "summary.sign.outside": (
        "POST",
        _made("summary", "fs_c"),
        lambda x: f"/summaries/{x}/sign",
        lambda w, x: None,
        statuses(404, ALL - WHOLE, 403),
    ),
    "summary.submit": (
        "POST",
        _signed_a,
        lambda x: f"/summaries/{x}/submit",
        lambda w, x: None,
        statuses(200, {"first_secretary"}, 403),
    ),
    "interview.record": (
        "POST",
        _none,
        lambda x: "/interviews",
        _interview("tm_a"),
        # MGT.3.TALK: the organisation department managing the cadre (a county-level unit)
        statuses(201, {"admin", "county"}, 403),
    ),
    "interview.record.outside": (
        "POST",
        _none,
        lambda x: "/interviews",
        _interview("fs_c"),
        # 瑞丽's county-level unit: only its own county (outside this test's scopes) or admin
        {**statuses(201, {"admin"}, 404), "prefecture": 403},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(WRITES))
def test_write(api, world, role, action):
    method, setup, path, body, expected = WRITES[action]
    assert set(expected) == ALL
    obj = setup(world, seed(world))
    events = Event.objects.count()
    counts = (CheckIn.objects.count(), LeaveRequest.objects.count(), MonthlySummary.objects.count())
    r = api(role).send(method, path(obj), body(world, obj))
    assert r.status_code == expected[role], r.json()
    if r.status_code < 300:
        assert Event.objects.count() > events, "a successful write must leave an audit event"
        assert Event.objects.latest("seq").actor_id == world.users[role].pk
    else:
        assert Event.objects.count() == events
        assert counts == (
            CheckIn.objects.count(),
            LeaveRequest.objects.count(),
            MonthlySummary.objects.count(),
        )
        assert set(r.json()) == {"detail", "errors"}


ENDPOINTS = [
    ("POST", "/checkins"),
    ("GET", "/checkins"),
    ("POST", "/checkins/1/review"),
    ("POST", "/checkins/review"),
    ("GET", "/fraud-signals"),
    ("POST", "/fraud-signals/1/resolve"),
    ("GET", "/team/today"),
    ("GET", "/leave"),
    ("POST", "/leave"),
    *[("POST", f"/leave/1/{a}") for a in ("decide", "override", "return", "cancel")],
    ("POST", "/special-periods"),
    ("GET", "/diary"),
    ("PUT", "/diary/2026-11-02"),
    ("POST", "/months/2024-10/close"),
    ("GET", "/months/2024-10/attendance"),
    ("GET", "/months/2024-10/rankings"),
    ("GET", "/duty-days"),
    ("GET", "/summaries"),
    ("POST", "/summaries"),
    ("POST", "/summaries/1/sign"),
    ("POST", "/summaries/1/submit"),
    ("GET", "/interviews"),
    ("POST", "/interviews"),
]


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_anonymous_is_401(api, world, method, path):
    anon = api(None)
    r = anon.get(path) if method == "GET" else anon.send(method, path, {})
    assert r.status_code == 401
    assert r.json()["detail"].startswith("未登录")
