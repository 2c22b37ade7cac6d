"""The attendance endpoints (MGT.1, MGT.3) end to end through the API: the phone's check-in
(idempotent on the client key, judged in the right datum, the late window), bad input (400
with field and Chinese reason, nothing written), leave routed TM → FS and FS → township with
the rotation-rest rules' clause ids, diary, fraud signals and reviews, the month close with
rankings and the publication switch, summaries and interviews — every write audited."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.test_selection_api import Audit
from tests.attendance.conftest import A_POINT_GCJ, A_POINT_WGS, add_member, at, south_of
from zhucun.attendance import services as att
from zhucun.attendance.models import (
    CheckIn,
    CheckInReview,
    DiaryEntry,
    FraudSignal,
    LeaveRequest,
    MonthClose,
    MonthlyAttendance,
)
from zhucun.audit.models import Event
from zhucun.params.calendar import work_calendar
from zhucun.params.services import parameter_set
from zhucun.registry import services as reg

OCT = dt.date(2024, 10, 1)


def body(pos: Any = "A", **over: Any) -> dict[str, Any]:
    """A check-in as the phone sends it: WGS-84 position, accuracy, key, device time."""
    lat_lng = A_POINT_WGS if pos == "A" else pos
    data: dict[str, Any] = {
        "client_key": str(uuid.uuid4()),
        "lat": None if lat_lng is None else round(lat_lng[0], 6),
        "lng": None if lat_lng is None else round(lat_lng[1], 6),
        "accuracy_m": None if lat_lng is None else 12.5,
        "device_time": timezone.localtime().isoformat(),
        "device_id": "PHONE-TM",
        "no_position_reason": "",
        "offline": False,
    }
    return data | over


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def fields(r) -> dict[str, str]:
    """Field errors by field, and refusals by rules by their clause id (their own key)."""
    return {e.get("clause") or e["field"]: e["reason"] for e in r.json()["errors"]}


# ---- check-in ------------------------------------------------------------------------------


def test_checkin_resent_100_times_stores_one(api, world):
    tm = api("team_member")
    payload = body()
    events = Event.objects.count()
    first = tm.post("/checkins", payload)
    assert first.status_code == 201, first.json()
    out = first.json()
    assert out["status"] == "ok" and out["counts"] is True
    assert set(out) >= {"id", "day", "status", "counts", "distance_m", "received_at", "findings"}
    assert out["day"] == timezone.localdate().isoformat()
    for _ in range(99):
        again = tm.post("/checkins", payload)
        assert again.status_code == 200
        assert again.json() == out
    assert CheckIn.objects.count() == 1
    assert Event.objects.count() == events + 1
    ev = Event.objects.latest("seq")
    assert ev.action == "checkin.record" and ev.actor_id == world.users["team_member"].pk


def test_checkin_costs_no_query_beyond_the_service(api, world):
    """The endpoint adds only the token lookup (and its once-a-minute last_used stamp)."""
    tm = api("team_member")
    tm.get("/leave")  # the token's last_used is stamped now, not during the check-ins

    def not_auth(ctx: CaptureQueriesContext) -> list[str]:
        return [q["sql"] for q in ctx.captured_queries if "accounts_apitoken" not in q["sql"]]

    def no_params(ctx: CaptureQueriesContext) -> int:
        # The parameters' freshness check runs when the process's copy is over 2 s old: on a
        # loaded machine that may fall on either call, so it is left out of the comparison.
        return len([q for q in ctx.captured_queries if "params_parametervalue" not in q["sql"]])

    payload = body()
    with CaptureQueriesContext(connection) as api_first:
        assert tm.post("/checkins", payload).status_code == 201
    with CaptureQueriesContext(connection) as api_resend:
        assert tm.post("/checkins", payload).status_code == 200
    with CaptureQueriesContext(connection) as direct:
        att.checkin_record(
            actor=world.users["first_secretary"],
            client_key=uuid.uuid4(),
            lat=payload["lat"],
            lng=payload["lng"],
            accuracy_m=12.5,
            device_time=timezone.now(),
            device_id="PHONE-FS",
        )
    assert len([q for q in not_auth(api_first) if "params_parametervalue" not in q]) == (
        no_params(direct)
    )
    assert len(not_auth(api_resend)) == 1  # the service's lookup by (cadre, client_key)
    assert len(api_resend.captured_queries) == 2


@pytest.mark.parametrize(("radius", "status"), [(300, "off_fence"), (500, "ok")])
def test_checkin_400m_from_the_gcj02_point(api, world, radius, status):
    """Village A's point is GCJ-02; 400 m south of it in WGS-84 terms (zhucun.policy.geo)."""
    reg.village_update(
        actor=world.admin, village_id=world.villages["A"].pk, data={"checkin_radius_m": radius}
    )
    r = api("team_member").post("/checkins", body(pos=south_of(A_POINT_WGS, 400)))
    assert r.status_code == 201, r.json()
    out = r.json()
    assert out["status"] == status and out["counts"] is (status == "ok")
    assert 395 < out["distance_m"] < 405
    if status == "off_fence":
        assert [f["clause"] for f in out["findings"]] == ["MGT.1.CHECKIN"]
        assert str(radius) in out["findings"][0]["message"]


