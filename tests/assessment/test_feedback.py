"""MGT.5.FEEDBACK: "由县级驻村工作领导协调机构反馈派出单位,作为评先评优、提拔使用、晋升职级、
评定职称的重要依据". A finalised result reaches the cadre's unit (its inbox, home line,
notice), a draft never does, another unit never sees it; the unit's 签收 records when; the
notice and the 优秀 list (GUA.3.PRIORITY) keep text as text."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.assessment.feedback_helpers import assessment
from tests.web.helpers import html, login, table_pks
from zhucun.accounts.models import User, UserRole
from zhucun.assessment.models import Assessment
from zhucun.assessment.notice_export import FEEDBACK_SENTENCE, PRIORITY_NOTE
from zhucun.assessment.selectors import feedback as sel
from zhucun.assessment.services.feedback import assessment_results_receive
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.registry.models import Cadre, Jurisdiction

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(world):
    """线美玲 (芒市人民医院) 2025 优秀, final; her term-end result still a draft; 岳文华
    (州农业农村局) 2025 称职, final."""
    return {
        "tm_a": assessment(world, "tm_a", grade="excellent"),
        "draft": assessment(world, "tm_a", kind="term_end", year=2026, final=False),
        "fs_a": assessment(world, "fs_a", grade="competent"),
    }


@pytest.fixture
def pref_unit(world):
    return User.objects.create_user(
        "pref_unit", password="pw", role=UserRole.UNIT, unit=world.units["pref"]
    )


def test_mgt_5_feedback_final_result_reaches_the_unit_not_a_draft(world, results, client):
    unit = world.users["unit"]
    got = list(sel.results_for_unit(user=unit))
    assert got == [results["tm_a"]]
    assert sel.unreceived_count(user=unit) == 1
    login(client, world, "unit")
    r = client.get("/assessment/results/")
    assert r.status_code == 200
    assert table_pks(r, "result-table") == {results["tm_a"].pk}
    page = html(r)
    assert "待签收" in page and 'id="form-receive"' in page
    assert "优先考虑提拔任用" in page
    tm_a = results["tm_a"]
    link = f"/assessment/results/notice.xlsx?year=2025&amp;county={tm_a.county_id}&amp;unit="
    assert 'id="notice-list"' in page and link in page
    home = html(client.get("/"))  # the unit's 待办: one result to sign for
    assert 'data-kind="assessment_receive"' in home and "待签收的考核结果" in home


def test_mgt_5_feedback_another_unit_does_not_see_it(world, results, pref_unit, client):
    assert list(sel.results_for_unit(user=pref_unit)) == [results["fs_a"]]
    client.force_login(pref_unit)
    r = client.get("/assessment/results/")
    assert table_pks(r, "result-table") == {results["fs_a"].pk}
    tm_a = results["tm_a"]
    notice = f"/assessment/results/notice/?year=2025&county={tm_a.county_id}&unit={world.units['mangshi'].pk}"
    # the pref unit's own notice is shown, whatever unit it asks for: never the other unit's
    r = client.get(notice)
    assert r.status_code == 200 and "线美玲" not in html(r) and "岳文华" in html(r)
    for role in ("first_secretary", "team_member", "village_secretary"):
        login(client, world, role)
        assert client.get("/assessment/results/").status_code == 403
        assert client.get(notice).status_code == 404


def test_mgt_5_feedback_county_reads_its_area_and_cannot_receive(world, results, client):
    county = world.users["county"]
    assert set(sel.results_for_unit(user=county)) == {results["tm_a"], results["fs_a"]}
    with pytest.raises(Forbidden):
        assessment_results_receive(actor=county)
    login(client, world, "county")
    assert client.post("/assessment/results/").status_code == 403
    assert Assessment.objects.filter(unit_received_at__isnull=False).count() == 0


def test_mgt_5_feedback_receive_clears_the_inbox_and_is_audited(world, results, client):
    unit = login(client, world, "unit")
    with pytest.raises(ValidationFailed) as exc:
        assessment_results_receive(actor=unit, year=1800)
    assert set(exc.value.errors) == {"year"}
    assert assessment_results_receive(actor=unit, year=2024) == 0
    r = client.post("/assessment/results/", {"year": "2025"})
    assert r.status_code == 302
    received = Assessment.objects.get(pk=results["tm_a"].pk)
    assert received.unit_received_at is not None
    # the other unit's and the draft stay as they were
    assert Assessment.objects.filter(unit_received_at__isnull=False).count() == 1
    assert sel.unreceived_count(user=unit) == 0
    event = Event.objects.get(action="assessment.receive")
    assert event.object_id == str(received.pk)
    assert assessment_results_receive(actor=unit) == 0  # twice changes nothing
    page = html(client.get("/assessment/results/"))
    assert "已签收" in page and 'id="form-receive"' not in page
    assert 'data-kind="assessment_receive"' not in html(client.get("/"))


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def _texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_mgt_5_feedback_notice_keeps_text_as_text_and_cites_the_use(world, results, client):
    tm_a = results["tm_a"]
    Cadre.objects.filter(pk=tm_a.cadre_id).update(name="=HYPERLINK(1)")
    login(client, world, "unit")
    query = f"?year=2025&county={tm_a.county_id}"
    page = html(client.get("/assessment/results/notice/" + query))
    assert "关于反馈2025年度驻村第一书记和工作队员考核结果的通知" in page
    assert "芒市人民医院:" in page and "芒市驻村工作领导协调机构(盖章)" in page
    assert "2026年1月20日" in page
    assert FEEDBACK_SENTENCE in page and PRIORITY_NOTE in page
    ws = _sheet(client.get("/assessment/results/notice.xlsx" + query))
    texts = _texts(ws)
    assert "关于反馈2025年度驻村第一书记和工作队员考核结果的通知" in texts
    assert any("作为评先评优、提拔使用、晋升职级、评定职称的重要依据" in t for t in texts)
    assert PRIORITY_NOTE in texts
    assert ["序号", "姓名", "驻村村(社区)", "驻村职务", "考核等次", "备注"] in [
        [c.value for c in row][:6] for row in ws.iter_rows()
    ]
    [name] = [c for row in ws.iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert name.data_type == "s"  # text, never a formula
    row = [c.value for c in ws[name.row]]
    assert row[2] == "遮放镇弄坎村" and row[4] == "优秀" and "GUA.3.PRIORITY" in row[5]


def test_mgt_5_feedback_county_prints_the_notice_of_each_unit(world, results, client):
    login(client, world, "county")
    fs_a = results["fs_a"]
    r = client.get(
        f"/assessment/results/notice/?year=2025&county={fs_a.county_id}&unit={world.units['pref'].pk}"
    )
    page = html(r)
    assert r.status_code == 200 and "德宏州农业农村局:" in page and "岳文华" in page
    assert FEEDBACK_SENTENCE in page and PRIORITY_NOTE not in page  # no 优秀 in this one
    assert client.get("/assessment/results/notice/?year=2025").status_code == 404
    ruili = Jurisdiction.objects.get(code="533102000000")
    missing = (
        f"/assessment/results/notice/?year=2025&county={ruili.pk}&unit={world.units['pref'].pk}"
    )
    assert client.get(missing).status_code == 404


def test_gua_3_priority_excellent_list_names_only_the_excellent(world, results, client):
    assert list(sel.excellent_results(user=world.users["prefecture"])) == [results["tm_a"]]
    login(client, world, "prefecture")
    ws = _sheet(client.get("/assessment/results/excellent.xlsx"))
    texts = _texts(ws)
    assert texts[0] == "驻村考核优秀干部名单"
    assert "线美玲" in texts and "岳文华" not in texts
    assert any("GUA.3.PRIORITY" in t and "线美玲" in t for t in texts)
    login(client, world, "unit")
    ws = _sheet(client.get("/assessment/results/excellent.xlsx"))
    assert _texts(ws)[0] == "芒市人民医院驻村考核优秀干部名单"


@pytest.mark.parametrize("role", ["unit", "county", "prefecture", "township", "admin"])
def test_feedback_pages_show_no_internal_names(world, results, client, role):
    from tests.web.test_visible_words import _xlsx_text, offences, plain_names, visible

    plain_names(world)
    login(client, world, role)
    tm_a = results["tm_a"]
    query = f"?year=2025&county={tm_a.county_id}&unit={world.units['mangshi'].pk}"
    urls = [
        "/",
        "/assessment/results/",
        "/assessment/results/?unreceived=1&year=2025",
        "/assessment/results/notice/" + query,
        "/cadres/",
        f"/cadres/{tm_a.cadre_id}/",
    ]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        text, _ = visible(html(r))
        assert not offences(text), (url, offences(text))
    for url in ("/assessment/results/notice.xlsx" + query, "/assessment/results/excellent.xlsx"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert not offences(_xlsx_text(r.content)), url
