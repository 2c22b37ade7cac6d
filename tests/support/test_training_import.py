"""MGT.7: the sign-in sheet (签到表) — template round trip and row-by-row validation."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.support.training_helpers import event
from zhucun.attendance.models import LeaveRequest
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.support.models import TrainingAttendance
from zhucun.support.services.training import (
    training_attendance_import,
    training_template_for,
)

pytestmark = pytest.mark.django_db


def _xlsx(rows):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _attendees(ev):
    return set(TrainingAttendance.objects.filter(event=ev).values_list("cadre__name", flat=True))


def test_mgt_7_annual_template_round_trip(world):
    ev = event(world)
    data = training_template_for(actor=world.users["county"], event_id=ev.pk)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[1] == ["干部编号", "姓名", "身份证号后两位", "驻村村(社区)", "签到"]
    names = [r[1] for r in rows[2:]]
    assert set(names) == {"岳文华", "线美玲", "排早腊"}  # 芒市's cadres only
    for i, r in enumerate(ws.iter_rows(min_row=3), start=3):
        if r[1].value in ("岳文华", "线美玲"):
            ws.cell(row=i, column=5, value="√")
    buf = io.BytesIO()
    wb.save(buf)
    added = training_attendance_import(
        actor=world.users["county"], event_id=ev.pk, data=buf.getvalue(), filename="签到.xlsx"
    )
    assert len(added) == 2
    assert _attendees(ev) == {"岳文华", "线美玲"}
    assert LeaveRequest.objects.filter(kind="training", state="approved").count() == 2


def test_mgt_7_annual_hand_made_csv_by_name_and_two_digits(world):
    ev = event(world)
    fs = world.cadres["fs_b"]
    csv = f"姓名,身份证号后两位\n{fs.name},{fs.id_number[-2:]}\n".encode()
    training_attendance_import(
        actor=world.users["county"], event_id=ev.pk, data=csv, filename="sign.csv"
    )
    assert _attendees(ev) == {"排早腊"}


def test_mgt_7_annual_bad_rows_name_row_and_column_nothing_written(world):
    ev = event(world)
    fs_a, fs_c = world.cadres["fs_a"], world.cadres["fs_c"]
    data = _xlsx(
        [
            ["干部编号", "姓名", "签到"],
            [fs_a.pk, fs_a.name, "√"],
            [fs_c.pk, fs_c.name, "√"],  # posted in 瑞丽市
            [fs_a.pk, "=HYPERLINK(1)", "√"],
            [fs_a.pk, fs_a.name, "迟到"],
        ]
    )
    with pytest.raises(ValidationFailed) as exc:
        training_attendance_import(
            actor=world.users["county"], event_id=ev.pk, data=data, filename="s.xlsx"
        )
    errors = exc.value.errors
    assert set(errors) == {"row3.cadre", "row4.name", "row5.sign"}
    assert errors["row3.cadre"].startswith("第3行“干部编号”列")
    assert "第4行“姓名”列" in errors["row4.name"]
    assert not TrainingAttendance.objects.exists()
    assert not LeaveRequest.objects.exists()


def test_mgt_7_annual_import_missing_columns_and_roles(world):
    ev = event(world)
    with pytest.raises(ValidationFailed) as exc:
        training_attendance_import(
            actor=world.users["county"],
            event_id=ev.pk,
            data=_xlsx([["姓名"], ["岳文华"]]),
            filename="s.xlsx",
        )
    assert "缺少列" in exc.value.errors["file"]
    with pytest.raises(ValidationFailed) as exc:
        training_attendance_import(
            actor=world.users["county"], event_id=ev.pk, data=b"\x00garbage", filename="s.xlsx"
        )
    assert "file" in exc.value.errors
    pref = event(world, role="prefecture")
    with pytest.raises(Forbidden):
        training_attendance_import(
            actor=world.users["county"], event_id=pref.pk, data=b"", filename="s.xlsx"
        )