def test_checkin_raw_gcj02_numbers_are_off_the_fence(api, world):
    reg.village_update(
        actor=world.admin, village_id=world.villages["A"].pk, data={"checkin_radius_m": 200}
    )
    r = api("team_member").post("/checkins", body(pos=A_POINT_GCJ))
    assert r.json()["status"] == "off_fence" and 300 < r.json()["distance_m"] < 360


def test_checkin_late_window(api, world):
    """Within checkin_late_window_hours (72) of the device time it counts for the day it was
    made; after it, it is recorded as late and needs the township's correction."""
    tm = api("team_member")
    now = timezone.localtime()
    late = tm.post("/checkins", body(device_time=(now - dt.timedelta(hours=73)).isoformat()))
    in_time = tm.post(
        "/checkins", body(device_time=(now - dt.timedelta(hours=71)).isoformat(), lat=24.2501)
    )
    assert late.status_code == in_time.status_code == 201
    assert late.json()["status"] == "late" and late.json()["counts"] is False
    assert late.json()["day"] == (now - dt.timedelta(hours=73)).date().isoformat()
    assert in_time.json()["status"] in ("ok", "off_fence")
    assert in_time.json()["day"] == (now - dt.timedelta(hours=71)).date().isoformat()
    received = dt.datetime.fromisoformat(late.json()["received_at"])
    assert abs(received - timezone.now()) < dt.timedelta(minutes=1)
    row = CheckIn.objects.get(pk=late.json()["id"])
    assert row.device_time == now.replace(microsecond=now.microsecond) - dt.timedelta(hours=73)
    # the township accepts the late one: now it counts
    township = api("township")
    r = township.post(
        f"/checkins/{late.json()['id']}/review", {"accept": True, "reason": "停电补传"}
    )
    assert r.status_code == 200, r.json()
    assert r.json()["counts"] is True and r.json()["review_decision"] == "accept"


def test_checkin_without_position_keeps_the_reason(api, world):
    r = api("team_member").post(
        "/checkins", body(pos=None, no_position_reason="浏览器拒绝定位权限", accuracy_m=None)
    )
    assert r.status_code == 201
    assert r.json()["status"] == "no_position" and r.json()["counts"] is False
    assert CheckIn.objects.get().no_position_reason == "浏览器拒绝定位权限"


BAD_CHECKINS = [
    ("lat", {"lat": 200}),
    ("lng", {"lng": -181.5}),
    ("accuracy_m", {"accuracy_m": -1}),
    ("device_time", {"device_time": "yesterday"}),
    ("device_time", {"device_time": "0001-01-01T00:00:00+08:00"}),
    ("client_key", {"client_key": "abc"}),
    ("lat", {"lat": "24.25"}),  # strict: a number, not text
    ("offline", {"offline": "yes"}),
    ("device_id", {"device_id": "x" * 129}),
    ("lng", {"lng": None}),  # both or neither
    ("surprise", {"surprise": 1}),
]


@pytest.mark.parametrize(("field", "over"), BAD_CHECKINS)
def test_checkin_bad_input_is_400_and_writes_nothing(api, world, field, over):
    events = Event.objects.count()
    r = api("team_member").post("/checkins", body(**over))
    assert r.status_code == 400, r.json()
    errors = fields(r)
    assert field in errors and is_chinese(errors[field]), errors
    assert CheckIn.objects.count() == 0 and Event.objects.count() == events


