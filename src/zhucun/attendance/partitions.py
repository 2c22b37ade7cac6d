"""Month partitions of the check-in table (PostgreSQL only; SQLite keeps one table).

``attendance_checkin`` is range-partitioned by ``day``: one partition per calendar month
(``attendance_checkin_p2026_11`` holds 2026-11-01 ≤ day < 2026-12-01) and a DEFAULT partition
that catches any day without one, so no check-in is ever refused for want of a partition.
``partitions_ensure`` creates months ahead and is safe to run at any time and concurrently
(an advisory lock serialises callers; an existing partition is left alone). When the default
partition already holds rows of a month, they are moved into the new partition in the same
transaction (detach default → create → move → attach)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

TABLE = "attendance_checkin"
DEFAULT = f"{TABLE}_default"
_LOCK_KEY = 0x5A43_5041_5254  # "ZCPART"


def partitioned() -> bool:
    """Whether this database keeps check-ins in month partitions."""
    return table_partitioned(TABLE)


def table_partitioned(table: str) -> bool:
    """Whether ``table`` is a partitioned table (PostgreSQL; never on SQLite)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [table])
        return cur.fetchone() is not None


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_p{month.year:04d}_{month.month:02d}"


def partition_list() -> list[tuple[str, str]]:
    """(partition, bounds) of the check-in table, oldest first; [] when not partitioned."""
    if not partitioned():
        return []
    with connection.cursor() as cur:
        cur.execute(
            """SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
                 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = %s::regclass ORDER BY c.relname""",
            [TABLE],
        )
        return [(name, bound) for name, bound in cur.fetchall()]


def _exists(cur: object, name: str) -> bool:
    cur.execute("SELECT to_regclass(%s) IS NOT NULL", [name])  # type: ignore[attr-defined]
    return bool(cur.fetchone()[0])  # type: ignore[attr-defined]


def _default_months(cur: object) -> list[dt.date]:
    cur.execute(  # type: ignore[attr-defined]
        f"SELECT DISTINCT date_trunc('month', day)::date FROM {DEFAULT} ORDER BY 1"
    )
    return [row[0] for row in cur.fetchall()]  # type: ignore[attr-defined]


def partitions_ensure(*, months: list[dt.date]) -> list[str]:
    """Create the partitions of the given months (any day of each month) that do not exist,
    plus those of months whose rows sit in the default partition. Returns the names created."""
    if not partitioned():
        return []
    created: list[str] = []
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        wanted = sorted({month_start(m) for m in months} | set(_default_months(cur)))
        for month in wanted:
            name = partition_name(month)
            if _exists(cur, name):
                continue
            lo, hi = month.isoformat(), next_month(month).isoformat()
            cur.execute(
                f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE day >= %s AND day < %s)", [lo, hi]
            )
            stranded = bool(cur.fetchone()[0])
            if stranded:
                cur.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {DEFAULT}")
            cur.execute(
                f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ('{lo}') TO ('{hi}')"
            )
            if stranded:
                cur.execute(
                    f"WITH moved AS (DELETE FROM {DEFAULT} WHERE day >= %s AND day < %s RETURNING *)"
                    f" INSERT INTO {name} SELECT * FROM moved",
                    [lo, hi],
                )
                cur.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {DEFAULT} DEFAULT")
            created.append(name)
    return created


def partitions_ahead(*, today: dt.date, ahead: int = 3, behind: int = 1) -> list[str]:
    """The routine call: this month, ``behind`` months back and ``ahead`` months forward."""
    month = month_start(today)
    months = [month]
    back = month
    for _ in range(behind):
        back = month_start(back - dt.timedelta(days=1))
        months.append(back)
    fwd = month
    for _ in range(ahead):
        fwd = next_month(fwd)
        months.append(fwd)
    return partitions_ensure(months=months)
