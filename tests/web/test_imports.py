"""导入导出 pages: upload → report (row, column, reason) or success; templates; roster."""

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhucun.registry.models import DispatchingUnit

from .helpers import ROLES, html, login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = "单位名称,层级,性质,所在地区代码,纬度,经度,地址\n"


def csv_file(body: str, name: str = "单位.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + body).encode("utf-8"), content_type="text/csv")


@pytest.mark.parametrize("role", ROLES)
def test_import_page_access(client, world, role):
    login(client, world, role)
    response = client.get("/import/")
    allowed = role in ("admin", "prefecture", "county", "unit")
    assert response.status_code == (200 if allowed else 403)
    if allowed:
        text = html(response)
        assert 'enctype="multipart/form-data"' in text and "csrfmiddlewaretoken" in text
        assert "/import/template/units/" in text


def test_template_download_is_xlsx_with_chinese_filename(client, world):
    login(client, world, "county")
    response = client.get("/import/template/units/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert f"filename*=utf-8''{quote('派出单位导入模板.xlsx')}" in response["Content-Disposition"]
    from openpyxl import load_workbook

    load_workbook(io.BytesIO(response.content))  # a real workbook
    assert client.get("/import/template/nonsense/").status_code == 404


def test_import_success(client, world):
    login(client, world, "county")
    response = client.post(
        "/import/",
        {"kind": "units", "file": csv_file("芒市教育体育局,县级,机关,533103000000,,,\n")},
    )
    assert response.status_code == 200
    text = html(response)
    assert 'id="import-success"' in text and "导入成功" in text
    assert DispatchingUnit.objects.filter(name="芒市教育体育局").exists()


def test_import_errors_listed_and_nothing_written(client, world):
    login(client, world, "county")
    body = "芒市教育体育局,县级,机关,533103000000,,,\n芒市林草局,不知道,机关,533103000000,,,\n"
    response = client.post("/import/", {"kind": "units", "file": csv_file(body)})
    assert response.status_code == 200
    text = html(response)
    assert 'id="import-errors"' in text
    assert "<td>层级</td>" in text and "不是有效值" in text
    report = response.context["report"]
    assert not report.ok and report.errors[0].row == 3 and report.errors[0].column == "层级"
    assert not DispatchingUnit.objects.filter(name="芒市教育体育局").exists()


def test_import_without_file_or_kind(client, world):
    login(client, world, "county")
    text = html(client.post("/import/", {"kind": "units"}))
    assert "请选择要上传的文件" in text
    text = html(client.post("/import/", {"kind": "", "file": csv_file("")}))
    assert "请选择要导入的数据类别" in text


def test_roster_export(client, world):
    login(client, world, "county")
    response = client.get("/export/roster/", {"status": "active"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "filename*=utf-8''" in response["Content-Disposition"]
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(response.content))
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row}
    assert "岳文华" in cells and "李国强" not in cells  # county scope only


def test_roster_export_refused_for_cadre_roles(client, world):
    login(client, world, "team_member")
    assert client.get("/export/roster/").status_code == 403
