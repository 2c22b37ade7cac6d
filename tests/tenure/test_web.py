"""Issue 11 pages: term ends (MGT.9.HANDOVER), coverage gaps on the coverage and county home
pages, the handover record (form, print, xlsx), and an ended cadre's pages (GUA.3.LEAVE15)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.web.helpers import html, login
from zhucun.registry import services as reg
from zhucun.registry.models import Posting, PostingStatus
from zhucun.tenure.models import HandoverRecord
from zhucun.tenure.services import handover_save, posting_close

SOON = dt.timedelta(days=30)


@pytest.fixture
def ending(world):
    """fs_b's posting ends in 30 days, nobody replaces them: a gap on the way."""
    from django.utils import timezone

    today = timezone.localdate()
    p = world.postings["fs_b"]
    Posting.objects.filter(pk=p.pk).update(planned_end=today + SOON)
    return p


def test_mgt_9_handover_term_ends_page_for_county_and_unit(client, world, ending):
    login(client, world, "county")
    text = html(client.get("/tenure/term-ends/"))
    assert "排早腊" in text and "尚无接替人员" in text
    login(client, world, "township")
    assert client.get("/tenure/term-ends/").status_code == 404


def test_mgt_9_handover_gap_flagged_on_coverage_and_county_home(client, world, ending):
    login(client, world, "county")
    for url in ("/coverage/", "/"):
        text = html(client.get(url))
        assert 'id="coverage-gaps"' in text and "排早腊" in text, url


def test_handover_record_form_print_and_xlsx(client, world):
    p = world.postings["fs_b"]
    login(client, world, "county")
    r = client.post(
        f"/postings/{p.pk}/handover/",
        {
            "handover_date": "2026-03-01",
            "ongoing_tasks": "茶叶合作社项目验收",
            "households": "走访脱贫户42户",
            "documents": "工作日志3本",
            "funds": "无",
            "receiver_name": "",
            "received_on": "",
        },
    )
    assert r.status_code == 302
    record = HandoverRecord.objects.get(posting=p)
    text = html(client.get(f"/tenure/handover/{record.pk}/print/"))
    assert "轮换交接清单" in text and "茶叶合作社项目验收" in text and "派出单位(盖章)" in text
    r = client.get(f"/tenure/handover/{record.pk}/xlsx/")
    ws = load_workbook(io.BytesIO(r.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert values[0] == "驻村第一书记和工作队员轮换交接清单"
    assert "走访脱贫户42户" in values and "排早腊" in values
    # out of scope: another county's organisation department does not see it
    login(client, world, "unit")  # 芒市人民医院: fs_b is not its cadre
    assert client.get(f"/tenure/handover/{record.pk}/print/").status_code == 404


def test_handover_save_refuses_overlong_text(world):
    from zhucun.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        handover_save(
            actor=world.admin,
            posting_id=world.postings["fs_b"].pk,
            data={"handover_date": "2026-03-01", "funds": "字" * 2001},
        )
    assert "funds" in exc.value.errors


def test_gua_3_leave15_ended_cadre_signs_in_and_sees_history_and_leave(client, world):
    fs = world.postings["fs_a"]
    posting_close(actor=world.admin, posting_id=fs.pk, end_date=dt.date(2026, 3, 1), cause="term")
    login(client, world, "first_secretary")
    for url in ("/", "/m/leave/", "/tenure/mine/", "/postings/"):
        assert client.get(url).status_code == 200, url
    text = html(client.get("/tenure/mine/"))
    assert "弄坎村" in text and "任期届满" in text
    assert "2026-03-02 至 2026-03-16" in text
    assert "驻村结束补假" in html(client.get("/m/leave/"))
    # the unit sees the leave of its cadre on the posting page
    tm = world.postings["tm_a"]
    posting_close(actor=world.admin, posting_id=tm.pk, end_date=dt.date(2026, 3, 1), cause="term")
    login(client, world, "unit")
    assert "2026-03-02 至 2026-03-16" in html(client.get(f"/postings/{tm.pk}/"))


def test_posting_detail_shows_mgt_status(client, world):
    login(client, world, "county")
    text = html(client.get(f"/postings/{world.postings['fs_b'].pk}/"))
    assert "脱产驻村,不承担派出单位工作" in text and "不参加村级组织换届选举" in text


def test_posting_close_with_replacement_shows_no_gap(client, world, ending):
    from django.utils import timezone

    reg.posting_create(
        actor=world.admin,
        data={
            "id_number": world.cadres["spare"].id_number,
            "village_code": world.villages["B"].jurisdiction.code,
            "role": "first_secretary",
            "arrival_date": timezone.localdate() + dt.timedelta(days=20),
            "planned_end": None,
            "status": PostingStatus.PLANNED,
        },
    )
    login(client, world, "county")
    text = html(client.get("/tenure/term-ends/"))
    assert "已派驻:赵小兵" in text
    assert 'id="coverage-gaps"' in html(client.get("/coverage/"))
    assert (
        "排早腊"
        not in html(client.get("/coverage/")).split('id="coverage-gaps"')[1].split("</section>")[0]
    )


def test_gua_3_leave15_exported_with_the_roster(client, world):
    posting_close(
        actor=world.admin,
        posting_id=world.postings["fs_b"].pk,
        end_date=dt.date(2026, 3, 1),
        cause="term",
    )
    login(client, world, "county")
    r = client.get("/export/roster/", {"status": ""})
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    header = rows[2]
    assert header[-3:] == ["实际结束", "结束原因", "驻村结束补假"]
    (row,) = [r for r in rows if "排早腊" in r]
    assert row[-2:] == ["任期届满", "2026-03-02至2026-03-16"]
    (other,) = [r for r in rows if "岳文华" in r]
    assert other[-2:] == [None, None] or other[-2:] == ["", ""]
