"""What backup and restore need to know about the database: its engine, the libpq
connection string of Django's settings (for pg_dump / pg_restore), its tables and their
row counts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from django.db import connection

# Django OPTIONS that are not libpq connection parameters
_NOT_LIBPQ = {"isolation_level", "pool", "server_side_binding", "assume_role", "cursor_factory"}


class OpsError(Exception):
    """A refusal or failure of backup/restore, in Chinese, for the operator."""


def engine() -> str:
    """'postgresql' or 'sqlite'."""
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise OpsError(f"不支持的数据库类型:{vendor}")
    return vendor


def libpq_target() -> tuple[str, dict[str, str]]:
    """(conninfo, environment) for pg_dump/pg_restore from Django's ``default`` database —
    multi-host lists and OPTIONS such as ``target_session_attrs`` and ``sslmode`` included;
    the password goes into PGPASSWORD, never on the command line."""
    from psycopg.conninfo import make_conninfo

    sd = connection.settings_dict
    params: dict[str, Any] = {"dbname": sd["NAME"]}
    if sd.get("USER"):
        params["user"] = sd["USER"]
    if sd.get("HOST"):
        params["host"] = sd["HOST"]
    if sd.get("PORT"):
        params["port"] = str(sd["PORT"])
    for key, value in (sd.get("OPTIONS") or {}).items():
        if key not in _NOT_LIBPQ and isinstance(value, str | int | float):
            params[key] = str(value)
    env = dict(os.environ)
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = str(sd["PASSWORD"])
    return make_conninfo("", **params), env


def pg_tool(name: str) -> str:
    """Path of pg_dump / pg_restore: ``ZHUCUN_PG_BINDIR`` if set, else PATH, else the newest
    /usr/lib/postgresql/*/bin (Debian)."""
    bindir = os.environ.get("ZHUCUN_PG_BINDIR")
    if bindir and (Path(bindir) / name).is_file():
        return str(Path(bindir) / name)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if candidates:
        return str(candidates[-1])
    raise OpsError(f"找不到 {name}:请安装 postgresql-client(apt install postgresql-client-15)")


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables(cursor: Any, vendor: str) -> list[str]:
    """The database's own tables, sorted. PostgreSQL: ordinary and partitioned tables of the
    current schema, not the partitions themselves (their rows count in the parent)."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
            "AND NOT c.relispartition ORDER BY c.relname"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    return [row[0] for row in cursor.fetchall()]


def table_counts(cursor: Any, vendor: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables(cursor, vendor):
        cursor.execute(f"SELECT count(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def relations_present(vendor: str) -> list[str]:
    """Names of what the target database already holds (tables, views, sequences) — an
    empty list for an empty database."""
    if vendor == "postgresql":
        sql = (
            "SELECT n.nspname || '.' || c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' "
            "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1"
        )
    else:
        sql = (
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    with connection.cursor() as cur:
        cur.execute(sql)
        return [row[0] for row in cur.fetchall()]