def test_checkin_of_other_roles_is_403(api, world):
    r = api("township").post("/checkins", body())
    assert r.status_code == 403 and is_chinese(r.json()["detail"])


def test_checkin_list_filters(api, world):
    tm, fs = api("team_member"), api("first_secretary")
    now = timezone.localtime()
    before, after = now - dt.timedelta(hours=49), now - dt.timedelta(hours=25)
    tm.post("/checkins", body(device_time=before.isoformat()))
    far = south_of(A_POINT_WGS, 900)
    tm.post("/checkins", body(pos=far, device_time=after.isoformat()))
    fs.post("/checkins", body(device_time=after.isoformat(), device_id="PHONE-FS"))
    township = api("township")
    day = after.date().isoformat()
    got = township.get("/checkins", {"day_from": day, "day_to": day}).json()
    assert got["count"] == 2
    got = township.get("/checkins", {"status": "off_fence"}).json()
    assert [r["cadre_name"] for r in got["results"]] == ["线美玲"]
    got = township.get("/checkins", {"exceptions": True}).json()
    assert got["count"] == 1 and got["results"][0]["review_decision"] is None
    got = township.get("/checkins", {"cadre": world.cadres["fs_a"].pk}).json()
    assert {r["cadre_name"] for r in got["results"]} == {"岳文华"}
    got = township.get("/checkins", {"village": world.villages["B"].pk}).json()
    assert got["count"] == 0
    assert township.get("/checkins", {"day_from": "2026-02-30"}).status_code == 400
    assert township.get("/checkins", {"status": "bogus"}).status_code == 400


def test_fraud_signal_listed_and_resolved(api, world):
    fs, tm = api("first_secretary"), api("team_member")
    fs.post("/checkins", body(device_id="PHONE-1"))
    tm.post("/checkins", body(device_id="PHONE-1", lat=24.2502))
    signals = fs.get("/fraud-signals").json()
    shared = [s for s in signals["results"] if s["kind"] == "shared_device"]
    assert shared and all(s["clause"] == "MGT.1.FRAUD" for s in shared)
    mine = next(s for s in shared if s["cadre_name"] == "线美玲")
    audit = Audit(world)
    r = fs.post(f"/fraud-signals/{mine['id']}/resolve", {"note": "借用队长手机签到,已提醒"})
    assert r.status_code == 200 and r.json()["resolved"] and r.json()["resolved_by"]
    audit.wrote("first_secretary", "fraud_signal.resolve")
    again = api("township").post(f"/fraud-signals/{mine['id']}/resolve", {"note": "再核"})
    assert again.status_code == 400 and "signal_id" in fields(again)
    assert mine["id"] not in [s["id"] for s in fs.get("/fraud-signals").json()["results"]]
    closed = fs.get("/fraud-signals", {"open_only": False}).json()["results"]
    assert mine["id"] in [s["id"] for s in closed]
    assert FraudSignal.objects.filter(pk=mine["id"]).exists()  # never deleted


def test_checkin_review_needs_a_reason_and_the_township(api, world):
    r = api("team_member").post("/checkins", body(pos=south_of(A_POINT_WGS, 900)))
    cid = r.json()["id"]
    assert (
        api("first_secretary")
        .post(f"/checkins/{cid}/review", {"accept": True, "reason": "出差"})
        .status_code
        == 403
    )
    bad = api("township").post(f"/checkins/{cid}/review", {"accept": True, "reason": " "})
    assert bad.status_code == 400 and "reason" in fields(bad)
    audit = Audit(world)
    ok = api("township").post(
        f"/checkins/{cid}/review", {"accept": True, "reason": "县里开会,已核实"}
    )
    assert ok.status_code == 200 and ok.json()["counts"] is True
    audit.wrote("township", "checkin.review")


