"""The database itself refuses UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit events.

Triggers on ``audit_event`` raise an error (an ``IntegrityError`` on both databases) for any
statement that would change or remove an event, whoever sends it — a bug in the application,
a hand-typed statement in ``psql`` or ``sqlite3``. They do not stop the table's owner from
dropping the trigger (PostgreSQL) or anyone holding the file (SQLite): that is what the keyed
chain and the head kept outside the database are for (docs/SECURITY.md).

``audit_maintenance`` lifts the guard for the length of one transaction, for the two
operations that empty a whole database on purpose: ``zhucun flush`` (also the test suite's
flush between transactional tests) and ``zhucun gen --replace``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_event"
MESSAGE = "审计事件只能追加,不能修改或删除"

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION zhucun_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}(%)', TG_OP USING ERRCODE = 'restrict_violation';
END
$$"""
_PG_TRIGGERS = {
    "audit_event_append_only": f"BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW",
    "audit_event_no_truncate": f"BEFORE TRUNCATE ON {TABLE} FOR EACH STATEMENT",
}
_SQLITE_TRIGGERS = {
    "audit_event_no_update": f"BEFORE UPDATE ON {TABLE}",
    "audit_event_no_delete": f"BEFORE DELETE ON {TABLE}",
}


def trigger_names(connection: BaseDatabaseWrapper) -> list[str]:
    return list(_PG_TRIGGERS if connection.vendor == "postgresql" else _SQLITE_TRIGGERS)


def install_sql(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "postgresql":
        return [_PG_FUNCTION] + [
            f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION zhucun_audit_append_only()"
            for name, when in _PG_TRIGGERS.items()
        ]
    if connection.vendor == "sqlite":
        return [
            f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            for name, when in _SQLITE_TRIGGERS.items()
        ]
    return []


def remove_sql(connection: BaseDatabaseWrapper) -> list[str]:
    if connection.vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {TABLE}" for name in _PG_TRIGGERS]
    if connection.vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS]
    return []


def guard_install(connection: BaseDatabaseWrapper | None = None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cur:
        for sql in remove_sql(connection) + install_sql(connection):
            cur.execute(sql)


def guard_remove(connection: BaseDatabaseWrapper | None = None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cur:
        for sql in remove_sql(connection):
            cur.execute(sql)


def guard_missing(connection: BaseDatabaseWrapper | None = None) -> list[str]:
    """The guard's triggers this database lacks (a table re-made by a later SQLite migration
    loses its triggers; ``zhucun audit verify`` reports it)."""
    connection = connection or default_connection
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgenabled <> 'D'",
                [TABLE],
            )
        elif connection.vendor == "sqlite":
            cur.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
            )
        else:
            return []
        present = {row[0] for row in cur.fetchall()}
    return [name for name in trigger_names(connection) if name not in present]


@contextmanager
def audit_maintenance(connection: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    """Lift the guard inside one transaction (DDL is transactional on both databases): the
    triggers are back when the block ends, committed or rolled back."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias):
        guarded = TABLE in connection.introspection.table_names()
        if guarded:
            guard_remove(connection)
        yield
        if guarded:
            guard_install(connection)
