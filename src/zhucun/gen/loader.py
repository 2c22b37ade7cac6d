"""Writing streamed rows: PostgreSQL ``COPY … FROM STDIN`` (text format, written in chunks) or
SQLite ``executemany`` — never ORM saves. Table and column names come from the models
(``Model._meta.db_table``, ``field.column``), so the generator follows them.

On PostgreSQL a table's secondary indexes, unique constraints and foreign keys are dropped
before its COPY and re-created after it (one sort per index, one join per foreign key, instead
of a b-tree insert and a deferred trigger event per row). The whole load runs in the caller's
transaction, DDL included: a failed load leaves the database as it was."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

CHUNK_ROWS = 1_000  # rows per COPY write (about 100–200 kB of text)
QUEUE_CHUNKS = 32  # writes the sending thread may lag behind: bounds the memory it holds
_TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


class SpecError(RuntimeError):
    """The generator and the model disagree (a field was added or renamed)."""


@dataclass
class TableSpec:
    model: type[models.Model]
    fields: tuple[str, ...]
    escape: tuple[str, ...] | None = None  # free-text fields (default: every text field)
    all_text: bool = False  # every value is a str needing no escape (the hot-path tables)
    columns: list[str] = field(init=False)
    escape_idx: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        meta = self.model._meta
        try:
            model_fields = [meta.get_field(name) for name in self.fields]
        except Exception as exc:
            raise SpecError(f"{meta.label}: {exc}") from None
        self.columns = [f.column for f in model_fields]
        given = set(self.fields)
        missing = [
            f.name
            for f in meta.concrete_fields
            if f.name not in given and not f.null and f.db_default is models.NOT_PROVIDED
        ]
        if missing:
            raise SpecError(
                f"{meta.label} 新增了必填字段 {', '.join(missing)},gen 尚未生成它们(请更新 zhucun.gen)"
            )
        if self.escape is None:
            self.escape_idx = tuple(
                i for i, f in enumerate(model_fields) if isinstance(f, _TEXT_FIELDS)
            )
        else:
            self.escape_idx = tuple(self.fields.index(name) for name in self.escape)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def pk_column(self) -> str:
        return self.model._meta.pk.column


@dataclass
class TableResult:
    label: str
    table: str
    rows: int
    seconds: float
    index_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


def project_tables(connection: BaseDatabaseWrapper) -> list[str]:
    """Every table of the project's apps (m2m tables included) that exists, plus the sessions
    (they name users that a truncation removes)."""
    existing = set(connection.introspection.table_names())
    tables: list[str] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zhucun."):
            continue
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if meta.managed and not meta.proxy and meta.db_table in existing:
                tables.append(meta.db_table)
    if "django_session" in existing:
        tables.append("django_session")
    return list(dict.fromkeys(tables))


def nonempty_tables(connection: BaseDatabaseWrapper, tables: Iterable[str]) -> list[str]:
    qn = connection.ops.quote_name
    found = []
    with connection.cursor() as cur:
        for table in tables:
            if table == "django_session":
                continue
            cur.execute(f"SELECT 1 FROM {qn(table)} LIMIT 1")
            if cur.fetchone():
                found.append(table)
    return found


def truncate(connection: BaseDatabaseWrapper, tables: Sequence[str]) -> None:
    """Empty ``tables`` and restart their ids (the audit chain's events and head included)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {', '.join(qn(t) for t in tables)} RESTART IDENTITY CASCADE")
            return
        for table in tables:  # SQLite: foreign keys are deferred until the commit
            cur.execute(f"DELETE FROM {qn(table)}")
        cur.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
        if cur.fetchone():
            marks = ", ".join(["%s"] * len(tables))
            cur.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({marks})", list(tables))


def _escape(value: object) -> object:
    if value.__class__ is str and (
        "\\" in value or "\t" in value or "\n" in value or "\r" in value  # type: ignore[operator]
    ):
        return (
            value.replace("\\", "\\\\")  # type: ignore[attr-defined]
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def _queued_writer(cursor: object) -> object:
    """psycopg's QueuedLibpqWriter sends from a thread, so that the server parses while Python
    generates; its queue (1,024 buffers of up to 128 kB) is cut to QUEUE_CHUNKS so that a
    slower server holds back the generator instead of filling the memory."""
    from queue import Queue

    from psycopg.copy import QueuedLibpqWriter

    writer = QueuedLibpqWriter(cursor)  # type: ignore[arg-type]
    if isinstance(getattr(writer, "_queue", None), Queue):  # psycopg 3.1–3.3 internals
        writer._queue = Queue(maxsize=QUEUE_CHUNKS)
    return writer


class Loader:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.vendor = connection.vendor
        self.qn = connection.ops.quote_name

    def load(self, spec: TableSpec, rows: Iterable[Sequence[object]]) -> TableResult:
        started = time.perf_counter()
        restore: list[str] = []
        if self.vendor == "postgresql":
            restore = self._detach(spec.table)
            count = self._copy(spec, rows)
        else:
            count = self._insert(spec, rows)
        loaded = time.perf_counter()
        if restore:
            with self.connection.cursor() as cur:
                for sql in restore:
                    cur.execute(sql)
        done = time.perf_counter()
        return TableResult(spec.label, spec.table, count, loaded - started, done - loaded)

    def _copy(self, spec: TableSpec, rows: Iterable[Sequence[object]]) -> int:
        cols = ", ".join(self.qn(c) for c in spec.columns)
        esc = spec.escape_idx
        count = 0
        buf: list[str] = []
        with self.connection.cursor() as wrapper:
            cur = wrapper.cursor  # psycopg's own cursor
            writer = _queued_writer(cur)
            with cur.copy(f"COPY {self.qn(spec.table)} ({cols}) FROM STDIN", writer=writer) as copy:
                for row in rows:
                    if spec.all_text:
                        buf.append("\t".join(row))  # type: ignore[arg-type]
                    else:
                        if esc:
                            row = list(row)
                            for i in esc:
                                row[i] = _escape(row[i])
                        buf.append("\t".join(["\\N" if v is None else str(v) for v in row]))
                    if len(buf) >= CHUNK_ROWS:
                        copy.write("\n".join(buf) + "\n")
                        count += len(buf)
                        buf.clear()
                if buf:
                    copy.write("\n".join(buf) + "\n")
                    count += len(buf)
        return count

    def _insert(self, spec: TableSpec, rows: Iterable[Sequence[object]]) -> int:
        cols = ", ".join(self.qn(c) for c in spec.columns)
        marks = ", ".join("?" * len(spec.columns))
        sql = f"INSERT INTO {self.qn(spec.table)} ({cols}) VALUES ({marks})"
        raw = self.connection.connection  # the sqlite3 connection, inside Django's atomic
        count = 0
        it = iter(rows)
        while chunk := list(itertools.islice(it, CHUNK_ROWS)):
            raw.executemany(sql, chunk)
            count += len(chunk)
        return count

    def _detach(self, table: str) -> list[str]:
        """Drop the table's secondary indexes, unique constraints and foreign keys (keeping
        the primary key and whatever another table's foreign key relies on); returns the SQL
        that re-creates them, indexes first and foreign keys last."""
        qn = self.qn
        with self.connection.cursor() as cur:
            cur.execute(
                """
                SELECT i.relname, pg_get_indexdef(i.oid)
                FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                                  WHERE c.conindid = x.indexrelid
                                    AND (c.conrelid = x.indrelid OR c.contype = 'f'))
                ORDER BY i.relname
                """,
                [table],
            )
            indexes = cur.fetchall()
            cur.execute(
                """
                SELECT c.conname, c.contype, pg_get_constraintdef(c.oid)
                FROM pg_constraint c
                WHERE c.conrelid = %s::regclass AND c.contype IN ('u', 'f')
                  AND c.conparentid = 0
                  AND NOT (c.contype = 'u' AND EXISTS (
                      SELECT 1 FROM pg_constraint f
                      WHERE f.contype = 'f' AND f.conindid = c.conindid))
                ORDER BY c.contype DESC, c.conname
                """,
                [table],
            )
            constraints = cur.fetchall()  # unique ('u') before foreign keys ('f')
            for name, _kind, _definition in reversed(constraints):
                cur.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
            for name, _definition in indexes:
                cur.execute(f"DROP INDEX {qn(name)}")
        restore = [definition.replace(" ON ONLY ", " ON ", 1) for _name, definition in indexes]
        restore += [
            f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}"
            for name, _kind, definition in constraints
        ]
        return restore

    def finish(self, specs: Sequence[TableSpec]) -> float:
        """Move every loaded table's id sequence past its rows; ANALYZE (PostgreSQL).
        SQLite's AUTOINCREMENT follows explicit ids by itself."""
        if self.vendor != "postgresql":
            return 0.0
        started = time.perf_counter()
        with self.connection.cursor() as cur:
            for spec in specs:
                table, pk = self.qn(spec.table), self.qn(spec.pk_column)
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                    f"COALESCE(MAX({pk}), 0) + 1, false) FROM {table}",
                    [spec.table, spec.pk_column],
                )
            for spec in specs:
                cur.execute(f"ANALYZE {self.qn(spec.table)}")
        return time.perf_counter() - started
