"""Issue #17: on PostgreSQL a month's first close builds the month's partition of the monthly
rows set-based and attaches it (``services.monthclose_fresh``). The rows are those the old path
(DELETE + INSERT … ON CONFLICT into the table) writes; the partition carries the foreign keys,
which are checked when it is attached; closes of the month are ordered by the month's lock;
migration 0010's conversion keeps a plain table's rows. SQLite keeps one table."""

from __future__ import annotations

import datetime as dt
import importlib
import threading
from itertools import product

import pytest
from django.db import IntegrityError, connection, transaction

from tests.conftest import is_postgres
from zhucun.attendance import services as att
from zhucun.attendance.models import MonthClose, MonthlyAttendance
from zhucun.attendance.services import monthclose
from zhucun.attendance.services import monthclose_fresh as fresh
from zhucun.audit.models import Event
from zhucun.audit.services import chain_verify
from zhucun.registry.models import Cadre, Posting

from .test_mgt_3_month_close import generate_month, stored

pg_only = pytest.mark.skipif(not is_postgres(), reason="分区只在PostgreSQL上使用")


def scalar(sql: str, params: list | tuple = ()) -> object:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


def month_locks(month: dt.date) -> set[str]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT mode FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
            " AND classid = %s AND objid = %s",
            [fresh._LOCK_KEY, month.year * 12 + month.month],
        )
        return {row[0] for row in cur.fetchall()}


def test_sqlite_keeps_one_table(world):
    month = generate_month(world, 2)
    att.month_close(month=month)
    assert MonthlyAttendance.objects.filter(month=month).exists()
    assert fresh.partitioned() == is_postgres()


@pg_only
def test_first_close_builds_the_partition_with_the_old_paths_rows(world):
    month = generate_month(world, 3)
    name = fresh.partition_name(month)
    assert scalar("SELECT to_regclass(%s)", [name]) is None
    first = att.month_close(month=month)
    rows = stored(month)
    assert rows and scalar(f"SELECT count(*) FROM ONLY {name}") == len(rows)
    assert scalar(f"SELECT count(*) FROM ONLY {fresh.DEFAULT}") == 0
    assert sum(t.rows for t in first.townships) == len(rows)
    assert month_locks(month) == {"ExclusiveLock"}
    assert Event.objects.filter(action="attendance.month_close").count() == len(first.townships)
    assert chain_verify()[1] is None  # the events continue the audit chain
    # the idempotent re-close finds nothing to change
    ids = sorted(MonthlyAttendance.objects.filter(month=month).values_list("pk", flat=True))
    events = Event.objects.count()
    again = att.month_close(month=month)
    assert not again.changed and {t.version for t in again.townships} == {1}
    assert Event.objects.count() == events
    assert sorted(MonthlyAttendance.objects.values_list("pk", flat=True)) == ids
    # the same fixture through the old path: rows and closes gone, the (empty) partition kept,
    # so the close rewrites into it
    MonthlyAttendance.objects.filter(month=month).delete()
    MonthClose.objects.filter(month=month).delete()
    att.month_close(month=month)
    assert stored(month) == rows
    assert "ShareLock" in month_locks(month)


@pg_only
def test_the_partition_has_the_keys_and_indexes(world):
    month = generate_month(world, 4)
    att.month_close(month=month)
    name = fresh.partition_name(month)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT confrelid::regclass::text FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f'",
            [name],
        )
        assert {r[0] for r in cur.fetchall()} == {
            "registry_jurisdiction",
            "registry_village",
            "registry_cadre",
        }
        cur.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexdef", [name]
        )
        columns = sorted(d.split("(", 1)[1].rstrip(")") for (d,) in cur.fetchall())
    assert columns == ["cadre_id, month", "id, month", "month, township_id, rank", "village_id"]
    row = MonthlyAttendance.objects.filter(month=month).first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"UPDATE {name} SET village_id = -1 WHERE id = %s", [row.pk])
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pg_only
def test_attaching_checks_the_references(world):
    """A computed row pointing at a cadre that is gone (deleted in this transaction; the
    other tables' deferred keys would only complain at commit) stops the first close."""
    month = generate_month(world, 5)
    cadre_id = Posting.objects.order_by("pk").values_list("cadre_id", flat=True).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("DELETE FROM registry_cadre WHERE id = %s", [cadre_id])
        att.month_close(month=month)
    assert scalar("SELECT to_regclass(%s)", [fresh.partition_name(month)]) is None


