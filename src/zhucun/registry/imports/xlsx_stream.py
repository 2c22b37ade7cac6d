"""A small streaming reader for the first data sheet of an .xlsx workbook.

openpyxl's read-only mode parses every inline string through its object model (openpyxl
itself writes strings inline), about ten times slower than needed for a 50,000-row roster.
This reader walks the sheet XML with ``iterparse`` and frees each row once read; it keeps
only the shared-string table and the set of date styles. Cell values come out as openpyxl
would give them: str, int/float, bool, datetime for date-formatted numbers.

Every resource is bounded by ``Limits`` (see limits.py) and checked while reading: the sizes
the zip's central directory declares, and the bytes actually decompressed (the directory can
lie); the column of every cell reference before anything is allocated for it (a cell at
ZZZZZZ1 stops the reading, it is never padded up to); rows; shared strings; the length of
every text. The <dimension> element is never read. A DTD is refused (no Excel writes one).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree import ElementTree
from xml.etree.ElementTree import Element
from xml.parsers import expat

from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from .limits import FileProblem, Limits

# built-in number formats that are dates, including the CJK locale ids (27–36, 50–58)
_BUILTIN_DATES = {*range(14, 18), 22, *range(27, 37), *range(50, 59)}
_OFFICE_DOC = "/officeDocument"
# XML elements a real cell or shared string is made of (c, v, f, is, t, rich-text runs…), and
# those a sheet holds outside its rows (views, columns, merges, validations, formatting…):
# the parse of a sheet stuffed with other elements stops there, not at the decompressed limit
ELEMENTS_PER_ITEM = 8
ELEMENTS_OUTSIDE = 200_000


class XlsxError(Exception):
    pass


def _parser(start: Any, end: Any, chars: Any) -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    return parser


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(el: Element, name: str) -> str | None:
    for key, value in el.attrib.items():
        if _local(key) == name:
            return value
    return None


def _col_index(ref: str, limit: int) -> int:
    """The column of a cell reference ("C7" → 3); stops counting past ``limit`` (so a
    hostile "ZZZZZZZZZZZZ1" costs nothing)."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
            if n > limit:
                return n
        else:
            break
    return n


def _no_dtd(*_args: Any) -> None:
    raise FileProblem("Excel文件中含有DTD声明(Excel不会生成这样的文件),文件可能是恶意构造的")


class _Counted:
    """A decompressing reader that adds every byte it hands out to the workbook's total and
    stops as soon as the total (or, for a part parsed as a whole tree, the part) passes its
    limit."""

    def __init__(self, f: IO[bytes], book: XlsxStream, part: str, *, meta: bool) -> None:
        self._f = f
        self._book = book
        self._part = part
        self._meta = meta
        self._read = 0

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(n if n is not None and n >= 0 else 1 << 16)
        self._read += len(data)
        self._book.decompressed += len(data)
        self._book.limits.uncompressed(self._book.decompressed)
        if self._meta:
            self._book.limits.meta_part(self._part, self._read)
        return data

    def close(self) -> None:
        self._f.close()


