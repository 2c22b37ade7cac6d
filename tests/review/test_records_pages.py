"""The 纪律处理记录 (MGT.10) and 谈心谈话 (GUA.3.TALK) pages: lists scoped by role, entry with
the cadre chosen among those in scope (prefilled by ?cadre=), Chinese errors with the input
kept, the correction chain and form, the xlsx export, the overdue list citing its clause and
parameter — and no internal word on any of them."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from tests.web.helpers import ROLES, html, login, table_pks
from tests.web.test_visible_words import offences, plain_names, visible
from zhucun.review.models import DisciplineRecord, Talk
from zhucun.review.services.discipline import discipline_record_create
from zhucun.review.services.talks import talk_create

INLINE = re.compile(r"""<style\b|\sstyle\s*=|<script(?![^>]*\bsrc=)|\son[a-z]+\s*=""", re.I)
SEES_RECORD = {"admin", "prefecture", "county", "township", "unit"}  # of 线美玲 (芒市人民医院)
WRITERS = {"admin", "prefecture", "county", "township"}
TALKERS = WRITERS | {"unit"}
PAGES = [
    "/review/discipline/",
    "/review/discipline/new/",
    "/review/talks/",
    "/review/talks/new/",
    "/review/talks/overdue/",
]


def make_record(world, role="county", cadre="tm_a", **over):
    data = {
        "occurred_on": dt.date(2025, 4, 8),
        "description": "工作日多次不在村",
        "found_by": "县驻村办督查组",
        "outcome": "admonition",
        "prohibition": "reside",
        **over,
    }
    return discipline_record_create(
        actor=world.users[role], cadre_id=world.cadres[cadre].pk, **data
    )


def post_data(world, cadre="tm_a", **over):
    return {
        "cadre_id": str(world.cadres[cadre].pk),
        "occurred_on": "2025-04-08",
        "prohibition": "diligent",
        "description": "虚报走访户数",
        "found_by": "群众举报",
        "outcome": "criticism",
        "decided_on": "2025-04-20",
        **over,
    }


@pytest.mark.parametrize("role", ROLES)
def test_lists_are_scoped_by_role(client, world, role):
    r = make_record(world)
    t = talk_create(
        actor=world.users["unit"],
        cadre_id=world.cadres["tm_a"].pk,
        held_on=dt.date(2026, 4, 1),
        talker="王院长",
        topics="生活困难",
    )
    login(client, world, role)
    page = client.get("/review/discipline/")
    assert page.status_code == (200 if role in SEES_RECORD else 403)
    if role in SEES_RECORD:
        assert table_pks(page, "discipline-table") == {r.pk}
        assert ('id="new-discipline"' in html(page)) == (role in WRITERS)
    detail = client.get(f"/review/discipline/{r.pk}/")
    assert detail.status_code == (200 if role in SEES_RECORD else 404)
    if role in SEES_RECORD:
        assert ('id="discipline-correct"' in html(detail)) == (role in WRITERS)
    talks = client.get("/review/talks/")
    assert talks.status_code == (200 if role in TALKERS else 403)
    if role in TALKERS:
        assert table_pks(talks, "talk-table") == {t.pk}
    assert client.get("/review/discipline/new/").status_code == (200 if role in WRITERS else 403)
    assert client.get("/review/talks/new/").status_code == (200 if role in TALKERS else 403)
    overdue = client.get("/review/talks/overdue/").status_code
    assert overdue == (200 if role in TALKERS else 403)


def test_township_enters_a_record_and_errors_keep_input(client, world):
    login(client, world, "township")
    bad = client.post("/review/discipline/new/", post_data(world, occurred_on="1999-01-01"))
    assert bad.status_code == 200
    text = html(bad)
    assert "不能早于2000年" in text and "虚报走访户数" in text
    assert not DisciplineRecord.objects.exists()
    ok = client.post("/review/discipline/new/", post_data(world))
    r = DisciplineRecord.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/review/discipline/{r.pk}/"
    assert (r.recorder_kind, r.prohibition, r.outcome) == ("township", "diligent", "criticism")
    page = html(client.get(ok["Location"]))
    assert "必须踏实干事、严禁欺骗群众" in page and "批评教育" in page and "遮放镇" in page


def test_cadre_outside_scope_is_refused_and_not_offered(client, world):
    login(client, world, "county")
    form = html(client.get("/review/discipline/new/"))
    assert "线美玲" in form and "李国强" not in form  # 瑞丽市's cadre is not offered
    r = client.post("/review/discipline/new/", post_data(world, cadre="fs_c"))
    assert r.status_code == 404 and not DisciplineRecord.objects.exists()


def test_unit_cannot_post_a_record(client, world):
    login(client, world, "unit")
    r = client.post("/review/discipline/new/", post_data(world))
    assert r.status_code == 403 and "MGT.10" in html(r)
    assert not DisciplineRecord.objects.exists()


def test_cadre_param_prefills_the_select(client, world):
    login(client, world, "county")
    pk = world.cadres["fs_a"].pk
    text = html(client.get(f"/review/discipline/new/?cadre={pk}"))
    assert f'<option value="{pk}" selected>' in text
    text = html(client.get(f"/review/talks/new/?cadre={pk}"))
    assert f'<option value="{pk}" selected>' in text


def test_correction_from_the_detail_page(client, world):
    old = make_record(world, "township")
    login(client, world, "county")
    bad = client.post(f"/review/discipline/{old.pk}/", post_data(world, reason=""))
    assert bad.status_code == 200 and "不能为空" in html(bad)
    r = client.post(f"/review/discipline/{old.pk}/", post_data(world, reason="复核后改为批评教育"))
    new = DisciplineRecord.objects.get(supersedes=old)
    assert r.status_code == 302 and r["Location"] == f"/review/discipline/{new.pk}/"
    old_page = html(client.get(f"/review/discipline/{old.pk}/"))
    assert "已更正" in old_page and 'id="discipline-correct"' not in old_page
    assert table_pks(client.get(f"/review/discipline/{new.pk}/"), "chain-table") == {
        old.pk,
        new.pk,
    }
    again = client.post(f"/review/discipline/{old.pk}/", post_data(world, reason="再改"))
    assert again.status_code == 302 and DisciplineRecord.objects.count() == 2
    listed = client.get("/review/discipline/?standing=1")
    assert table_pks(listed, "discipline-table") == {new.pk}


def test_discipline_xlsx_export_in_chinese(client, world):
    make_record(world, description="工作日多次不在村\n群众反映")
    plain_names(world)
    login(client, world, "county")
    r = client.get("/review/discipline/?format=xlsx")
    assert r.status_code == 200 and "spreadsheetml" in r["Content-Type"]
    book = load_workbook(io.BytesIO(r.content))
    rows = [[c for c in row if c is not None] for row in book.active.iter_rows(values_only=True)]
    header, first = rows[1], rows[2]
    assert header[:4] == ["干部", "派出单位", "发生日期", "八必须、八严禁类别"]
    assert first[0] == "线美玲" and "必须驻村入户、严禁挂名走读" in first
    assert "诫勉谈话" in first and "有效" in first and "工作日多次不在村\n群众反映" in first
    assert book.active["E3"].data_type == "s"


def test_unit_records_a_talk_and_overdue_page_cites_the_rule(client, world):
    login(client, world, "unit")
    page = html(client.get("/review/talks/overdue/"))
    assert "线美玲" in page and "GUA.3.TALK" in page and "超过3个月" in page
    r = client.post(
        "/review/talks/new/",
        {
            "cadre_id": str(world.cadres["tm_a"].pk),
            "held_on": dt.date.today().isoformat(),
            "talker": "王院长(院党委书记)",
            "topics": "驻村生活",
            "follow_up": "",
        },
    )
    assert r.status_code == 302 and Talk.objects.get().talker_kind == "unit"
    assert 'data-cadre="' not in html(client.get("/review/talks/overdue/"))
    bad = client.post("/review/talks/new/", {"cadre_id": "", "held_on": "x", "topics": "内容"})
    assert bad.status_code == 200 and "请选择干部" in html(bad) and "内容" in html(bad)


@pytest.mark.parametrize("role", ["county", "unit", "team_member"])
def test_pages_show_no_internal_words_and_no_inline_code(client, world, role):
    old = make_record(world)
    make_record(world, cadre="fs_a")
    from zhucun.review.services.discipline import discipline_record_supersede

    discipline_record_supersede(
        actor=world.users["county"],
        record_id=old.pk,
        reason="复核",
        occurred_on=dt.date(2025, 4, 8),
        description="更正后的事实",
        found_by="县纪委",
        outcome="sanction",
        prohibition="integrity",
    )
    talk_create(
        actor=world.users["county"],
        cadre_id=world.cadres["tm_a"].pk,
        held_on=dt.date(2025, 1, 2),
        talker="李部长",
        topics="工作",
    )
    plain_names(world)
    login(client, world, role)
    urls = [*PAGES, *(f"/review/discipline/{r.pk}/" for r in DisciplineRecord.objects.all())]
    for url in urls:
        r = client.get(url)
        if r.status_code != 200:
            continue
        text, _ = visible(html(r))
        assert offences(text) == [], url
        assert not INLINE.search(html(r)), url


@pytest.mark.parametrize("role", ["first_secretary", "team_member", "village_secretary"])
def test_mgt_10_gua_3_talk_cadres_are_refused_the_record_pages(client, world, role):
    """MGT.10 / GUA.3.TALK: records about cadres are not shown to the cadres (403 with why)."""
    login(client, world, role)
    for url in ("/review/discipline/", "/review/talks/", "/review/talks/overdue/"):
        r = client.get(url)
        assert r.status_code == 403, url
        assert "录入" in html(r), url
