"""Issue 9 point 1: names that a spreadsheet would take for formulas come out of every export
as text (data type "s", the exact text), never as live formulas. The names are put straight
into the database, as data from before the input checks would be: the writer must hold even
when the input check did not."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from zhucun.registry.exports import roster_workbook
from zhucun.registry.imports.report import ImportReport
from zhucun.registry.models import Cadre, DispatchingUnit, Jurisdiction
from zhucun.selection.coverage import coverage_queryset
from zhucun.selection.exports import coverage_workbook

FORMULA = '=HYPERLINK("http://x","y")'
HOSTILE = {
    "name": FORMULA,
    "post": "+1",
    "education": "-1+2",
    "unit": "@SUM(A1)",
    "village": "\t=1",
}


def poison(world) -> Cadre:
    """The first secretary of village A, its unit and village renamed to formulas."""
    cadre = world.cadres["fs_a"]
    Cadre.objects.filter(pk=cadre.pk).update(
        name=HOSTILE["name"], post=HOSTILE["post"], education=HOSTILE["education"]
    )
    DispatchingUnit.objects.filter(pk=cadre.unit_id).update(name=HOSTILE["unit"])
    Jurisdiction.objects.filter(pk=world.villages["A"].jurisdiction_id).update(
        name=HOSTILE["village"]
    )
    return cadre


def hostile_cells(ws) -> dict[str, tuple[str, str]]:
    """text → (data type, value) of every cell whose text is one of HOSTILE's, or that
    contains the formula."""
    found = {}
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and (c.value in HOSTILE.values() or FORMULA in c.value):
                found[c.coordinate] = (c.data_type, c.value)
    return found


def test_roster_writes_formula_names_as_text(world):
    poison(world)
    ws = load_workbook(io.BytesIO(roster_workbook(user=world.users["prefecture"]))).active
    cells = hostile_cells(ws)
    assert {v for _t, v in cells.values()} == set(HOSTILE.values())
    assert all(t == "s" for t, _v in cells.values()), cells
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_coverage_export_writes_formula_names_as_text(world):
    poison(world)
    on = dt.date(2026, 6, 1)
    data = coverage_workbook(coverage_queryset(user=None, on=on), on=on, title="德宏州")
    ws = load_workbook(io.BytesIO(data)).active
    cells = hostile_cells(ws)
    assert HOSTILE["village"] in {v for _t, v in cells.values()}
    assert any(v == FORMULA for _t, v in cells.values())  # 第一书记 column
    assert all(t == "s" for t, _v in cells.values()), cells
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def test_import_error_report_writes_formula_text_as_text():
    report = ImportReport(kind="units", filename="=1+1.xlsx")
    report.add(2, "单位名称", FORMULA)
    ws = load_workbook(io.BytesIO(report.to_workbook())).active
    assert ws["C4"].value == FORMULA and ws["C4"].data_type == "s"
    assert ws["A2"].data_type == "s"