def test_checkins_review_many_in_one_request_all_or_nothing(api, world):
    """For integrators (issue 10): one decision and reason for many check-ins (MGT.1.CHECKIN)."""
    tm, fs, township = api("team_member"), api("first_secretary"), api("township")
    far = south_of(A_POINT_WGS, 900)
    ids = [
        tm.post("/checkins", body(pos=far)).json()["id"],
        fs.post("/checkins", body(pos=far, device_id="PHONE-FS")).json()["id"],
    ]
    outside = CheckIn.objects.exclude(village=world.villages["A"]).values_list("pk", flat=True)
    stranger = (max(outside, default=0) or max(ids)) + 1000
    r = township.post(
        "/checkins/review", {"ids": [*ids, stranger], "accept": True, "reason": "开会"}
    )
    assert r.status_code == 400 and "ids" in fields(r) and str(stranger) in fields(r)["ids"]
    assert not CheckInReview.objects.exists()  # nothing half-written
    audit = Audit(world)
    r = township.post("/checkins/review", {"ids": ids, "accept": True, "reason": "县里开会,已核实"})
    assert r.status_code == 200, r.json()
    assert r.json()["reviewed"] == 2
    assert [row["id"] for row in r.json()["results"]] == ids
    assert all(row["counts"] for row in r.json()["results"])
    assert CheckIn.objects.filter(pk__in=ids, counts=True).count() == 2
    audit.wrote("township", "checkin.review")
    assert (
        fs.post("/checkins/review", {"ids": ids, "accept": False, "reason": "x"}).status_code == 403
    )


def test_checkins_by_client_key(api, world):
    """For integrators (issue 10): was this phone's check-in stored?"""
    tm = api("team_member")
    sent = body()
    stored = tm.post("/checkins", sent).json()
    found = tm.get("/checkins", {"client_key": sent["client_key"]}).json()
    assert found["count"] == 1 and found["results"][0]["id"] == stored["id"]
    assert tm.get("/checkins", {"client_key": str(uuid.uuid4())}).json()["count"] == 0
    bad = tm.get("/checkins", {"client_key": "not-a-key"})
    assert bad.status_code == 400 and "client_key" in fields(bad)


def test_team_today(api, world):
    api("team_member").post("/checkins", body())
    r = api("first_secretary").get("/team/today")
    assert r.status_code == 200
    out = r.json()
    states = {row["cadre_name"]: row["state"] for row in out["results"]}
    assert states == {"岳文华": "none", "线美玲": "done"}
    assert out["summary"] == {"done": 1, "pending": 0, "away": 0, "none": 1}


# ---- leave ---------------------------------------------------------------------------------


def test_leave_team_member_to_first_secretary(api, world):
    tm, fs, township = api("team_member"), api("first_secretary"), api("township")
    audit = Audit(world)
    r = tm.post(
        "/leave", {"kind": "事假", "start": "2026-11-02", "end": "2026-11-04", "reason": "家中有事"}
    )
    assert r.status_code == 201, r.json()
    leave = r.json()
    assert leave["kind"] == "personal" and leave["state"] == "pending" and leave["days"] == 3
    assert leave["approver_level"] == "first_secretary"
    audit.wrote("team_member", "leave.request")
    # overlapping requests are refused with the clause id
    again = tm.post(
        "/leave", {"kind": "sick", "start": "2026-11-04", "end": "2026-11-05", "reason": "感冒"}
    )
    assert again.status_code == 400 and "MGT.1.LEAVE" in fields(again)
    audit.unchanged()
    assert [x["id"] for x in fs.get("/leave", {"view": "approve"}).json()["results"]] == [
        leave["id"]
    ]
    assert township.get("/leave", {"view": "approve"}).json()["count"] == 0
    assert [x["id"] for x in tm.get("/leave", {"view": "mine"}).json()["results"]] == [leave["id"]]
    denied = township.post(f"/leave/{leave['id']}/decide", {"approve": True})
    assert denied.status_code == 403 and is_chinese(denied.json()["detail"])
    ok = fs.post(f"/leave/{leave['id']}/decide", {"approve": True, "note": "同意"})
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    assert ok.json()["decided_by"] == "first_secretary"
    audit.wrote("first_secretary", "leave.approve")
    back = tm.post(f"/leave/{leave['id']}/return", {"returned_on": "2026-11-04"})
    assert back.status_code == 200, back.json()
    assert back.json()["state"] == "returned" and back.json()["actual_end"] == "2026-11-03"
    audit.wrote("team_member", "leave.return")


