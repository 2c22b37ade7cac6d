"""A small streaming reader for the first data sheet of an .xlsx workbook.

openpyxl's read-only mode parses every inline string through its object model (openpyxl
itself writes strings inline), about ten times slower than needed for a 50,000-row roster.
This reader walks the sheet XML with ``iterparse`` and frees each row once read; it keeps
only the shared-string table and the set of date styles. Cell values come out as openpyxl
would give them: str, int/float, bool, datetime for date-formatted numbers.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree import ElementTree
from xml.etree.ElementTree import Element, iterparse
from xml.parsers import expat

from openpyxl.styles.numbers import is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

# built-in number formats that are dates, including the CJK locale ids (27–36, 50–58)
_BUILTIN_DATES = {*range(14, 18), 22, *range(27, 37), *range(50, 59)}
_OFFICE_DOC = "/officeDocument"


class XlsxError(Exception):
    pass


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(el: Element, name: str) -> str | None:
    for key, value in el.attrib.items():
        if _local(key) == name:
            return value
    return None


def _text(el: Element) -> str:
    """Text of a string item (<si>/<is>): plain <t> or rich-text runs, without phonetic
    guides (<rPh>)."""
    parts: list[str] = []
    for child in el:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n


class XlsxStream:
    def __init__(self, fileobj: IO[bytes], *, skip_sheet: str = "") -> None:
        try:
            self.zip = zipfile.ZipFile(fileobj)
            self._load(skip_sheet)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
            raise XlsxError(type(exc).__name__) from None

    def _parse(self, path: str) -> Element:
        with self.zip.open(path) as f:
            return ElementTree.parse(f).getroot()

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
            with self.zip.open(sst) as f:
                for _ev, el in iterparse(f, events=("end",)):
                    if _local(el.tag) == "si":
                        self.strings.append(_text(el))
                        el.clear()
        self.date_styles: set[int] = set()
        if (styles := by_type.get("styles")) and styles in self.zip.namelist():
            self._styles(self._parse(styles))

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
        row_num = col = style = phonetic = 0
        values: list[Any] = []
        parts: list[str] = []
        kind = "n"
        collecting = False
        convert = self._convert

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row_num, col, style, phonetic, values, parts, kind, collecting
            tag = name.rpartition(":")[2]
            if tag == "c":
                ref = attrs.get("r")
                col = _col_index(ref) if ref else col + 1
                kind = attrs.get("t", "n")
                style = int(attrs.get("s") or 0)
                parts = []
            elif tag == "v" or (tag == "t" and not phonetic):
                collecting = True
            elif tag == "rPh":
                phonetic += 1
            elif tag == "row":
                ref = attrs.get("r")
                row_num = int(ref) if ref else row_num + 1
                values, col = [], 0

        def end(name: str) -> None:
            nonlocal phonetic, collecting
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
                done.append((row_num, values))

        def chars(data: str) -> None:
            if collecting:
                parts.append(data)

        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        with self.zip.open(self.sheet) as f:
            while chunk := f.read(1 << 16):
                parser.Parse(chunk, False)
                yield from done
                done.clear()
            parser.Parse(b"", True)
            yield from done

    def close(self) -> None:
        self.zip.close()
