"""PostgreSQL: turn attendance_checkin into a table range-partitioned by month of ``day``.

The rows, constraints and indexes of the plain table are carried over (the primary key becomes
(id, day), as a partitioned table's keys must hold the partition key). SQLite: nothing."""

import datetime as dt

from django.db import migrations

TABLE = "attendance_checkin"


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    cur = schema_editor.connection.cursor()
    cur.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
    if cur.fetchone():
        return
    cur.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass ORDER BY contype DESC, conname",
        [TABLE],
    )
    constraints = cur.fetchall()
    names = [c[0] for c in constraints]
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
        [TABLE],
    )
    indexes = [(n, d) for n, d in cur.fetchall() if n not in names]
    cur.execute(f"SELECT DISTINCT date_trunc('month', day)::date FROM {TABLE}")
    months = [r[0] for r in cur.fetchall()]
    old = f"{TABLE}_unpartitioned"
    cur.execute(f"ALTER TABLE {TABLE} RENAME TO {old}")
    cur.execute(
        f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS INCLUDING IDENTITY"
        " INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (day)"
    )
    cur.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
    for m in months:
        nxt = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        cur.execute(
            f"CREATE TABLE {TABLE}_p{m.year:04d}_{m.month:02d} PARTITION OF {TABLE}"
            f" FOR VALUES FROM ('{m.isoformat()}') TO ('{nxt.isoformat()}')"
        )
    cur.execute(f"INSERT INTO {TABLE} OVERRIDING SYSTEM VALUE SELECT * FROM {old}")
    cur.execute(f"DROP TABLE {old} CASCADE")
    for name, kind, definition in constraints:
        if kind == "p":
            definition = "PRIMARY KEY (id, day)"
        cur.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
    for _name, definition in indexes:
        cur.execute(definition.replace(f"ONLY public.{TABLE} ", f"public.{TABLE} "))
    cur.execute(
        f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'),"
        f" GREATEST((SELECT max(id) FROM {TABLE}), 1))"
    )


class Migration(migrations.Migration):
    dependencies = [("attendance", "0002_checkin_partition_keys")]

    operations = [migrations.RunPython(partition, migrations.RunPython.noop)]
