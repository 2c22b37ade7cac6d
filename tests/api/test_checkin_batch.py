"""MGT.1.CHECKIN / MGT.1.FRAUD: a phone's offline queue in one request —
``POST /api/v1/checkins/batch`` on the lean path (bearer token, zhucun.api.fastpath) and the
django-ninja operation, answering alike: each check-in judged and answered on its own, one bad
item never failing the others, a resent queue stored once."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from tests.api.test_checkin_fastpath import body, wsgi
from tests.attendance.conftest import A_POINT_WGS, south_of
from zhucun.api import fastpath
from zhucun.attendance.models import CheckIn, FraudSignal
from zhucun.audit.models import Event
from zhucun.useradmin.services import token_create

pytestmark = pytest.mark.django_db(transaction=True)
BATCH = "/api/v1/checkins/batch"


@pytest.fixture(autouse=True)
def _stop_writer():
    yield
    fastpath.WRITER.stop()


@pytest.fixture
def tm_token(world):
    return token_create(actor=None, user=world.users["team_member"], name="手机")


def queue(*items: str) -> str:
    return json.dumps({"items": [json.loads(i) for i in items]})


def post(raw: str, token: str | None):
    return wsgi(raw, token, path=BATCH)


def test_mgt_1_checkin_queue_in_one_request_each_answered(world, tm_token):
    k1, k2 = uuid.uuid4(), uuid.uuid4()
    raw = queue(body(k1), body(k2), body(lat=95), body(k1), body(client_key="x"))
    status, out, _ = post(raw, tm_token)
    assert status == 200, out
    statuses = [r["status"] for r in out["results"]]
    assert statuses == [201, 201, 400, 200, 400]
    first, second, bad, again, badkey = out["results"]
    assert first["checkin"]["client_key"] == str(k1) and first["checkin"]["counts"]
    assert again["checkin"] == first["checkin"]  # the same key twice in the queue: stored once
    assert bad["errors"] == [{"field": "lat", "reason": "纬度应在-90到90之间", "clause": None}]
    assert bad["checkin"] is None and bad["detail"].startswith("签到数据无效")
    assert badkey["errors"][0]["field"] == "client_key"
    assert CheckIn.objects.count() == 2
    for r in (first, second):
        assert Event.objects.filter(action="checkin.record", object_id=str(r["checkin"]["id"]))
    # the phone did not hear the answer and sends the whole queue again: nothing new
    status, out2, _ = post(raw, tm_token)
    assert [r["status"] for r in out2["results"]] == [200, 200, 400, 200, 400]
    assert out2["results"][0]["checkin"] == first["checkin"]
    assert CheckIn.objects.count() == 2


def test_mgt_1_checkin_queue_answers_like_the_ninja_operation(world, tm_token, api):
    township = token_create(actor=None, user=world.users["township"], name="乡镇")
    mixed = lambda: queue(body(), body(accuracy_m=0), body(extra=1), body(lat=None))  # noqa: E731
    for raw_of, token in [
        (mixed, tm_token),
        (lambda: queue(body()), township),  # not a cadre: 403 for the item
        (lambda: json.dumps({"items": []}), tm_token),
        (lambda: json.dumps({"items": [1] * 101}), tm_token),
        (lambda: json.dumps({"queue": []}), tm_token),
        (lambda: "{oops", tm_token),
        (lambda: queue(body()), "zc_wrong"),
    ]:
        fast_status, fast, _ = post(raw_of(), token)
        if raw_of is mixed:
            assert [r["status"] for r in fast["results"]] == [201, 400, 400, 400]
        client = api(None)
        client.headers = {"Authorization": f"Bearer {token}"}
        slow = client.post("/checkins/batch", raw=raw_of())
        assert fast_status == slow.status_code, (fast, slow.json())
        slow_body = slow.json()
        if fast_status != 200:
            assert fast == slow_body and fast["detail"]
            continue
        assert [r["status"] for r in fast["results"]] == [r["status"] for r in slow_body["results"]]
        for a, b in zip(fast["results"], slow_body["results"], strict=True):
            assert a["errors"] == b["errors"] and a["detail"] == b["detail"]
            if a["checkin"]:
                assert a["checkin"]["status"] == b["checkin"]["status"]
    # the mixed queue stored its one good check-in once on each path
    assert CheckIn.objects.filter(cadre=world.users["team_member"].cadre).count() == 2


def test_mgt_1_checkin_queue_refused_whole_when_not_a_queue(world, tm_token):
    status, out, _ = post(json.dumps({"items": []}), tm_token)
    assert status == 400 and out["errors"][0]["field"] == "items"
    status, out, _ = post(" " * (fastpath.MAX_BATCH_BODY + 1), tm_token)
    assert status == 400 and out["errors"][0]["field"] == "body"
    status, out, headers = post(queue(body()), "zc_nope")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    assert CheckIn.objects.count() == 0


def test_mgt_1_fraud_queue_judged_in_device_time_order(world, tm_token):
    """MGT.1.FRAUD: two check-ins queued offline 2 minutes apart and 30 km apart, sent in
    one request in reverse order: the later one (by device time) is an impossible move."""
    tz = dt.timezone(dt.timedelta(hours=8))
    t0 = dt.datetime.now(tz).replace(microsecond=0) - dt.timedelta(hours=1)
    far = south_of(A_POINT_WGS, 30_000)
    later = body(device_time=(t0 + dt.timedelta(minutes=2)).isoformat(), lat=round(far[0], 6))
    earlier = body(device_time=t0.isoformat(), offline=True)
    status, out, _ = post(queue(later, earlier), tm_token)
    assert [r["status"] for r in out["results"]] == [201, 201]
    late_id = out["results"][0]["checkin"]["id"]
    speed = FraudSignal.objects.get(kind="speed")
    assert speed.checkin_id == late_id and speed.clause == "MGT.1.FRAUD"
    assert "公里" in speed.message and world.users["team_member"].cadre.name in speed.message
