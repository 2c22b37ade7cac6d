"""MGT.1.CHECKIN: the lean path of POST /api/v1/checkins (zhucun.api.fastpath via zhucun.wsgi).

Held to the same answers as the django-ninja operation (status codes, Chinese errors with
fields, the body of a stored check-in), acknowledged only after the commit, and exactly one
row per (cadre, client_key) when phones resend at the same time."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import threading
import uuid

import pytest

from tests.attendance.conftest import A_POINT_WGS
from zhucun.api import fastpath
from zhucun.attendance.models import CheckIn
from zhucun.audit.models import Event
from zhucun.useradmin.services import token_create
from zhucun.wsgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _stop_writer():
    yield
    fastpath.WRITER.stop()  # closes the writer thread's connection before the DB is flushed


def wsgi(
    body: bytes | str,
    token: str | None,
    *,
    host: str = "testserver",
    path: str = "/api/v1/checkins",
):
    raw = body.encode() if isinstance(body, str) else body
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    seen: dict[str, object] = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    out = b"".join(application(environ, start_response))
    headers = seen["headers"]
    is_json = str(headers.get("Content-Type", "")).startswith("application/json")  # type: ignore[union-attr]
    return seen["status"], json.loads(out) if is_json else out, headers


def body(key=None, **over):
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).replace(microsecond=0)
    data = {
        "client_key": str(key or uuid.uuid4()),
        "lat": round(A_POINT_WGS[0], 6),
        "lng": round(A_POINT_WGS[1], 6),
        "accuracy_m": 12.0,
        "device_time": now.isoformat(),
        "device_id": "PHONE-FAST",
    }
    data.update(over)
    return json.dumps(data)


def _ahead(*, hours: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)).isoformat()


@pytest.fixture
def tm_token(world):
    return token_create(actor=None, user=world.users["team_member"], name="手机")


def test_mgt_1_checkin_fast_path_first_then_resend(world, tm_token):
    key = uuid.uuid4()
    status, first, headers = wsgi(body(key), tm_token)
    assert status == 201, first
    assert headers["Content-Type"] == "application/json"
    assert first["client_key"] == str(key) and first["status"] == "ok" and first["counts"]
    status, again, _ = wsgi(body(key), tm_token)
    assert status == 200 and again == first
    assert CheckIn.objects.filter(client_key=key).count() == 1
    assert Event.objects.filter(action="checkin.record", object_id=str(first["id"])).count() == 1


def test_mgt_1_checkin_fast_path_answers_like_the_ninja_endpoint(world, tm_token, api):
    """Same statuses, fields and Chinese reasons on both paths, for good and bad input."""
    township = token_create(actor=None, user=world.users["township"], name="乡镇")
    cases = [
        (body, tm_token),  # a fresh key for each path: both answer 201
        (body(lat=95), tm_token),
        (body(lat="abc"), tm_token),
        (body(client_key="not-a-uuid"), tm_token),
        (body(device_time="昨天"), tm_token),
        (body(lat=None), tm_token),
        ("{not json", tm_token),
        ("[]", tm_token),
        (body(extra=1), tm_token),
        (body(), "zc_wrong_token"),
        (body(), township),
        # issue 9 point 8: refused with the field named, identically on both paths
        (body(device_time="2026-03-03T08:30:00"), tm_token),  # no time zone
        (lambda: body(device_time=_ahead(hours=25)), tm_token),
        (body(accuracy_m=0), tm_token),
        (body(accuracy_m=-5), tm_token),
        (body(accuracy_m=50_000), tm_token),
        (lambda: body(accuracy_m=None), tm_token),  # kept as low accuracy: 201 on both
    ]
    for case, token in cases:
        raw = case() if callable(case) else case
        fast_status, fast, _ = wsgi(raw, token)
        raw = case() if callable(case) else case
        ninja = api(None)
        ninja.headers = {"Authorization": f"Bearer {token}"}
        slow = ninja.post("/checkins", raw=raw)
        assert fast_status == slow.status_code, (raw, fast, slow.json())
        slow_body = slow.json()
        if fast_status >= 400:
            assert fast == slow_body, raw
            assert fast["detail"]
        else:
            assert set(fast) == set(slow_body)
            assert (
                fast["status"] == slow_body["status"] and fast["findings"] == slow_body["findings"]
            )


def test_mgt_1_checkin_fast_path_refuses_what_it_cannot_read(world, tm_token):
    status, out, _ = wsgi(" " * (fastpath.MAX_BODY + 1), tm_token)
    assert status == 400 and out["errors"][0]["field"] == "body"
    status, out, headers = wsgi(body(), None)  # no token: Django's session path answers
    assert status == 401
    status, out, headers = wsgi(body(), "zc_nope")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    assert CheckIn.objects.count() == 0


def test_mgt_1_checkin_fast_path_unknown_host_goes_to_django(world, tm_token):
    status, out, _ = wsgi(body(), tm_token, host="evil.example")
    assert status == 400  # Django's DisallowedHost, not a stored check-in
    assert CheckIn.objects.count() == 0


def test_mgt_1_checkin_concurrent_resends_store_one_row_each(world, tm_token):
    """Sixteen phones' requests at once, each key sent twice: one row per key, and every
    answer names the stored row."""
    keys = [uuid.uuid4() for _ in range(8)]
    bodies = [body(k) for k in keys for _ in range(2)]
    barrier = threading.Barrier(len(bodies))
    answers: list[tuple[int, dict]] = [None] * len(bodies)  # type: ignore[list-item]

    def phone(i: int) -> None:
        barrier.wait()
        status, out, _ = wsgi(bodies[i], tm_token)
        answers[i] = (status, out)

    threads = [threading.Thread(target=phone, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert all(a is not None and a[0] in (200, 201) for a in answers), answers
    for k in keys:
        rows = CheckIn.objects.filter(client_key=k)
        assert rows.count() == 1
        ids = {out["id"] for status, out in answers if out["client_key"] == str(k)}
        assert ids == {rows.get().pk}
    assert sum(1 for status, _ in answers if status == 201) == len(keys)
