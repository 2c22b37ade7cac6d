"""Batch screening of a candidate list (SEL.COND.NO3, SEL.SRC.AGE, SEL.SRC.FS_PARTY…)."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from zhucun.selection.screening import SPEC, screening_template

HEAD = [label for label, _ in SPEC.values()]


def sheet(rows, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    path = tmp_path / "名单.xlsx"
    wb.save(path)
    return path


def row(
    name,
    birth="1990-05-17",
    party="正式党员",
    full="2015-07-01",
    job="科员",
    code="",
    role="第一书记",
    on="2026-12-01",
):
    return [
        name,
        birth,
        party,
        full,
        "2012-08-01",
        job,
        code,
        "是",
        "否",
        "否",
        "否",
        "否",
        "否",
        "否",
        "否",
        "否",
        role,
        on,
    ]


def test_batch_screening_marks_each_row_with_clauses(db, tmp_path):
    path = sheet(
        [
            row("合格甲"),
            row("教师乙", job="小学教师", code="中小学教师", role="工作队员"),
            row("预备丙", party="预备党员", full=""),
            row("年长丁", birth="1980-11-30"),  # 46 on 2026-12-01
            row("缺日期", birth=""),
        ],
        tmp_path,
    )
    out = tmp_path / "结果.xlsx"
    call_command("screen", str(path), "-o", str(out))
    ws = load_workbook(out).active
    result = {
        ws.cell(r, 1).value: (
            ws.cell(r, len(HEAD) + 1).value,
            ws.cell(r, len(HEAD) + 2).value or "",
        )
        for r in range(2, ws.max_row + 1)
    }
    assert result["合格甲"][0] == "符合"
    assert result["教师乙"][0] == "不符合" and "SEL.COND.NO3" in result["教师乙"][1]
    assert result["预备丙"][0] == "不符合" and "SEL.SRC.FS_PARTY" in result["预备丙"][1]
    assert (
        result["年长丁"][0] == "不符合"
        and "SEL.SRC.AGE" in result["年长丁"][1]
        and "46" in result["年长丁"][1]
    )
    assert result["缺日期"][0] == "数据有误" and "出生日期" in result["缺日期"][1]
    assert ws.max_column == len(HEAD) + 2


def test_sel_src_age_day_before_46th_birthday_passes_in_batch(db, tmp_path):
    path = sheet([row("年长戊", birth="1980-12-02")], tmp_path)
    out = tmp_path / "r.xlsx"
    call_command("screen", str(path), "-o", str(out))
    assert load_workbook(out).active.cell(2, len(HEAD) + 1).value == "符合"


def test_missing_column_and_garbage_file_get_chinese_errors(db, tmp_path):
    wb = Workbook()
    wb.active.append(["姓名", "出生日期"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(CommandError, match="缺少必填列"):
        call_command("screen", str(bad), "-o", str(tmp_path / "x.xlsx"))
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01not excel")
    with pytest.raises(CommandError, match="Excel"):
        call_command("screen", str(junk), "-o", str(tmp_path / "y.xlsx"))


def test_template_round_trips(db, tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(screening_template())
    out = tmp_path / "o.xlsx"
    call_command("screen", str(path), "-o", str(out))
    ws = load_workbook(io.BytesIO(out.read_bytes())).active
    assert ws.cell(2, len(HEAD) + 1).value == "符合"
