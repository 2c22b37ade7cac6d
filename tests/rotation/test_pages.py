"""The 调整轮换 pages: each role's list, the cadre's application, the steps by POST forms with
Chinese errors (input kept), the upload refusing a renamed executable, the download's scope,
and the 审批表 as print page (no inline style/script under the CSP) and xlsx."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.web.helpers import ROLES, html, login, table_pks
from zhucun.rotation.models import RotationApplication, State

from . import flow
from .conftest import EXE, PDF

SEES = {"admin", "prefecture", "county", "township", "unit", "team_member"}
INLINE = re.compile(r"""<style\b|\sstyle\s*=|<script(?![^>]*\bsrc=)|\son[a-z]+\s*=""", re.I)


@pytest.mark.parametrize("role", ROLES)
def test_list_scoped_by_role(client, world, role):
    app = flow.applied(world)
    login(client, world, role)
    r = client.get("/rotation/")
    assert r.status_code == 200
    assert table_pks(r, "rotation-table") == ({app.pk} if role in SEES else set())
    assert client.get(f"/rotation/{app.pk}/").status_code == (200 if role in SEES else 404)
    assert ("调整轮换" in html(r).split('id="main-nav"')[1].split("</nav>")[0]) == (
        role != "village_secretary"
    )


def test_cadre_applies_and_errors_keep_input(client, world):
    login(client, world, "team_member")
    r = client.post("/rotation/new/", {"cause": "", "statement": "家中老人病重"})
    assert r.status_code == 200
    text = html(r)
    assert "家中老人病重" in text and 'id="error_cause"' in text
    r = client.post("/rotation/new/", {"cause": "family_hardship", "statement": "家中老人病重"})
    app = RotationApplication.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/rotation/{app.pk}/"
    assert app.cadre_id == world.cadres["tm_a"].pk and app.state == State.APPLIED


def test_upload_refuses_renamed_executable(client, world):
    app = flow.applied(world)
    login(client, world, "team_member")
    r = client.post(
        f"/rotation/{app.pk}/",
        {"action": "upload", "kind": "evidence", "file": SimpleUploadedFile("病历.pdf", EXE)},
    )
    assert r.status_code == 200
    assert "可执行" in html(r) and 'id="upload-error_file"' in html(r)
    assert not app.attachments.exists()
    r = client.post(
        f"/rotation/{app.pk}/",
        {"action": "upload", "kind": "evidence", "file": SimpleUploadedFile("病历.pdf", PDF)},
    )
    assert r.status_code == 302 and app.attachments.count() == 1


def test_steps_through_the_pages(client, world, django_capture_on_commit_callbacks):
    app = flow.applied(world)
    flow.upload(world, app, "evidence", role="team_member")
    login(client, world, "township")
    r = client.post(f"/rotation/{app.pk}/", {"action": "seal", "opinion": "同意", "sealed_by": ""})
    assert "必填" in html(r)  # kept on the page, nothing done
    r = client.post(
        f"/rotation/{app.pk}/",
        {"action": "seal", "opinion": "同意", "sealed_by": "刀乡长", "sealed_on": "2025-05-01"},
    )
    assert r.status_code == 302
    login(client, world, "unit")
    page = html(client.get(f"/rotation/{app.pk}/"))
    assert "赵小兵" in page  # the unit's unposted cadre offered as replacement
    decide = {
        "action": "decide",
        "meeting_name": "院党委会",
        "meeting_date": "2025-05-10",
        "minutes_number": "7号",
        "replacement_id": str(world.cadres["spare"].pk),
        "handover_date": "2025-06-01",
        "replacement_planned_end": "2027-06-01",
        "note": "",
    }
    assert client.post(f"/rotation/{app.pk}/", decide).status_code == 302
    submit = {"action": "submit", "unit_opinion": "同意", "form_handler": "王干事", "form_date": ""}
    r = client.post(f"/rotation/{app.pk}/", submit)
    assert "MGT.9.DOCS" in html(r) and "体检报告" in html(r)
    flow.with_documents(world, app)
    assert client.post(f"/rotation/{app.pk}/", submit).status_code == 302
    login(client, world, "county")
    r = client.post(
        f"/rotation/{app.pk}/",
        {"action": "grant", "opinion": "同意", "reviewer_name": "县委组织部", "reviewed_on": ""},
    )
    assert r.status_code == 302
    assert RotationApplication.objects.get().state == State.GRANTED


def test_screening_shown_for_replacements(client, world):
    spare = world.cadres["spare"]
    spare.health_fit = False
    spare.save()
    app = flow.sealed(world)
    login(client, world, "unit")
    assert "赵小兵(科员) —— 不符合:SEL.COND.NO2" in html(client.get(f"/rotation/{app.pk}/"))


def test_download_scope(client, world, other_county, django_capture_on_commit_callbacks):
    app = flow.applied(world)
    with django_capture_on_commit_callbacks(execute=True):
        x = flow.upload(world, app, "evidence", role="team_member")
    url = f"/rotation/{app.pk}/attachments/{x.pk}/"
    login(client, world, "township")
    r = client.get(url)
    assert r.status_code == 200 and r.content == PDF
    assert r["X-Content-Type-Options"] == "nosniff" and r["Content-Type"] == "application/pdf"
    client.force_login(other_county)
    assert client.get(url).status_code == 404


def test_approval_form_page_and_xlsx(client, world):
    app = flow.form_filled(world)
    login(client, world, "county")
    r = client.get(f"/rotation/{app.pk}/form/")
    text = html(r)
    assert r.status_code == 200 and "驻村第一书记(工作队员)调整轮换审批表" in text
    for label in ("姓名", "派出单位", "驻村", "任职时间", "调整原因", "乡镇党委意见"):
        assert f">{label}<" in text, label
    assert "派出单位党委(党组)研究意见" in text and "组织部门审查意见" in text
    assert "院纪〔2025〕7号" in text and "赵小兵" in text and "(签章)" in text
    assert not INLINE.search(text)
    css = client.get("/rotation/form.css")
    assert css.status_code == 200 and "@media print" in css.content.decode()
    r = client.get(f"/rotation/{app.pk}/form.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "驻村第一书记(工作队员)调整轮换审批表"
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
    labels = [ws.cell(row=i, column=1).value for i in range(2, ws.max_row + 1)]
    assert "组织部门审查意见" in labels and any(str(v).startswith("填表人") for v in labels if v)
    assert ws["A2"].border.left.style == "thin"
    client.force_login(world.users["village_secretary"])
    assert client.get(f"/rotation/{app.pk}/form/").status_code == 404
