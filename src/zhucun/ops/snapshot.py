"""One consistent view of the database for a backup: the dump, the row counts, the parameter
export, the files the rows refer to and the audit chain's last event are all read from the
same snapshot, while the service keeps writing.

PostgreSQL: a REPEATABLE READ transaction exports its snapshot (``pg_export_snapshot``) and
``pg_dump --snapshot`` dumps exactly that state. SQLite: one read transaction on Django's
connection (WAL: writers are not blocked) and the copy is made through SQLite's online backup
API on that connection, inside the transaction."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from .database import OpsError, libpq_target, pg_tool


@dataclass
class Snapshot:
    vendor: str
    cursor: Any  # a DB-API cursor inside the snapshot
    dump: Callable[[Path], None]  # writes the database file of the backup


@contextmanager
def snapshot(vendor: str) -> Iterator[Snapshot]:
    if connection.in_atomic_block:
        raise OpsError("备份不能在数据库事务中进行")
    if vendor == "postgresql":
        with _pg_snapshot() as snap:
            yield snap
    else:
        with _sqlite_snapshot() as snap:
            yield snap


@contextmanager
def _pg_snapshot() -> Iterator[Snapshot]:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT pg_export_snapshot()")
        snapshot_id = cur.fetchone()[0]

        def dump(path: Path) -> None:
            conninfo, env = libpq_target()
            cmd = [pg_tool("pg_dump"), "-Fc", f"--snapshot={snapshot_id}", "-f", str(path)]
            result = subprocess.run(
                [*cmd, "-d", conninfo], env=env, capture_output=True, text=True, check=False
            )
            if result.returncode != 0:
                raise OpsError(f"pg_dump 失败(退出码 {result.returncode}):{result.stderr.strip()}")

        yield Snapshot("postgresql", cur, dump)


@contextmanager
def _sqlite_snapshot() -> Iterator[Snapshot]:
    connection.ensure_connection()
    raw: sqlite3.Connection = connection.connection
    raw.execute("BEGIN DEFERRED")
    try:
        cur = raw.cursor()
        cur.execute("SELECT count(*) FROM sqlite_master")  # starts the read transaction
        cur.fetchone()

        def dump(path: Path) -> None:
            target = sqlite3.connect(path)
            try:
                raw.backup(target)
            finally:
                target.close()

        yield Snapshot("sqlite", cur, dump)
    finally:
        raw.execute("ROLLBACK")
