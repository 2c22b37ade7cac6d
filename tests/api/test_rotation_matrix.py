"""调整轮换 through the API (MGT.9.APPLY, MGT.9.DOCS): every role × every step with the exact
status — the statuses are those of zhucun.rotation's services (outside the scope 404; in
scope but not this role's step 403) — the documents gate, the replacement's screening, the
attachment content check and the attachment download's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import PREFIX
from tests.api.test_permission_matrix import ROLES
from tests.rotation import flow
from tests.rotation.conftest import EXE, PDF
from zhucun.registry.models import Posting, PostingStatus
from zhucun.rotation.models import RotationApplication, State

# who sees the world's team member's application (线美玲, 芒市人民医院, 弄坎村 in 芒市/遮放镇)
SEES = {"admin", "prefecture", "county", "township", "unit", "team_member"}
ACTS = {  # step → the roles that take it, in scope
    "seal": {"admin", "township"},
    "decide": {"admin", "unit"},
    "submit": {"admin", "unit"},
    "grant": {"admin", "county"},  # county-level unit: its county (按干管权限, MGT.3.TALK)
    "withdraw": {"admin", "team_member"},
}
BODIES = {
    "seal": {"opinion": "同意", "sealed_by": "刀乡长"},
    "decide": {
        "meeting_name": "院党委会",
        "meeting_date": "2025-05-10",
        "minutes_number": "7号",
        "replacement_id": 0,  # filled per test
        "handover_date": "2025-06-01",
        "replacement_planned_end": "2027-06-01",
    },
    "submit": {"unit_opinion": "同意", "form_handler": "王干事"},
    "grant": {"opinion": "同意", "reviewer_name": "县委组织部"},
    "withdraw": {"note": ""},
}
STATE_FOR = {
    "seal": flow.applied,
    "decide": flow.sealed,
    "submit": lambda w: flow.with_documents(w, flow.decided(w)),
    "grant": flow.form_filled,
    "withdraw": flow.applied,
}


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.ZHUCUN_ATTACHMENTS_DIR = tmp_path / "files"


@pytest.fixture
def other_county(world):
    from zhucun.accounts.models import User
    from zhucun.registry.models import Jurisdiction

    return User.objects.create_user(
        "ruili_county",
        password="pw",
        role="county",
        display_name="瑞丽市委组织部",
        jurisdiction=Jurisdiction.objects.get(code="533102000000"),
    )


def expected(step: str, role: str) -> int:
    if role in ACTS[step]:
        return 201 if step == "apply" else 200
    return 403 if role in SEES else 404


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", list(ACTS))
def test_step_matrix(api, world, step, role):
    app = STATE_FOR[step](world)
    body = dict(BODIES[step])
    if step == "decide":
        body["replacement_id"] = world.cadres["spare"].pk
    r = api(role).post(f"/rotations/{app.pk}/{step}", body)
    assert r.status_code == expected(step, role), r.json()


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_scope(api, world, role):
    app = flow.applied(world)
    ids = [x["id"] for x in api(role).get("/rotations").json()["results"]]
    assert ids == ([app.pk] if role in SEES else [])
    r = api(role).get(f"/rotations/{app.pk}")
    assert r.status_code == (200 if role in SEES else 404)
    if role in SEES:
        assert r.json()["allowed_actions"] == {
            "admin": ["seal", "reject", "withdraw"],
            "township": ["seal", "reject"],
            "team_member": ["withdraw"],
        }.get(role, [])


@pytest.mark.parametrize("role", ROLES)
def test_apply_matrix(api, world, role):
    r = api(role).post(
        "/rotations",
        {
            "posting_id": world.postings["tm_a"].pk,
            "cause": "family_hardship",
            "statement": "父母年迈",
        },
    )
    assert r.status_code == {"admin": 201, "team_member": 201, "first_secretary": 404}.get(
        role, 403
    ), r.json()


def upload(api, role, app_id, name, data, kind="evidence"):
    return api(role).client.post(
        f"{PREFIX}/rotations/{app_id}/attachments",
        {"kind": kind, "file": SimpleUploadedFile(name, data)},
        headers=api(role).headers,
    )


def test_renamed_executable_is_refused(api, world):
    app = flow.applied(world)
    r = upload(api, "team_member", app.pk, "体检报告.pdf", EXE)
    assert r.status_code == 400
    errs = r.json()["errors"]
    assert errs[0]["field"] == "file" and "可执行" in errs[0]["reason"]
    assert not app.attachments.exists()


def test_download_scoped_and_safe(api, world, other_county, django_capture_on_commit_callbacks):
    app = flow.applied(world)
    with django_capture_on_commit_callbacks(execute=True):
        r = upload(api, "team_member", app.pk, "病历.pdf", PDF)
    assert r.status_code == 201, r.json()
    att = r.json()["id"]
    ok = api("county").get(f"/rotations/{app.pk}/attachments/{att}")
    assert ok.status_code == 200 and ok.content == PDF
    assert ok["Content-Type"] == "application/pdf"
    assert ok["X-Content-Type-Options"] == "nosniff"
    assert ok["Content-Disposition"].startswith("attachment;")
    from tests.api.conftest import ApiClient
    from zhucun.useradmin.services import token_create

    ruili = ApiClient(token_create(actor=None, user=other_county, name="测试"))
    denied = ruili.get(f"/rotations/{app.pk}/attachments/{att}")
    missing = ruili.get(f"/rotations/{app.pk}/attachments/{att + 999}")
    assert denied.status_code == missing.status_code == 404
    assert denied.json() == missing.json()
    for role in ("first_secretary", "village_secretary"):
        assert api(role).get(f"/rotations/{app.pk}/attachments/{att}").status_code == 404


def test_documents_gate_over_the_api(api, world):
    """MGT.9.DOCS: missing the commitment letter, the form cannot go to the department."""
    app = flow.decided(world)
    flow.upload(world, app, "medical_report")
    r = api("unit").post(f"/rotations/{app.pk}/submit", BODIES["submit"])
    assert r.status_code == 400
    assert r.json()["errors"][0]["clause"] == "MGT.9.DOCS"
    assert RotationApplication.objects.get(pk=app.pk).state == State.DECIDED


def test_replacement_failing_screening_refused_with_clause(api, world):
    spare = world.cadres["spare"]
    spare.health_fit = False
    spare.save()
    app = flow.sealed(world)
    body = dict(BODIES["decide"], replacement_id=spare.pk)
    r = api("unit").post(f"/rotations/{app.pk}/decide", body)
    assert r.status_code == 400
    assert "SEL.COND.NO2" in {e.get("clause") for e in r.json()["errors"]}


def test_grant_ends_the_posting_early(api, world):
    app = flow.form_filled(world)
    r = api("county").post(f"/rotations/{app.pk}/grant", BODIES["grant"])
    assert r.status_code == 200 and r.json()["state"] == "granted"
    leaver = Posting.objects.get(pk=world.postings["tm_a"].pk)
    assert leaver.status == PostingStatus.ENDED and leaver.actual_end == dt.date(2025, 6, 1)
    assert leaver.actual_end < leaver.planned_end  # before its regular end
    assert r.json()["new_posting_id"] is not None


ENDPOINTS = [
    ("GET", "/rotations"),
    ("GET", "/rotations/1"),
    ("POST", "/rotations"),
    *[
        ("POST", f"/rotations/1/{a}")
        for a in ("seal", "decide", "submit", "grant", "reject", "withdraw", "attachments")
    ],
    ("GET", "/rotations/1/attachments/1"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_is_401(api, world, method, path):
    anon = api(None)
    r = anon.get(path) if method == "GET" else anon.send(method, path, {})
    assert r.status_code == 401
    assert r.json()["detail"].startswith("未登录")


def test_every_rotation_operation_is_in_the_matrix():
    from zhucun.api.main import api as ninja_api

    doc = ninja_api.get_openapi_schema()
    ops = {
        (m.upper(), p.removeprefix("/api/v1").replace("{id}", "1").replace("{attachment_id}", "1"))
        for p, o in doc["paths"].items()
        if p.startswith("/api/v1/rotations")
        for m in o
    }
    assert ops == set(ENDPOINTS)