@pg_only
def test_a_later_township_close_writes_into_the_partition(world):
    month = generate_month(world, 6)
    a, c = world.villages["A"].township_id, world.villages["C"].township_id
    att.month_close(month=month, township_id=a)  # the month's first close: builds it
    name = fresh.partition_name(month)
    built = scalar(f"SELECT count(*) FROM ONLY {name}")
    att.month_close(month=month, township_id=c)  # rewrite into the existing partition
    assert scalar(f"SELECT count(*) FROM ONLY {name}") > built
    assert month_locks(month) == {"ExclusiveLock", "ShareLock"}
    assert scalar(f"SELECT count(*) FROM ONLY {fresh.DEFAULT}") == 0


@pg_only
def test_migration_keeps_a_plain_tables_rows(world):
    module = importlib.import_module("zhucun.attendance.migrations.0010_monthly_month_partitions")
    cadres = list(Cadre.objects.order_by("pk").values_list("pk", flat=True)[:3])
    with connection.cursor() as cur:
        cur.execute(
            """CREATE TABLE zz_monthly (
                 id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                 month date NOT NULL,
                 cadre_id bigint NOT NULL REFERENCES registry_cadre (id)
                     DEFERRABLE INITIALLY DEFERRED,
                 n integer NOT NULL CHECK (n >= 0),
                 CONSTRAINT zz_one UNIQUE (cadre_id, month))"""
        )
        cur.execute("CREATE INDEX zz_n ON zz_monthly (n)")
        for n, (cadre, month) in enumerate(product(cadres, ["2026-01-01", "2026-02-01"])):
            cur.execute(
                "INSERT INTO zz_monthly (month, cadre_id, n) VALUES (%s, %s, %s)",
                [month, cadre, n],
            )
        # as committed rows: their deferred key checks done (a migration finds no pending ones)
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        cur.execute("SELECT id, month, cadre_id, n FROM zz_monthly ORDER BY id")
        before = cur.fetchall()
        created = module.partition_by_month(cur, "zz_monthly", "month")
        assert created == ["zz_monthly_default", "zz_monthly_p2026_01", "zz_monthly_p2026_02"]
        assert module.partition_by_month(cur, "zz_monthly", "month") == []  # once
        cur.execute("SELECT id, month, cadre_id, n FROM zz_monthly ORDER BY id")
        assert cur.fetchall() == before
        cur.execute("SELECT count(*) FROM ONLY zz_monthly_p2026_02")
        assert cur.fetchone()[0] == len(cadres)
        cur.execute(
            "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'zz_monthly'::regclass ORDER BY contype"
        )
        kept = dict(cur.fetchall())
        assert kept["p"] == "PRIMARY KEY (id, month)" and kept["u"] == "UNIQUE (cadre_id, month)"
        assert "REFERENCES registry_cadre(id) DEFERRABLE INITIALLY DEFERRED" in kept["f"]
        assert kept["c"] == "CHECK ((n >= 0))"
        cur.execute(
            "SELECT 1 FROM pg_indexes WHERE tablename = 'zz_monthly' AND indexname = 'zz_n'"
        )
        assert cur.fetchone()
        cur.execute(
            "INSERT INTO zz_monthly (month, cadre_id, n) VALUES ('2026-03-01', %s, 0) RETURNING id",
            [cadres[0]],
        )
        assert cur.fetchone()[0] > max(r[0] for r in before)  # the id sequence carried on
        with pytest.raises(IntegrityError), transaction.atomic():
            cur.execute(
                "INSERT INTO zz_monthly (month, cadre_id, n) VALUES ('2026-01-01', %s, 0)",
                [cadres[0]],
            )


