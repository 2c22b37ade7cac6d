"""What the one print layout (templates web/_print_base.html) needs from a view: the
signature and seal boxes of a document (签字/盖章/日期) and the rows of its bordered table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhucun.policy.dates import date_label

PRINT_MAX_ROWS = 2000  # a printed list longer than this says so and points to the Excel file


@dataclass(frozen=True)
class Signature:
    """One box: who signs (a role or body), whether it is sealed, and what is already known
    (the name of the person who did sign in the system, the day)."""

    who: str
    seal: bool = False
    name: str = ""
    date: str = ""


def signed(who: str, *, seal: bool = False, name: str = "", on=None) -> Signature:  # type: ignore[no-untyped-def]
    return Signature(who=who, seal=seal, name=name, date=date_label(on) if on else "")


@dataclass(frozen=True)
class Pair:
    """A row of a form table: two label/value pairs, or one wide field (``label2`` empty)."""

    label: str
    value: object
    label2: str = ""
    value2: object = ""

    @property
    def wide(self) -> bool:
        return not self.label2


def pairs(*rows: tuple[object, ...]) -> list[Pair]:
    return [Pair(*row) for row in rows]  # type: ignore[arg-type]


def limited(rows: Any) -> tuple[list[Any], bool]:
    """At most PRINT_MAX_ROWS rows of a queryset (sliced in the database), and whether there
    were more."""
    out = list(rows[: PRINT_MAX_ROWS + 1])
    return out[:PRINT_MAX_ROWS], len(out) > PRINT_MAX_ROWS
