"""DUT.LIST: key-task lists issued by coordinating bodies; each village reports progress."""

from __future__ import annotations

import datetime as dt

import pytest

from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.work.models import KeyTaskProgress
from zhucun.work.selectors import meetings as read
from zhucun.work.services import meetings as svc

pytestmark = pytest.mark.django_db


def _issue(world, role="county", **kw):
    data = {
        "title": "四季度重点任务",
        "issued_on": dt.date(2025, 10, 8),
        "note": "",
        "items": [
            {"title": "完成村集体经济收入统计", "duty": "DUT.3", "due": "2025-11-30"},
            {"title": "开展返贫监测排查", "duty": "DUT.2", "due": "2025-10-31"},
        ],
    }
    data.update(kw)
    return svc.key_list_issue(actor=world.users[role], **data)


def test_dut_list_county_list_reaches_its_villages_only(world):
    kl = _issue(world)
    assert read.key_list_list(user=world.users["first_secretary"]).filter(pk=kl.pk).exists()
    assert read.key_list_list(user=world.users["township"]).filter(pk=kl.pk).exists()
    # 村C (瑞丽市) is outside 芒市
    from zhucun.accounts.models import User, UserRole

    fs_c = User.objects.create_user(
        "fs_c", password="pw", role=UserRole.FIRST_SECRETARY, cadre=world.cadres["fs_c"]
    )
    assert not read.key_list_list(user=fs_c).filter(pk=kl.pk).exists()
    item = kl.items.first()
    with pytest.raises(NotFound):
        svc.key_progress_report(actor=fs_c, item_id=item.pk, state="done")
    villages = [v.pk for v in read.key_list_villages(key_list=kl, user=world.users["county"])]
    assert villages == [world.villages["A"].pk, world.villages["B"].pk]


def test_dut_list_village_without_report_is_not_started_then_upsert(world):
    kl = _issue(world, role="township")
    first, second = kl.items.order_by("due", "id")
    pg = read.key_progress_matrix(key_list=kl, user=world.users["township"])
    assert [[c["label"] for c in r["cells"]] for r in pg.object_list] == [
        ["未开始", "未开始"],
        ["未开始", "未开始"],
    ]
    fs = world.users["first_secretary"]
    svc.key_progress_report(actor=fs, item_id=first.pk, state="in_progress", note="已排查一组")
    svc.key_progress_report(actor=fs, item_id=first.pk, state="done", note="全部排查")
    assert KeyTaskProgress.objects.count() == 1
    pg = read.key_progress_matrix(key_list=kl, user=world.users["township"])
    a_row = pg.object_list[0]
    assert a_row["village"].pk == world.villages["A"].pk
    assert [c["label"] for c in a_row["cells"]] == ["已完成", "未开始"]
    ev = Event.objects.filter(action="keylist.progress").order_by("-seq").first()
    assert ev.before["state"] == "in_progress" and ev.after["state"] == "done"


def test_dut_list_who_issues_and_reports(world):
    for role in ("first_secretary", "team_member", "unit", "village_secretary"):
        with pytest.raises(Forbidden):
            _issue(world, role=role)
    for role in ("prefecture", "county", "township", "admin"):
        _issue(world, role=role)
    kl = _issue(world)
    item = kl.items.first()
    for role in ("team_member", "township", "county"):
        with pytest.raises(Forbidden):
            svc.key_progress_report(actor=world.users[role], item_id=item.pk, state="done")


def test_dut_list_fields_checked(world):
    with pytest.raises(ValidationFailed) as exc:
        _issue(world, items=[])
    assert "items" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        _issue(world, items=[{"title": "x", "duty": "DUT.8", "due": "2025-01-01"}])
    assert {"items.0.duty", "items.0.due"} <= set(exc.value.errors)
    kl = _issue(world)
    with pytest.raises(ValidationFailed):
        svc.key_progress_report(
            actor=world.users["first_secretary"], item_id=kl.items.first().pk, state="maybe"
        )


def test_dut_list_key_task_becomes_team_task(world):
    """A fact typed once: the FS turns a key task into a team task (title, duty, due taken)."""
    kl = _issue(world)
    item = kl.items.order_by("due").first()
    t = svc.task_create(
        actor=world.users["first_secretary"], owner_id=world.cadres["tm_a"].pk, key_item_id=item.pk
    )
    assert (t.title, t.duty, t.due, t.key_item_id) == (item.title, item.duty, item.due, item.pk)
