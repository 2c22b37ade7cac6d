"""Issue 9 point 1: the month and ranking exports (MGT.3.RANK) write names that a
spreadsheet would take for formulas as text cells with the exact text. The names are put
straight into the database, as data from before the input checks would be."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from zhucun.attendance import exports
from zhucun.attendance import selectors as sel
from zhucun.registry.models import Cadre, DispatchingUnit

from .test_mgt_3_summary_rank import OCT, closed  # noqa: F401 - the closed October

NAMES = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\t=1"]


def _poison(world):
    cadres = Cadre.objects.filter(postings__village__township__code="533103102000").distinct()
    for cadre, name in zip(cadres.order_by("pk"), NAMES, strict=False):
        Cadre.objects.filter(pk=cadre.pk).update(name=name)
    DispatchingUnit.objects.filter(pk=world.units["pref"].pk).update(name="=1+1")


def _check(data: bytes, expect: set[str]) -> None:
    wb = load_workbook(io.BytesIO(data))
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (c.coordinate, c.value)
                if c.value in expect:
                    assert c.data_type == "s"
                    seen.add(c.value)
    assert seen == expect


def test_monthly_export_writes_formula_names_as_text(world, users, closed):  # noqa: F811
    _poison(world)
    data = exports.monthly_workbook(sel.monthly_list(user=users["county"], month=OCT), month=OCT)
    _check(data, {*NAMES, "=1+1"})


def test_ranking_export_writes_formula_names_as_text(world, users, closed):  # noqa: F811
    _poison(world)
    data = exports.ranking_workbook(
        sel.ranking_list(user=users["prefecture"], month=OCT, bottom_only=True), month=OCT
    )
    wb = load_workbook(io.BytesIO(data))
    names = {c.value for row in wb.active.iter_rows(min_row=3) for c in row[3:4]}
    _check(data, names & {*NAMES})
    assert names & set(NAMES)  # formula-like names are in the bottom list
