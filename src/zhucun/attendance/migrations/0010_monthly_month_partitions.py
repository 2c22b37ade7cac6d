"""PostgreSQL: turn attendance_monthlyattendance into a table range-partitioned by ``month``.

One partition per month already stored (``attendance_monthlyattendance_p2026_10``) and a
DEFAULT partition for rows of a month that has none (written by a close that is not a month's
first, or by hand). From now on a month's partition is built by its first close, set-based,
and attached (``attendance.services.monthclose_fresh``). The rows, constraints and indexes of
the plain table are carried over; the primary key becomes (id, month), as a partitioned
table's keys must hold the partition key (no table references this one's id). SQLite:
nothing."""

import datetime as dt

from django.db import migrations

TABLE = "attendance_monthlyattendance"


def partition_by_month(cur, table: str, column: str) -> list[str]:
    """Convert the plain ``table`` into one range-partitioned by month of ``column``, keeping
    its rows, constraints (the primary key gains ``column``), indexes and id sequence.
    Returns the partitions created ([] if it is partitioned already)."""
    cur.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [table])
    if cur.fetchone():
        return []
    cur.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass ORDER BY contype DESC, conname",
        [table],
    )
    constraints = cur.fetchall()
    names = [c[0] for c in constraints]
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
        [table],
    )
    indexes = [(n, d) for n, d in cur.fetchall() if n not in names]
    cur.execute(f"SELECT DISTINCT date_trunc('month', {column})::date FROM {table} ORDER BY 1")
    months = [r[0] for r in cur.fetchall()]
    old = f"{table}_unpartitioned"
    cur.execute(f"ALTER TABLE {table} RENAME TO {old}")
    cur.execute(
        f"CREATE TABLE {table} (LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY"
        f" INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS)"
        f" PARTITION BY RANGE ({column})"
    )
    created = [f"{table}_default"]
    cur.execute(f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT")
    for m in months:
        nxt = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        name = f"{table}_p{m.year:04d}_{m.month:02d}"
        cur.execute(
            f"CREATE TABLE {name} PARTITION OF {table}"
            f" FOR VALUES FROM ('{m.isoformat()}') TO ('{nxt.isoformat()}')"
        )
        created.append(name)
    cur.execute(f"INSERT INTO {table} OVERRIDING SYSTEM VALUE SELECT * FROM {old}")
    cur.execute(f"DROP TABLE {old} CASCADE")
    for name, kind, definition in constraints:
        if kind == "p":
            definition = f"PRIMARY KEY (id, {column})"
        cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for _name, definition in indexes:
        cur.execute(definition.replace(f"ONLY public.{table} ", f"public.{table} "))
    cur.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
        f" GREATEST((SELECT max(id) FROM {table}), 1))"
    )
    return created


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    cur = schema_editor.connection.cursor()
    partition_by_month(cur, TABLE, "month")
    # A first close numbers ~890,000 rows with nextval(): uncached, each call locks and
    # updates the sequence (1.85 s at national scale); with 1,000 values cached per session,
    # 0.06 s. The ids a session does not use are skipped (gaps only).
    cur.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET CACHE 1000")


class Migration(migrations.Migration):
    dependencies = [("attendance", "0009_monthly_indexes")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop)]
