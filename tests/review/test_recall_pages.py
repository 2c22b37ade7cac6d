"""召回撤换 pages (MGT.4.CAUSE, MGT.4.CONSEQ): the county's form with the five causes, the
detail with the ban end and the replacement deadline, the lists by role, the posting's link,
the cadre's red banner and 干部管理档案 section, and the personnel-file export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.web.helpers import ROLES, html, login, table_pks
from zhucun.policy.review import RECALL_CAUSE_LABELS
from zhucun.review.models import Recall

from .recall_helpers import BAN_END, recall


def _form(world, **over):
    data = {
        "posting_id": str(world.postings["tm_a"].pk),
        "cause": "discipline",
        "evidence": "2026年2月因收受财物受到党纪处分",
        "deciding_body": "芒市驻村工作领导协调机构",
        "decided_on": "2026-03-15",
        "reference": "芒驻村〔2026〕5号",
    }
    data.update(over)
    return data


def test_mgt_4_cause_form_lists_five_causes_and_records(client, world):
    login(client, world, "county")
    p = world.postings["tm_a"]
    text = html(client.get(f"/review/recalls/new/?posting={p.pk}"))
    for label in RECALL_CAUSE_LABELS.values():
        assert label in text
    assert f'value="{p.pk}" selected' in text
    r = client.post(f"/review/recalls/new/?posting={p.pk}", _form(world), follow=True)
    assert r.status_code == 200
    recall_ = Recall.objects.get()
    assert recall_.cause == "discipline" and recall_.ban_until == BAN_END
    text = html(r)
    assert "2029年3月15日" in text  # ban end, in the message and the banner
    assert recall_.replacement_due.isoformat() in text
    assert "违纪违法受到处理" in text


def test_mgt_4_cause_form_shows_field_errors(client, world):
    login(client, world, "county")
    r = client.post("/review/recalls/new/", _form(world, cause="", evidence=""))
    assert r.status_code == 200
    text = html(r)
    assert 'id="error_cause"' in text and 'id="error_evidence"' in text
    r = client.post("/review/recalls/new/", _form(world, decided_on="2099-01-01"))
    assert 'id="error_decided_on"' in html(r)
    assert not Recall.objects.exists()


@pytest.mark.parametrize("role", ["prefecture", "township", "unit", "first_secretary"])
def test_mgt_4_cause_form_refused_to_others(client, world, role):
    login(client, world, role)
    r = client.get("/review/recalls/new/")
    assert r.status_code == 403
    if role != "first_secretary":
        assert "县级驻村工作领导协调机构" in html(r)


def test_mgt_4_conseq_lists_and_detail_by_role(client, world):
    r = recall(world)
    for role in ROLES:
        login(client, world, role)
        lst = client.get("/review/recalls/")
        due = client.get("/review/replacements/")
        det = client.get(f"/review/recalls/{r.pk}/")
        if role in ("admin", "prefecture", "county", "township", "unit"):
            assert r.pk in table_pks(lst, "recall-table"), role
            assert r.pk in table_pks(due, "replacement-table"), role
            assert det.status_code == 200 and "2029年3月15日" in html(det)
        else:
            assert lst.status_code == 403 and due.status_code == 403, role
            assert det.status_code == 403, role


def test_mgt_4_conseq_replacements_page_marks_overdue(client, world, monkeypatch):
    r = recall(world)
    login(client, world, "county")
    monkeypatch.setattr(timezone, "localdate", lambda *a: r.replacement_due)
    text = html(client.get("/review/replacements/"))
    assert "未到期" in text and "已逾期" not in text
    later = r.replacement_due + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a: later)
    assert "已逾期" in html(client.get("/review/replacements/"))


def test_posting_detail_links_recall_for_the_county_only(client, world):
    p = world.postings["tm_a"]
    login(client, world, "county")
    assert 'id="recall-button"' in html(client.get(f"/postings/{p.pk}/"))
    login(client, world, "township")
    assert 'id="recall-button"' not in html(client.get(f"/postings/{p.pk}/"))


def test_mgt_4_conseq_cadre_page_shows_ban_banner_and_file(client, world, monkeypatch):
    recall(world)
    cadre = world.cadres["tm_a"]
    login(client, world, "unit")
    text = html(client.get(f"/cadres/{cadre.pk}/"))
    assert "召回撤换,至2029年3月15日(含)不得提拔使用和晋升职级(MGT.4.CONSEQ)" in text
    assert "干部管理档案" in text and "芒驻村〔2026〕3号" in text
    monkeypatch.setattr(timezone, "localdate", lambda *a: BAN_END + dt.timedelta(days=1))
    text = html(client.get(f"/cadres/{cadre.pk}/"))
    assert 'id="promotion-ban"' not in text
    assert "芒驻村〔2026〕3号" in text  # the file entry stays


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def test_mgt_4_conseq_personnel_file_xlsx_masks_and_keeps_text(client, world):
    recall(world, evidence='=HYPERLINK("http://x")缺勤', reference="芒驻村〔2026〕7号")
    cadre = world.cadres["tm_a"]
    login(client, world, "township")  # a masked role
    book = _book(client.get(f"/cadres/{cadre.pk}/file.xlsx"))
    head = {
        row[0].value: row[1].value
        for row in book["干部管理档案记载"].iter_rows(min_row=2, max_row=6)
    }
    assert head["身份证号"] != cadre.id_number and "*" in head["身份证号"]
    assert "2029年3月15日" in head["提拔使用限制"]
    cells = [c for row in book["召回撤换"].iter_rows() for c in row if c.value]
    evidence = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert evidence.data_type == "s"  # kept as text, never a formula
    entries = [
        r for r in book["干部管理档案记载"].iter_rows(values_only=True) if r[0] == "MGT.4.CONSEQ"
    ]
    assert entries and "芒驻村〔2026〕7号" in entries[0][2]
    login(client, world, "unit")  # the cadre's own unit sees the full number
    book = _book(client.get(f"/cadres/{cadre.pk}/file.xlsx"))
    head = {
        row[0].value: row[1].value
        for row in book["干部管理档案记载"].iter_rows(min_row=2, max_row=6)
    }
    assert head["身份证号"] == cadre.id_number
    login(client, world, "village_secretary")  # not in scope: as if it did not exist
    assert client.get(f"/cadres/{cadre.pk}/file.xlsx").status_code == 404


def test_mgt_4_conseq_cadre_list_marks_the_banned_cadre(client, world):
    recall(world)
    login(client, world, "county")
    text = html(client.get("/cadres/"))
    row = text[text.index(f'href="/cadres/{world.cadres["tm_a"].pk}/"') :][:400]
    assert "召回撤换" in row
    other = text[text.index(f'href="/cadres/{world.cadres["fs_b"].pk}/"') :][:200]
    assert "召回撤换" not in other.split("</td>")[0]