def test_leave_first_secretary_to_township(api, world):
    fs, township = api("first_secretary"), api("township")
    audit = Audit(world)
    r = fs.post(
        "/leave",
        {"kind": "business_trip", "start": "2026-12-07", "end": "2026-12-08", "reason": "赴州开会"},
    )
    assert r.status_code == 201 and r.json()["approver_level"] == "township"
    audit.wrote("first_secretary", "leave.request")
    lid = r.json()["id"]
    assert fs.get("/leave", {"view": "approve"}).json()["count"] == 0  # never one's own
    assert [x["id"] for x in township.get("/leave", {"view": "approve"}).json()["results"]] == [lid]
    assert fs.post(f"/leave/{lid}/decide", {"approve": True}).status_code == 403
    no_note = township.post(f"/leave/{lid}/decide", {"approve": False})
    assert no_note.status_code == 400 and "note" in fields(no_note)
    audit.unchanged()
    ok = township.post(f"/leave/{lid}/decide", {"approve": False, "note": "会议改期"})
    assert ok.status_code == 200 and ok.json()["state"] == "rejected"
    audit.wrote("township", "leave.reject")
    # a new request, cancelled by the cadre before it is decided
    r = fs.post(
        "/leave", {"kind": "training", "start": "2026-12-14", "end": "2026-12-15", "reason": "培训"}
    )
    cancel = fs.post(f"/leave/{r.json()['id']}/cancel", {"reason": "培训取消"})
    assert cancel.status_code == 200 and cancel.json()["state"] == "cancelled"
    audit.wrote("first_secretary", "leave.cancel")


def test_rotation_rest_small_team_rests_one_at_a_time(api, world):
    """MGT.1.REST: team A has 2 people; ⅓ rounds down but never below one, so one may rest
    with no reason to record, and a second at the same time is refused."""
    tm, fs, township = api("team_member"), api("first_secretary"), api("township")
    r = tm.post(
        "/leave",
        {"kind": "rotation_rest", "start": "2026-12-21", "end": "2026-12-24", "reason": "轮休"},
    )
    assert r.status_code == 201, r.json()
    assert r.json()["findings"] == []
    lid = r.json()["id"]
    ok = fs.post(f"/leave/{lid}/decide", {"approve": True})
    assert ok.status_code == 200 and ok.json()["state"] == "approved"
    clash = fs.post(
        "/leave",
        {"kind": "rotation_rest", "start": "2026-12-24", "end": "2026-12-25", "reason": "轮休"},
    )
    assert clash.status_code == 400 and "MGT.1.REST" in fields(clash)
    r = fs.post(
        "/leave",
        {"kind": "rotation_rest", "start": "2027-01-11", "end": "2027-01-14", "reason": "轮休"},
    )
    lid = r.json()["id"]
    ok = township.post(f"/leave/{lid}/decide", {"approve": True})
    assert ok.status_code == 200 and ok.json()["state"] == "approved"


def test_rotation_rest_too_long_and_special_period(api, world):
    tm, county = api("team_member"), api("county")
    long = tm.post(
        "/leave",
        {"kind": "rotation_rest", "start": "2026-12-01", "end": "2026-12-10", "reason": "轮休"},
    )
    assert long.status_code == 400 and "MGT.1.REST" in fields(long)
    audit = Audit(world)
    r = county.post(
        "/special-periods",
        {
            "jurisdiction_code": "533103000000",
            "start": "2026-12-01",
            "end": "2026-12-31",
            "reason": "防汛救灾",
        },
    )
    assert r.status_code == 201 and r.json()["jurisdiction_name"] == "芒市"
    audit.wrote("county", "special_period.declare")
    refused = tm.post(
        "/leave",
        {"kind": "rotation_rest", "start": "2026-12-14", "end": "2026-12-15", "reason": "轮休"},
    )
    assert refused.status_code == 400 and "MGT.1.REST" in fields(refused)
    assert "防汛救灾" in fields(refused)["MGT.1.REST"]


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"kind": "vacation"}, "kind"),
        ({"start": "2026-02-30"}, "start"),
        ({"end": "yesterday"}, "end"),
        ({"start": "2026-11-05", "end": "2026-11-01"}, "end"),
        ({"reason": ""}, "reason"),
        ({"reason": 12}, "reason"),
    ],
)
def test_leave_bad_input(api, world, over, field):
    base = {"kind": "personal", "start": "2026-11-02", "end": "2026-11-03", "reason": "家中有事"}
    r = api("team_member").post("/leave", base | over)
    assert r.status_code == 400 and field in fields(r) and is_chinese(fields(r)[field])
    assert LeaveRequest.objects.count() == 0


# ---- diary ---------------------------------------------------------------------------------


