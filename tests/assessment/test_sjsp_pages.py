"""MGT.8.SJSP pages: the list with the threshold (or 本辖区尚未设置), a new event, the tally
grid and the import on the event page, the template, the missing villages, the township
summary (page, print, .xlsx) and the rectifications with their plan and close forms."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.assessment.sjsp_helpers import HELD, event, record, set_threshold
from zhucun.assessment.models import Rectification, SjspEvent, SjspTally


def login(client, world, role="township"):
    client.force_login(world.users[role])
    return client


def test_mgt_8_sjsp_list_says_threshold_unset_then_set(client, world):
    event(world)
    page = login(client, world).get("/sjsp/").content.decode()
    assert "本辖区尚未设置" in page and "弄坎村" in page
    set_threshold(world)
    page = client.get("/sjsp/").content.decode()
    assert "本辖区尚未设置" not in page and "十分之九" in page


def test_mgt_8_sjsp_new_event_page(client, world):
    login(client, world)
    assert client.get("/sjsp/new/").status_code == 200
    r = client.post(
        "/sjsp/new/",
        {
            "village_id": world.villages["A"].pk,
            "year": "2026",
            "quarter": "3",
            "held_on": HELD.isoformat(),
            "summary": "讲帮扶措施",
        },
    )
    ev = SjspEvent.objects.get()
    assert r.status_code == 302 and r.url == f"/sjsp/{ev.pk}/"
    r = client.post(
        "/sjsp/new/",
        {
            "village_id": world.villages["A"].pk,
            "year": "2026",
            "quarter": "3",
            "held_on": HELD.isoformat(),
            "summary": "再录",
        },
    )
    assert r.status_code == 200 and "每村每季度一次" in r.content.decode()


def test_mgt_8_sjsp_grid_entry_and_finding(client, world):
    """MGT.8.SJSP: 26 of 30 entered in the grid → the clause's message and 待制定整改措施."""
    set_threshold(world)
    ev = event(world)
    login(client, world)
    fs = world.cadres["fs_a"].pk
    data = {"action": "tallies"}
    data.update(
        {
            f"t-{fs}-villagers-{v}": n
            for v, n in zip(
                ("good", "fairly_good", "average", "poor"), ("20", "6", "3", "1"), strict=True
            )
        }
    )
    r = client.post(f"/sjsp/{ev.pk}/", data)
    assert r.status_code == 302
    page = client.get(f"/sjsp/{ev.pk}/").content.decode()
    assert "MGT.8.SJSP" in page and "86.7%" in page and "待制定整改措施" in page
    assert Rectification.objects.count() == 1
    data[f"t-{fs}-villagers-good"] = "-2"
    r = client.post(f"/sjsp/{ev.pk}/", data)
    assert r.status_code == 200 and "负数" in r.content.decode()
    assert SjspTally.objects.get().good == 20


def test_mgt_8_sjsp_template_and_import_on_page(client, world):
    ev = event(world)
    login(client, world)
    r = client.get(f"/sjsp/{ev.pk}/template.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    ws = wb.active
    for c in range(3, 15):
        ws.cell(row=4, column=c).value = 1
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "票数.xlsx"
    r = client.post(f"/sjsp/{ev.pk}/", {"action": "import", "file": buf})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert SjspTally.objects.count() == 3


@pytest.mark.parametrize("role", ["prefecture", "first_secretary"])
def test_mgt_8_sjsp_readers_see_no_forms(client, world, role):
    ev = event(world)
    page = login(client, world, role).get(f"/sjsp/{ev.pk}/").content.decode()
    assert "弄坎村" in page and "tally-grid" not in page
    assert client.get(f"/sjsp/{ev.pk}/template.xlsx").status_code == 403
    assert client.post(f"/sjsp/{ev.pk}/", {"action": "tallies"}).status_code == 403


@pytest.mark.parametrize("role", ["team_member", "village_secretary"])
def test_mgt_8_sjsp_other_roles_refused(client, world, role):
    login(client, world, role)
    for url in ("/sjsp/", "/sjsp/missing/", "/sjsp/summary/", "/sjsp/rectifications/"):
        assert client.get(url).status_code == 403


def test_mgt_8_sjsp_missing_and_summary_pages(client, world):
    event(world)
    login(client, world, "county")
    page = client.get("/sjsp/missing/?year=2026&quarter=3").content.decode()
    assert "拉勐村" in page and "弄坎村" not in page
    page = client.get("/sjsp/summary/?year=2026&quarter=3").content.decode()
    assert "芒市2026年第3季度“三讲三评”情况汇总表" in page and "遮放镇" in page
    assert client.get("/sjsp/summary/?year=2026&quarter=3&print=1").status_code == 200
    r = client.get("/sjsp/summary/?year=2026&quarter=3&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "芒市2026年第3季度“三讲三评”情况汇总表"
    assert ws["B3"].value == "遮放镇" and ws["C3"].value == 2 and ws["D3"].value == 1


def test_mgt_8_sjsp_rectification_forms(client, world):
    set_threshold(world)
    ev = event(world)
    record(world, ev, good=10, fairly_good=6, average=13, poor=1)
    r = Rectification.objects.get()
    login(client, world)
    page = client.get("/sjsp/rectifications/").content.decode()
    assert "岳文华" in page and "待制定整改措施" in page
    resp = client.post(
        "/sjsp/rectifications/", {"action": "plan", "id": r.pk, "plan": "入户", "due": "2026-09-01"}
    )
    assert resp.status_code == 200 and "晚于活动日期" in resp.content.decode()
    resp = client.post(
        "/sjsp/rectifications/",
        {"action": "plan", "id": r.pk, "plan": "每周入户走访", "due": "2026-10-31"},
    )
    assert resp.status_code == 302
    resp = client.post(
        "/sjsp/rectifications/",
        {"action": "close", "id": r.pk, "closed_on": "2026-10-30", "closing_note": "已整改"},
    )
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.closed_on == dt.date(2026, 10, 30)
    assert "岳文华" not in client.get("/sjsp/rectifications/").content.decode()
    assert "已整改" in client.get("/sjsp/rectifications/?all=1").content.decode()


@pytest.mark.parametrize(
    "role", ["admin", "prefecture", "county", "township", "unit", "first_secretary"]
)
def test_mgt_8_sjsp_pages_show_no_internal_names(client, world, role):
    """The visible-words guard on every 三讲三评 page (the nav link comes with the lead's
    chrome): no snake_case, True/False or parameter key on any page or export."""
    from tests.web.test_visible_words import _xlsx_text, offences, plain_names, visible

    plain_names(world)
    set_threshold(world)
    ev = event(world)
    record(world, ev, cadre="tm_a", good=10, fairly_good=6, average=13, poor=1)
    login(client, world, role)
    urls = [
        "/sjsp/",
        "/sjsp/?year=2026&quarter=3",
        f"/sjsp/{ev.pk}/",
        "/sjsp/missing/",
        "/sjsp/summary/?year=2026&quarter=3",
        "/sjsp/summary/?year=2026&quarter=3&print=1",
        "/sjsp/rectifications/?all=1",
    ]
    if role != "first_secretary":
        urls.append("/sjsp/new/")
    for url in urls:
        r = client.get(url)
        if r.status_code == 403:
            continue
        assert r.status_code == 200, url
        text, _links = visible(r.content.decode())
        assert not offences(text), (url, offences(text))
    r = client.get("/sjsp/summary/?year=2026&quarter=3&format=xlsx")
    assert not offences(_xlsx_text(r.content))
