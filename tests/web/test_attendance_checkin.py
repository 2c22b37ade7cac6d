"""The check-in JSON endpoint behind the 签到 button (MGT.1.CHECKIN): session auth and CSRF,
a good position counts, a resend of the same client key stores one row, an off-fence
check-in waits for the township on /township/exceptions/ and its acceptance counts it, bad
input gets 400 with Chinese field errors, and no position is recorded with its reason."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from zhucun.attendance.models import CheckIn, CheckInReview, FraudSignal
from zhucun.policy.geo import gcj02_to_wgs84

from .helpers import html, login, table_pks

URL = "/m/checkin/submit/"
A_WGS = gcj02_to_wgs84(24.256, 98.276)  # village A's GCJ-02 point, as a phone reports it


def payload(**over):
    now = timezone.localtime()
    data = {
        "client_key": str(uuid.uuid4()),
        "lat": round(A_WGS[0], 6),
        "lng": round(A_WGS[1], 6),
        "accuracy_m": 12.5,
        "device_time": now.replace(microsecond=0).isoformat(),
        "device_id": "dev-" + uuid.uuid4().hex[:12],
        "offline": False,
    }
    data.update(over)
    return data


def post(client, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(URL, body, content_type="application/json", **extra)


def test_good_position_counts_and_page_says_checked_in(client, world):
    user = login(client, world, "team_member")
    response = post(client, payload())
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "ok" and body["counts"] is True and body["created"] is True
    assert body["message"] == "签到成功,已计入今日在岗"
    today = body["today"]
    assert (today["code"], today["label"]) == ("done", "今日已签到")
    assert "签到 · 在签到范围内(距签到点" in today["detail"]
    assert body["distance_m"] is not None and body["distance_m"] < 5
    ci = CheckIn.objects.get()
    assert ci.cadre_id == user.cadre_id and ci.village_id == world.villages["A"].pk
    assert ci.received_at >= ci.device_time - dt.timedelta(seconds=5)
    page = html(client.get("/m/checkin/"))
    assert 'class="checkin-status done"' in page and ">今日已签到<" in page
    # the first secretary sees it on the team's day
    login(client, world, "first_secretary")
    team = html(client.get("/team/today/"))
    assert f'data-pk="{user.cadre_id}" data-state="done"' in team


def test_resending_the_same_key_stores_one_row(client, world):
    login(client, world, "team_member")
    data = payload()
    first = post(client, data)
    assert first.status_code == 201
    for _ in range(5):
        again = post(client, data)
        assert again.status_code == 200
        assert again.json()["created"] is False and again.json()["counts"] is True
        assert "只记录一次" in again.json()["message"]
    assert CheckIn.objects.filter(client_key=data["client_key"]).count() == 1


def test_csrf_is_enforced_and_the_cookie_token_works(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["team_member"])
    client.get("/m/checkin/")  # sets the csrftoken cookie
    assert post(client, payload()).status_code == 403
    token = client.cookies["csrftoken"].value
    assert post(client, payload(), HTTP_X_CSRFTOKEN=token).status_code == 201


def test_off_fence_goes_to_the_township_and_acceptance_counts_it(client, world):
    user = login(client, world, "team_member")
    far = (A_WGS[0] - 0.02, A_WGS[1])  # about 2.2 km south
    response = post(client, payload(lat=round(far[0], 6), lng=round(far[1], 6)))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "off_fence" and body["counts"] is False
    assert body["today"]["label"] == "异常待乡镇确认"
    assert "须乡镇党委核实认可" in body["message"]
    assert body["findings"] and body["findings"][0]["clause"] == "MGT.1.CHECKIN"
    assert "米" in body["findings"][0]["message"]
    ci = CheckIn.objects.get()
    assert ">异常待乡镇确认<" in html(client.get("/m/checkin/"))

    login(client, world, "township")
    page = client.get("/township/exceptions/")
    assert ci.pk in table_pks(page, "exception-table")
    assert "超出签到范围" in html(page) and "线美玲" in html(page)
    # a decision without a reason is refused in Chinese
    refused = client.post(
        "/township/exceptions/",
        {"action": "accept", "checkin_id": ci.pk, "reason": ""},
        follow=True,
    )
    assert "理由:请填写理由" in html(refused)
    ci.refresh_from_db()
    assert ci.counts is False
    done = client.post(
        "/township/exceptions/",
        {"action": "accept", "checkin_id": ci.pk, "reason": "当日在镇上参加培训"},
        follow=True,
    )
    assert "已认可线美玲" in html(done)
    ci.refresh_from_db()
    assert ci.counts is True
    assert CheckInReview.objects.get(checkin=ci).reason == "当日在镇上参加培训"
    assert ci.pk not in table_pks(client.get("/township/exceptions/"), "exception-table")
    login(client, world, "team_member")
    assert ">今日已签到<" in html(client.get("/m/checkin/"))
    assert user.cadre_id == ci.cadre_id


def test_township_rejects_an_exception(client, world):
    login(client, world, "team_member")
    post(client, payload(accuracy_m=800))
    ci = CheckIn.objects.get()
    assert ci.status == "low_accuracy"
    login(client, world, "township")
    client.post(
        "/township/exceptions/",
        {"action": "reject", "checkin_id": ci.pk, "reason": "精度不足且无说明"},
    )
    ci.refresh_from_db()
    assert ci.counts is False and ci.reviews.get().decision == "reject"
    login(client, world, "team_member")
    assert "签到未获乡镇认可" in html(client.get("/m/checkin/"))


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        ("{not json", "body", "JSON"),
        ("[1, 2]", "body", "JSON对象"),
        (payload(lat=123.0), "lat", "纬度应在-90到90之间"),
        (payload(lng="东经98度"), "lng", "经度应为数字"),
        (payload(client_key="abc"), "client_key", "客户端标识无效"),
        (payload(device_time="昨天"), "device_time", "设备时间格式无效"),
        (payload(accuracy_m=-3), "accuracy_m", "定位精度应为大于0的数字"),
        (payload(offline="yes"), "offline", "离线标记"),
    ],
)
def test_bad_input_is_400_with_chinese_field_errors(client, world, body, field, text):
    login(client, world, "team_member")
    response = post(client, body)
    assert response.status_code == 400
    data = response.json()
    assert text in data["errors"][field]
    assert data["error_rows"] and data["message"]
    assert CheckIn.objects.count() == 0


def test_no_position_with_a_reason(client, world):
    login(client, world, "team_member")
    response = post(
        client,
        payload(lat=None, lng=None, accuracy_m=None, no_position_reason="山里没有信号,定位失败"),
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "no_position" and body["counts"] is False
    ci = CheckIn.objects.get()
    assert ci.no_position_reason == "山里没有信号,定位失败" and ci.lat is None
    login(client, world, "township")
    page = html(client.get("/township/exceptions/"))
    assert "无法定位" in page and "本人说明:山里没有信号,定位失败" in page


def test_who_may_post(client, world):
    assert post(client, payload()).status_code == 401  # anonymous: JSON, not a redirect
    assert "登录已过期" in post(client, payload()).json()["message"]
    login(client, world, "township")
    assert post(client, payload()).status_code == 404
    tm = login(client, world, "team_member")
    assert client.get(URL).status_code == 405
    # queued on a shared phone by another account: never recorded as this user's
    other = post(client, payload(user=str(tm.pk + 999)))
    assert other.status_code == 409
    assert post(client, payload(user=str(tm.pk))).status_code == 201
    assert CheckIn.objects.count() == 1


def test_fraud_signal_listed_and_resolved(client, world):
    """The same device used by two cadres (MGT.1.FRAUD): listed for the township and the FS;
    the FS may resolve a team member's signal; resolving deletes nothing."""
    device = "shared-phone-1"
    login(client, world, "first_secretary")
    post(client, payload(device_id=device))
    login(client, world, "team_member")
    post(client, payload(device_id=device))
    signal = FraudSignal.objects.get()
    login(client, world, "township")
    page = html(client.get("/township/exceptions/"))
    assert "[MGT.1.FRAUD]" in page and f'data-pk="{signal.pk}"' in page
    login(client, world, "first_secretary")
    assert f'id="resolve-{signal.pk}"' in html(client.get("/team/today/"))
    client.post(
        "/team/today/", {"action": "resolve", "signal_id": signal.pk, "note": "借用队长手机"}
    )
    signal.refresh_from_db()
    assert signal.resolved_at is not None and signal.resolution_note == "借用队长手机"
    assert CheckIn.objects.count() == 2