def test_reclose_finds_each_kind_of_difference(world):
    """The comparison (joined on the cadre) sees a changed column, a missing row and a row
    that should not be there, each in its own township."""
    month = generate_month(world, 9)
    att.month_close(month=month)
    a, c = world.villages["A"].township_id, world.villages["C"].township_id
    assert not att.month_close(month=month).changed
    row = MonthlyAttendance.objects.filter(month=month, township_id=a).first()
    MonthlyAttendance.objects.filter(pk=row.pk).update(valid_reason="改过")
    assert {t.township_id for t in att.month_close(month=month).changed} == {a}
    assert MonthlyAttendance.objects.get(month=month, cadre_id=row.cadre_id).valid_reason == ""
    MonthlyAttendance.objects.filter(month=month, township_id=c).first().delete()
    assert {t.township_id for t in att.month_close(month=month).changed} == {c}
    extra = MonthlyAttendance.objects.filter(month=month, township_id=a).first()
    MonthlyAttendance.objects.filter(pk=extra.pk).update(township_id=c)
    assert {t.township_id for t in att.month_close(month=month).changed} == {a, c}
    assert not att.month_close(month=month).changed


def _in_thread(name, target, *args):
    """Run ``target`` in a thread with its own database connection; returns (thread, out)."""
    out: dict[str, object] = {}

    def run():
        try:
            out["result"] = target(*args)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            out["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread, out


def _drop_partition(month: dt.date) -> None:
    name = fresh.partition_name(month)
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if cur.fetchone()[0]:
            cur.execute(f"ALTER TABLE {fresh.TABLE} DETACH PARTITION {name}")
            cur.execute(f"DROP TABLE {name}")


@pg_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_closes_of_a_new_month_are_ordered(world, monkeypatch):
    """Two townships' first closes of one month at once, both finding no partition: the
    second waits for the first (the month's lock) and then writes into the partition the
    first built — without the lock both would create it and one would fail. A correction of
    a township being closed waits for its lock and re-closes after the commit."""
    month = generate_month(world, 10)
    a, c = world.villages["A"].township_id, world.villages["C"].township_id
    inside, release = threading.Event(), threading.Event()
    build = fresh._build

    def paused_build(*args):
        if threading.current_thread().name == "first":  # checked, locked, not built yet
            inside.set()
            release.wait(30)
        return build(*args)

    monkeypatch.setattr(fresh, "_build", paused_build)

    def first():
        return att.month_close(month=month, township_id=a)

    def second():
        return att.month_close(month=month, township_id=c)

    def correction():
        with transaction.atomic():
            monthclose.lock_township(a)
            return att.month_reclose_touched(actor=None, township_id=a, days=[month], reason="补录")

    try:
        t1, out1 = _in_thread("first", first)
        assert inside.wait(60)
        t2, out2 = _in_thread("second", second)
        t3, out3 = _in_thread("correction", correction)
        t2.join(1.5)
        t3.join(0.5)
        assert t2.is_alive() and t3.is_alive(), (out2, out3)  # both wait for the first close
        release.set()
        for t in (t1, t2, t3):
            t.join(60)
        assert not any("error" in o for o in (out1, out2, out3)), (out1, out2, out3)
        assert [x.changed for x in out3["result"]] == [False]  # nothing to correct
        name = fresh.partition_name(month)
        assert (
            scalar(f"SELECT count(*) FROM ONLY {name}")
            == MonthlyAttendance.objects.filter(month=month).count()
        )
        assert {a, c} <= set(
            MonthlyAttendance.objects.filter(month=month).values_list("township_id", flat=True)
        )
        assert scalar(f"SELECT count(*) FROM ONLY {fresh.DEFAULT}") == 0
    finally:
        release.set()
        _drop_partition(month)
