"""The roster export (驻村第一书记和工作队员花名册) and the registry's management commands."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from tests.world import cadre_data
from zhucun.registry import services, validation
from zhucun.registry.disclosure import mask_id_number
from zhucun.registry.exports import ROSTER_COLUMNS, ROSTER_EXTRAS, ROSTER_TITLE, roster_workbook
from zhucun.registry.models import Cadre

HEADERS = [label for label, _w in ROSTER_COLUMNS]
# the columns apps above the registry register at the right (tenure: 实际结束, 结束原因, 驻村结束补假)
ALL_HEADERS = HEADERS + [label for x in ROSTER_EXTRAS.values() for label, _w in x.columns]


def roster(user, **kw):
    ws = load_workbook(io.BytesIO(roster_workbook(user=user, **kw))).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    return ws, [dict(zip(ALL_HEADERS, r, strict=True)) for r in rows]


def test_county_roster_layout_and_contents(world):
    ws, rows = roster(world.users["county"])
    assert ws["A1"].value == ROSTER_TITLE
    last = get_column_letter(len(ALL_HEADERS))
    assert f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges} and len(HEADERS) == 19
    date_cell = ws.cell(row=2, column=len(ALL_HEADERS) // 2 + 1)
    assert "芒市" in ws["A2"].value and "导出日期" in str(date_cell.value)
    assert [c.value for c in ws[3]] == ALL_HEADERS
    assert [(r["序号"], r["村(社区)"], r["姓名"]) for r in rows] == [
        (1, "弄坎村", "岳文华"),
        (2, "弄坎村", "线美玲"),
        (3, "拉勐村", "排早腊"),
    ]
    fs = rows[0]
    cadre = world.cadres["fs_a"]
    assert (fs["县(市)"], fs["乡镇(街道)"], fs["村类别"]) == ("芒市", "遮放镇", "抵边村")
    assert rows[2]["村类别"] == "非3类村"
    assert (fs["性别"], fs["民族"], fs["出生年月"], fs["政治面貌"]) == (
        "男",
        "汉族",
        "1990.05",
        "正式党员",
    )
    assert (fs["派出单位"], fs["单位层级"], fs["驻村职务"]) == (
        "德宏州农业农村局",
        "州级",
        "第一书记",
    )
    assert fs["到岗时间"].date() == dt.date(2024, 3, 1) and fs["计划期满"].date() == dt.date(
        2026, 3, 1
    )
    assert fs["身份证号"] == cadre.id_number and fs["联系电话"] == cadre.phone  # county: in full


def test_township_sees_masked_id_numbers(world):
    _ws, rows = roster(world.users["township"])
    cadre = world.cadres["fs_a"]
    assert len(rows) == 3
    assert rows[0]["身份证号"] == mask_id_number(cadre.id_number) != cadre.id_number
    assert rows[0]["联系电话"] == cadre.phone  # townships may call the team


def test_unit_sees_only_own_cadres_in_full(world):
    _ws, rows = roster(world.users["unit"])
    assert [r["姓名"] for r in rows] == ["线美玲"]
    assert rows[0]["身份证号"] == world.cadres["tm_a"].id_number


def test_village_secretary_sees_masked_id_and_phone(world):
    _ws, rows = roster(world.users["village_secretary"])
    assert [r["姓名"] for r in rows] == ["岳文华", "线美玲"]
    assert all("*" in r["身份证号"] and "*" in r["联系电话"] for r in rows)


def test_roster_streams_without_a_query_per_row(world, django_assert_max_num_queries):
    for serial in range(30, 40):
        cadre = services.cadre_create(actor=world.admin, data=cadre_data(serial=serial))
        services.posting_create(
            actor=world.admin,
            data={
                "id_number": cadre.id_number,
                "village_code": "533102001001",
                "role": "team_member",
                "arrival_date": dt.date(2024, 3, 1),
            },
        )
    with django_assert_max_num_queries(4):
        data = roster_workbook(user=world.users["prefecture"])
    assert load_workbook(io.BytesIO(data)).active.max_row == 3 + 14


def test_first_secretary_roster_is_own_village(world):
    ws, rows = roster(world.users["first_secretary"])
    assert "弄坎村" in ws["A2"].value and [r["姓名"] for r in rows] == ["岳文华", "线美玲"]


def test_prefecture_filters_by_county_and_status(world):
    pref = world.users["prefecture"]
    assert len(roster(pref)[1]) == 4
    ws, rows = roster(pref, county="533102000000")
    assert [r["姓名"] for r in rows] == ["李国强"] and "瑞丽市" in ws["A2"].value
    services.posting_end(
        actor=world.admin, posting_id=world.postings["fs_c"].pk, end_date=dt.date(2025, 1, 1)
    )
    assert roster(pref, county="533102000000")[1] == []
    assert [r["姓名"] for r in roster(pref, county="533102000000", status="")[1]] == ["李国强"]


# ---- management commands ------------------------------------------------------------------


def _cadre_file(path, rows):
    wb = Workbook()
    wb.active.append([label for label, _c in validation.CADRE_FIELDS.values()])
    for data in rows:
        wb.active.append([data[f] for f in validation.CADRE_FIELDS])
    wb.save(path)


def test_import_command_success_and_failure(world, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    _cadre_file(good, [cadre_data(name="命令导入", serial=771)])
    call_command("import", "cadres", str(good), "--user", "admin")
    assert "新增1条" in capsys.readouterr().out
    assert Cadre.objects.filter(name="命令导入").exists()

    bad = tmp_path / "bad.xlsx"
    _cadre_file(bad, [cadre_data(name="坏行", serial=772, gender="X")])
    report_path = tmp_path / "errors.xlsx"
    with pytest.raises(CommandError) as exc:
        call_command("import", "cadres", str(bad), "--user", "admin", "--report", str(report_path))
    assert exc.value.returncode == 1 and "导入失败" in str(exc.value)
    assert "第2行“性别”列" in capsys.readouterr().err
    ws = load_workbook(report_path).active
    assert [c.value for c in ws[4]][:2] == [2, "性别"]
    assert not Cadre.objects.filter(name="坏行").exists()


def test_import_command_unknown_user(world, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("import", "cadres", str(tmp_path / "x.xlsx"), "--user", "nobody")


def test_template_command(world, tmp_path):
    out = tmp_path / "t.xlsx"
    call_command("template", "villages", "-o", str(out))
    wb = load_workbook(out)
    assert wb.sheetnames == ["村(社区)", "填写说明"]
    assert wb.active["C1"].value == "所属乡镇(街道)区划代码"


@pytest.mark.parametrize("name", ["export_roster", "export-roster"])
def test_export_roster_command(world, tmp_path, name):
    out = tmp_path / "r.xlsx"
    call_command(name, "--user", "township", "-o", str(out))
    ws = load_workbook(out).active
    assert ws["A1"].value == ROSTER_TITLE and ws.max_row == 3 + 3
    assert "*" in ws.cell(row=4, column=HEADERS.index("身份证号") + 1).value