def test_diary_put_and_list(api, world):
    tm = api("team_member")
    audit = Audit(world)
    r = tm.send("PUT", "/diary/2026-11-02", {"duties": ["DUT.2", "DUT.5"], "text": "入户走访5户"})
    assert r.status_code == 200, r.json()
    assert [d["code"] for d in r.json()["duties"]] == ["DUT.2", "DUT.5"]
    audit.wrote("team_member", "diary.create")
    r = tm.send("PUT", "/diary/2026-11-02", {"duties": ["DUT.2"], "text": "入户走访6户"})
    assert r.status_code == 200 and r.json()["text"] == "入户走访6户"
    audit.wrote("team_member", "diary.edit")
    assert DiaryEntry.objects.count() == 1
    assert api("first_secretary").get("/diary", {"month": "2026-11"}).json()["count"] == 1
    assert api("first_secretary").get("/diary", {"month": "2026-10"}).json()["count"] == 0
    assert api("first_secretary").get("/diary", {"month": "2026-13"}).status_code == 400
    bad = tm.send("PUT", "/diary/2026-11-03", {"duties": ["DUT.9"], "text": "x"})
    assert bad.status_code == 400 and "duties" in fields(bad)
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    assert "day" in fields(tm.send("PUT", f"/diary/{future}", {"text": "x"}))
    assert "day" in fields(tm.send("PUT", "/diary/2026-02-30", {"text": "x"}))
    assert api("township").send("PUT", "/diary/2026-11-02", {"text": "x"}).status_code == 403
    audit.unchanged()


# ---- months --------------------------------------------------------------------------------


def october(world) -> list[Any]:
    """October 2024 (19 working days): FS 19, TM 10, three more 19/15/15 in village A;
    排早腊 (village B) none; 李国强 (瑞丽) 19 without a position (not counted)."""
    cal = work_calendar()
    work = [d for d in (OCT + dt.timedelta(days=i) for i in range(31)) if cal.is_workday(d)]
    extra = [add_member(world, n) for n in ("刀玉", "岩温", "玉香")]
    plan = {
        world.users["first_secretary"]: work,
        world.users["team_member"]: work[:10],
        extra[0]: work,
        extra[1]: work[:15],
        extra[2]: work[:15],
    }
    for user, days in plan.items():
        for d in days:
            att.checkin_record(
                actor=user,
                client_key=uuid.uuid4(),
                lat=round(A_POINT_WGS[0], 6),
                lng=round(A_POINT_WGS[1], 6),
                accuracy_m=10,
                device_time=at(d.year, d.month, d.day),
                received_at=at(d.year, d.month, d.day, 9, 1),
            )
    return extra


def test_month_close_rankings_and_publication_switch(api, world):
    october(world)
    township, county, prefecture = api("township"), api("county"), api("prefecture")
    audit = Audit(world)
    r = township.post("/months/2024-10/close")
    assert r.status_code == 200, r.json()
    assert r.json()["workdays"] == 19
    assert r.json()["townships"] == [
        {
            "code": "533103102000",
            "name": "遮放镇",
            "version": 1,
            "changed": True,
            "rows": 6,
            "bottom": 4,  # the bottom list (ties included; never a cadre at full attendance)
            "interview": 4,
        }
    ]
    assert r.json()["changed"] == 1
    audit.wrote("township", "attendance.month_close")
    again = township.post("/months/2024-10/close", {})
    assert again.json()["townships"][0]["changed"] is False
    audit.unchanged()  # running it twice changes nothing
    bottom = county.get("/months/2024-10/rankings").json()
    assert [r["cadre_name"] for r in bottom["results"]] == ["排早腊", "线美玲", "岩温", "玉香"]
    assert [r["tie"] for r in bottom["results"]] == [False, False, True, True]
    full = county.get("/months/2024-10/rankings", {"bottom_only": False}).json()
    assert full["count"] == 6 and full["results"][0]["rank"] == 1
    # the prefecture closes the rest; its list spans both townships
    r = prefecture.post("/months/2024-10/close")
    assert {t["name"]: t["changed"] for t in r.json()["townships"]} == {
        "遮放镇": False,
        "勐卯街道": True,
    }
    names = {
        row["township_name"] for row in prefecture.get("/months/2024-10/rankings").json()["results"]
    }
    assert names == {"遮放镇", "勐卯街道"}
    rows = api("team_member").get("/months/2024-10/attendance").json()
    assert rows["rankings_published"] is True
    (mine,) = rows["results"]
    assert mine["cadre_name"] == "线美玲" and mine["duty_workdays"] == 10 and mine["rank"] == 5
    assert mine["rate"] == pytest.approx(10 / 19, abs=1e-4)
    # 芒市 switches off showing rankings to cadres: the reports up the chain stay
    parameter_set(
        actor=world.users["county"],
        name="rank_publication_enabled",
        jurisdiction_code="533103000000",
        effective=dt.date(2024, 1, 1),
        value=False,
        note="芒组通〔2024〕9号",
    )
    rows = api("team_member").get("/months/2024-10/attendance").json()
    assert rows["rankings_published"] is False
    (mine,) = rows["results"]
    assert mine["duty_workdays"] == 10
    assert all(mine[k] is None for k in ("rank", "bottom_rank", "is_bottom", "tie", "boundary_tie"))
    assert api("first_secretary").get("/months/2024-10/rankings").json()["count"] == 0
    assert county.get("/months/2024-10/rankings").json()["count"] == 4
    assert township.get("/months/2024-10/attendance").json()["results"][0]["rank"] == 1


