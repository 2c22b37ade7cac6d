"""Issue 9 point 5: the unfiltered /audit/ page answered 500 as soon as a check-in with fraud
signals was among the newest events (its ``signals`` key named CheckIn's reverse relation,
which has no verbose name). MGT.1.FRAUD check-ins made through the service, then the page."""

import pytest

from tests.attendance.conftest import at, checkin, users  # noqa: F401  (fixture)
from tests.web.helpers import html, login
from zhucun.attendance.models import FraudSignal
from zhucun.audit.models import Event


@pytest.mark.parametrize("role", ["admin", "prefecture"])
def test_audit_page_with_fraud_signal_checkins(client, world, users, role):  # noqa: F811
    checkin(users["first_secretary"], when=at(2025, 3, 3), device_id="PHONE-1")
    shared, _ = checkin(users["team_member"], when=at(2025, 3, 3, 9, 5), device_id="PHONE-1")
    assert FraudSignal.objects.filter(checkin=shared, kind="shared_device").exists()
    newest = Event.objects.order_by("-seq").first()
    assert newest.action == "checkin.record" and newest.after["signals"] == ["shared_device"]
    login(client, world, role)
    response = client.get("/audit/")
    assert response.status_code == 200
    row = response.context["rows"][0]
    assert row["event"].seq == newest.seq
    labels = {label for label, _, _ in row["diff"]}
    assert {"异常签到提示", "签到日", "判定"} <= labels
    text = html(response)
    assert "多人共用手机" in text and "shared_device" not in text  # issue 10.7: no codes
    assert client.get("/audit/", {"object_type": "attendance.checkin"}).status_code == 200


def test_moments_in_snapshots_are_shown_in_local_time_not_iso():
    """Issue 10 (no raw internal forms on pages): a stored moment reads as a local time."""
    from zhucun.web.views.audit import show

    assert show("2026-12-05T04:43:18.249945+00:00") == "2026-12-05 12:43:18"
    assert show("2026-12-05") == "2026-12-05" and show("不是时间") == "不是时间"
