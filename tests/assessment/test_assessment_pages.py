"""驻村干部考核 pages (MGT.5.ANNUAL, MGT.5.INPUT, MGT.5.GRADE): each role's access, the
county's "开始YYYY年度考核" and its quota box (unset ⇒ said so), the draft's facts shown
without typing, the opinion / grade / finalise forms by POST with Chinese refusals, the
quota decision field when the quota is full, the read-only finalised page, the 考核登记表
print page and .xlsx."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from tests.assessment.assessment_helpers import YEAR, ready, set_ratio, sjsp
from tests.review.quarterly_helpers import month_row
from tests.web.helpers import ROLES, html, login, table_pks
from zhucun.assessment.models import Assessment, AssessmentState
from zhucun.assessment.services import assessments as svc

READERS = {"admin", "prefecture", "county", "township", "unit"}
INLINE = re.compile(r"""<style\b|\sstyle\s*=|<script(?![^>]*\bsrc=)|\son[a-z]+\s*=""", re.I)


@pytest.fixture
def drafts(world):
    month_row(world.postings["tm_a"], dt.date(2025, 5, 1), short=False)
    sjsp(world, "A", world.cadres["tm_a"], year=2025, quarter=2, votes={"villagers": (9, 0, 1, 0)})
    svc.assessment_start(actor=world.users["county"], year=YEAR)
    return {
        k: Assessment.objects.get(cadre=world.cadres[k], year=YEAR)
        for k in ("fs_a", "tm_a", "fs_b")
    }


@pytest.mark.parametrize("role", ROLES)
def test_mgt_5_annual_list_by_role(client, world, drafts, role):
    login(client, world, role)
    r = client.get(f"/assessments/?year={YEAR}")
    assert r.status_code == (200 if role in READERS else 403)
    if role not in READERS:
        return
    expected = {a.pk for a in drafts.values()}
    if role == "unit":  # a unit: its cadres' finalised ones only
        expected = set()
    assert table_pks(r, "assessment-table") == expected
    assert ('id="form-start"' in html(r)) == (role == "county")
    assert not INLINE.search(html(r))
    detail = client.get(f"/assessments/{drafts['tm_a'].pk}/")
    assert detail.status_code == (200 if role in READERS - {"unit"} else 404)


def test_mgt_5_grade_quota_box_unset_then_figures(client, world, drafts):
    login(client, world, "county")
    r = client.get(f"/assessments/?year={YEAR}")
    assert "本辖区尚未设置优秀比例" in html(r)
    assert f"开始{YEAR}年度考核" in html(r)
    set_ratio(world, "0.5")
    r = client.get(f"/assessments/?year={YEAR}")
    assert "名额 1(参加考核 3 人 × 50%) 已用 0" in html(r)


def test_mgt_5_annual_start_by_post(client, world):
    login(client, world, "county")
    r = client.post("/assessments/", {"year": str(YEAR)})
    assert r.status_code == 302
    assert Assessment.objects.filter(year=YEAR).count() == 3
    r = client.post("/assessments/", {"year": "abc"}, follow=True)
    assert "年度应为" in html(r)


def test_mgt_5_annual_draft_shows_facts_without_typing(client, world, drafts):
    login(client, world, "county")
    r = client.get(f"/assessments/{drafts['tm_a'].pk}/")
    text = html(r)
    assert "5月100.0%(21/21天)" in text
    assert "2025年第2季度90.0%(9/10)" in text
    assert "待相应模块上线" not in text  # meetings, visits, reports, training all provided
    assert "参加工作例会0次(MGT.2)" in text
    assert text.count('name="action" value="opinion"') == 3
    assert 'name="quota_decision"' in text  # the ratio is unset: a 优秀 needs a decision


def test_mgt_5_input_and_grade_by_post_with_chinese_refusals(client, world, drafts):
    login(client, world, "county")
    pk = drafts["tm_a"].pk
    url = f"/assessments/{pk}/"
    r = client.post(url, {"action": "grade", "appraisal": "扎实", "grade": "良好"})
    assert "考核等次应为:优秀、称职、基本称职、不称职" in html(r)
    r = client.post(url, {"action": "grade", "appraisal": "扎实", "grade": "competent"})
    assert r.status_code == 302
    r = client.post(url, {"action": "finalise"})
    assert "尚未听取村(社区)干部、党员、群众的意见" in html(r)
    for group in ("village_cadres", "party_members", "villagers"):
        r = client.post(url, {"action": "opinion", "group": group, "source": "座谈", "text": "好"})
        assert r.status_code == 302
    r = client.post(url, {"action": "finalise"})
    assert r.status_code == 302
    page = html(client.get(url))
    assert 'id="form-grade"' not in page and "已确定等次" in page
    assert Assessment.objects.get(pk=pk).state == AssessmentState.FINAL
    # the unit (芒市人民医院) now sees its cadre's finalised result, not another unit's draft
    login(client, world, "unit")
    assert client.get(url).status_code == 200
    assert client.get(f"/assessments/{drafts['fs_a'].pk}/").status_code == 404


def test_mgt_5_grade_decision_field_when_quota_full(client, world, drafts):
    set_ratio(world, "0.34")  # 1 place
    ready(world, drafts["fs_a"].pk, "优秀")
    svc.assessment_finalise(actor=world.users["county"], assessment_id=drafts["fs_a"].pk)
    login(client, world, "county")
    url = f"/assessments/{drafts['tm_a'].pk}/"
    assert 'name="quota_decision"' in html(client.get(url))
    ready(world, drafts["tm_a"].pk, "优秀")
    r = client.post(url, {"action": "finalise"})
    assert "名额1名已用1名" in html(r)
    url_fs_b = f"/assessments/{drafts['fs_b'].pk}/"
    assert "已用 1" in html(client.get(url_fs_b))


def test_mgt_5_annual_register_form_print_and_xlsx(client, world, drafts):
    a = drafts["tm_a"]
    ready(world, a.pk, "称职")
    login(client, world, "county")
    r = client.get(f"/assessments/{a.pk}/print/")
    text = html(r)
    for label in ("姓名", "派出单位及职务", "驻村村(社区)及职务", "考核期", "月度出勤率"):
        assert label in text
    assert "村(社区)干部意见" in text and "群众意见" in text and "县级党委组织部门意见" in text
    assert "称职(考核中,尚未确定)" in text
    x = client.get(f"/assessments/{a.pk}/xlsx/")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(x.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert values[0] == "驻村干部2025年度考核登记表"
    assert "线美玲" in values and "考核等次" in values and "县级党委组织部门意见" in values
    assert any("三讲三评" in str(v) for v in values)


@pytest.mark.parametrize("role", ["county", "prefecture", "township", "unit"])
def test_assessment_pages_show_no_internal_names(client, world, drafts, role):
    """The visible-words guard (tests/web/test_visible_words.py) on these pages: the crawl
    reaches them once the nav links them; here they are read directly."""
    from tests.web.test_visible_words import _xlsx_text, offences, plain_names, visible

    plain_names(world)
    set_ratio(world, "0.5")
    ready(world, drafts["tm_a"].pk, "优秀")
    svc.assessment_finalise(actor=world.users["county"], assessment_id=drafts["tm_a"].pk)
    login(client, world, role)
    urls = [f"/assessments/?year={YEAR}"]
    for a in drafts.values():
        urls += [f"/assessments/{a.pk}/", f"/assessments/{a.pk}/print/"]
    for url in urls:
        r = client.get(url)
        if r.status_code == 404:
            continue
        assert r.status_code == 200, url
        text, _ = visible(html(r))
        assert offences(text) == [], (url, offences(text))
    x = client.get(f"/assessments/{drafts['tm_a'].pk}/xlsx/")
    assert offences(_xlsx_text(x.content)) == []


def test_mgt_5_annual_term_end_started_from_the_list(client, world, monkeypatch):
    """The county starts a 驻村期满考核 from the list: postings ending soon are offered."""
    import datetime as dt

    from django.utils import timezone

    from zhucun.assessment.models import Assessment

    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2026, 2, 1))
    login(client, world, "county")
    page = html(client.get("/assessments/"))
    posting = world.postings["fs_a"]  # planned end 2026-03-01: within the notice window
    assert f'<option value="{posting.pk}">' in page and "开始期满考核" in page
    r = client.post("/assessments/", {"action": "term_end", "posting_id": str(posting.pk)})
    a = Assessment.objects.get(kind="term_end")
    assert r.status_code == 302 and r["Location"] == f"/assessments/{a.pk}/"
    assert (a.period_start, a.period_end) == (posting.arrival_date, posting.planned_end)
    assert f'<option value="{posting.pk}">' not in html(client.get("/assessments/"))
