"""Hostile spreadsheet files for the resource-limit tests (issue 9 point 4), built compactly
with zipfile: the sheet XML is written by hand, so a million rows cost a few megabytes."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_REL = (
    '<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/{type}" Target="{target}"/>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def row_xml(num: int, values: Iterable[str]) -> str:
    cells = "".join(
        f'<c r="{_col(i)}{num}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
        for i, v in enumerate(values, start=1)
        if v != ""
    )
    return f'<row r="{num}">{cells}</row>'


def sheet_xml(rows: Iterable[str], *, dimension: str = "") -> Iterator[bytes]:
    yield SHEET_HEAD
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    for r in rows:
        yield r.encode()
    yield b"</sheetData></worksheet>"


def xlsx(sheet: Iterable[bytes], *, shared: Iterable[bytes] | None = None) -> bytes:
    """A minimal workbook: one sheet (streamed into the zip), optional shared strings."""
    rels = [_REL.format(id="rId1", type="worksheet", target="worksheets/sheet1.xml")]
    if shared is not None:
        rels.append(_REL.format(id="rId2", type="sharedStrings", target="sharedStrings.xml"))
    wb_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships">' + "".join(rels) + "</Relationships>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels.encode())
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            for chunk in sheet:
                f.write(chunk)
        if shared is not None:
            with z.open("xl/sharedStrings.xml", "w") as f:
                f.write(
                    b'<?xml version="1.0" encoding="UTF-8"?>'
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                )
                for chunk in shared:
                    f.write(chunk)
                f.write(b"</sst>")
    return buf.getvalue()


def one_cell_at(ref: str) -> bytes:
    """The 2 KB file that once cost 50 s and 2.6 GB: one cell far to the right."""
    return xlsx(
        sheet_xml(
            [f'<row r="1"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'],
            dimension=f"A1:{ref}",
        )
    )


def many_rows(header: list[str], data_row: list[str], n: int) -> bytes:
    """``header`` then ``n`` copies of ``data_row`` (one format string per row: fast)."""
    cells = "".join(
        f'<c r="{_col(i)}{{n}}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
        for i, v in enumerate(data_row, start=1)
        if v != ""
    )
    template = f'<row r="{{n}}">{cells}</row>'

    def rows() -> Iterator[str]:
        yield row_xml(1, header)
        for num in range(2, n + 2):
            yield template.format(n=num)

    return xlsx(_batched(sheet_xml(rows())))


def _batched(chunks: Iterable[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    buf: list[bytes] = []
    n = 0
    for c in chunks:
        buf.append(c)
        n += len(c)
        if n >= size:
            yield b"".join(buf)
            buf, n = [], 0
    yield b"".join(buf)


def shared_strings(n: int) -> bytes:
    """A sheet of one cell and a shared-string table of ``n`` entries."""
    table = _batched(b"<si><t>x</t></si>" for _ in range(n))
    sheet = sheet_xml(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])
    return xlsx(sheet, shared=table)


def long_cell(chars: int) -> bytes:
    return xlsx(sheet_xml([row_xml(1, ["姓名"]), row_xml(2, ["x" * chars])]))


def bomb(uncompressed: int) -> bytes:
    """A sheet of ``uncompressed`` bytes of blanks (compresses about 1000:1), sizes honest."""

    def sheet() -> Iterator[bytes]:
        yield SHEET_HEAD
        for _ in range(uncompressed >> 20):
            yield b" " * (1 << 20)
        yield b"<sheetData/></worksheet>"

    return xlsx(sheet())


SHEET_NAME = b"xl/worksheets/sheet1.xml"


def lying_bomb(uncompressed: int, declared: int = 1000) -> bytes:
    """``bomb`` whose local header and central directory both declare ``declared`` bytes for
    the sheet."""
    data = bytearray(bomb(uncompressed))
    for signature, size_at, name_len_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        at = data.find(signature)
        while at >= 0:
            n = struct.unpack_from("<H", data, at + name_len_at)[0]
            if data[at + name_at : at + name_at + n] == SHEET_NAME:
                struct.pack_into("<I", data, at + size_at, declared)
                break
            at = data.find(signature, at + 4)
        else:
            raise AssertionError("sheet header not found")
    return bytes(data)


# ---- the cases every upload path is tested with --------------------------------------------

MB = 1 << 20


def csv_rows(header: list[str], data_row: list[str], n: int) -> bytes:
    line = ",".join(data_row) + "\n"
    return (",".join(header) + "\n" + line * n).encode("utf-8")


def cases(header: list[str], data_row: list[str]) -> list[tuple[str, str, object, str, int]]:
    """(id, file name, builder, words of the Chinese message, HTTP status): each file passes
    one limit of the default settings. Builders are called lazily (and cached) by ``build``."""
    tag = "|".join(header) + "|" + "|".join(data_row)
    return [
        (key, name, _Builder(f"{key}:{tag}", fn), words, status)
        for key, name, fn, words, status in _cases(header, data_row)
    ]


class _Builder:
    def __init__(self, key: str, fn) -> None:  # type: ignore[no-untyped-def]
        self.key = key
        self.fn = fn

    def __repr__(self) -> str:
        return self.key.split(":", 1)[0]


def _cases(header: list[str], data_row: list[str]) -> list[tuple[str, str, object, str, int]]:
    return [
        ("cell-at-ZZZZZZ1", "a.xlsx", lambda: one_cell_at("ZZZZZZ1"), "最大列数 64 列", 413),
        (
            "million-rows",
            "b.xlsx",
            lambda: many_rows(header, data_row, 1_000_000),
            "最大行数",
            413,
        ),
        ("shared-strings", "c.xlsx", lambda: shared_strings(1_000_001), "共享字符串", 413),
        ("100k-char-cell", "d.xlsx", lambda: long_cell(100_000), "最大长度 2000 个字符", 413),
        ("zip-bomb", "e.xlsx", lambda: bomb(200 * MB), "解压后超过了允许的最大大小 100 MB", 413),
        ("lying-zip-bomb", "f.xlsx", lambda: lying_bomb(200 * MB), "文件可能已损坏", 400),
        (
            "csv-million-rows",
            "g.csv",
            lambda: csv_rows(header, data_row, 1_000_000),
            "最大行数",
            413,
        ),
        (
            "csv-100k-char-cell",
            "h.csv",
            lambda: csv_rows(header, ["x" * 100_000], 1),
            "最大长度 2000 个字符",
            413,
        ),
        ("csv-wide-line", "i.csv", lambda: ("," * 200_000 + "\n").encode(), "过长", 413),
    ]


_BUILT: dict[str, bytes] = {}


def build(_key: str, builder: _Builder) -> bytes:
    """The file of a case, built once per test session."""
    if builder.key not in _BUILT:
        _BUILT[builder.key] = builder.fn()
    return _BUILT[builder.key]


def junk_elements(n: int, *, in_row: bool) -> bytes:
    """A sheet stuffed with ``n`` empty elements of no meaning, inside one row or outside."""
    junk = (b"<x/>" * 10_000 for _ in range(n // 10_000))
    if in_row:
        rows = [b'<sheetData><row r="1">', *junk, b"</row></sheetData>"]
    else:
        rows = [b"<sheetData>", *junk, b"</sheetData>"]
    return xlsx(_batched([SHEET_HEAD, *rows, b"</worksheet>"]))
