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
the others shared (they may run side by side). It keeps a close that writes a month without
partition into the DEFAULT partition from committing rows there between a first close's
check and its ATTACH (which would then fail); two first closes of one month are also
ordered by ATTACH's lock on the DEFAULT partition, which the second one's check waits for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection

from ..models import MonthlyAttendance
from ._common import month_end
from .monthclose_sql import WRITTEN, computed_cte

TABLE = MonthlyAttendance._meta.db_table
DEFAULT = f"{TABLE}_default"
_LOCK_KEY = 0x5A434D43  # "ZCMC"


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_p{month.year:04d}_{month.month:02d}"


def partitioned() -> bool:
    """Whether this database keeps monthly attendance in month partitions."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        return cur.fetchone() is not None


def _lock(cur: object, month: dt.date, *, exclusive: bool) -> None:
    fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    cur.execute(f"SELECT {fn}(%s, %s)", [_LOCK_KEY, month.year * 12 + month.month])  # type: ignore[attr-defined]


def _stored(cur: object, month: dt.date) -> bool:
    """The month has a partition, or rows (in the DEFAULT partition)."""
    cur.execute(  # type: ignore[attr-defined]
        f"SELECT to_regclass(%s) IS NOT NULL OR EXISTS (SELECT 1 FROM {TABLE} WHERE month = %s)",
        [partition_name(month), month],
    )
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
        if _stored(cur, month):
            _lock(cur, month, exclusive=False)
            return False
        _lock(cur, month, exclusive=True)
        if _stored(cur, month):  # another close built it while this one waited
            return False
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
