"""驻村干部考核 through the API (MGT.5.ANNUAL, MGT.5.INPUT, MGT.5.GRADE): every role × every
endpoint with the exact status — outside the reading scope 404, readers that do not act 403,
only the county's own organisation department acts — plus the facts of the detail, the
Chinese field errors and the quota figures."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.test_permission_matrix import ROLES
from tests.assessment.assessment_helpers import YEAR, ready, set_ratio, sjsp
from zhucun.assessment.models import Assessment, AssessmentOpinion
from zhucun.assessment.services import assessments as svc

READERS = {"admin", "prefecture", "county", "township"}  # a unit: its finalised ones only
ACTOR = "county"


@pytest.fixture
def a(world):
    sjsp(world, "A", world.cadres["tm_a"], year=2025, quarter=4, votes={"villagers": (3, 1, 0, 0)})
    svc.assessment_start(actor=world.users["county"], year=YEAR)
    return Assessment.objects.get(cadre=world.cadres["tm_a"], year=YEAR)


def _act(role: str, ok: int) -> int:
    if role == ACTOR:
        return ok
    return 403 if role in READERS else 404


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(api, world, a, role):
    c = api(role)
    r = c.get("/assessments", {"year": YEAR})
    assert r.status_code == 200
    assert (a.pk in {x["id"] for x in r.json()["results"]}) == (role in READERS)
    assert c.get(f"/assessments/{a.pk}").status_code == (200 if role in READERS else 404)


@pytest.mark.parametrize("role", ROLES)
def test_unit_reads_its_finalised_result(api, world, a, role):
    ready(world, a.pk, "称职")
    svc.assessment_finalise(actor=world.users["county"], assessment_id=a.pk)
    r = api(role).get(f"/assessments/{a.pk}")
    assert r.status_code == (200 if role in READERS | {"unit"} else 404)


@pytest.mark.parametrize("role", ROLES)
def test_start_matrix(api, world, a, role):
    r = api(role).post("/assessments", {"year": 2024})
    assert r.status_code == (201 if role == ACTOR else 403)
    if role == ACTOR:
        assert r.json() == {"created": 3}
    assert Assessment.objects.filter(year=2024).count() == (3 if role == ACTOR else 0)


@pytest.mark.parametrize("role", ROLES)
def test_opinion_matrix(api, world, a, role):
    r = api(role).post(
        f"/assessments/{a.pk}/opinions",
        {"group": "villagers", "source": "入户走访10户", "text": "满意"},
    )
    assert r.status_code == _act(role, 201)
    assert AssessmentOpinion.objects.count() == (1 if role == ACTOR else 0)
    if r.status_code == 201:
        assert r.json()["group_label"] == "群众"


@pytest.mark.parametrize("role", ROLES)
def test_grade_matrix(api, world, a, role):
    r = api(role).post(f"/assessments/{a.pk}/grade", {"appraisal": "扎实", "grade": "称职"})
    assert r.status_code == _act(role, 200)
    if r.status_code == 200:
        assert r.json()["grade"] == "competent" and r.json()["grade_label"] == "称职"


@pytest.mark.parametrize("role", ROLES)
def test_finalise_matrix(api, world, a, role):
    ready(world, a.pk, "称职")
    r = api(role).post(f"/assessments/{a.pk}/finalise")
    assert r.status_code == _act(role, 200)
    if r.status_code == 200:
        assert r.json()["state"] == "final" and r.json()["facts"]["sjsp"]["pooled"]["total"] == 4


@pytest.mark.parametrize("role", ROLES)
def test_quota_matrix(api, world, a, role):
    r = api(role).get("/assessment-quota", {"county": "533103000000", "year": YEAR})
    assert r.status_code == (200 if role in READERS else 404)
    if r.status_code == 200:
        assert r.json()["assessed"] == 3 and r.json()["quota"] is None


def test_detail_facts_and_refusals(api, world, a):
    c = api("county")
    body = c.get(f"/assessments/{a.pk}").json()
    rows = {f["key"]: f for f in body["fact_rows"]}
    assert "2025年第4季度100.0%(4/4)" in rows["sjsp"]["text"]
    # every column's capability has landed (issues 14, 15): nothing is pending any more
    assert rows["training"]["text"] == "参加集中培训0次,共0天(MGT.7.DAYS)"
    assert rows["meetings"]["text"] == "参加工作例会0次(MGT.2)"
    assert rows["visits"]["text"] == "到组到户走访0次,涉及农户0户次(MGT.8.VISITS)"
    assert not any(f["text"] == "待相应模块上线" for f in body["fact_rows"])
    r = c.post(f"/assessments/{a.pk}/grade", {"appraisal": "扎实", "grade": "良好"})
    assert r.status_code == 400
    err = r.json()["errors"][0]
    assert err["field"] == "grade" and "优秀、称职、基本称职、不称职" in r.text
    c.post(f"/assessments/{a.pk}/grade", {"appraisal": "扎实", "grade": "优秀"})
    r = c.post(f"/assessments/{a.pk}/finalise")
    assert r.status_code == 400 and "MGT.5.INPUT" in r.text
    set_ratio(world, "0.5")
    q = c.get("/assessment-quota", {"year": YEAR}).json()
    assert (q["assessed"], q["quota"], q["used"], q["remaining"]) == (3, 1, 0, 1)
    assert c.post("/assessments", {"year": dt.date.today().year + 1}).status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_mgt_5_annual_term_end_start_matrix(api, world, role):
    """驻村期满考核: only the county's own organisation department starts it (201); the
    others are refused (403 for a role that never acts here)."""
    posting = world.postings["fs_a"]  # planned_end 2026-03-01 in 芒市
    r = api(role).post("/assessments/term-end", {"posting_id": posting.pk})
    if role == ACTOR:
        assert r.status_code == 201
        body = r.json()
        assert body["kind"] == "term_end" and body["period_start"] == "2024-03-01"
        again = api(role).post("/assessments/term-end", {"posting_id": posting.pk})
        assert again.status_code == 400 and "已经开始" in again.json()["detail"]
    else:
        assert r.status_code == 403
    assert Assessment.objects.filter(kind="term_end").count() == (1 if role == ACTOR else 0)
