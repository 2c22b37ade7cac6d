"""Units of parameters and the Python type of their values.

Counts, days and the like are ``int``; amounts of money are ``Decimal`` (written in the file as
an integer or a decimal string, never a float); ratios are ``Fraction`` (written as a string
such as ``"1/3"`` or ``"0.90"``); switches are ``bool``.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

Value = int | bool | Decimal | Fraction

INT_UNITS = frozenset(
    {
        "years",
        "days",
        "working_days",
        "count",
        "months",
        "quarters",
        "hours",
        "minutes",
        "metres",
        "km_per_hour",
        "day_of_month",
    }
)
DECIMAL_UNITS = frozenset({"yuan", "yuan_per_km"})
RATIO_UNITS = frozenset({"ratio"})
FLAG_UNITS = frozenset({"flag"})
UNITS = INT_UNITS | DECIMAL_UNITS | RATIO_UNITS | FLAG_UNITS


class UnitValueError(ValueError):
    """A raw value does not fit its unit; carries a Chinese and an English explanation."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


def coerce(unit: str, raw: object, *, allow_float: bool = False) -> Value:
    """Convert a raw value (from TOML or an override) to the Python type of ``unit``.

    The parameter file never takes floats.  Overrides may (``allow_float``), since JSON numbers
    arrive as floats: such a float is read as the shortest decimal that it prints as (2.5 → "2.5").
    """
    if allow_float and isinstance(raw, float) and unit not in INT_UNITS | FLAG_UNITS:
        raw = repr(raw)
    if unit not in UNITS:
        raise UnitValueError(f"未知单位 {unit!r}", f"unknown unit {unit!r}")
    if unit in FLAG_UNITS:
        if isinstance(raw, bool):
            return raw
        raise UnitValueError(f"单位 {unit} 的取值应为 true/false", f"unit {unit} takes a boolean")
    if isinstance(raw, bool):
        raise UnitValueError(f"单位 {unit} 的取值不能是布尔值", f"unit {unit} takes no boolean")
    if unit in INT_UNITS:
        if not isinstance(raw, int):
            raise UnitValueError(f"单位 {unit} 的取值应为整数", f"unit {unit} takes an integer")
        return _non_negative(unit, raw)
    if unit in DECIMAL_UNITS:
        return _non_negative(unit, _decimal(unit, raw))
    ratio = _fraction(unit, raw)
    if not 0 <= ratio <= 1:
        raise UnitValueError("比例应在 0 与 1 之间", "a ratio lies between 0 and 1")
    return ratio


# Plain digits only ("12", "2.5", "1/3"): exponent notation such as "1e-999999999" would make
# Fraction/Decimal arithmetic run without bound on a value typed into a form.
_PLAIN_NUMBER = re.compile(r"\s*-?\d{1,12}(\.\d{1,12})?\s*")
_PLAIN_RATIO = re.compile(r"\s*\d{1,12}(\.\d{1,12})?(/\d{1,12})?\s*")


def _decimal(unit: str, raw: object) -> Decimal:
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, str) and _PLAIN_NUMBER.fullmatch(raw):
        try:
            number = Decimal(raw.strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if number.is_finite():
            return number
    raise UnitValueError(
        f'单位 {unit} 的取值应为整数或十进制字符串(如 "1.25"),不能用浮点数',
        f'unit {unit} takes an integer or a decimal string such as "1.25", not a float',
    )


def _fraction(unit: str, raw: object) -> Fraction:
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, int):
        return Fraction(raw)
    if isinstance(raw, Decimal) and raw.is_finite():
        return Fraction(raw)
    if isinstance(raw, str) and _PLAIN_RATIO.fullmatch(raw):
        try:
            return Fraction(raw.strip())
        except (ValueError, ZeroDivisionError):
            pass
    raise UnitValueError(
        f'单位 {unit} 的取值应为分数或小数字符串(如 "1/3"、"0.90"),不能用浮点数',
        f'unit {unit} takes a string such as "1/3" or "0.90", not a float',
    )


def _non_negative(unit: str, number: int | Decimal) -> int | Decimal:
    if number < 0:
        raise UnitValueError(
            f"单位 {unit} 的取值不能为负数", f"unit {unit} takes no negative value"
        )
    return number
