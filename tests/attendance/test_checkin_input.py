"""MGT.1.CHECKIN, issue 9 point 8: check-in input the server refuses outright (400 naming the
field) — a device time without a time zone or more than ``checkin_device_time_max_ahead_hours``
ahead of receipt (手机时间不正确,请校准后重试), an accuracy ≤ 0 or above
``checkin_max_reported_accuracy_m`` — the same on the API and on the phone's page endpoint; and
a check-in that reports no accuracy is kept as low accuracy (shown to the township, not counted
until accepted). The lean path is held equal to the API in test_checkin_fastpath.py."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client

from tests.api.conftest import ApiClient
from tests.attendance.conftest import A_POINT_WGS
from tests.web.helpers import login
from zhucun.attendance import services as att
from zhucun.attendance.models import CheckIn
from zhucun.core.errors import ValidationFailed
from zhucun.policy.checkin import DEVICE_TIME_WRONG
from zhucun.useradmin.services import token_create

CST = dt.timezone(dt.timedelta(hours=8))


def _now() -> dt.datetime:
    return dt.datetime.now(CST).replace(microsecond=0)


@pytest.fixture
def api(world):
    """``api(role)``: a bearer-token client of /api/v1 as that role's user."""

    def make(role: str) -> ApiClient:
        return ApiClient(token_create(actor=None, user=world.users[role], name="测试"))

    return make


def payload(**over):
    data = {
        "client_key": str(uuid.uuid4()),
        "lat": round(A_POINT_WGS[0], 6),
        "lng": round(A_POINT_WGS[1], 6),
        "accuracy_m": 12.0,
        "device_time": _now().isoformat(),
        "device_id": "PHONE-INPUT",
    }
    data.update(over)
    return data


BAD = [
    ("naive", lambda: payload(device_time=_now().replace(tzinfo=None).isoformat()), "device_time"),
    (
        "25h ahead",
        lambda: payload(device_time=(_now() + dt.timedelta(hours=25)).isoformat()),
        "device_time",
    ),
    ("accuracy 0", lambda: payload(accuracy_m=0), "accuracy_m"),
    ("accuracy < 0", lambda: payload(accuracy_m=-1), "accuracy_m"),
    ("accuracy 5001 m", lambda: payload(accuracy_m=5001), "accuracy_m"),
]


def _page_post(client: Client, data: dict):
    return client.post("/m/checkin/submit/", json.dumps(data), content_type="application/json")


@pytest.mark.parametrize(("case", "make", "field"), BAD, ids=[b[0] for b in BAD])
def test_mgt_1_checkin_bad_input_is_400_naming_the_field_on_both_paths(
    client, world, api, case, make, field
):
    data = make()
    slow = api("team_member").post("/checkins", data)
    assert slow.status_code == 400, slow.json()
    (error,) = slow.json()["errors"]
    assert error["field"] == field
    login(client, world, "team_member")
    page = _page_post(client, {**data, "client_key": str(uuid.uuid4())})
    assert page.status_code == 400
    assert set(page.json()["errors"]) == {field}
    assert page.json()["errors"][field] == error["reason"]
    if field == "device_time":
        assert error["reason"].startswith(DEVICE_TIME_WRONG)
    assert CheckIn.objects.count() == 0


def test_mgt_1_checkin_limits_are_inclusive(world, api):
    """Exactly 24 h ahead and exactly 5,000 m are still accepted (含本数); judged, not refused."""
    ahead = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=24) - dt.timedelta(seconds=5)).isoformat()
    r = api("team_member").post("/checkins", payload(device_time=ahead, accuracy_m=5000))
    assert r.status_code == 201, r.json()
    assert r.json()["status"] == "low_accuracy"


def test_mgt_1_checkin_service_refuses_a_naive_device_time(world):
    with pytest.raises(ValidationFailed) as exc:
        att.checkin_record(
            actor=world.users["team_member"],
            client_key=uuid.uuid4(),
            lat=A_POINT_WGS[0],
            lng=A_POINT_WGS[1],
            accuracy_m=10,
            device_time=dt.datetime(2025, 3, 3, 9, 0),
            received_at=dt.datetime(2025, 3, 3, 9, 1, tzinfo=CST),
        )
    assert set(exc.value.errors) == {"device_time"}
    assert DEVICE_TIME_WRONG in exc.value.errors["device_time"]


def test_mgt_1_checkin_without_accuracy_is_kept_as_low_accuracy(client, world, api):
    r = api("team_member").post("/checkins", payload(accuracy_m=None))
    assert r.status_code == 201
    body = r.json()
    assert (body["status"], body["counts"]) == ("low_accuracy", False)
    assert any("未报告定位精度" in f["message"] for f in body["findings"])
    login(client, world, "first_secretary")
    page = _page_post(client, payload(accuracy_m=None))
    assert page.status_code == 201 and page.json()["status"] == "low_accuracy"
    # shown to the township as an exception, counted once accepted
    listed = api("township").get("/checkins", {"exceptions": "true"}).json()
    assert {row["id"] for row in listed["results"]} >= {body["id"]}
    accepted = api("township").post(
        f"/checkins/{body['id']}/review", {"accept": True, "reason": "电话核实本人在村"}
    )
    assert accepted.status_code == 200, accepted.json()
    assert CheckIn.objects.get(pk=body["id"]).counts is True  # counted once accepted
