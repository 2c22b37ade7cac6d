"""Reading and validating the parameter file (``parameters.toml``, stdlib ``tomllib``)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .clauses import CLAUSE_IDS
from .errors import ParameterFileError
from .jurisdiction import normalize_code
from .parameters import Parameter, Parameters, ParameterValue
from .units import UNITS, UnitValueError, Value, coerce

DEFAULT_FILE = "parameters.toml"
_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_ENTRY_KEYS = frozenset(
    {"name", "clause", "unit", "description", "source", "values"}
    | {"gap", "gap_note", "note", "suggested"}
)
_VALUE_KEYS = frozenset({"effective", "jurisdiction", "value", "note"})
_TOP_KEYS = frozenset({"home_jurisdiction", "parameter"})


def load_parameters(path: str | Path | None = None) -> Parameters:
    """Load and validate a parameter file; by default the one packaged with ``zhucun.policy``."""
    if path is None:
        text = resources.files(__package__).joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
        return parse_parameters(text, path=DEFAULT_FILE)
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterFileError(
            f"无法读取文件:{exc}", f"cannot read the file: {exc}", path=str(file)
        ) from exc
    return parse_parameters(text, path=str(file))


@cache
def get_parameters() -> Parameters:
    """The packaged parameters, loaded once per process."""
    return load_parameters()


def parse_parameters(text: str, *, path: str = "<string>") -> Parameters:
    """Validate TOML text as a parameter file; ``ParameterFileError`` names the faulty entry."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParameterFileError(
            f"TOML 语法错误:{exc}", f"TOML syntax error: {exc}", path=path
        ) from exc
    unknown = set(document) - _TOP_KEYS
    if unknown:
        raise ParameterFileError(
            f"未知的顶层键 {sorted(unknown)}",
            f"unknown top-level keys {sorted(unknown)}",
            path=path,
        )
    try:
        home = normalize_code(document.get("home_jurisdiction", ""))
    except ValueError as exc:
        raise ParameterFileError(
            "home_jurisdiction 须为有效的行政区划代码",
            "home_jurisdiction must be a valid division code",
            path=path,
        ) from exc
    raw_entries = document.get("parameter")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise ParameterFileError("缺少 [[parameter]] 条目", "no [[parameter]] entries", path=path)
    entries: list[Parameter] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_entries, start=1):
        entry = _EntryParser(raw, index=index, path=path).parse()
        if entry.name in seen:
            raise ParameterFileError(
                "参数名重复", "duplicate name", path=path, index=index, name=entry.name
            )
        seen.add(entry.name)
        entries.append(entry)
    return Parameters(entries, home_jurisdiction=home)


class _EntryParser:
    def __init__(self, raw: Any, *, index: int, path: str) -> None:
        self.raw = raw
        self.index = index
        self.path = path
        self.name: str | None = None

    def fail(self, zh: str, en: str) -> ParameterFileError:
        return ParameterFileError(zh, en, path=self.path, index=self.index, name=self.name)

    def text(self, key: str, *, required: bool = True) -> str:
        if required and key not in self.raw:
            raise self.fail(f"缺少 {key}", f"missing {key}")
        value = self.raw.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(f"{key} 须为非空字符串", f"{key} must be a non-empty string")
        return value.strip()

    def parse(self) -> Parameter:
        raw = self.raw
        if not isinstance(raw, Mapping):
            raise self.fail("条目须为表", "entry must be a table")
        if isinstance(raw.get("name"), str):
            self.name = raw["name"]
        unknown = set(raw) - _ENTRY_KEYS
        if unknown:
            raise self.fail(f"未知的键 {sorted(unknown)}", f"unknown keys {sorted(unknown)}")
        name = self.text("name")
        if not _NAME.match(name):
            raise self.fail("name 须为小写英文蛇形命名", "name must be snake_case ASCII")
        clause = self.text("clause")
        if clause not in CLAUSE_IDS:
            raise self.fail(f"条款编号 {clause!r} 不在条款目录中", f"unknown clause id {clause!r}")
        unit = self.text("unit")
        if unit not in UNITS:
            raise self.fail(
                f"未知单位 {unit!r}(可用:{sorted(UNITS)})",
                f"unknown unit {unit!r} (known: {sorted(UNITS)})",
            )
        gap = raw.get("gap", False)
        if not isinstance(gap, bool):
            raise self.fail("gap 须为 true/false", "gap must be a boolean")
        values = self.values(unit)
        if gap and values:
            raise self.fail("GAP 参数不得有取值", "a GAP entry must have no value")
        if not gap and not values:
            raise self.fail("非 GAP 参数须至少有一个取值", "a non-GAP entry needs a value")
        gap_note = self.text("gap_note", required=gap)
        if not gap and gap_note:
            raise self.fail("非 GAP 参数不得有 gap_note", "gap_note belongs to GAP entries only")
        suggested = self.coerce(unit, raw["suggested"]) if "suggested" in raw else None
        return Parameter(
            name=name,
            clause=clause,
            unit=unit,
            description=self.text("description"),
            source=self.text("source"),
            values=values,
            gap=gap,
            gap_note=gap_note,
            note=self.text("note", required=False),
            suggested=suggested,
        )

    def coerce(self, unit: str, raw: object) -> Value:
        try:
            return coerce(unit, raw)
        except UnitValueError as exc:
            raise self.fail(f"取值 {raw!r} 无效:{exc.zh}", f"bad value {raw!r}: {exc.en}") from exc

    def values(self, unit: str) -> tuple[ParameterValue, ...]:
        raw_values = self.raw.get("values", [])
        if not isinstance(raw_values, list):
            raise self.fail("values 须为数组", "values must be an array")
        result: list[ParameterValue] = []
        for position, item in enumerate(raw_values, start=1):
            if not isinstance(item, Mapping):
                raise self.fail(f"values 第{position}项须为表", f"values #{position} is no table")
            unknown = set(item) - _VALUE_KEYS
            missing = {"effective", "jurisdiction", "value"} - set(item)
            if unknown or missing:
                raise self.fail(
                    f"values 第{position}项:未知键 {sorted(unknown)},缺少键 {sorted(missing)}",
                    f"values #{position}: unknown keys {sorted(unknown)}, "
                    f"missing keys {sorted(missing)}",
                )
            effective = item["effective"]
            if not isinstance(effective, date) or isinstance(effective, datetime):
                raise self.fail(
                    f"values 第{position}项的 effective 须为日期(如 2021-10-19)",
                    f"values #{position}: effective must be a date such as 2021-10-19",
                )
            try:
                code = normalize_code(item["jurisdiction"])
            except ValueError as exc:
                raise self.fail(
                    f"values 第{position}项的 jurisdiction 无效:{exc}",
                    f"values #{position}: bad jurisdiction",
                ) from exc
            note = item.get("note", "")
            if not isinstance(note, str):
                raise self.fail(f"values 第{position}项的 note 须为字符串", "note must be a string")
            if any(v.effective == effective and v.jurisdiction == code for v in result):
                raise self.fail(
                    f"values 第{position}项与前项的辖区和生效日期重复",
                    f"values #{position}: duplicate jurisdiction and effective date",
                )
            result.append(ParameterValue(effective, code, self.coerce(unit, item["value"]), note))
        return tuple(result)
