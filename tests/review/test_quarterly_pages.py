"""The 研判召回 hub and the quarterly review pages (MGT.4.REVIEW): each role's access, the
county's start, conclusion and signing by POST with Chinese refusals, the filter of rows
with suggestions, the print page and the 研判表 .xlsx, and a detail page whose number of
queries does not grow with its rows."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from tests.review.quarterly_helpers import (
    AFTER,
    MONTHS,
    QUARTER,
    YEAR,
    discipline,
    month_row,
    set_today,
)
from tests.web.helpers import ROLES, html, login, table_pks
from tests.world import cadre_data
from zhucun.registry import services as registry
from zhucun.review.models import QuarterlyReview, ReviewEntry
from zhucun.review.services import quarterly as svc

READERS = {"admin", "prefecture", "county"}
HUB = {"admin", "prefecture", "county", "township", "unit"}
INLINE = re.compile(r"""<style\b|\sstyle\s*=|<script(?![^>]*\bsrc=)|\son[a-z]+\s*=""", re.I)


@pytest.fixture
def review(world, monkeypatch):
    set_today(monkeypatch, AFTER)
    discipline(world.cadres["fs_a"], dt.date(2026, 8, 3), world.users["county"])
    for month in MONTHS[:2]:
        month_row(world.postings["tm_a"], month, short=True)
    return svc.review_start(actor=world.users["county"], year=YEAR, quarter=QUARTER)


def _nav(r) -> str:
    return html(r).split('id="main-nav"')[1].split("</nav>")[0]


@pytest.mark.parametrize("role", ROLES)
def test_hub_and_list_by_role(client, world, review, role):
    login(client, world, role)
    hub = client.get("/review/")
    assert hub.status_code == (200 if role in HUB else 403)
    if role in HUB:
        assert "研判召回" in _nav(hub)
        assert ('id="hub-quarterly"' in html(hub)) == (role in READERS)
    r = client.get("/review/quarterly/")
    assert r.status_code == (200 if role in READERS else 403)
    if role in READERS:
        assert table_pks(r, "review-table") == {review.pk}
        assert ('id="form-start"' in html(r)) == (role == "county")
    detail = client.get(f"/review/quarterly/{review.pk}/")
    assert detail.status_code == (200 if role in READERS else 404)


def test_county_starts_from_the_list(client, world, monkeypatch):
    set_today(monkeypatch, AFTER)
    login(client, world, "county")
    r = client.post("/review/quarterly/", {"year": "2026", "quarter": "3"})
    review = QuarterlyReview.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/review/quarterly/{review.pk}/"
    again = client.post("/review/quarterly/", {"year": "2026", "quarter": "3"})
    assert again.status_code == 200 and "研判已经开始" in html(again)


def test_detail_rows_filter_conclude_sign(client, world, review):
    login(client, world, "county")
    url = f"/review/quarterly/{review.pk}/"
    page = html(client.get(url))
    assert "芒市2026年第3季度驻村干部履职情况分析研判表" in page
    assert "违纪违法受到处理" in page and "无正当理由长期不在岗" in page
    assert "本季度未评议" in page  # no 三讲三评 votes in the quarter (MGT.8.SJSP)
    only = html(client.get(url, {"suggested": "1"}))
    assert "岳文华" in only and "线美玲" in only and "排早腊" not in only
    r = client.post(url, {"action": "sign", "meeting": "芒市领导小组会议"})
    assert r.status_code == 200 and "尚未作出研判结论" in html(r)
    for key, conclusion in (("fs_a", "recall"), ("tm_a", "talk")):
        r = client.post(
            url + "?suggested=1",
            {"action": "conclude", "cadre_id": world.cadres[key].pk, "conclusion": conclusion},
        )
        assert r.status_code == 302 and r["Location"] == url + "?suggested=1"
    r = client.post(url, {"action": "sign", "meeting": "芒市领导小组会议"})
    assert r.status_code == 302
    page = html(client.get(url))
    assert 'id="signed-note"' in page and 'id="form-sign"' not in page
    entry = ReviewEntry.objects.get(review=review, cadre=world.cadres["fs_a"])
    assert f"/review/recalls/new/?entry={entry.pk}" in page
    r = client.post(url, {"action": "conclude", "cadre_id": entry.cadre_id, "conclusion": "talk"})
    assert r.status_code == 200 and "已签发" in html(r)
    r = client.post(
        url,
        {"action": "correct", "cadre_id": entry.cadre_id, "conclusion": "talk", "reason": "复议"},
    )
    assert r.status_code == 302
    assert "已更正" in html(client.get(url))


def test_prefecture_reads_but_has_no_forms(client, world, review):
    login(client, world, "prefecture")
    page = html(client.get(f"/review/quarterly/{review.pk}/"))
    assert "岳文华" in page and 'id="form-sign"' not in page and "conclude-" not in page
    r = client.post(
        f"/review/quarterly/{review.pk}/",
        {"action": "conclude", "cadre_id": world.cadres["fs_a"].pk, "conclusion": "talk"},
    )
    assert r.status_code == 403


def test_print_page_and_xlsx(client, world, review):
    login(client, world, "prefecture")
    p = client.get(f"/review/quarterly/{review.pk}/print/")
    assert p.status_code == 200 and "召回情形提示(条款)" in html(p)
    assert not INLINE.search(html(p))
    x = client.get(f"/review/quarterly/{review.pk}/xlsx/")
    assert x.status_code == 200
    ws = load_workbook(io.BytesIO(x.content)).active
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "芒市2026年第3季度驻村干部履职情况分析研判表"
    assert rows[1][:5] == ("序号", "姓名", "派出单位", "驻村", "职务")
    assert rows[1][5:8] == ("7月出勤率", "8月出勤率", "9月出勤率")
    body = {r[1]: r for r in rows[2:5]}
    assert "违纪违法受到处理(MGT.4.CAUSE)" in body["岳文华"][13]
    assert body["线美玲"][8] == 2 and body["排早腊"][13] == "无"
    assert any(r[0] and str(r[0]).startswith("研判会议") for r in rows)


def _more_cadres(world, n: int) -> None:
    for i in range(n):
        c = registry.cadre_create(
            actor=world.admin,
            data=cadre_data(name=f"测试{i}", serial=100 + i, unit_name="芒市人民医院"),
        )
        registry.posting_create(
            actor=world.admin,
            data={
                "id_number": c.id_number,
                "village_code": world.villages["B"].jurisdiction.code,
                "role": "team_member",
                "arrival_date": dt.date(2024, 3, 1),
            },
        )


def test_detail_queries_do_not_grow_with_rows(
    client, world, monkeypatch, django_assert_max_num_queries
):
    set_today(monkeypatch, AFTER)
    _more_cadres(world, 12)
    review = svc.review_start(actor=world.users["county"], year=YEAR, quarter=QUARTER)
    assert review.entries.count() == 15
    login(client, world, "county")
    # 14 before issue 16; the frame now reads the bell's unread count and the search box's role
    with django_assert_max_num_queries(16):
        assert client.get(f"/review/quarterly/{review.pk}/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/review/quarterly/{review.pk}/?suggested=1").status_code == 200


def test_no_internal_names_on_the_review_pages(client, world, review):
    """Issue 10 point 7 on the pages the crawl of tests/web does not reach without a review."""
    from tests.web.test_visible_words import _xlsx_text, offences, visible

    login(client, world, "county")
    for url in ("/review/", "/review/quarterly/", f"/review/quarterly/{review.pk}/"):
        text, _ = visible(html(client.get(url)))
        assert offences(text) == [], url
    text, _ = visible(html(client.get(f"/review/quarterly/{review.pk}/print/")))
    assert offences(text) == []
    assert offences(_xlsx_text(client.get(f"/review/quarterly/{review.pk}/xlsx/").content)) == []


def test_prefecture_sees_every_county_with_its_state(client, world, review):
    login(client, world, "prefecture")
    r = client.get("/review/quarterly/", {"year": "2026", "quarter": "3"})
    page = html(r)
    section = page.split('id="county-table"')[1].split("</table>")[0]
    assert "芒市" in section and "瑞丽市" in section
    assert "研判中" in section and "未开始" in section
    assert f"/review/quarterly/{review.pk}/" in section
