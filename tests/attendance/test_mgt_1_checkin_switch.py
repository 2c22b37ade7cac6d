"""MGT.1.CHECKIN: a jurisdiction that checks in with another app switches this system's
check-in off (``builtin_checkin_enabled``, a 运行参数); its cadres' own check-ins are refused
naming the app and the clause, imported ones still count. Also the command line."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import time

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests import hostile_xlsx as h
from zhucun.attendance import services as att
from zhucun.attendance import switch
from zhucun.attendance.models import CheckIn
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden
from zhucun.params.selectors import parameters_forget
from zhucun.params.services import parameter_set

from .checkin_sheets import HEADER, csv_bytes, row, run
from .conftest import A_POINT_GCJ, at, checkin


@pytest.fixture(autouse=True)
def _forget_parameters():
    """The switch set here is rolled back with the test; the check-in writer's 2-second copy
    of the parameters must not outlive it (the next test would see the switch still off)."""
    yield
    parameters_forget()


def switch_off(world, *, code="533103000000", effective=dt.date(2025, 1, 1)):
    parameter_set(
        actor=world.users["county"] if code.startswith("533103") else world.users["prefecture"],
        name="builtin_checkin_enabled",
        jurisdiction_code=code,
        effective=effective,
        value=False,
        note="芒组通〔2025〕1号:改用“云岭先锋”签到",
    )


def test_mgt_1_checkin_switched_off_refuses_the_builtin_checkin_and_imports_still_count(
    world, users
):
    switch_off(world)
    with pytest.raises(Forbidden) as exc:
        checkin(users["team_member"], when=at(2025, 3, 3))
    assert "云岭先锋" in exc.value.message and "MGT.1.CHECKIN" in exc.value.message
    assert "无需重复签到" in exc.value.message
    assert CheckIn.objects.count() == 0
    # the lean path's batch gets the same refusal per item (api/fastpath.py → checkins_record)
    data = att.checkin_clean(
        client_key="7d7c1c1e-0000-4000-8000-000000000001",
        lat=24.25,
        lng=98.27,
        accuracy_m=10,
        device_time=at(2025, 3, 3),
        received_at=at(2025, 3, 3),
        device_id="",
        no_position_reason="",
    )
    (outcome,) = att.checkins_record(items=[(users["first_secretary"], data)])
    assert isinstance(outcome.error, Forbidden) and outcome.checkin is None
    # another county is not affected
    fs_c_user = type(users["first_secretary"]).objects.create_user(
        "fs_c", password="pw", role="first_secretary", cadre=world.cadres["fs_c"]
    )
    ci, created = checkin(fs_c_user, when=at(2025, 3, 3), pos=(24.0, 97.85))
    assert created
    # the imported check-in of the switched-off county counts
    report = run(users["township"], csv_bytes([row("线美玲")]))
    assert report.ok and CheckIn.objects.get(cadre=world.cadres["tm_a"]).counts


def test_mgt_1_checkin_switched_off_names_the_app_imported_from(world, users, monkeypatch):
    switch_off(world)
    monkeypatch.setattr(switch, "RECENT_DAYS", 100_000)  # the records below are of 2025
    assert run(users["county"], csv_bytes([row("线美玲")]), source="钉钉").ok
    with pytest.raises(Forbidden) as exc:
        checkin(users["team_member"], when=at(2025, 3, 4))
    assert "“钉钉”" in exc.value.message
    # before the switch took effect the built-in check-in still works
    ci, created = checkin(users["team_member"], when=at(2024, 12, 2))
    assert created and ci.source == ""


def test_mgt_1_checkin_switch_follows_the_prefecture_and_the_county(world, users):
    switch_off(world, code="533100000000")
    with pytest.raises(Forbidden):
        checkin(users["team_member"], when=at(2025, 3, 3))
    parameter_set(
        actor=users["county"],
        name="builtin_checkin_enabled",
        jurisdiction_code="533103000000",
        effective=dt.date(2025, 2, 1),
        value=True,
        note="芒市继续使用本系统签到",
    )
    ci, created = checkin(users["team_member"], when=at(2025, 3, 3))
    assert created


# ---- command line ------------------------------------------------------------------------------


def test_mgt_1_checkin_import_command_line(world, users, tmp_path, capsys):
    good = tmp_path / "云岭先锋导出.csv"
    good.write_bytes(csv_bytes([row("线美玲"), row("岳文华")]))
    call_command("import", "checkins", str(good), "--source", "云岭先锋", "--user", "county")
    out = capsys.readouterr().out
    assert "导入成功" in out and "新增2条" in out
    call_command("import", "checkins", str(good), "--source", "云岭先锋", "--user", "county")
    assert "2条已导入过" in capsys.readouterr().out
    assert CheckIn.objects.count() == 2

    bad = tmp_path / "bad.csv"
    bad_row = row("线美玲", when="2025-03-05 08:00")
    bad_row[4] = "东经98"
    bad.write_bytes(csv_bytes([row("线美玲", when="2025-03-04 08:00"), bad_row]))
    report = tmp_path / "错误报告.xlsx"
    with pytest.raises(CommandError) as exc:
        call_command(
            "import",
            "checkins",
            str(bad),
            "--source",
            "云岭先锋",
            "--user",
            "county",
            "--report",
            str(report),
        )
    assert exc.value.returncode == 1 and "未写入任何数据" in str(exc.value)
    assert "第3行“经度”列" in capsys.readouterr().err
    lines = list(openpyxl.load_workbook(report).active.iter_rows(min_row=4, values_only=True))
    assert lines[0][:2] == (3, "经度")
    assert CheckIn.objects.count() == 2

    with pytest.raises(CommandError, match="请填写数据来源"):
        call_command("import", "checkins", str(good), "--user", "county")
    with pytest.raises(CommandError, match="导入此类数据不需要“source”"):
        call_command("import", "cadres", str(good), "--user", "county", "--source", "x")


def test_mgt_1_checkin_template_command_line(world, tmp_path):
    path = tmp_path / "t.xlsx"
    call_command("template", "checkins", "-o", str(path))
    book = openpyxl.load_workbook(path)
    sheet, notes = book.worksheets
    header = [c.value for c in sheet[1]]
    assert header[: len(HEADER) - 2] == HEADER[:-2] and "坐标系" in header
    assert notes.title == "填写说明"
    text = " ".join(str(c.value) for r in notes.iter_rows() for c in r if c.value)
    assert "WGS-84" in text and "已导入过" in text and "MGT.1.CHECKIN" in text
    # the template, filled in below its example row, imports
    sheet.append(row("线美玲"))
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    call_command("import", "checkins", str(filled), "--source", "云岭先锋", "--user", "county")
    assert CheckIn.objects.count() == 1


def test_mgt_1_checkin_import_reads_an_app_export_with_its_own_headers(world, users):
    """The 「云岭先锋」-like export: other header words, columns in another order, columns the
    import does not need (ignored)."""
    header = [
        "序号",
        "姓名",
        "所在单位",
        "打卡时间",
        "经度",
        "纬度",
        "坐标类型",
        "精度",
        "打卡地点",
        "签到类型",
    ]
    lat, lng = A_POINT_GCJ
    rows = [
        [
            1,
            "线美玲",
            "芒市人民医院",
            "2025/3/3 8:30",
            lng,
            lat,
            "gcj02",
            "12米",
            "弄坎村",
            "定点签到",
        ]
    ]
    report = run(users["county"], csv_bytes(rows, header))
    assert report.ok, [str(e) for e in report.errors]
    ci = CheckIn.objects.get()
    assert ci.status == "ok" and ci.accuracy_m == 12 and ci.address == "弄坎村"


HOSTILE = h.cases(HEADER, ["线美玲"])


@pytest.mark.parametrize("key,filename,builder,words,status", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_mgt_1_checkin_import_refuses_hostile_files_quickly(
    world, users, key, filename, builder, words, status
):
    data = h.build(key, builder)
    events = Event.objects.count()
    start = time.monotonic()
    report = run(users["county"], data, filename=filename)
    assert time.monotonic() - start < 10
    assert not report.written and words in report.errors[0].reason, report.errors
    assert bool(report.limit) == (status == 413)
    assert CheckIn.objects.count() == 0 and Event.objects.count() == events


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_mgt_1_checkin_import_a_sheet_saved_by_libreoffice(world, users, tmp_path):
    """Dates become date-time cells and coordinates numbers when LibreOffice saves the CSV."""
    src = tmp_path / "签到.csv"
    src.write_bytes(csv_bytes([row("线美玲"), row("岳文华", when="2025-03-03 08:45")]))
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = (tmp_path / "签到.xlsx").read_bytes()
    cells = openpyxl.load_workbook(tmp_path / "签到.xlsx").active
    assert isinstance(cells["C2"].value, dt.datetime)  # LibreOffice made it a date-time
    report = run(users["county"], data, filename="签到.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 2
    assert {c.device_time for c in CheckIn.objects.all()} == {
        at(2025, 3, 3, 8, 30),
        at(2025, 3, 3, 8, 45),
    }


def test_mgt_1_checkin_import_command_as_written_in_the_issue(world, users, tmp_path, capsys):
    """MGT.1.CHECKIN: `zhucun import checkins FILE --source NAME` — without --user the one
    active administrator imports (and the audit names them); several: asked to say which."""
    from zhucun.accounts.models import User
    from zhucun.audit.models import Event

    good = tmp_path / "云岭先锋导出.csv"
    good.write_bytes(csv_bytes([row("线美玲")]))
    call_command("import", "checkins", str(good), "--source", "云岭先锋")
    assert "新增1条" in capsys.readouterr().out and CheckIn.objects.count() == 1
    assert Event.objects.filter(action="import.checkins", actor=world.admin).exists()
    User.objects.create_user("admin2", password="pw", role="admin", display_name="管理员二")
    with pytest.raises(CommandError, match="请用 --user 指定"):
        call_command("import", "checkins", str(good), "--source", "云岭先锋")
