"""SEL.SCOPE.COVER / CAT3 / OTHER in the coverage report: uncovered first, findings per village."""

import datetime as dt
import io
import json

from django.core.management import call_command
from openpyxl import load_workbook

from tests.world import cadre_data
from zhucun.registry import services as reg
from zhucun.selection.coverage import coverage_queryset, coverage_rows, coverage_summary
from zhucun.selection.exports import coverage_workbook

ON = dt.date(2026, 6, 1)


def test_sel_scope_cover_uncovered_village_listed_first(world):
    reg.posting_end(
        actor=world.admin, posting_id=world.postings["fs_b"].pk, end_date=dt.date(2026, 1, 1)
    )
    qs = coverage_queryset(user=world.users["county"], on=ON)
    rows = coverage_rows(qs[:10], on=ON)
    assert [r.village.jurisdiction.name for r in rows] == ["拉勐村", "弄坎村"]
    assert rows[0].status == "未覆盖" and rows[0].findings[0].clause == "SEL.SCOPE.COVER"
    s = coverage_summary(qs)
    assert s["villages"] == 2 and s["uncovered"] == 1


def test_sel_scope_cat3_short_team_is_flagged(world):
    """Village A (抵边村) has 1 FS and 1 TM: one team member short of 2."""
    rows = coverage_rows(coverage_queryset(user=world.users["prefecture"], on=ON), on=ON)
    a = next(r for r in rows if r.village.jurisdiction.name == "弄坎村")
    assert a.status == "不符合"
    assert [f.clause for f in a.findings if f.severity == "error"] == ["SEL.SCOPE.CAT3"]
    assert "工作队员1名" in a.findings[0].message
    c = next(r for r in rows if r.village.jurisdiction.name == "团结村")
    assert c.status == "不符合"  # 3类村 with only a first secretary


def test_sel_scope_other_ordinary_village_with_fs_is_fine(world):
    rows = coverage_rows(coverage_queryset(user=world.users["county"], on=ON), on=ON)
    b = next(r for r in rows if r.village.jurisdiction.name == "拉勐村")
    assert b.status == "符合" and b.findings == []


def test_sel_scope_cat3_complete_team_passes(world):
    c = reg.cadre_create(
        actor=world.admin, data=cadre_data(name="补员", serial=80, unit_name="芒市人民医院")
    )
    reg.posting_create(
        actor=world.admin,
        data={
            "id_number": c.id_number,
            "village_code": "533103102001",
            "role": "team_member",
            "arrival_date": ON,
        },
    )
    rows = coverage_rows(coverage_queryset(user=world.users["county"], on=ON), on=ON)
    a = next(r for r in rows if r.village.jurisdiction.name == "弄坎村")
    assert a.status == "符合"


def test_coverage_xlsx_and_cli(world, tmp_path):
    data = coverage_workbook(coverage_queryset(user=None, on=ON), on=ON, title="德宏州")
    ws = load_workbook(io.BytesIO(data)).active
    # title, header, three villages, and the signature block (empty row + two; issue 16)
    assert ws["A2"].value == "序号" and ws.max_row == 2 + 3 + 3
    assert ws["A7"].value == "制表人:" and ws["A8"].value == "单位(盖章):"
    assert "SEL.SCOPE.CAT3" in "".join(str(ws.cell(r, 12).value) for r in range(3, 6))
    out = tmp_path / "c.json"
    call_command("coverage", "--county", "芒市", "--on", "2026-06-01", "-o", str(out))
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["summary"]["villages"] == 2
    assert {v["village"] for v in payload["villages"]} == {"弄坎村", "拉勐村"}
