"""Parameters: every amount, limit, day count and ratio of the policy, as dated data.

Each value is in force from its ``effective`` date in its ``jurisdiction`` (a division code).
A lookup walks the jurisdiction chain from the most specific code to the root; the first code
that has a value effective on or before the date wins, and within one code the latest effective
date wins (on a tie, the value added last — an override — wins).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TypeVar

from .errors import InvalidOverride, ParameterUnset, UnknownParameter
from .jurisdiction import normalize_code, resolve_chain
from .units import UnitValueError, Value, coerce

T = TypeVar("T")


@dataclass(frozen=True)
class ParameterValue:
    effective: date
    jurisdiction: str  # full (12-digit) division code
    value: Value
    note: str = ""


@dataclass(frozen=True)
class Parameter:
    name: str
    clause: str
    unit: str
    description: str
    source: str
    values: tuple[ParameterValue, ...] = ()
    gap: bool = False
    gap_note: str = ""
    note: str = ""
    suggested: Value | None = None


@dataclass(frozen=True)
class Override:
    """A value a jurisdiction sets for a parameter (e.g. MGT.1.DAYS from the database)."""

    name: str
    jurisdiction: str
    effective: date
    value: Value | float | str  # str for decimals and ratios; a float is read as it prints
    note: str = ""


_MEMO = 65_536  # lookups remembered per parameter set (memory, not policy)


class Parameters:
    """An immutable set of parameters with dated, per-jurisdiction values."""

    def __init__(self, entries: Iterable[Parameter], *, home_jurisdiction: str) -> None:
        self._entries: Mapping[str, Parameter] = MappingProxyType({p.name: p for p in entries})
        self.home_jurisdiction = normalize_code(home_jurisdiction)
        # (name, jurisdiction code) → the values set there, with their position (a lookup
        # per township of a national month close must not scan every jurisdiction's values)
        self._by_code: dict[tuple[str, str], list[tuple[int, ParameterValue]]] = {}
        # lookups already answered (the set is immutable): the check-in writer asks ~10 per
        # check-in, a national month close 2 per township; cleared when it grows past _MEMO
        self._memo: dict[tuple[str, date, str | tuple[str, ...]], ParameterValue] = {}
        for p in self._entries.values():
            for i, v in enumerate(p.values):
                self._by_code.setdefault((p.name, v.jurisdiction), []).append((i, v))

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def names(self) -> tuple[str, ...]:
        return tuple(self._entries)

    def entry(self, name: str) -> Parameter:
        """The parameter's definition: clause, source, unit, description, values."""
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownParameter(name) from None

    def lookup(
        self, name: str, *, on: date, jurisdiction: str | Sequence[str] = ()
    ) -> ParameterValue:
        """The value record in force (with its jurisdiction, date and note)."""
        key = (name, on, jurisdiction if isinstance(jurisdiction, str) else tuple(jurisdiction))
        found = self._memo.get(key)
        if found is None:
            found = self._lookup(name, on=on, jurisdiction=jurisdiction)
            if len(self._memo) >= _MEMO:
                self._memo.clear()
            self._memo[key] = found
        return found

    def _lookup(
        self, name: str, *, on: date, jurisdiction: str | Sequence[str] = ()
    ) -> ParameterValue:
        param = self.entry(name)
        chain = resolve_chain(jurisdiction, home=self.home_jurisdiction)
        for code in chain:
            in_force = [
                (v.effective, i, v)
                for i, v in self._by_code.get((name, code), ())
                if v.effective <= on
            ]
            if in_force:
                return max(in_force, key=lambda t: (t[0], t[1]))[2]
        raise ParameterUnset(
            name=name,
            clause=param.clause,
            on=on,
            jurisdiction=chain,
            gap=param.gap,
            gap_note=param.gap_note,
            description=param.description,
        )

    def value(self, name: str, *, on: date, jurisdiction: str | Sequence[str] = ()) -> Value:
        """The value in force on ``on`` for ``jurisdiction``; ``ParameterUnset`` if none.

        ``jurisdiction`` is a division code (it and its ancestors are searched), an explicit
        chain of codes from the most specific to the root, or empty for the home jurisdiction.
        """
        return self.lookup(name, on=on, jurisdiction=jurisdiction).value

    def int_value(self, name: str, *, on: date, jurisdiction: str | Sequence[str] = ()) -> int:
        return _typed(name, self.value(name, on=on, jurisdiction=jurisdiction), int)

    def decimal_value(
        self, name: str, *, on: date, jurisdiction: str | Sequence[str] = ()
    ) -> Decimal:
        return _typed(name, self.value(name, on=on, jurisdiction=jurisdiction), Decimal)

    def fraction_value(
        self, name: str, *, on: date, jurisdiction: str | Sequence[str] = ()
    ) -> Fraction:
        return _typed(name, self.value(name, on=on, jurisdiction=jurisdiction), Fraction)

    def flag_value(self, name: str, *, on: date, jurisdiction: str | Sequence[str] = ()) -> bool:
        return _typed(name, self.value(name, on=on, jurisdiction=jurisdiction), bool)

    def with_overrides(self, overrides: Iterable[Override]) -> Parameters:
        """A new ``Parameters`` with the overrides' values added (self is unchanged)."""
        extra: dict[str, list[ParameterValue]] = {}
        for override in overrides:
            param = self._entries.get(override.name)
            if param is None:
                raise InvalidOverride(
                    f"覆盖值指向未定义的参数 {override.name!r} / override of unknown parameter"
                )
            extra.setdefault(param.name, []).append(_override_value(param, override))
        entries = [
            replace(p, values=p.values + tuple(extra[p.name])) if p.name in extra else p
            for p in self._entries.values()
        ]
        return Parameters(entries, home_jurisdiction=self.home_jurisdiction)


def _override_value(param: Parameter, override: Override) -> ParameterValue:
    if not isinstance(override.effective, date):
        raise InvalidOverride(
            f"参数 {param.name} 的覆盖值生效日期无效 / override effective date is not a date"
        )
    try:
        code = normalize_code(override.jurisdiction)
        value = coerce(param.unit, override.value, allow_float=True)
    except (ValueError, UnitValueError) as exc:
        raise InvalidOverride(f"参数 {param.name} 的覆盖值无效:{exc}") from exc
    return ParameterValue(override.effective, code, value, override.note)


def _typed(name: str, value: Value, kind: type[T]) -> T:
    # bool is an int subclass: never let a flag pass for a count, or a count for a flag.
    if isinstance(value, kind) and (kind is bool) == isinstance(value, bool):
        return value
    raise TypeError(f"参数 {name} 的取值类型是 {type(value).__name__},不是 {kind.__name__}")
