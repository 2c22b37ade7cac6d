"""MGT.2 / DUT.LIST / DUT.1–5 pages: the phone page, the lists by role, the missing weeks
(bounded queries), the print page and the 会议记录 .xlsx."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.web.helpers import ROLES, html, login, table_pks
from tests.work.meeting_helpers import meet
from tests.world import cadre_data
from zhucun.registry import services as reg
from zhucun.work.models import Meeting, Task

pytestmark = pytest.mark.django_db
PAGES = [
    "/work/meetings/?month=2025-09",
    "/work/tasks/",
    "/work/key-tasks/",
    "/work/duty-totals/?month=2025-09&level=township",
]


def test_mgt_2_phone_page_prefills_team_and_saves_in_one_tap(client, world):
    login(client, world, "first_secretary")
    text = html(client.get("/m/meeting/"))
    assert 'name="viewport"' in text or "viewport" in text
    for key in ("fs_a", "tm_a"):
        assert f'value="{world.cadres[key].pk}" id="att-{world.cadres[key].pk}" checked' in text
    r = client.post(
        "/m/meeting/",
        {
            "held_on": "2025-09-02",
            "attendee_ids": [world.cadres["fs_a"].pk, world.cadres["tm_a"].pk],
            "topics": "研究秋收",
            "decisions": "组织抢收",
            "task0_title": "组织抢收",
            "task0_owner_id": str(world.cadres["tm_a"].pk),
            "task0_due": "2025-09-20",
            "task0_duty": "DUT.3",
        },
    )
    assert r.status_code == 302
    m = Meeting.objects.get()
    assert r["Location"].endswith(f"/work/meetings/{m.pk}/")
    assert Task.objects.get().meeting_id == m.pk
    text = html(client.get(f"/work/meetings/{m.pk}/"))
    assert "组织抢收" in text and "线美玲" in text
    assert "研究秋收" in html(client.get(f"/work/meetings/{m.pk}/print/"))


def test_mgt_2_phone_page_shows_refusal(client, world):
    login(client, world, "first_secretary")
    r = client.post(
        "/m/meeting/",
        {"held_on": "2025-09-02", "attendee_ids": [world.cadres["fs_b"].pk], "topics": "x"},
    )
    assert r.status_code == 200 and "参会人员" in html(r)
    assert not Meeting.objects.exists()


def test_mgt_2_phone_page_only_for_first_secretary(client, world):
    for role in ("team_member", "township", "unit"):
        login(client, world, role)
        assert client.get("/m/meeting/").status_code == 404


def test_mgt_2_missing_weeks_page_and_xlsx(client, world):
    for day in (dt.date(2025, 9, 2), dt.date(2025, 9, 10), dt.date(2025, 9, 26)):
        meet(world, day)
    login(client, world, "township")
    text = html(client.get("/work/meetings/?month=2025-09"))
    start = text.index('id="missing-weeks"')
    table = text[start : text.index("</table>", start)]
    assert f'data-village="{world.villages["A"].pk}" data-week="2025-09-15"' in table
    assert table.count(f'data-village="{world.villages["A"].pk}"') == 1
    r = client.get(f"/work/meetings/export.xlsx?village={world.villages['A'].pk}&month=2025-09")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any("会议记录" in str(v) or "例会记录" in str(v) for v in values)
    assert sum(1 for v in values if v == "研究本周工作") == 3
    c = world.villages["C"].pk
    assert client.get(f"/work/meetings/export.xlsx?village={c}&month=2025-09").status_code == 404


def _add_villages(world, n):
    admin = world.admin
    for i in range(n):
        code = f"5331031021{i + 10:02d}"
        v = reg.village_create(
            actor=admin, code=code, name=f"新村{i}", township_code="533103102000"
        )
        cadre = reg.cadre_create(actor=admin, data=cadre_data(name=f"王{i}号", serial=40 + i))
        reg.posting_create(
            actor=admin,
            data={
                "id_number": cadre.id_number,
                "village_code": v.jurisdiction.code,
                "role": "first_secretary",
                "arrival_date": dt.date(2024, 3, 1),
                "planned_end": dt.date(2026, 3, 1),
            },
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries), r


@pytest.mark.parametrize("url", ["/work/meetings/?month=2025-09", "/work/tasks/", PAGES[3]])
def test_mgt_2_township_pages_bounded_queries(client, world, url, django_assert_max_num_queries):
    """The township's lists render from SQL in bounded queries: the same count with 2 and
    with 6 villages."""
    meet(world, dt.date(2025, 9, 2))
    login(client, world, "township")
    n2, r = _count(client, url)
    _add_villages(world, 4)
    with django_assert_max_num_queries(n2):
        r = client.get(url)
    assert r.status_code == 200
    if "meetings" in url:
        assert html(r).count("新村") >= 4  # each new village is listed with its missing weeks


def test_pages_render_for_every_role(client, world):
    meet(world, dt.date(2025, 9, 2))
    for role in ROLES:
        login(client, world, role)
        for url in PAGES:
            assert client.get(url).status_code == 200, (role, url)


def test_dut_list_pages(client, world):
    login(client, world, "county")
    r = client.post(
        "/work/key-tasks/",
        {
            "title": "四季度重点任务",
            "issued_on": "2025-10-08",
            "item0_title": "返贫监测排查",
            "item0_duty": "DUT.2",
            "item0_due": "2025-10-31",
        },
    )
    assert r.status_code == 302
    detail = r["Location"]
    text = html(client.get(detail))
    assert "未开始" in text and "弄坎村" in text
    login(client, world, "first_secretary")
    from zhucun.work.models import KeyTaskItem

    item = KeyTaskItem.objects.get()
    r = client.post(detail, {"item_id": item.pk, "state": "done", "note": "已完成排查"})
    assert r.status_code == 302
    r = client.post(
        detail, {"item_id": item.pk, "action": "task", "owner_id": world.cadres["tm_a"].pk}
    )
    assert Task.objects.get().key_item_id == item.pk
    login(client, world, "township")
    assert "已完成排查" in html(client.get(detail))
    assert client.post(detail, {"item_id": item.pk, "state": "done"}).status_code == 403


def test_tasks_page_done_button(client, world):
    meet(
        world,
        dt.date(2025, 9, 2),
        tasks=[
            {
                "title": "修渠",
                "owner_id": world.cadres["tm_a"].pk,
                "due": "2025-09-05",
                "duty": "DUT.3",
            }
        ],
    )
    t = Task.objects.get()
    login(client, world, "county")
    r = client.get("/work/tasks/")
    assert t.pk in table_pks(r, "overdue-table") and "线美玲" in html(r)
    assert f"done-{t.pk}" not in html(r)
    login(client, world, "team_member")
    assert f"done-{t.pk}" in html(client.get("/work/tasks/"))
    assert client.post(f"/work/tasks/{t.pk}/done/", {"done_on": "2025-09-06"}).status_code == 302
    t.refresh_from_db()
    assert t.state == "done"


def test_duty_totals_xlsx(client, world):
    login(client, world, "county")
    r = client.get("/work/duty-totals/?month=2025-09&level=village&format=xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    names = [row[0] for row in ws.iter_rows(values_only=True)]
    assert "弄坎村" in names and "拉勐村" in names