def _declared_members(fileobj: IO[bytes]) -> int:
    """The number of entries the end-of-central-directory record announces (0 when it cannot
    be found; zipfile then says what is wrong), read before zipfile builds its directory."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    fileobj.seek(max(0, size - (1 << 16) - 22))
    tail = fileobj.read()
    fileobj.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return 0
    return int.from_bytes(tail[at + 10 : at + 12], "little")


class XlsxStream:
    def __init__(self, fileobj: IO[bytes], *, limits: Limits, skip_sheet: str = "") -> None:
        self.limits = limits
        self.decompressed = 0
        try:
            self.limits.members(_declared_members(fileobj))
            self.zip = zipfile.ZipFile(fileobj)
            self._check_directory()
            self._load(skip_sheet)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
            raise XlsxError(type(exc).__name__) from None
        except expat.ExpatError as exc:
            raise XlsxError(type(exc).__name__) from None

    def _check_directory(self) -> None:
        """What the central directory declares, before anything is decompressed."""
        infos = self.zip.infolist()
        self.limits.members(len(infos))
        self.limits.uncompressed(sum(i.file_size for i in infos))

    def _open(self, path: str, *, meta: bool) -> _Counted:
        """A part of the workbook, read through the byte counter (``meta`` parts are parsed
        as a whole tree and have a lower cap)."""
        info = self.zip.getinfo(path)
        if meta:
            self.limits.meta_part(path, info.file_size)
        return _Counted(self.zip.open(info), self, path, meta=meta)

    def _parse(self, path: str) -> Element:
        f = self._open(path, meta=True)
        try:
            return ElementTree.parse(f).getroot()  # type: ignore[arg-type]
        finally:
            f.close()

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        rels_path = posixpath.join(folder, "_rels", name + ".rels")
        if rels_path not in self.zip.namelist():
            return {}
        out = {}
        for rel in self._parse(rels_path):
            target = rel.get("Target", "")
            target = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            out[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return out

    def _load(self, skip_sheet: str) -> None:
        root_rels = self._rels("")
        book = next((t for typ, t in root_rels.values() if typ.endswith(_OFFICE_DOC)), None)
        book = book or "xl/workbook.xml"
        workbook = self._parse(book)
        rels = self._rels(book)
        self.epoch = CALENDAR_WINDOWS_1900
        sheets: list[tuple[str, str]] = []
        for el in workbook.iter():
            tag = _local(el.tag)
            if tag == "workbookPr" and el.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif tag == "sheet":
                sheets.append((el.get("name", ""), rels[_attr(el, "id") or ""][1]))
        data = [path for name, path in sheets if name != skip_sheet]
        if not data:
            raise ValueError("no sheet")
        self.sheet = data[0]
        by_type = {typ.rsplit("/", 1)[-1]: target for typ, target in rels.values()}
        self.strings: list[str] = []
        if (sst := by_type.get("sharedStrings")) and sst in self.zip.namelist():
            self._shared_strings(sst)
        self.date_styles: set[int] = set()
        if (styles := by_type.get("styles")) and styles in self.zip.namelist():
            self._styles(self._parse(styles))

    def _shared_strings(self, path: str) -> None:
        """The shared-string table, streamed with expat (no tree is built): the text of each
        <si> without phonetic guides; count and lengths bounded as they are read."""
        strings = self.strings
        limits = self.limits
        parts: list[str] = []
        length = 0
        depth_rph = 0
        collecting = False

        budget = limits.max_shared_strings * ELEMENTS_PER_ITEM + ELEMENTS_OUTSIDE
        elements = 0

        def start(name: str, _attrs: dict[str, str]) -> None:
            nonlocal collecting, depth_rph, length, elements
            elements += 1
            if elements > budget:
                limits.elements("共享字符串表")
            tag = name.rpartition(":")[2]
            if tag == "si":
                parts.clear()
                length = 0
            elif tag == "t" and not depth_rph:
                collecting = True
            elif tag == "rPh":
                depth_rph += 1

        def end(name: str) -> None:
            nonlocal collecting, depth_rph
            tag = name.rpartition(":")[2]
            if tag == "t":
                collecting = False
            elif tag == "rPh":
                depth_rph -= 1
            elif tag == "si":
                strings.append("".join(parts))
                limits.shared_strings(len(strings))

        def chars(data: str) -> None:
            nonlocal length
            if collecting:
                length += len(data)
                limits.cell_chars(length)
                parts.append(data)

        parser = _parser(start, end, chars)
        f = self._open(path, meta=False)
        try:
            while chunk := f.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        finally:
            f.close()

    def _styles(self, root: Element) -> None:
        custom = {}
        for el in root.iter():
            if _local(el.tag) == "numFmt":
                custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
        for section in root:
            if _local(section.tag) != "cellXfs":
                continue
            for idx, xf in enumerate(section):
                fmt = int(xf.get("numFmtId", "0"))
                if fmt in custom:
                    if is_date_format(custom[fmt]):
                        self.date_styles.add(idx)
                elif fmt in _BUILTIN_DATES:
                    self.date_styles.add(idx)

    def _convert(self, kind: str, style: int, text: str) -> Any:
        if kind in ("inlineStr", "str", "e"):
            return text or None
        if not text:
            return None
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            return dt.datetime.fromisoformat(text)
        number: int | float = float(text) if any(ch in text for ch in ".eE") else int(text)
        if style in self.date_styles:
            try:
                return from_excel(number, self.epoch)
            except (OverflowError, ValueError):
                return number
        return number

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values) of every row that has cells, in order, parsed with expat
        callbacks chunk by chunk (no element tree is built)."""
        done: list[tuple[int, list[Any]]] = []
        limits = self.limits
        max_col = limits.max_columns
        count = length = 0
        row_num = col = style = phonetic = 0
        values: list[Any] = []
        parts: list[str] = []
        kind = "n"
        collecting = False
        convert = self._convert

        in_row = False
        row_budget = max_col * ELEMENTS_PER_ITEM + ELEMENTS_PER_ITEM
        row_elements = outside = 0

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row_num, col, style, phonetic, values, parts, kind, collecting, length
            nonlocal row_elements, outside, in_row
            tag = name.rpartition(":")[2]
            if in_row:
                row_elements += 1
                if row_elements > row_budget:
                    limits.column(max_col + 1, f"第{row_num}行含有过多的单元格或元素")
            elif tag != "row":  # rows are bounded by the row limit
                outside += 1
                if outside > ELEMENTS_OUTSIDE:
                    limits.elements("工作表")
            if tag == "c":
                ref = attrs.get("r")
                col = _col_index(ref, max_col) if ref else col + 1
                if col > max_col:
                    limits.column(col, f"单元格{ref[:20]}" if ref else f"第{row_num}行")
                kind = attrs.get("t", "n")
                style = int(attrs.get("s") or 0)
                parts = []
                length = 0
            elif tag == "v" or (tag == "t" and not phonetic):
                collecting = True
            elif tag == "rPh":
                phonetic += 1
            elif tag == "row":
                ref = attrs.get("r")
                row_num = int(ref) if ref else row_num + 1
                values, col = [], 0
                in_row, row_elements = True, 0

        def end(name: str) -> None:
            nonlocal phonetic, collecting, count, in_row
            tag = name.rpartition(":")[2]
            if tag == "v" or tag == "t":
                collecting = False
            elif tag == "c":
                value = convert(kind, style, "".join(parts))
                if value is not None:
                    if col > len(values):
                        values.extend([None] * (col - len(values)))
                    values[col - 1] = value
            elif tag == "rPh":
                phonetic -= 1
            elif tag == "row":
                in_row = False
                count += 1
                limits.rows(count)
                done.append((row_num, values))

        def chars(data: str) -> None:
            nonlocal length
            if collecting:
                length += len(data)
                if length > limits.max_cell_chars:
                    limits.cell_chars(length, row_num)
                parts.append(data)

        parser = _parser(start, end, chars)
        f = self._open(self.sheet, meta=False)
        try:
            while chunk := f.read(1 << 16):
                parser.Parse(chunk, False)
                yield from done
                done.clear()
            parser.Parse(b"", True)
            yield from done
        finally:
            f.close()

    def close(self) -> None:
        self.zip.close()
