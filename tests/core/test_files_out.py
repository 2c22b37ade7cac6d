"""core.files_out, the one writer of every spreadsheet the system hands out (issue 9 point 1):
text is stored as text, never as a formula; CSV fields that a spreadsheet would evaluate are
quoted; and no other module writes a workbook or a CSV by itself."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from zhucun.core.files_out import Book, Signature, Style, csv_bytes, csv_value

# (a CR inside XML text reads back as LF, so "\r=1" is checked for CSV only)
HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\t=1", "#N/A"]
SRC = Path(__file__).resolve().parents[2] / "src" / "zhucun"


def _read(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_every_string_is_a_string_cell_with_its_exact_text():
    book = Book()
    sheet = book.sheet("表")
    sheet.append(HOSTILE)
    sheet.append_cells([(v, Style(number_format="@")) for v in HOSTILE])
    ws = _read(book.to_bytes())
    for row in ws.iter_rows():
        assert [c.data_type for c in row] == ["s"] * len(HOSTILE)
        assert [c.value for c in row] == HOSTILE
    # Excel's own marker of "text that looks like a formula", so editing keeps it text
    assert ws["A1"].quotePrefix and ws["B1"].quotePrefix


def test_openpyxl_alone_would_write_a_formula():
    """What the writer prevents: openpyxl's own inference turns the text into a formula."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    ws.append([HOSTILE[0]])
    buf = io.BytesIO()
    wb.save(buf)
    assert _read(buf.getvalue())["A1"].data_type == "f"


def test_numbers_dates_and_empty_cells_keep_their_types():
    book = Book()
    sheet = book.sheet("表")
    sheet.append([1, -2, 0.5, dt.date(2024, 3, 1), None, "x\x01y", True])
    ws = _read(book.to_bytes())
    cells = list(ws.iter_rows())[0]
    assert [c.data_type for c in cells[:4]] == ["n", "n", "n", "d"]
    assert cells[1].value == -2 and cells[3].value.date() == dt.date(2024, 3, 1)
    assert cells[3].number_format == "yyyy-mm-dd"
    assert cells[4].value is None
    assert cells[5].value == "x y"  # a control character an .xlsx cannot hold
    assert cells[6].value is True


def test_cells_are_never_accepted_from_callers():
    from openpyxl.cell import WriteOnlyCell

    book = Book()
    sheet = book.sheet("表")
    with pytest.raises(TypeError):
        sheet.append([WriteOnlyCell(sheet.ws, value="=1+1")])


def test_office_layout_title_frozen_header_print_setup_signature():
    book = Book()
    sheet = book.sheet("名单:一/二").table_layout(["序号", "姓名", "单位"], [6, 10, 20])
    sheet.title("德宏州名单")
    sheet.header(["序号", "姓名", "单位"])
    sheet.append([1, "张三", "州农业农村局"])
    sheet.signature(preparer="王五", unit="州委组织部", reviewer="李四", date="2026年1月5日")
    ws = _read(book.to_bytes())
    assert ws.title == "名单 一 二"
    assert ws["A1"].value == "德宏州名单" and "A1:C1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[-2][:3] == ["制表人:王五", None, "审核人:李四"]
    assert rows[-1][:3] == ["单位(盖章):州委组织部", None, "日期:2026年1月5日"]
    assert not any(rows[-3])  # one empty row under the table


def test_signature_block_is_an_option_written_under_the_table():
    """Issue 16: a signed document asks for the block at layout time; the writer puts it under
    the last row when the book is saved (制表人 · 审核人 / 单位(盖章) · 日期, the date blank to
    fill in by hand), and the header row stays frozen and repeated on every printed page."""
    book = Book()
    headers = ["序号", "姓名", "驻村", "出勤率", "排名"]
    sheet = book.sheet("排名").table_layout(
        headers, [6] * 5, signed=Signature.of(unit="遮放镇党委")
    )
    sheet.title("遮放镇排名表")
    sheet.header(headers)
    for i in range(1, 41):
        sheet.append([i, f"干部{i}", "弄坎村", 0.9, i])
    ws = _read(book.to_bytes())
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[1] == headers and rows[41][0] == 40
    assert not any(rows[42])
    assert rows[43][0] == "制表人:" and rows[43][2] == "审核人:"
    assert (
        rows[44][0] == "单位(盖章):遮放镇党委"
        and rows[44][2].startswith("日期:")
        and "年" in rows[44][2]
    )
    assert len(rows) == 45
    assert ws.freeze_panes == "A3" and ws.print_title_rows == "$2:$2"
    # the labels may be renamed (a 发放表 is signed by 经办人 and 单位负责人 too)
    block = Signature.of(labels=("经办人", "审核人", "单位负责人", "单位(盖章)", "日期"))
    assert [r[0] for r in block.rows(4)] == ["经办人:", "单位负责人:", "日期:    年    月    日"]


# ---- CSV ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [*HOSTILE[:5], "\r=1"])
def test_csv_field_that_a_spreadsheet_would_evaluate_starts_with_a_quote(value):
    assert csv_value(value) == "'" + value
    rows = list(csv.reader(io.StringIO(csv_bytes([["姓名"], [value]]).decode("utf-8-sig"))))
    assert rows[1][0] == "'" + value


def test_csv_plain_values_unchanged():
    data = csv_bytes([["张三", 1, -2, dt.date(2024, 3, 1), None, "#N/A", "a=b"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "张三,1,-2,2024-03-01,,#N/A,a=b\r\n"


# ---- guard: no other writer may come back ------------------------------------------------

_WRITERS = re.compile(r"\bWorkbook\(|\bcsv\.writer\b|\bcsv\.DictWriter\b|\bWriteOnlyCell\b")


def test_no_module_but_files_out_writes_spreadsheets():
    """Every .xlsx/.csv goes through core.files_out (src/zhucun/gen writes only to the
    database)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel == "core/files_out.py" or rel.startswith("gen/"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _WRITERS.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []


def test_a_book_that_fails_half_way_leaves_no_temporary_file():
    from openpyxl.worksheet._writer import ALL_TEMP_FILES

    before = set(ALL_TEMP_FILES)

    def rows():
        yield ["甲"]
        raise RuntimeError("上传的文件超过限制")

    with pytest.raises(RuntimeError), Book() as book:
        sheet = book.sheet("表")
        for row in rows():
            sheet.append(row)
    assert set(ALL_TEMP_FILES) == before