def test_database_down_answers_503_and_stores_nothing(client, world, monkeypatch):
    """A restart of PostgreSQL mid-request: the phone gets 503 in Chinese (and keeps the
    check-in in its queue), never a 500."""
    from django.db import OperationalError

    from zhucun.attendance import services as att

    login(client, world, "team_member")

    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(att, "checkins_record", down)
    response = post(client, payload())
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "数据库暂时不可用" in response.json()["detail"]
    assert CheckIn.objects.count() == 0


def test_after_a_counted_check_in_a_second_tap_elsewhere_creates_no_work(client, world):
    """Issue 10 (MGT.1.CHECKIN): the button says 今日已签到; a later tap from outside the fence
    is kept, but does not appear on the township's exception list or its count."""
    login(client, world, "team_member")
    assert post(client, payload()).json()["counts"] is True
    page = html(client.get("/m/checkin/"))
    assert 'id="checkin-button" class="checkin-btn" disabled>今日已签到<' in page
    far = post(client, payload(lat=round(A_WGS[0] - 0.05, 6)))  # ~5.5 km south
    assert far.status_code == 201 and far.json()["counts"] is False
    assert CheckIn.objects.count() == 2  # nothing lost
    login(client, world, "township")
    second = CheckIn.objects.get(counts=False)
    assert second.status == "off_fence"
    assert second.pk not in table_pks(client.get("/township/exceptions/"), "exception-table")