def test_month_close_township_code_for_the_county(api, world):
    october(world)
    county = api("county")
    outside = county.post("/months/2024-10/close", {"township_code": "533102001000"})
    assert outside.status_code == 400 and "township_code" in fields(outside)
    unknown = county.post("/months/2024-10/close", {"township_code": "533199999000"})
    assert unknown.status_code == 400 and "township_code" in fields(unknown)
    assert not MonthClose.objects.exists()
    r = county.post("/months/2024-10/close", {"township_code": "533103102000"})
    assert r.status_code == 200 and [t["name"] for t in r.json()["townships"]] == ["遮放镇"]
    assert api("team_member").post("/months/2024-10/close").status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "field", "reason"),
    [
        ("POST", "/months/2026-13/close", "month", "13月"),
        ("GET", "/months/2026-13/attendance", "month", "13月"),
        ("GET", "/months/2026-00/rankings", "month", "0月不存在"),
        ("POST", "/months/2003-05/close", "month", "请录入2003年节假日安排"),
        ("GET", "/months/2003-05/attendance", "month", "请录入2003年节假日安排"),
        ("POST", f"/months/{timezone.localdate():%Y-%m}/close", "month", "尚未结束"),
        ("GET", "/months/202610/attendance", "month", "格式"),
        ("GET", "/months/abcd-ef/rankings", "month", "格式"),
    ],
)
def test_month_bad_input(api, world, method, path, field, reason):
    client = api("township")
    r = client.get(path) if method == "GET" else client.post(path, {})
    assert r.status_code == 400, r.json()
    assert reason in fields(r)[field]
    assert not MonthClose.objects.exists() and not MonthlyAttendance.objects.exists()


def test_duty_days_say_unset_until_the_minimum_is_set(api, world):
    api("team_member").post("/checkins", body())
    r = api("township").get("/duty-days", {"year": timezone.localdate().year})
    assert r.status_code == 200
    out = r.json()
    assert "未设置" in out["note"]
    rows = {row["cadre_name"]: row for row in out["results"]}
    assert set(rows) == {"岳文华", "线美玲", "排早腊"}
    assert rows["线美玲"]["days"] == 1 and rows["线美玲"]["status"] == "未设置"
    assert rows["线美玲"]["findings"][0]["clause"] == "MGT.1.DAYS"
    parameter_set(
        actor=world.users["county"],
        name="min_days_on_duty_per_year",
        jurisdiction_code="533103000000",
        effective=dt.date(2026, 1, 1),
        value=200,
        note="芒组通〔2026〕12号",
    )
    out = api("township").get("/duty-days").json()
    assert out["note"] == "" and all(row["status"] != "未设置" for row in out["results"])
    for year in (1800, 2100, timezone.localdate().year + 1):
        r = api("township").get("/duty-days", {"year": year})
        assert r.status_code == 400 and "year" in fields(r)


