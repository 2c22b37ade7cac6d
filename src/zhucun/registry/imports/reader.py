"""Reading uploaded .xlsx/.csv files as a stream of rows, any number of times.

``inspect`` reads the file once in chunks: SHA-256, format (by content, not by name) and, for
CSV, the encoding (UTF-8 with or without BOM, else GB18030 as Chinese Excel writes it).
``iter_rows`` then streams (row number, values) from the start, as often as the importer
needs: the bounded streaming reader of xlsx_stream for .xlsx (never openpyxl, which trusts
the file's <dimension> and cell references), the csv module over a bounded line reader for
.csv. Every problem with the file itself becomes a ``FileProblem`` with a Chinese message;
passing one of the resource limits of ``Limits`` (settings, per kind) a ``LimitExceeded``,
raised as soon as it is passed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from .limits import FileProblem, LimitExceeded, Limits
from .xlsx_stream import XlsxError, XlsxStream

__all__ = ["FileProblem", "LimitExceeded", "Limits", "Source", "inspect", "iter_rows"]

CHUNK = 1 << 20
INSTRUCTIONS_SHEET = "填写说明"
HEADER_SEARCH_ROWS = 10
IGNORED_HEADERS = {"序号"}

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_EXCEL_TEXT = re.compile(r'="(.*)"', re.S)


@dataclass
class Source:
    fileobj: IO[bytes]
    fmt: str  # "xlsx" | "csv"
    encoding: str
    sha256: str
    size: int
    limits: Limits


def _seekable(fileobj: Any, limits: Limits) -> IO[bytes]:
    try:
        fileobj.seek(0)
        return fileobj
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115
        size = 0
        while chunk := fileobj.read(CHUNK):
            size += len(chunk)
            limits.bytes_read(size)
            spool.write(chunk)
        spool.seek(0)
        return spool  # type: ignore[return-value]


def inspect(fileobj: Any, filename: str, *, kind: str) -> Source:
    """Reads ``fileobj`` once (bounded by the upload limit) for its hash, format and
    encoding; ``kind`` (an import kind or "screening") chooses the row limit."""
    limits = Limits.for_kind(kind)
    f = _seekable(fileobj, limits)
    ext = PurePath(filename or "").suffix.lower()
    digest = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    encrypted = False
    nul = False
    decoders = {
        "utf-8-sig": codecs.getincrementaldecoder("utf-8-sig")(),
        "gb18030": codecs.getincrementaldecoder("gb18030")(),
    }
    valid = dict.fromkeys(decoders, True)
    while chunk := f.read(CHUNK):
        digest.update(chunk)
        if not head:
            head = chunk[:8]
        size += len(chunk)
        limits.bytes_read(size)
        if head.startswith(_OLE2):
            encrypted = encrypted or _ENCRYPTED_MARK in tail + chunk
            tail = chunk[-64:]
        elif not head.startswith(_ZIP):
            nul = nul or b"\x00" in chunk
            for name, decoder in decoders.items():
                if valid[name]:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        valid[name] = False
    for name, decoder in decoders.items():
        if valid[name]:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                valid[name] = False
    f.seek(0)
    src = Source(f, "", "", digest.hexdigest(), size, limits)
    if size == 0:
        raise FileProblem("文件是空的(0字节),请选择填好数据的.xlsx或.csv文件")
    if head.startswith(_ZIP):
        src.fmt = "xlsx"
        return src
    if head.startswith(_OLE2):
        if encrypted:
            raise FileProblem(
                "文件设置了打开密码,系统无法读取;请在Excel中取消密码后另存为.xlsx再导入"
            )
        raise FileProblem(
            "这是旧版Excel(.xls)文件,系统只能读取.xlsx;请在Excel中“另存为”Excel工作簿(.xlsx)后再导入"
        )
    if ext in (".xlsx", ".xlsm", ".xls", ".et"):
        raise FileProblem(f"文件扩展名为{ext},但内容不是有效的Excel工作簿(文件可能已损坏或被改名)")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            "文件是UTF-16编码的文本(Excel的“Unicode文本”),请另存为“CSV UTF-8(逗号分隔)”或.xlsx后再导入"
        )
    if ext not in ("", ".csv", ".txt"):
        raise FileProblem(f"不支持{ext}格式的文件,请上传.xlsx或.csv文件")
    if nul:
        raise FileProblem("文件不是文本格式的CSV(含有二进制内容),请上传.xlsx或.csv文件")
    for name in ("utf-8-sig", "gb18030"):
        if valid[name]:
            src.fmt, src.encoding = "csv", name
            return src
    raise FileProblem("无法识别CSV文件的编码,请在Excel中另存为“CSV UTF-8(逗号分隔)”后再导入")


class _RawReader(io.RawIOBase):
    """Adapts any object with ``read(n)`` (a Django UploadedFile, a BytesIO…) to the io
    stack, without closing it when the text wrapper is closed."""

    def __init__(self, f: IO[bytes]) -> None:
        self._f = f

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        data = self._f.read(len(b))
        b[: len(data)] = data
        return len(data)


def _xlsx_rows(f: IO[bytes], limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    try:
        book = XlsxStream(f, limits=limits, skip_sheet=INSTRUCTIONS_SHEET)
    except XlsxError as exc:
        raise FileProblem(f"无法打开Excel文件,文件可能已损坏或不是Excel工作簿({exc})") from None
    try:
        rows = book.rows()
        num = 0
        while True:
            try:
                num, row = next(rows)
            except StopIteration:
                return
            except FileProblem:
                raise
            except Exception as exc:  # XML, zip and decompression errors alike
                raise FileProblem(
                    f"读取Excel第{num + 1}行附近时出错,文件可能已损坏({type(exc).__name__})"
                ) from None
            yield num, row
    finally:
        book.close()


def _lines(text: io.TextIOWrapper, limits: Limits) -> Iterator[str]:
    """Physical lines, none longer than the limits allow (a line of a million commas is
    refused when it is read, not after it was split)."""
    longest = limits.csv_line()
    num = 0
    while line := text.readline(longest + 1):
        num += 1
        if len(line) > longest:
            limits.line(num)
        yield line


def _csv_rows(f: IO[bytes], encoding: str, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    text = io.TextIOWrapper(io.BufferedReader(_RawReader(f), CHUNK), encoding=encoding, newline="")
    try:
        reader = csv.reader(_lines(text, limits))
        num = 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileProblem(f"CSV第{num + 1}行格式错误:{exc}") from None
            num += 1
            limits.rows(num)
            if len(record) > limits.max_columns:
                limits.column(len(record), f"第{num}行")
            limits.cell_chars(max(map(len, record), default=0), num)
            yield num, record
    finally:
        text.detach()


def iter_rows(src: Source) -> Iterator[tuple[int, list[Any]]]:
    """(row number as Excel shows it, raw values) for every row of the data sheet; raises
    ``LimitExceeded`` as soon as the file passes a limit."""
    src.fileobj.seek(0)
    if src.fmt == "xlsx":
        return _xlsx_rows(src.fileobj, src.limits)
    return _csv_rows(src.fileobj, src.encoding, src.limits)


def check_limits(src: Source) -> None:
    """Reads the whole file once, values unused, so that a file over a limit is refused
    before any work is done on its rows."""
    for _row in iter_rows(src):
        pass


def norm_header(value: Any) -> str:
    """Header cells compare after NFKC (full-width brackets → ASCII), without spaces or the
    "*" that marks required columns."""
    s = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return re.sub(r"\s+", "", s).strip("*")


def norm_value(value: Any) -> Any:
    """Cell values as the cleaners expect them: trimmed text, integral floats as ints (a code
    or phone typed as a number), Excel's ="…" text trick unwrapped."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str):
        s = value.strip()
        m = _EXCEL_TEXT.fullmatch(s)
        return m.group(1).strip() if m else s
    return value


def as_text(value: Any) -> str:
    """A cell value as plain text, for comparing with the template's example row."""
    value = norm_value(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
