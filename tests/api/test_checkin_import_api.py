"""MGT.1.CHECKIN through the API: POST /api/v1/checkins/import (multipart file + source)
answers the import's report; bad rows 400 with each row and column, nothing written; other
roles 403 before the file is read. With this system's check-in switched off, POST
/api/v1/checkins answers 403 naming the app, and the import still counts."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.api.conftest import PREFIX
from tests.attendance.checkin_sheets import csv_bytes, row
from zhucun.attendance.models import CheckIn
from zhucun.params.selectors import parameters_forget
from zhucun.params.services import parameter_set
from zhucun.policy.geo import gcj02_to_wgs84


@pytest.fixture(autouse=True)
def _forget_parameters():
    """The switch set here is rolled back with the test; the check-in writer's 2-second copy
    of the parameters must not outlive it (the next test would see the switch still off)."""
    yield
    parameters_forget()


def post_sheet(client, data: bytes, source: str = "云岭先锋"):
    return client.client.post(
        PREFIX + "/checkins/import",
        {"file": SimpleUploadedFile("签到.csv", data), "source": source},
        headers=client.headers,
    )


def test_mgt_1_checkin_import_api_twice_stores_once(api, world):
    client = api("county")
    data = csv_bytes([row("线美玲"), row("岳文华", when="2025-03-03 08:40")])
    r = post_sheet(client, data)
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["written"] and body["created"] == 2 and body["already_imported"] == 0
    assert body["statuses"] == {"ok": 2} and body["source"] == "云岭先锋"
    assert len(body["sha256"]) == 64 and "导入成功" in body["summary"]
    again = post_sheet(client, data).json()
    assert again["created"] == 0 and again["already_imported"] == 2
    assert CheckIn.objects.count() == 2
    rows = api("township").get("/checkins", {"page_size": 10}).json()["results"]
    assert {r["source"] for r in rows} == {"云岭先锋"} and rows[0]["address"] == "弄坎村村委会"


def test_mgt_1_checkin_import_api_bad_rows(api, world):
    bad = row("线美玲")
    bad[5] = "不知道"
    r = post_sheet(api("township"), csv_bytes([row("岳文华"), bad]))
    assert r.status_code == 400
    body = r.json()
    assert "未写入任何数据" in body["detail"]
    assert body["errors"][0]["field"] == "row3.坐标系"
    assert body["errors"][0]["reason"].startswith("第3行“坐标系”列:")
    assert CheckIn.objects.count() == 0


def test_mgt_1_checkin_import_api_needs_a_source(api, world):
    r = post_sheet(api("county"), csv_bytes([row()]), source="")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "source"


@pytest.mark.parametrize("role", ["unit", "first_secretary", "team_member", "village_secretary"])
def test_mgt_1_checkin_import_api_refused_to_other_roles(api, world, role):
    r = post_sheet(api(role), b"\x00garbage")
    assert r.status_code == 403 and "MGT.1.CHECKIN" in r.json()["detail"]


def test_mgt_1_checkin_switched_off_api_refuses_the_builtin_checkin(api, world):
    parameter_set(
        actor=world.users["county"],
        name="builtin_checkin_enabled",
        jurisdiction_code="533103000000",
        effective=dt.date(2021, 10, 19),
        value=False,
        note="芒组通〔2025〕1号",
    )
    a_wgs = gcj02_to_wgs84(24.256, 98.276)
    r = api("team_member").post(
        "/checkins",
        {
            "client_key": str(uuid.uuid4()),
            "lat": round(a_wgs[0], 6),
            "lng": round(a_wgs[1], 6),
            "accuracy_m": 10,
            "device_time": timezone.localtime().replace(microsecond=0).isoformat(),
        },
    )
    assert r.status_code == 403
    assert "云岭先锋" in r.json()["detail"] and "MGT.1.CHECKIN" in r.json()["detail"]
    r = post_sheet(api("county"), csv_bytes([row("线美玲")]))
    assert r.status_code == 200 and r.json()["statuses"] == {"ok": 1}
    assert CheckIn.objects.get().counts
