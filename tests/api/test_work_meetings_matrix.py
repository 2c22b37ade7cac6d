"""工作例会、任务清单 (MGT.2), 重点任务清单 (DUT.LIST) and 职责任务统计 (DUT.1–5) through the
API: every role × every endpoint with the exact status — a role that reads but may not write
gets 403, outside the scope 404, a bad field 400 naming the field."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.test_permission_matrix import ROLES
from tests.work.meeting_helpers import meet
from zhucun.work.services import meetings as svc

ISSUERS = {"admin", "prefecture", "county", "township"}


def _task(world):
    return svc.task_create(
        actor=world.users["first_secretary"],
        title="修渠",
        owner_id=world.cadres["tm_a"].pk,
        due=dt.date(2025, 9, 5),
        duty="DUT.3",
    )


def _list(world):
    return svc.key_list_issue(
        actor=world.users["county"],
        title="四季度重点任务",
        issued_on=dt.date(2025, 10, 8),
        items=[{"title": "返贫监测排查", "duty": "DUT.2", "due": "2025-10-31"}],
    )


@pytest.mark.parametrize("role", ROLES)
def test_mgt_2_meetings_every_role(api, world, role):
    m = meet(world, dt.date(2025, 9, 2))
    body = api(role).get("/meetings", {"month": "2025-09"}).json()
    assert [x["id"] for x in body["results"]] == [m.pk]
    r = api(role).post(
        "/meetings",
        {
            "held_on": "2025-09-10",
            "attendee_ids": [world.cadres["fs_a"].pk],
            "topics": "议题",
            "tasks": [
                {
                    "title": "甲",
                    "owner_id": world.cadres["tm_a"].pk,
                    "due": "2025-09-30",
                    "duty": "DUT.1",
                }
            ],
        },
    )
    assert r.status_code == (201 if role == "first_secretary" else 403)
    if role == "first_secretary":
        assert r.json()["tasks"][0]["owner_name"] == "线美玲"
    missing = api(role).get("/meetings/missing", {"month": "2025-09"})
    assert missing.status_code == 200
    weeks = {
        x["week"] for x in missing.json()["results"] if x["village_id"] == world.villages["A"].pk
    }
    assert "2025-09-15" in weeks and "2025-09-01" not in weeks


def test_mgt_2_meeting_400_names_the_field(api, world):
    r = api("first_secretary").post(
        "/meetings",
        {"held_on": "2025-09-10", "attendee_ids": [world.cadres["fs_b"].pk], "topics": "议题"},
    )
    assert r.status_code == 400
    errors = {e["field"]: e["reason"] for e in r.json()["errors"]}
    assert "工作队" in errors["attendee_ids"]
    assert api("township").get("/meetings/missing", {"month": "2025-13"}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_mgt_2_tasks_every_role(api, world, role):
    t = _task(world)
    assert [x["id"] for x in api(role).get("/tasks").json()["results"]] == [t.pk]
    overdue = api(role).get("/tasks/overdue").json()["results"]
    assert [(x["id"], x["owner_name"]) for x in overdue] == [(t.pk, "线美玲")]
    r = api(role).post(
        "/tasks",
        {"title": "乙", "owner_id": world.cadres["fs_a"].pk, "due": "2025-12-01", "duty": "DUT.5"},
    )
    assert r.status_code == (201 if role == "first_secretary" else 403)
    done = api(role).post(f"/tasks/{t.pk}/done", {"done_on": "2025-09-04"})
    assert done.status_code == (200 if role in ("first_secretary", "team_member") else 403)
    assert api(role).post("/tasks/999999/done", {}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_dut_list_every_role(api, world, role):
    kl = _list(world)
    assert [x["id"] for x in api(role).get("/key-task-lists").json()["results"]] == [kl.pk]
    detail = api(role).get(f"/key-task-lists/{kl.pk}")
    assert detail.status_code == 200
    assert {c["state_label"] for r in detail.json()["progress"] for c in r["cells"]} == {"未开始"}
    r = api(role).post(
        "/key-task-lists",
        {
            "title": "清单",
            "issued_on": "2025-10-09",
            "items": [{"title": "任务", "duty": "DUT.1", "due": "2025-11-01"}],
        },
    )
    assert r.status_code == (201 if role in ISSUERS else 403)
    item = kl.items.get()
    p = api(role).post(f"/key-task-items/{item.pk}/progress", {"state": "in_progress"})
    assert p.status_code == (200 if role == "first_secretary" else 403)
    assert api(role).get("/key-task-lists/999999").status_code == 404


def test_dut_list_fs_of_another_area_404(api, world):
    kl = svc.key_list_issue(
        actor=world.users["township"],
        title="镇清单",
        issued_on=dt.date(2025, 10, 8),
        items=[{"title": "任务", "duty": "DUT.1", "due": "2025-11-01"}],
    )
    # 村C is in another county: to its FS the list does not exist
    from zhucun.accounts.models import User, UserRole
    from zhucun.work.selectors import meetings as read

    fs_c = User.objects.create_user(
        "fs_c", password="pw", role=UserRole.FIRST_SECRETARY, cadre=world.cadres["fs_c"]
    )
    assert not read.key_list_list(user=fs_c).filter(pk=kl.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_dut_totals_every_role(api, world, role):
    for level in ("village", "township", "county"):
        r = api(role).get("/duty-totals", {"month": "2025-09", "level": level})
        assert r.status_code == 200
        assert r.json()["count"] >= 1
    assert api(role).get("/duty-totals", {"level": "nation"}).status_code == 400
