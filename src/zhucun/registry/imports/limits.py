"""Resource limits of every uploaded .xlsx/.csv (imports and batch screening).

The limits are settings (``ZHUCUN_UPLOAD_MAX_BYTES``, ``ZHUCUN_XLSX_MAX_UNCOMPRESSED``,
``ZHUCUN_XLSX_MAX_SHARED_STRINGS``, ``ZHUCUN_IMPORT_MAX_COLUMNS``, ``ZHUCUN_IMPORT_MAX_CELL_CHARS``,
``ZHUCUN_IMPORT_MAX_ROWS`` by kind). The readers check them while they read and raise
``LimitExceeded`` (a ``FileProblem``) the moment one is passed: a hostile file costs what the
limit allows and no more. Callers turn it into HTTP 413 (API), a page error or a CLI error.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# parts of a workbook read as a whole tree (workbook, relationships, styles) are small in any
# real file; the sheet and the shared strings are streamed
META_PART_MAX = 16 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
DEFAULT_MAX_ROWS = 100_000


class FileProblem(Exception):
    """The file as a whole cannot be read; ``str(exc)`` is the Chinese reason."""


class LimitExceeded(FileProblem):
    """The file passes one of the limits; ``setting`` names it, ``str(exc)`` says it in
    Chinese with the limit's value."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(message)
        self.setting = setting


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g}"


@dataclass(frozen=True)
class Limits:
    kind: str
    max_bytes: int
    max_uncompressed: int
    max_shared_strings: int
    max_columns: int
    max_cell_chars: int
    max_rows: int

    @classmethod
    def for_kind(cls, kind: str) -> Limits:
        rows = getattr(settings, "ZHUCUN_IMPORT_MAX_ROWS", {})
        return cls(
            kind=kind,
            max_bytes=settings.ZHUCUN_UPLOAD_MAX_BYTES,
            max_uncompressed=settings.ZHUCUN_XLSX_MAX_UNCOMPRESSED,
            max_shared_strings=settings.ZHUCUN_XLSX_MAX_SHARED_STRINGS,
            max_columns=settings.ZHUCUN_IMPORT_MAX_COLUMNS,
            max_cell_chars=settings.ZHUCUN_IMPORT_MAX_CELL_CHARS,
            max_rows=rows.get(kind, DEFAULT_MAX_ROWS),
        )

    # ---- the checks: each raises at once ------------------------------------------------
    def bytes_read(self, size: int) -> None:
        if size > self.max_bytes:
            raise LimitExceeded(
                "ZHUCUN_UPLOAD_MAX_BYTES",
                f"文件超过了允许的最大大小 {_mb(self.max_bytes)} MB,请拆分后分批上传",
            )

    def uncompressed(self, size: int) -> None:
        if size > self.max_uncompressed:
            raise LimitExceeded(
                "ZHUCUN_XLSX_MAX_UNCOMPRESSED",
                f"Excel文件解压后超过了允许的最大大小 {_mb(self.max_uncompressed)} MB"
                "(文件可能已损坏或是恶意构造的压缩包),请拆分后分批上传",
            )

    def meta_part(self, name: str, size: int) -> None:
        if size > min(META_PART_MAX, self.max_uncompressed):
            raise LimitExceeded(
                "ZHUCUN_XLSX_MAX_UNCOMPRESSED",
                f"Excel文件中的“{name}”部分超过了允许的最大大小 "
                f"{_mb(min(META_PART_MAX, self.max_uncompressed))} MB,文件可能是恶意构造的",
            )

    def members(self, count: int) -> None:
        if count > MAX_ZIP_MEMBERS:
            raise LimitExceeded(
                "ZHUCUN_XLSX_MAX_UNCOMPRESSED",
                f"Excel文件中的组成部分超过了允许的最大数量 {MAX_ZIP_MEMBERS} 个,文件可能是恶意构造的",
            )

    def shared_strings(self, count: int) -> None:
        if count > self.max_shared_strings:
            raise LimitExceeded(
                "ZHUCUN_XLSX_MAX_SHARED_STRINGS",
                f"Excel文件的共享字符串表超过了允许的最大数量 {self.max_shared_strings} 个",
            )

    def column(self, col: int, where: str = "") -> None:
        if col > self.max_columns:
            at = f"({where})" if where else ""
            raise LimitExceeded(
                "ZHUCUN_IMPORT_MAX_COLUMNS",
                f"文件超过了允许的最大列数 {self.max_columns} 列{at}",
            )

    def cell_chars(self, length: int, row: int = 0) -> None:
        if length > self.max_cell_chars:
            at = f"第{row}行" if row else "文件中"
            raise LimitExceeded(
                "ZHUCUN_IMPORT_MAX_CELL_CHARS",
                f"{at}有单元格超过了允许的最大长度 {self.max_cell_chars} 个字符",
            )

    def rows(self, count: int) -> None:
        """``count`` rows read so far, the header row included (so one more is allowed)."""
        if count > self.max_rows + 1:
            raise LimitExceeded(
                "ZHUCUN_IMPORT_MAX_ROWS",
                f"文件超过了允许的最大行数 {self.max_rows} 行({self.kind}),请拆分后分批上传",
            )

    def elements(self, part: str) -> None:
        raise LimitExceeded(
            "ZHUCUN_XLSX_MAX_UNCOMPRESSED",
            f"Excel文件的{part}中含有过多的XML元素(不是正常的表格内容),文件可能是恶意构造的",
        )

    def line(self, row: int) -> None:
        raise LimitExceeded(
            "ZHUCUN_IMPORT_MAX_COLUMNS",
            f"CSV第{row}行过长,超过了允许的最大列数 {self.max_columns} 列"
            f"或单元格最大长度 {self.max_cell_chars} 个字符",
        )

    def csv_line(self) -> int:
        """The longest physical CSV line the limits allow (every column at full length)."""
        return self.max_columns * (self.max_cell_chars + 3) + 2
