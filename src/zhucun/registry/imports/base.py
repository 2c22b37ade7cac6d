"""What every import kind has in common: a cleaned row, and the handler protocol the
engine drives (check in batches, then write in batches, in one transaction)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from zhucun.accounts.models import User, UserRole

from .. import validation
from .columns import SPECS, empty_defaults
from .report import ImportReport

T = TypeVar("T")
ORG_ROLES = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY})


@dataclass
class Row:
    """One data row: ``values`` holds the cleaned values of the columns present in the file
    (fields that failed cleaning are missing and listed in ``bad``)."""

    num: int
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)

    def ok(self, *fields: str) -> bool:
        return all(f in self.values and f not in self.bad for f in fields)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Handler:
    """Per-kind logic. The engine calls ``load``, ``check`` for each batch of the first
    streaming pass, ``finish_check``; then, only if no error was found, ``write`` for each
    batch of ``write_phases`` further passes and ``finish_write`` — all in one transaction.

    Rows whose key already exists are updated with the columns present in the file
    (a column that is absent is left unchanged; an empty cell empties the field)."""

    kind: ClassVar[str]
    roles: ClassVar[frozenset[str]] = ORG_ROLES
    role_error: ClassVar[str] = "只有州、县(市)组织部门可以导入此类数据"
    write_phases: ClassVar[int] = 1
    batch_size: ClassVar[int] = 2000
    # field names used by services/validation → the column they concern in this kind
    field_alias: ClassVar[dict[str, str]] = {}
    # options the kind needs besides the file (name → the Chinese reason when it is missing
    # or wrong); the engine passes them cleaned by ``clean_options`` as ``self.options``
    option_labels: ClassVar[dict[str, str]] = {}
    # a sheet exported by another system carries columns of its own: ignore them, or refuse
    # (the registry's templates: a column not in the template is a mistake)
    ignore_unknown_columns: ClassVar[bool] = False

    def __init__(self, *, actor: User, present: set[str], report: ImportReport) -> None:
        self.actor = actor
        self.present = present
        self.report = report
        self.spec = SPECS[self.kind]
        self.defaults = empty_defaults(self.kind, set(self.spec) - present)
        self.created_ids: list[int] = []
        self.updated_ids: list[int] = []
        self.options: dict[str, Any] = {}

    @classmethod
    def clean_options(cls, options: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """(cleaned options, Chinese reasons): an option this kind does not take is refused."""
        unknown = [k for k, v in options.items() if k not in cls.option_labels and v]
        return {k: options.get(k) for k in cls.option_labels}, [
            f"导入此类数据不需要“{k}”" for k in unknown
        ]

    # ---- errors --------------------------------------------------------------------------
    def error(self, row: int, field: str, reason: str) -> None:
        field = self.field_alias.get(field, field)
        column = validation.label_of(self.spec, field) if field in self.spec else ""
        self.report.add(row, column, reason)

    def errors(self, row: int, errors: dict[str, str]) -> None:
        for f, reason in errors.items():
            self.error(row, f, reason)

    def full(self, row: Row) -> dict[str, Any]:
        """Values for a new record: defaults for absent columns, then the row."""
        return {**self.defaults, **row.values}

    # ---- protocol --------------------------------------------------------------------------
    def check_header(self, row: int) -> None:
        """Checks of the columns present that the labels alone cannot say (one of two
        columns required); errors go to ``self.report`` at ``row``."""

    def load(self) -> None:
        """Lookups loaded once per import (dicts, not per-row queries)."""

    def check(self, batch: list[Row]) -> None:
        raise NotImplementedError

    def finish_check(self) -> None:
        """Checks that need the whole file (references between rows)."""

    def write(self, batch: list[Row], phase: int) -> None:
        """Write one batch of the (error-free) rows."""

    def finish_write(self) -> None:
        """Writes that need the whole file."""

    def audit_extra(self) -> dict[str, Any]:
        return {}

    # ---- helpers ---------------------------------------------------------------------------
    def counted(self, pk: int, changed: bool) -> None:
        if changed:
            self.report.updated += 1
            self.updated_ids.append(pk)
        else:
            self.report.unchanged += 1


def dup_message(first_row: int, label: str) -> str:
    return f"与第{first_row}行的{label}重复"


def chunked_in(values: Iterable[T], size: int = 1000) -> Iterator[list[T]]:
    """Keeps IN (...) lists to a size every database accepts."""
    return batched(values, size)
