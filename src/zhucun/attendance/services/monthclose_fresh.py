"""The first close of a month on PostgreSQL, built set-based (issue #17).

``attendance_monthlyattendance`` is partitioned by ``month`` there (migration 0010). A month
whose rows are not stored yet — no partition and none of its rows in the DEFAULT partition —
gets its partition from its first close:

1. ``CREATE TABLE attendance_monthlyattendance_pYYYY_MM (LIKE … INCLUDING DEFAULTS INCLUDING
   CONSTRAINTS, CHECK (month = …))`` — a plain table: no index, no foreign-key trigger;
2. one ``INSERT … SELECT`` of the close's computed rows (``monthclose_sql.computed_cte``);
3. ``ALTER TABLE … ATTACH PARTITION``: the CHECK proves the partition bound, so the new rows
   are not rescanned for it (only the DEFAULT partition is, which holds no rows of the month);
   the parent's indexes are built once over the loaded rows; and each of the parent's foreign
   keys is validated with one set-based anti-join (PostgreSQL 15 ``RI_Initial_Check``: ``…
   LEFT JOIN registry_cadre … WHERE pk IS NULL``) instead of one trigger call per row. To
   keep the references valid until commit, ATTACH holds SHARE ROW EXCLUSIVE on each
   referenced table (registry_cadre, registry_village, registry_jurisdiction): writes to
   them wait until the close commits — ``ADD FOREIGN KEY`` does the same;
4. ``ANALYZE`` of the partition, so that the ranking pages are planned on its statistics.

Every other close (a re-close, a correction, a month with rows already, SQLite) writes
through ``monthclose_sql.rewrite``. Closes of one month are serialised against a first close
by an advisory lock taken after the township locks: a first close takes it exclusively,
the others shared (they may run side by side): two first closes of one month would both
create the partition (and one fail, or deadlock on ATTACH's lock of the DEFAULT partition).
A close waiting for the lock holds no lock on the monthly tables yet. Like every close, a
first close locks its townships first; its ATTACH then takes SHARE ROW EXCLUSIVE on the
referenced registry tables, so a transaction that writes registry_cadre / _village /
_jurisdiction and then waits for a township being closed deadlocks (PostgreSQL ends it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection

from ..models import MonthlyAttendance
from ..partitions import table_partitioned
from ._common import month_end
from .monthclose_sql import WRITTEN, computed_cte

TABLE = MonthlyAttendance._meta.db_table
DEFAULT = f"{TABLE}_default"
_LOCK_KEY = 0x5A434D43  # "ZCMC"


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_p{month.year:04d}_{month.month:02d}"


def partitioned() -> bool:
    """Whether this database keeps monthly attendance in month partitions."""
    return table_partitioned(TABLE)


def _lock(cur: object, month: dt.date, *, exclusive: bool) -> None:
    fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    cur.execute(f"SELECT {fn}(%s, %s)", [_LOCK_KEY, month.year * 12 + month.month])  # type: ignore[attr-defined]


def _has_partition(cur: object, month: dt.date) -> bool:
    """Whether the month's partition exists: read from pg_class with this statement's
    snapshot (no lock on any table; ``to_regclass`` could answer from a cache that a
    partition committed while this transaction waited for the month's lock has not reached)."""
    cur.execute(  # type: ignore[attr-defined]
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
        " ON n.oid = c.relnamespace WHERE c.relname = %s AND n.nspname = current_schema())",
        [partition_name(month)],
    )
    return bool(cur.fetchone()[0])  # type: ignore[attr-defined]


def _in_default(cur: object, month: dt.date) -> bool:
    """Whether the DEFAULT partition holds rows of the month (written while it had none)."""
    cur.execute(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE month = %s)", [month])  # type: ignore[attr-defined]
    return bool(cur.fetchone()[0])  # type: ignore[attr-defined]


def first_close(
    month: dt.date,
    workdays: Sequence[dt.date],
    tp: Sequence[tuple[int, int, int, int]],
    now: dt.datetime,
) -> bool:
    """Build the month's partition from the rows of the townships in ``tp`` when nothing of
    the month is stored yet; True if done. False: the caller writes the rows through
    ``rewrite`` (this has taken the month's lock in the mode that path needs)."""
    if not partitioned():
        return False
    with connection.cursor() as cur:
        if _has_partition(cur, month):
            _lock(cur, month, exclusive=False)
            return False
        # The lock before any read of the table: a close waiting for it must hold no lock on
        # the DEFAULT partition, which the ATTACH of the close it waits for needs.
        _lock(cur, month, exclusive=True)
        if _has_partition(cur, month) or _in_default(cur, month):
            return False  # built by the close this one waited for, or rows without partition
        _build(cur, month, workdays, tp, now)
    return True


def _build(
    cur: object,
    month: dt.date,
    workdays: Sequence[dt.date],
    tp: Sequence[tuple[int, int, int, int]],
    now: dt.datetime,
) -> None:
    name = partition_name(month)
    m0 = month.isoformat()
    m1 = (month_end(month) + dt.timedelta(days=1)).isoformat()
    cte, params = computed_cte(month, workdays, tp)
    cols = ", ".join(connection.ops.quote_name(c) for c in WRITTEN)
    execute = cur.execute  # type: ignore[attr-defined]
    # the parent's id sequence, looked up once (pg_get_serial_sequence() in the SELECT list
    # would look it up for every row: 1.7 s at national scale)
    execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
    seq = cur.fetchone()[0]  # type: ignore[attr-defined]
    execute(
        f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,"
        f" CONSTRAINT {name}_month CHECK (month = DATE '{m0}'))"
    )
    execute(
        f"""{cte}
INSERT INTO {name} (id, month, {cols}, computed_at)
SELECT nextval('{seq}'::regclass), DATE '{m0}', {cols}, %s
FROM computed""",
        [*params, now],
    )
    execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM ('{m0}') TO ('{m1}')")
    execute(f"ANALYZE {name}")
