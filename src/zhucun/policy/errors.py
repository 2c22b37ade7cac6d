"""Exceptions of the policy package. Every message is Chinese first, so it can reach the UI."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


class PolicyError(Exception):
    """Base class of every error raised by ``zhucun.policy``."""


class ParameterError(PolicyError):
    """Base class of the errors about parameters."""


class UnknownParameter(ParameterError, LookupError):
    """A parameter name the parameter file does not define."""

    def __init__(self, name: str) -> None:
        super().__init__(f"未定义的参数 {name!r} / unknown parameter {name!r}")
        self.name = name

    def __str__(self) -> str:  # LookupError would quote the message
        return str(self.args[0])


class ParameterFileError(ParameterError):
    """The parameter file is malformed; names the entry (1-based index and name) and the problem."""

    def __init__(
        self, zh: str, en: str, *, path: str, index: int | None = None, name: str | None = None
    ) -> None:
        where_zh = f"参数文件 {path}"
        where_en = f"parameter file {path}"
        if index is not None:
            where_zh += f" 第{index}项"
            where_en += f", entry #{index}"
        if name:
            where_zh += f"({name})"
            where_en += f" ({name})"
        super().__init__(f"{where_zh}:{zh} / {where_en}: {en}")
        self.path = path
        self.index = index
        self.name = name


class InvalidOverride(ParameterError):
    """An override names no parameter, or its value or jurisdiction is unfit."""


class ParameterUnset(ParameterError):
    """No value of the parameter is in force on the date in the jurisdiction."""

    def __init__(
        self,
        *,
        name: str,
        clause: str,
        on: date,
        jurisdiction: Sequence[str],
        gap: bool,
        gap_note: str = "",
        description: str = "",
    ) -> None:
        chain = " → ".join(jurisdiction)
        what = f"{description},条款 {clause}" if description else f"条款 {clause}"
        message = f"参数 {name}({what})在 {on.isoformat()} 对辖区 {chain} 没有生效的取值。"
        if gap:
            message += f"政策原文缺少这一数值,须由本辖区设置。{gap_note}"
        else:
            message += "请在参数文件或本辖区参数设置中补充该参数的取值。"
        super().__init__(message)
        self.name = name
        self.clause = clause
        self.on = on
        self.jurisdiction = tuple(jurisdiction)
        self.gap = gap


class CalendarUnknownError(PolicyError):
    """A date falls in a year whose holiday schedule nobody has entered."""

    def __init__(self, year: int) -> None:
        super().__init__(f"请录入{year}年节假日安排")
        self.year = year
