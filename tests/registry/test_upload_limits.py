"""Issue 9 point 4: uploads are read within limits (settings ZHUCUN_UPLOAD_MAX_BYTES,
ZHUCUN_XLSX_MAX_UNCOMPRESSED, ZHUCUN_XLSX_MAX_SHARED_STRINGS, ZHUCUN_IMPORT_MAX_COLUMNS,
ZHUCUN_IMPORT_MAX_ROWS, ZHUCUN_IMPORT_MAX_CELL_CHARS). A hostile file is refused within
seconds with a Chinese message naming the limit, through the importer and the command line;
nothing is written. (The time bound is a loose resource guard, not a benchmark.)"""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import CommandError, call_command

from tests import hostile_xlsx as h
from zhucun.audit.models import Event
from zhucun.registry import validation
from zhucun.registry.imports import import_file
from zhucun.registry.imports.limits import FileProblem, LimitExceeded
from zhucun.registry.imports.reader import inspect, iter_rows
from zhucun.registry.imports.xlsx_stream import XlsxStream
from zhucun.registry.models import Cadre

SECONDS = 10
HEADER = [label for label, _c in validation.CADRE_FIELDS.values()]
CASES = h.cases(HEADER, ["张三"])


@pytest.mark.parametrize("key,filename,builder,words,status", CASES, ids=[c[0] for c in CASES])
def test_import_refuses_hostile_file_quickly(world, key, filename, builder, words, status):
    data = h.build(key, builder)
    before, events = Cadre.objects.count(), Event.objects.count()
    start = time.monotonic()
    report = import_file(
        actor=world.admin, kind="cadres", fileobj=io.BytesIO(data), filename=filename
    )
    assert time.monotonic() - start < SECONDS
    assert not report.written and words in report.errors[0].reason, report.errors
    assert bool(report.limit) == (status == 413)
    assert Cadre.objects.count() == before and Event.objects.count() == events


def test_command_line_import_refuses_with_the_limit(world, tmp_path):
    path = tmp_path / "wide.xlsx"
    path.write_bytes(h.one_cell_at("ZZZZZZ1"))
    with pytest.raises(CommandError, match="最大列数 64 列"):
        call_command("import", "cadres", str(path), "--user", "admin")


def _rows(data: bytes, name: str = "x.xlsx", kind: str = "cadres") -> list:
    return list(iter_rows(inspect(io.BytesIO(data), name, kind=kind)))


def test_column_far_right_stops_before_anything_is_allocated():
    with pytest.raises(LimitExceeded) as exc:
        _rows(h.one_cell_at("ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ1"))
    assert exc.value.setting == "ZHUCUN_IMPORT_MAX_COLUMNS"
    assert "ZZZZZZZZZZ" in str(exc.value)
    # the 64th column is still read
    rows = _rows(h.one_cell_at("BL1"))
    assert rows == [(1, [None] * 63 + ["x"])]


def test_limits_are_settings(settings):
    settings.ZHUCUN_IMPORT_MAX_ROWS = {"cadres": 3}
    data = h.many_rows(["姓名"], ["张三"], 3)
    assert len(_rows(data)) == 4  # header + 3
    with pytest.raises(LimitExceeded, match=r"最大行数 2 行\(cadres\)"):
        settings.ZHUCUN_IMPORT_MAX_ROWS = {"cadres": 2}
        _rows(data)
    settings.ZHUCUN_UPLOAD_MAX_BYTES = 100
    with pytest.raises(LimitExceeded, match="最大大小 "):
        _rows(data)


def test_decompressed_bytes_are_counted_even_when_the_directory_is_believed(settings, monkeypatch):
    """The central directory is checked first; the bytes actually decompressed are counted
    as well, for the directory can lie."""
    settings.ZHUCUN_XLSX_MAX_UNCOMPRESSED = 5 * h.MB
    monkeypatch.setattr(XlsxStream, "_check_directory", lambda self: None)
    with pytest.raises(LimitExceeded, match="解压后超过了允许的最大大小 5 MB"):
        _rows(h.bomb(8 * h.MB))


def test_dtd_is_refused():
    sheet = [
        h.SHEET_HEAD.replace(b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet'),
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>',
        b"</sheetData></worksheet>",
    ]
    with pytest.raises(FileProblem, match="DTD"):
        _rows(h.xlsx(sheet))


@pytest.mark.parametrize("in_row", [True, False])
def test_sheet_stuffed_with_elements_stops_early(in_row):
    """20 million meaningless elements (80 MB, under the decompressed limit) are not all
    parsed: a row holds at most what its columns need, a sheet a bounded number of others."""
    data = h.junk_elements(20_000_000, in_row=in_row)
    start = time.monotonic()
    with pytest.raises(LimitExceeded):
        _rows(data)
    assert time.monotonic() - start < SECONDS
