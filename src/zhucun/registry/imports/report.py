"""The outcome of one import: counts, and each bad row with its column and a Chinese reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from openpyxl.styles import Font, PatternFill

from zhucun.core.files_out import Book, Style

MAX_ERRORS = 1000


@dataclass(frozen=True)
class RowError:
    """``row`` is the row number as Excel shows it (0 = the file as a whole); ``column`` the
    Chinese column header ("" when the error concerns the whole row or file)."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "文件"
        col = f"“{self.column}”列" if self.column else ""
        return f"{where}{col}:{self.reason}"


@dataclass
class ImportReport:
    kind: str = ""
    filename: str = ""
    sha256: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    written: bool = False
    limit: str = ""  # the setting of the resource limit the file passed, if any
    # how a kind words its outcome: kinds that never update say nothing of updates, and may
    # name their unchanged rows otherwise (check-ins: 已导入过); ``details`` follow the counts
    updatable: bool = True
    unchanged_label: str = "与系统中一致未变化"
    details: list[str] = field(default_factory=list)
    breakdown: dict[str, int] = field(default_factory=dict)  # e.g. new check-ins by judgement

    @property
    def ok(self) -> bool:
        return self.written and self.error_count == 0

    @property
    def truncated(self) -> bool:
        return self.error_count > len(self.errors)

    def add(self, row: int, column: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, reason))

    def file_error(self, reason: str, *, row: int = 0, column: str = "") -> ImportReport:
        self.add(row, column, reason)
        return self

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row})

    def summary(self) -> str:
        from .columns import kind_label

        title = kind_label(self.kind)
        name = f"“{self.filename}”" if self.filename else ""
        if self.ok:
            parts = [f"新增{self.created}条"]
            if self.updatable:
                parts.append(f"更新{self.updated}条")
            if self.unchanged:
                parts.append(f"{self.unchanged}条{self.unchanged_label}")
            text = f"{title}导入成功{name}:共{self.rows}行数据,{','.join(parts)}。"
            return text + "".join(self.details)
        if self.error_count == 0:
            return f"{title}导入未完成{name}:文件中没有可导入的数据行,未写入任何数据。"
        text = f"{title}导入失败{name}:共发现{self.error_count}处错误"
        if self.bad_rows:
            more = f",以下仅列出前{MAX_ERRORS}处" if self.truncated else ""
            text += f"(涉及{self.bad_rows}行{more})"
        text += ",未写入任何数据。请改正后重新导入整个文件。"
        if len(self.errors) == 1 or not self.bad_rows:
            text += str(self.errors[0])
        return text

    def to_workbook(self) -> bytes:
        """The error report as .xlsx: one line per error (行号, 列, 错误原因)."""
        book = Book()
        sheet = book.sheet("导入错误").widths([10, 24, 90]).merge("A1:C1").freeze("A4")
        sheet.print_setup(header_rows="3:3")
        sheet.title(self.summary(), Style(font=Font(bold=True, size=12)))
        sheet.append([f"文件:{self.filename}", "", f"SHA-256:{self.sha256}"])
        sheet.header(
            ("行号", "列", "错误原因"),
            Style(font=Font(bold=True), fill=PatternFill("solid", fgColor="DDEBF7")),
        )
        for e in self.errors:
            sheet.append([e.row or "文件", e.column, e.reason])
        if self.truncated:
            sheet.append(["", "", f"……另有{self.error_count - len(self.errors)}处错误未列出"])
        return book.to_bytes()
