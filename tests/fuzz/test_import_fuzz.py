"""The registry import (zhucun.registry.imports, the 导入 page) fed malformed files
(hypothesis): random bytes, truncated .xlsx archives, CSV in encodings it cannot be read in,
and good files with bad rows mixed in — wrong types, control characters, overlong values.

Every one must end in a report that is not ``ok``, whose errors carry a Chinese reason (and,
for a bad row, its row number as Excel shows it and the Chinese column header), and must
write nothing at all: every table of the registry app and the audit trail are counted before
and after. A good file of the same shape is imported in full, so the tests would notice an
importer that refuses everything.

Examples per test: ``ZHUCUN_FUZZ_EXAMPLES`` (profile ``zhucun-fuzz`` in conftest.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.world import cadre_data, make_id_number
from zhucun.audit.models import ChainHead, Event
from zhucun.registry import validation
from zhucun.registry.imports import import_file

from .conftest import FUZZ

FIELDS = list(validation.CADRE_FIELDS)
HEADERS = [label for label, _c in validation.CADRE_FIELDS.values()]
TEXT_FIELDS = ["name", "ethnicity", "education", "unit_name", "post", "occupation"]
_serials = itertools.count()


def is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def snapshot() -> dict[str, Any]:
    counts: dict[str, Any] = {
        m.__name__: m.objects.count() for m in apps.get_app_config("registry").get_models()
    }
    counts["Event"] = Event.objects.count()
    counts["ChainHead"] = list(ChainHead.objects.order_by("pk").values_list())
    return counts


def good_row(unit: str = "德宏州农业农村局") -> list[Any]:
    """A cadre row no one has imported yet: a fresh ID number on every call (the 3-digit serial
    and then the birth date move on)."""
    k = next(_serials)
    birth = dt.date(1988, 4, 2) + dt.timedelta(days=k // 1000)
    data = cadre_data(name="杨新", birth_date=birth, serial=k % 1000, unit_name=unit)
    data["id_number"] = make_id_number(birth, k % 1000, "533102")
    return [data[f] for f in FIELDS]


def as_csv(rows: list[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode(encoding)


def as_xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(fw, content: bytes, filename: str, *, role: str = "admin"):
    return import_file(
        actor=fw.world.users[role], kind="cadres", fileobj=io.BytesIO(content), filename=filename
    )


def assert_nothing_written(report, before) -> None:
    assert not report.ok and not report.written
    assert report.error_count >= 1 and report.errors
    assert (report.created, report.updated) == (0, 0)
    for e in report.errors:
        assert is_chinese(e.reason), e
    assert is_chinese(report.summary()) and "未写入任何数据" in report.summary()
    assert snapshot() == before, "a refused import wrote something"


# ---- the importer works on good files (so the refusals below mean something) --------------


@FUZZ
@given(fmt=st.sampled_from(["xlsx", "csv", "csv-gb18030"]), n=st.integers(1, 6))
def test_a_good_file_is_imported_whole(fw, fmt, n):
    rows = [good_row() for _ in range(n)]
    if fmt == "xlsx":
        content, name = as_xlsx(rows), "干部.xlsx"
    else:
        content = as_csv(rows, "gb18030" if fmt.endswith("gb18030") else "utf-8-sig")
        name = "干部.csv"
    before = snapshot()
    report = run(fw, content, name)
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == n
    after = snapshot()
    assert after["Cadre"] == before["Cadre"] + n and after["Event"] == before["Event"] + 1


# ---- files that cannot be read -------------------------------------------------------------

FILENAMES = st.sampled_from(["干部.xlsx", "干部.csv", "data.txt", "名单", "roster.XLSX", ""])


@FUZZ
@given(content=st.binary(max_size=4096), filename=FILENAMES)
def test_random_bytes_write_nothing(fw, content, filename):
    before = snapshot()
    report = run(fw, content, filename)
    assert_nothing_written(report, before)


@FUZZ
@given(
    n=st.integers(1, 5),
    cut=st.floats(0.0, 1.0, exclude_max=True),
    filename=st.sampled_from(["干部.xlsx", "干部.csv", ""]),
)
def test_a_truncated_xlsx_writes_nothing(fw, n, cut, filename):
    whole = as_xlsx([good_row() for _ in range(n)])
    content = whole[: int(len(whole) * cut)]
    before = snapshot()
    report = run(fw, content, filename)
    assert_nothing_written(report, before)
    assert all(e.row == 0 for e in report.errors)  # the file as a whole


@FUZZ
@given(n=st.integers(1, 5), junk=st.binary(min_size=1, max_size=64), at=st.floats(0.05, 0.95))
def test_an_xlsx_with_bytes_spliced_in_writes_nothing_or_everything(fw, n, junk, at):
    """Bytes spliced into the archive: the zip's offsets no longer match, so the file must be
    refused; should a reader ever cope, it must then import every row, never some."""
    whole = as_xlsx([good_row() for _ in range(n)])
    i = int(len(whole) * at)
    content = whole[:i] + junk + whole[i:]
    before = snapshot()
    report = run(fw, content, "干部.xlsx")
    if report.ok:
        assert snapshot()["Cadre"] == before["Cadre"] + n
    else:
        assert_nothing_written(report, before)


# encodings the importer does not read (it reads UTF-8 with or without BOM, and GB18030 with
# its subsets GBK and GB2312); the 7-bit ones look like plain ASCII text
BAD_ENCODINGS = st.sampled_from(
    ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "hz", "iso2022_jp_2", "utf-7"]
)


@FUZZ
@given(n=st.integers(1, 4), encoding=BAD_ENCODINGS)
def test_csv_in_an_encoding_it_cannot_read_writes_nothing(fw, n, encoding):
    content = as_csv([good_row() for _ in range(n)], encoding)
    before = snapshot()
    report = run(fw, content, "干部.csv")
    assert_nothing_written(report, before)
    assert len(report.errors) == 1 and report.errors[0].row in (0, 1)  # the file, or its header


@FUZZ
@given(
    n=st.integers(1, 4),
    junk=st.lists(st.sampled_from([b"\xff", b"\x80", b"\xfe\xfe", b"\x81\x30"]), min_size=1),
    where=st.floats(0.0, 1.0),
)
def test_csv_with_bytes_invalid_in_every_encoding_writes_nothing(fw, n, junk, where):
    content = as_csv([good_row() for _ in range(n)])
    i = int(len(content) * where)
    content = content[:i] + b"".join(junk) + b"\xff" + content[i:]
    before = snapshot()
    report = run(fw, content, "干部.csv")
    assert_nothing_written(report, before)


def test_csv_with_a_nul_byte_writes_nothing(fw):
    content = as_csv([good_row(), good_row()])
    before = snapshot()
    report = run(fw, content.replace("杨新".encode(), "杨\x00新".encode(), 1), "干部.csv")
    assert_nothing_written(report, before)
    assert "二进制" in report.errors[0].reason


# ---- good files with bad rows mixed in -----------------------------------------------------

CONTROL = st.sampled_from([chr(c) for c in [*range(1, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]])

# field → values its cleaner must refuse, of the wrong type for an .xlsx cell
WRONG_TYPES: dict[str, st.SearchStrategy[Any]] = {
    "gender": st.one_of(st.integers(2, 10**6), st.floats(0.1, 9.9), st.booleans()),
    "party_status": st.one_of(st.integers(), st.dates().map(lambda d: d)),
    "birth_date": st.one_of(st.booleans(), st.sampled_from(["明天", "1988-02-30", "19880230"])),
    "work_start_date": st.sampled_from(["去年", "2012-13-01", "--"]),
    "id_number": st.floats(1e17, 9.99e17),  # Excel turned it into a number: digits lost
    "health_fit": st.one_of(st.integers(2, 100), st.sampled_from(["也许", "√×"])),
    "phone": st.one_of(st.floats(1.5, 99.5), st.sampled_from(["12345", "电话"])),
}
OVERLONG = {"name": 32, "ethnicity": 16, "post": 64, "occupation": 64, "unit_name": 100}


@st.composite
def bad_values(draw, fmt: str) -> tuple[str, Any]:
    # openpyxl refuses to write control characters into a cell (and Excel escapes them), so
    # they go into CSV files only
    kinds = ["control", "overlong", "wrong_type"] if fmt == "csv" else ["overlong", "wrong_type"]
    kind = draw(st.sampled_from(kinds))
    if kind == "control":
        field = draw(st.sampled_from(TEXT_FIELDS))
        # in the middle: a control character at either end would be stripped as whitespace
        return field, f"杨{draw(CONTROL)}新"
    if kind == "overlong":
        field = draw(st.sampled_from(sorted(OVERLONG)))
        return field, "长" * draw(st.integers(OVERLONG[field] + 1, OVERLONG[field] + 300))
    field = draw(st.sampled_from(sorted(WRONG_TYPES)))
    value = draw(WRONG_TYPES[field])
    if fmt == "csv" and not isinstance(value, str):
        value = str(value)
    return field, value


@st.composite
def mixed_files(draw) -> tuple[str, list[list[Any]], dict[int, str]]:
    """(format, rows, {Excel row number of each bad row: its field})."""
    fmt = draw(st.sampled_from(["xlsx", "csv"]))
    rows = [good_row() for _ in range(draw(st.integers(1, 8)))]
    bad: dict[int, str] = {}
    for _ in range(draw(st.integers(1, 3))):
        field, value = draw(bad_values(fmt))
        row = good_row()
        row[FIELDS.index(field)] = value
        at = draw(st.integers(0, len(rows)))
        rows.insert(at, row)
        bad = {(n + 1 if n >= at + 2 else n): f for n, f in bad.items()}
        bad[at + 2] = field  # the header is row 1
    return fmt, rows, bad


@FUZZ
@given(case=mixed_files())
def test_bad_rows_among_good_ones_write_nothing_and_are_named(fw, case):
    fmt, rows, bad = case
    content = as_xlsx(rows) if fmt == "xlsx" else as_csv(rows)
    before = snapshot()
    report = run(fw, content, f"干部.{fmt}")
    assert_nothing_written(report, before)
    named = {(e.row, e.column) for e in report.errors}
    for row, field in bad.items():
        label = validation.label_of(validation.CADRE_FIELDS, field)
        assert (row, label) in named, (row, label, [str(e) for e in report.errors])
    # the good rows are not blamed
    assert {e.row for e in report.errors} <= set(bad), [str(e) for e in report.errors]
    for e in report.errors:
        assert str(e).startswith(f"第{e.row}行“{e.column}”列:")


# ---- the same through the import page ------------------------------------------------------


@pytest.fixture
def page(fw):
    client = Client()
    client.force_login(fw.world.users["county"])
    return client


@FUZZ
@given(case=mixed_files(), garbage=st.binary(max_size=512), which=st.booleans())
def test_the_import_page_shows_the_errors_and_writes_nothing(page, case, garbage, which):
    fmt, rows, bad = case
    if which:
        content = as_xlsx(rows) if fmt == "xlsx" else as_csv(rows)
        name = f"干部.{fmt}"
    else:
        content, name = garbage, "干部.xlsx"
    before = snapshot()
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    response = page.post("/import/", {"kind": "cadres", "file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    report = response.context["report"]
    assert not report.ok
    assert 'id="import-failed"' in text and "未写入任何数据" in text
    if which:
        assert 'id="import-errors"' in text
        for row, field in bad.items():
            label = validation.label_of(validation.CADRE_FIELDS, field)
            assert f'<td class="num">{row}</td><td>{label}</td>' in text
    assert snapshot() == before
