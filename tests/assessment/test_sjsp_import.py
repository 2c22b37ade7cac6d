"""MGT.8.SJSP: a township's vote sheet — the template round-trip, every row checked first with
the row and column named in Chinese, nothing written unless all pass."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tests.assessment.sjsp_helpers import event, set_threshold
from zhucun.assessment.models import Rectification, SjspTally
from zhucun.assessment.services.sjsp_import import sjsp_tallies_import, sjsp_template
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed

GROUPS = ["村(社区)干部", "党员", "群众"]
VOTES = ["好", "较好", "一般", "差"]


def header_rows() -> list[list[str]]:
    top = ["干部编号", "姓名"]
    for g in GROUPS:
        top += [g, "", "", ""]
    return [top, ["", ""] + VOTES * 3]


def csv_bytes(rows: list[list[object]]) -> bytes:
    """A CSV as a township's own program writes it (no protection of formula-looking cells)."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def sheet(world, rows: list[list[object]]) -> bytes:
    return csv_bytes([*header_rows(), *rows])


def fs_row(world, counts=None, name="岳文华", pk=None):
    pk = world.cadres["fs_a"].pk if pk is None else pk
    return [pk, name, *(counts or [5, 3, 1, 1, 6, 2, 1, 1, 10, 5, 1, 0])]


def do_import(world, ev, data, filename="票数.csv", role="township"):
    return sjsp_tallies_import(
        actor=world.users[role], event_id=ev.pk, data=data, filename=filename
    )


def test_mgt_8_sjsp_template_round_trip(world):
    """MGT.8.SJSP: the template has the team prefilled; filled in and uploaded it is read."""
    set_threshold(world)
    ev = event(world)
    data = sjsp_template(ev)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["三讲三评票数"]
    names = {ws.cell(row=r, column=2).value for r in range(4, ws.max_row + 1)}
    assert names == {"岳文华", "线美玲"}
    assert (
        ws.cell(row=2, column=3).value == "村(社区)干部"
        and ws.cell(row=3, column=4).value == "较好"
    )
    for r in range(4, ws.max_row + 1):
        for c in range(3, 15):
            ws.cell(row=r, column=c).value = 2 if c % 4 else 1  # some of every vote
    buf = io.BytesIO()
    wb.save(buf)
    written = do_import(world, ev, buf.getvalue(), "票数.xlsx")
    assert len(written) == 6 and SjspTally.objects.count() == 6
    # 好+较好 = 3 groups × (1 + 2) … satisfaction computed, below 90 % → rectifications
    assert Rectification.objects.count() == 2
    # the template now shows the counts entered
    again = load_workbook(io.BytesIO(sjsp_template(ev)))["三讲三评票数"]
    assert again.cell(row=4, column=3).value is not None


def test_mgt_8_sjsp_import_blank_group_kept(world):
    ev = event(world)
    do_import(world, ev, sheet(world, [fs_row(world)]))
    counts = [""] * 8 + [20, 7, 2, 1]
    do_import(world, ev, sheet(world, [fs_row(world, counts)]))
    got = {t.group: t.good for t in SjspTally.objects.all()}
    assert got == {"village_cadres": 5, "party_members": 6, "villagers": 20}


@pytest.mark.parametrize(
    ("row", "key", "words"),
    [
        (lambda w: fs_row(w, name="王五"), "row3.cadre", "第3行"),
        (lambda w: fs_row(w, pk=w.cadres["fs_c"].pk, name="李国强"), "row3.cadre", "不符"),
        (
            lambda w: fs_row(w, [-1, 3, 1, 1, 6, 2, 1, 1, 10, 5, 1, 0]),
            "row3.village_cadres.good",
            "负数",
        ),
        (
            lambda w: fs_row(w, [5, "三", 1, 1, 6, 2, 1, 1, 10, 5, 1, 0]),
            "row3.village_cadres.fairly_good",
            "整数",
        ),
        (
            lambda w: fs_row(w, [5, 3, 1, 1, "=1+1", 2, 1, 1, 10, 5, 1, 0]),
            "row3.party_members.good",
            "公式",
        ),
        (lambda w: fs_row(w, name="=HYPERLINK(1)"), "row3.name", "公式"),
    ],
)
def test_mgt_8_sjsp_import_bad_row_writes_nothing(world, row, key, words):
    ev = event(world)
    ok = [world.cadres["tm_a"].pk, "线美玲", *[1] * 12]
    with pytest.raises(ValidationFailed) as exc:
        do_import(world, ev, sheet(world, [row(world), ok]))
    assert words in exc.value.errors[key], exc.value.errors
    assert "第3行" in exc.value.errors[key] and "没有写入" in exc.value.message
    assert not SjspTally.objects.exists()


def test_mgt_8_sjsp_import_column_named_in_chinese(world):
    ev = event(world)
    with pytest.raises(ValidationFailed) as exc:
        do_import(world, ev, sheet(world, [fs_row(world, [5, 3, 1, 1, 6, 2, 1, 1, 10, 5, 1, 0.5])]))
    assert "群众·差" in exc.value.errors["row3.villagers.poor"]


def test_mgt_8_sjsp_import_missing_column(world):
    ev = event(world)
    top, low = header_rows()
    data = csv_bytes([top[:-1], low[:-1], fs_row(world)[:-1]])
    with pytest.raises(ValidationFailed) as exc:
        do_import(world, ev, data)
    assert "缺少列" in exc.value.errors["file"] and "群众·差" in exc.value.errors["file"]
    assert not SjspTally.objects.exists()


def test_mgt_8_sjsp_import_not_a_sheet(world):
    ev = event(world)
    with pytest.raises(ValidationFailed) as exc:
        do_import(world, ev, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "票数.xls")
    assert ".xls" in exc.value.errors["file"]


def test_mgt_8_sjsp_import_scope_before_reading(world):
    ev = event(world)
    with pytest.raises(Forbidden):
        do_import(world, ev, b"", role="prefecture")
    with pytest.raises(NotFound):
        do_import(world, ev, b"", role="unit")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_mgt_8_sjsp_import_libreoffice_xlsx(world, tmp_path):
    ev = event(world)
    src = tmp_path / "票数.csv"
    src.write_bytes(sheet(world, [fs_row(world)]))
    subprocess.run(
        [  # the CSV read as UTF-8 (filter option 76), as an office's LibreOffice is told to
            "soffice",
            "--headless",
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
    data = (tmp_path / "票数.xlsx").read_bytes()
    assert len(do_import(world, ev, data, "票数.xlsx")) == 3