def test_summary_prepare_sign_submit(api, world):
    october(world)
    att.month_close(month=OCT)
    fs, vs, tm = api("first_secretary"), api("village_secretary"), api("team_member")
    audit = Audit(world)
    assert tm.post("/summaries", {"month": "2024-10"}).status_code == 403
    r = fs.post("/summaries", {"month": "2024-10", "note": "本月开展入户走访"})
    assert r.status_code == 201, r.json()
    s = r.json()
    assert s["state"] == "prepared" and s["month"] == "2024-10"
    assert {row["name"]: row["duty_workdays"] for row in s["rows"]}["线美玲"] == 10
    audit.wrote("first_secretary", "summary.prepare")
    early = fs.post(f"/summaries/{s['id']}/submit")
    assert early.status_code == 400 and "state" in fields(early)
    assert fs.post(f"/summaries/{s['id']}/sign").status_code == 403
    signed = vs.post(f"/summaries/{s['id']}/sign")
    assert signed.status_code == 200 and signed.json()["state"] == "signed"
    assert signed.json()["signed_by"] == "village_secretary"
    audit.wrote("village_secretary", "summary.sign")
    done = fs.post(f"/summaries/{s['id']}/submit")
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    audit.wrote("first_secretary", "summary.submit")
    listed = api("township").get("/summaries", {"month": "2024-10", "state": "submitted"}).json()
    assert [x["id"] for x in listed["results"]] == [s["id"]]
    assert fs.post("/summaries", {"month": "2024-9"}).status_code == 400
    assert "尚未结账" in fields(fs.post("/summaries", {"month": "2024-09"}))["month"]


def test_interview_list_and_record(api, world):
    october(world)
    att.month_close(month=OCT)
    township = api("township")
    talk = township.get("/interviews", {"month": "2024-10"}).json()
    assert {r["cadre_name"] for r in talk["results"]} == {"排早腊", "线美玲", "岩温", "玉香"}
    tm_row = next(r for r in talk["results"] if r["cadre_name"] == "线美玲")
    assert tm_row["interviewed"] is False and tm_row["interviews"] == []
    record = {
        "cadre_id": tm_row["cadre_id"],
        "month": "2024-10",
        "township_leader": "遮放镇党委副书记 张明",
        "unit_leader": "芒市人民医院副院长 李红",
        "held_on": "2024-11-05",
        "record": "指出出勤不足,本人表示整改。",
    }
    assert api("first_secretary").post("/interviews", record).status_code == 403
    # MGT.3.TALK: the township supplies the list; the county organisation department, which
    # manages the county-level unit's cadre, holds and records the interview
    assert township.post("/interviews", record).status_code == 403
    assert api("prefecture").post("/interviews", record).status_code == 403
    county = api("county")
    early = county.post("/interviews", record | {"held_on": "2024-09-30"})
    assert early.status_code == 400 and "held_on" in fields(early)
    audit = Audit(world)
    r = county.post("/interviews", record)
    assert r.status_code == 201, r.json()
    assert r.json()["cadre_name"] == "线美玲" and r.json()["recorded_by"] == "county"
    audit.wrote("county", "interview.record")
    talk = township.get("/interviews", {"month": "2024-10"}).json()
    tm_row = next(r for r in talk["results"] if r["cadre_name"] == "线美玲")
    assert tm_row["interviewed"] is True and tm_row["interviews"][0]["held_on"] == "2024-11-05"
    outside = county.post("/interviews", record | {"cadre_id": world.cadres["fs_c"].pk})
    assert outside.status_code == 404


ATTENDANCE_TAGS = {"签到", "请销假", "工作日志", "月度考勤"}


def test_openapi_lists_every_attendance_endpoint_with_the_error_shape(world):
    from django.test import Client

    doc = Client().get("/api/v1/openapi.json").json()
    ops = [
        (method.upper(), path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if set(op.get("tags", [])) & ATTENDANCE_TAGS
    ]
    # + POST /checkins/review (issue 10), + POST /checkins/import (16), + /checkins/batch (17)
    assert len(ops) == 28
    assert "/api/v1/checkins/batch" in doc["paths"]
    for _method, _path, op in ops:
        for code in ("400", "401", "403", "404"):
            ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut"), op["operationId"]
    create = doc["paths"]["/api/v1/checkins"]["post"]["responses"]
    assert {"200", "201"} <= set(create)


def test_duty_days_of_an_empty_page(api, world):
    """Found by fuzzing: a page without cadres (here: a village nobody is posted to) is an
    empty list, not an error."""
    r = api("township").get("/duty-days", {"village": 999999})
    assert r.status_code == 200 and r.json()["count"] == 0 and r.json()["results"] == []
    r = api("township").get("/duty-days", {"page": 99})
    assert r.status_code == 200 and r.json()["results"] == []
