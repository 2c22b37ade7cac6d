"""考核结果反馈 through the API (MGT.5.FEEDBACK, GUA.3.PRIORITY): every role × every endpoint
with the exact answer — the unit reads its cadres' finalised results (never a draft), the
county, township and prefecture their area's, nobody else any; only the unit signs for
(签收) them, its own only; errors name the field."""

from __future__ import annotations

import pytest

from tests.api.test_permission_matrix import ROLES
from tests.assessment.feedback_helpers import assessment
from zhucun.assessment.models import Assessment

# 线美玲 (芒市人民医院, 芒市) 优秀 and 李国强 (瑞丽市财政局, 瑞丽市) 称职, both final
SEES = {
    "admin": {"线美玲", "李国强"},
    "prefecture": {"线美玲", "李国强"},
    "county": {"线美玲"},
    "township": {"线美玲"},
    "unit": {"线美玲"},
}


@pytest.fixture
def results(world):
    return {
        "tm_a": assessment(world, "tm_a", grade="excellent"),
        "fs_c": assessment(world, "fs_c", grade="competent"),
        "draft": assessment(world, "tm_a", kind="term_end", year=2026, final=False),
    }


@pytest.mark.parametrize("role", ROLES)
def test_mgt_5_feedback_result_list_matrix(api, world, results, role):
    r = api(role).get("/assessment-results")
    assert r.status_code == 200, r.json()
    got = {x["cadre_name"] for x in r.json()["results"]}
    assert got == SEES.get(role, set())
    for x in r.json()["results"]:
        assert x["unit_received_at"] is None
        if x["cadre_name"] == "线美玲":
            assert x["grade_label"] == "优秀" and "GUA.3.PRIORITY" in x["priority"]
        else:
            assert x["priority"] is None


@pytest.mark.parametrize("role", ROLES)
def test_mgt_5_feedback_receive_matrix(api, world, results, role):
    r = api(role).post("/assessment-results/receive", {"year": 2025})
    if role == "unit":
        assert r.status_code == 200 and r.json() == {"received": 1}
        received = Assessment.objects.get(unit_received_at__isnull=False)
        assert received.pk == results["tm_a"].pk
    else:
        assert r.status_code == 403, r.json()
        assert Assessment.objects.filter(unit_received_at__isnull=False).count() == 0


def test_mgt_5_feedback_filters_and_errors(api, world, results):
    unit = api("unit")
    assert unit.get("/assessment-results", {"year": 2024}).json()["count"] == 0
    assert unit.get("/assessment-results", {"unreceived": True}).json()["count"] == 1
    r = unit.post("/assessment-results/receive", {"year": 1800})
    assert r.status_code == 400 and {e["field"] for e in r.json()["errors"]} == {"year"}
    r = unit.post("/assessment-results/receive", {"year": "2025"})
    assert r.status_code == 400
    r = unit.post("/assessment-results/receive", {"extra": 1})
    assert r.status_code == 400
    assert unit.post("/assessment-results/receive", {}).json() == {"received": 1}
    assert unit.get("/assessment-results", {"unreceived": True}).json()["count"] == 0
    [x] = unit.get("/assessment-results").json()["results"]
    assert x["unit_received_at"] is not None
    assert api("county").get("/assessment-results", {"year": 1800}).status_code == 400
    assert api(None).get("/assessment-results").status_code == 401