def test_mgt_1_checkin_queue_flushed_in_one_request(client, world):
    """Issue 17: the page sends the phone's queue in one request; each check-in is answered
    as it would be alone (stored, refused with its field, or kept for its owner)."""
    user = login(client, world, "team_member")
    good = payload(offline=True)
    items = [good, payload(lat=95), payload(user="99999"), good]
    response = client.post(
        "/m/checkin/queue/", json.dumps({"items": items}), content_type="application/json"
    )
    assert response.status_code == 200
    out = response.json()
    assert [r["status"] for r in out["results"]] == [201, 400, 409, 200]
    first, bad, other, again = (r["body"] for r in out["results"])
    assert first["counts"] is True and first["client_key"] == good["client_key"]
    assert again["created"] is False and again["client_key"] == good["client_key"]
    assert bad["errors"] == {"lat": "纬度应在-90到90之间"}
    assert "另一账号" in other["message"]
    assert out["today"]["code"] == "done"
    assert CheckIn.objects.filter(cadre_id=user.cadre_id).count() == 1
    for body in ({"items": []}, {"items": [payload()] * 101}, [], "oops"):
        raw = body if isinstance(body, str) else json.dumps(body)
        refused = client.post("/m/checkin/queue/", raw, content_type="application/json")
        assert refused.status_code == 400 and refused.json()["errors"]["items"]
    assert CheckIn.objects.filter(cadre_id=user.cadre_id).count() == 1
    client.logout()
    gone = client.post(
        "/m/checkin/queue/", json.dumps({"items": [payload()]}), content_type="application/json"
    )
    assert gone.status_code == 401 and "登录" in gone.json()["message"]
