"""``POST /api/v1/checkins`` fed malformed values (hypothesis), as the first secretary with a
bearer token: every malformed body is a 400 whose ``errors`` name the field with a Chinese
reason, and writes nothing — no CheckIn, no FraudSignal, no audit Event. Valid bodies are
201 the first time and 200 with the same body on a resend, with exactly one row.

Examples per test: ``ZHUCUN_FUZZ_EXAMPLES`` (profile ``zhucun-fuzz`` in conftest.py)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from zhucun.attendance.models import CheckIn, FraudSignal
from zhucun.audit.models import Event

from .conftest import FUZZ

URL = "/api/v1/checkins"
MISSING = object()


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def snapshot() -> tuple[int, int, int]:
    return CheckIn.objects.count(), FraudSignal.objects.count(), Event.objects.count()


def village_a_wgs84() -> tuple[float, float]:
    from zhucun.policy.geo import gcj02_to_wgs84

    return gcj02_to_wgs84(24.256, 98.276)


def valid_body(key: uuid.UUID | None = None, **over: Any) -> dict[str, Any]:
    lat, lng = village_a_wgs84()
    body: dict[str, Any] = {
        "client_key": str(key or uuid.uuid4()),
        "lat": round(lat, 6),
        "lng": round(lng, 6),
        "accuracy_m": 12.5,
        "device_time": timezone.localtime().isoformat(),
        "device_id": "PHONE-FS",
        "no_position_reason": "",
    }
    for k, v in over.items():
        if v is MISSING:
            body.pop(k, None)
        else:
            body[k] = v
    return body


@pytest.fixture
def post(fw):
    client = Client()
    auth = f"Bearer {fw.tokens['first_secretary']}"

    def send(data: str | bytes, content_type: str = "application/json"):
        return client.post(URL, data=data, content_type=content_type, HTTP_AUTHORIZATION=auth)

    return send


def encode(body: Any) -> str:
    # allow_nan: NaN / Infinity go out as the bare tokens a sloppy client would send
    return json.dumps(body, ensure_ascii=False, allow_nan=True)


def assert_refused(response, before, *, field: str | None = None) -> list[dict[str, str]]:
    assert response.status_code == 400, (response.status_code, response.content[:500])
    out = response.json()
    assert set(out) >= {"detail", "errors"} and is_chinese(out["detail"])
    errors = out["errors"]
    assert errors, out
    for e in errors:
        assert set(e) == {"field", "reason"} and e["field"], e
        assert is_chinese(e["reason"]), e
    if field is not None:
        assert field in {e["field"] for e in errors}, (field, errors)
    assert snapshot() == before, "a refused check-in wrote something"
    return errors


# ---- malformed values, one field at a time -------------------------------------------------

NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
JSON_JUNK = st.one_of(
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
HUGE_INT = st.integers(min_value=10**309, max_value=10**400) | st.integers(
    max_value=-(10**309), min_value=-(10**400)
)


def coordinate_junk(bound: int) -> st.SearchStrategy[Any]:
    return st.one_of(
        NON_FINITE,
        HUGE_INT,
        st.floats(min_value=bound + 1e-6, max_value=1e308),
        st.floats(max_value=-bound - 1e-6, min_value=-1e308),
        st.integers(min_value=bound + 1, max_value=10**18),
        st.text(max_size=12),  # a number in quotes is still a string
        JSON_JUNK,
    )


def not_a_uuid(s: str) -> bool:
    try:
        uuid.UUID(s)
    except (ValueError, AttributeError, TypeError):
        return True
    return False


BAD_MOMENTS = st.one_of(
    st.sampled_from(
        [
            "",
            "   ",
            "yesterday",
            "2026-02-30T08:00:00+08:00",
            "2026-13-01T08:00:00+08:00",
            "2026-11-28T25:00:00+08:00",
            "2026-11-28T08:61:00+08:00",
            "2026-11-28T08:00:00+25:00",
            "28/11/2026 08:00",
            "2026-11-28T08:00:00+08:00" + "x" * 60,
        ]
    ),
    st.text(alphabet="0123456789-:T+ ", max_size=30).filter(lambda s: not _parses(s)),
    st.integers(),
    st.floats(allow_nan=True),
    JSON_JUNK,
)


def _parses(s: str) -> bool:
    try:
        dt.datetime.fromisoformat(s.strip())
    except ValueError:
        return False
    return bool(s.strip())


TEXT_JUNK = st.one_of(st.integers(), st.floats(allow_nan=False), JSON_JUNK)

MALFORMED: dict[str, st.SearchStrategy[Any]] = {
    "client_key": st.one_of(
        st.text(max_size=70).filter(not_a_uuid),
        st.just(MISSING),
        st.integers(),
        st.none(),
        JSON_JUNK,
    ),
    "lat": coordinate_junk(90),
    "lng": coordinate_junk(180),
    "accuracy_m": st.one_of(
        NON_FINITE,
        HUGE_INT,
        st.floats(max_value=-1e-9, min_value=-1e308),
        st.integers(max_value=-1),
        st.text(max_size=8),
        JSON_JUNK,
    ),
    "device_time": st.one_of(BAD_MOMENTS, st.just(MISSING), st.none()),
    "device_id": st.one_of(st.text(min_size=129, max_size=300), TEXT_JUNK, st.just("PH\x00NE")),
    "no_position_reason": st.one_of(st.text(min_size=201, max_size=400), TEXT_JUNK),
    "offline": st.one_of(st.text(max_size=5), st.integers(), st.floats(allow_nan=False)),
}


@FUZZ
@given(data=st.data())
def test_a_malformed_field_is_400_naming_it_and_writes_nothing(post, data):
    field = data.draw(st.sampled_from(sorted(MALFORMED)), label="field")
    value = data.draw(MALFORMED[field], label="value")
    before = snapshot()
    r = post(encode(valid_body(**{field: value})))
    assert_refused(r, before, field=field)


@FUZZ
@given(
    bad=st.dictionaries(
        st.sampled_from(sorted(MALFORMED)), st.just(None), min_size=2, max_size=len(MALFORMED)
    ),
    data=st.data(),
)
def test_several_malformed_fields_are_refused_naming_them(post, bad, data):
    """Type errors are all listed at once; the service's own checks (UUID, ranges) come after
    them, so at least one of the bad fields is named — and nothing but real field names."""
    body = valid_body(**{f: data.draw(MALFORMED[f], label=f) for f in bad})
    before = snapshot()
    errors = assert_refused(post(encode(body)), before)
    named = {e["field"] for e in errors}
    assert named <= set(MALFORMED) | {"body"}, errors  # no internal names leak
    assert named & set(bad), (bad, errors)


@FUZZ
@given(
    extra=st.text(min_size=1, max_size=20).filter(
        lambda k: k not in valid_body() and k != "offline"
    ),
    value=st.one_of(st.none(), st.integers(), st.text(max_size=5)),
)
def test_an_unknown_field_is_400(post, extra, value):
    before = snapshot()
    r = post(encode(valid_body(**{extra: value})))
    assert_refused(r, before, field=extra)


# ---- bodies that are not a check-in object at all ------------------------------------------

NOT_AN_OBJECT = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
)


@FUZZ
@given(body=NOT_AN_OBJECT)
def test_json_that_is_not_an_object_is_400(post, body):
    before = snapshot()
    errors = assert_refused(post(encode(body)), before)
    assert {e["field"] for e in errors} == {"body"}


def _not_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except ValueError:
        return True
    return False


INVALID_JSON = st.one_of(
    st.binary(min_size=1, max_size=200).filter(_not_json),
    st.integers(1, 120).map(lambda n: json.dumps(valid_body()).encode()[:n]).filter(_not_json),
    st.sampled_from([b"{'client_key': 'x'}", b"{,}", b"\xff\xfe{\x00}", b'{"lat": 1,}']),
)


@FUZZ
@given(raw=INVALID_JSON)
def test_invalid_json_is_400(post, raw):
    before = snapshot()
    errors = assert_refused(post(raw), before, field="body")
    assert errors == [{"field": "body", "reason": "请求体不是有效的JSON"}]


def test_an_empty_body_and_a_form_body_are_400(post):
    before = snapshot()
    assert_refused(post(b""), before, field="body")
    r = post("client_key=x&lat=1", content_type="application/x-www-form-urlencoded")
    assert_refused(r, before)


# ---- valid check-ins: 201 once, 200 on every resend, one row --------------------------------


_FRESH = itertools.count()


@st.composite
def valid_checkins(draw) -> dict[str, Any]:
    lat, lng = village_a_wgs84()
    # drawn, then made fresh: examples share the database, and a key seen before is a resend
    key = uuid.uuid5(draw(st.uuids()), str(next(_FRESH)))
    moment = timezone.now() - dt.timedelta(minutes=draw(st.integers(0, 600)))
    offset = dt.timezone(dt.timedelta(hours=draw(st.sampled_from([8, 0, -5]))))
    body = valid_body(key, device_time=moment.astimezone(offset).isoformat())
    if draw(st.booleans()):
        body |= {
            "lat": round(lat + draw(st.floats(-0.02, 0.02)), 6),
            "lng": round(lng + draw(st.floats(-0.02, 0.02)), 6),
            "accuracy_m": draw(st.one_of(st.none(), st.floats(0, 5000), st.integers(0, 5000))),
        }
    else:
        body |= {"lat": None, "lng": None, "accuracy_m": None}
        body["no_position_reason"] = draw(st.sampled_from(["", "浏览器拒绝定位权限", "室内无信号"]))
    if draw(st.booleans()):
        body["offline"] = draw(st.booleans())
    printable = st.characters(exclude_categories=["Cc", "Cs"])  # control characters are refused
    body["device_id"] = draw(st.text(printable, max_size=128))
    return body


@FUZZ
@given(body=valid_checkins())
def test_a_valid_checkin_is_201_then_200_with_exactly_one_row(post, body):
    checkins, _signals, events = snapshot()
    first = post(encode(body))
    assert first.status_code == 201, first.content[:500]
    out = first.json()
    assert out["client_key"] == body["client_key"]
    assert CheckIn.objects.count() == checkins + 1
    assert Event.objects.count() > events
    after_first = snapshot()
    for _ in range(2):
        again = post(encode(body))
        assert again.status_code == 200, again.content[:500]
        assert again.json() == out
    assert snapshot() == after_first  # a resend writes nothing, not even an audit event
    assert CheckIn.objects.filter(client_key=body["client_key"]).count() == 1


# ---- any moment the phone may claim ---------------------------------------------------------


@FUZZ
@given(
    moment=st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8))]) | st.none(),
    ),
    key=st.uuids(),
)
def test_any_device_time_is_201_or_400_and_never_half_written(post, moment, key):
    """A clock set to any year: recorded (judged late or whatever the rules say) or refused
    with a reason — never a server error, never a row without its audit event."""
    body = valid_body(uuid.uuid5(key, str(next(_FRESH))), device_time=moment.isoformat())
    checkins, signals, events = before = snapshot()
    r = post(encode(body))
    assert r.status_code in (201, 400), (r.status_code, r.content[:500])
    if r.status_code == 400:
        assert_refused(r, before)
    else:
        assert CheckIn.objects.count() == checkins + 1 and Event.objects.count() > events


@pytest.mark.parametrize("moment", ["1970-01-01T08:00:00+08:00", "2000-01-04T08:00:00+08:00"])
def test_a_clock_before_the_rules_is_a_device_time_error(post, moment):
    """A phone clock reset to 1970 is the phone's fault: the error names device_time and
    tells the cadre what to do, not the administrator."""
    before = snapshot()
    r = post(encode(valid_body(device_time=moment)))
    assert_refused(r, before, field="device_time")
    assert "手机日期" in r.json()["errors"][0]["reason"]
