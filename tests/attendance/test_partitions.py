"""Check-ins in month partitions (PostgreSQL): created ahead by ``zhucun partitions``, safe to
run again, rows that fell into the default partition moved, and a month's queries touching
that month's partition only (shown by the plans). SQLite keeps one table."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import is_postgres
from zhucun.attendance import selectors
from zhucun.attendance.models import CheckIn
from zhucun.attendance.partitions import (
    DEFAULT,
    partition_list,
    partition_name,
    partitioned,
    partitions_ahead,
    partitions_ensure,
)
from zhucun.attendance.services.monthclose_sql import computed_cte

from .conftest import at, checkin

pg_only = pytest.mark.skipif(not is_postgres(), reason="分区只在PostgreSQL上使用")


def plan(sql: str, params: list | tuple = ()) -> str:
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cur.fetchall())


def touched(text: str) -> set[str]:
    names = {name for name, _ in partition_list()}
    return {n for n in names if n in text}


@pytest.mark.django_db
def test_sqlite_keeps_one_table():
    if is_postgres():
        assert partitioned()
        return
    assert not partitioned() and partitions_ahead(today=dt.date(2025, 3, 1)) == []
    out = io.StringIO()
    call_command("partitions", stdout=out)
    assert "不分区" in out.getvalue()


@pg_only
@pytest.mark.django_db
def test_partitions_created_ahead_and_safe_to_rerun():
    created = partitions_ahead(today=dt.date(2031, 5, 17), ahead=2, behind=1)
    assert created == [partition_name(dt.date(2031, m, 1)) for m in (4, 5, 6, 7)]
    assert partitions_ahead(today=dt.date(2031, 5, 17), ahead=2, behind=1) == []
    out = io.StringIO()
    call_command("partitions", "--list", stdout=out)
    assert "attendance_checkin_p2031_06" in out.getvalue()
    assert "FROM ('2031-06-01') TO ('2031-07-01')" in out.getvalue()


@pg_only
@pytest.mark.django_db
def test_rows_in_the_default_partition_move_into_their_new_month(world, users):
    ci, _ = checkin(users["team_member"], when=at(2032, 2, 3))  # no partition for 2032-02
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {DEFAULT} WHERE id = %s", [ci.pk])
        assert cur.fetchone()[0] == 1
    assert partitions_ensure(months=[dt.date(2032, 2, 1)]) == ["attendance_checkin_p2032_02"]
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {DEFAULT} WHERE id = %s", [ci.pk])
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT count(*) FROM attendance_checkin_p2032_02 WHERE id = %s", [ci.pk])
        assert cur.fetchone()[0] == 1
    assert CheckIn.objects.get(pk=ci.pk).client_key == ci.client_key  # the same row, kept


@pg_only
@pytest.mark.django_db
def test_a_months_queries_touch_one_partition(world, users):
    partitions_ensure(months=[dt.date(2025, m, 1) for m in (2, 3, 4)])
    for m in (2, 3, 4):
        checkin(users["team_member"], when=at(2025, m, 3), client_key=uuid.uuid4())
    march = "attendance_checkin_p2025_03"
    # the township's list of a month's check-ins
    qs = selectors.checkin_list(
        user=users["township"], start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31)
    )
    sql, params = qs.query.sql_with_params()
    assert touched(plan(sql, params)) == {march}
    # the month close's computation
    cte, cte_params = computed_cte(
        dt.date(2025, 3, 1),
        [dt.date(2025, 3, 3), dt.date(2025, 3, 4)],
        [(world.villages["A"].township_id, 1, 1, 10)],
    )
    text = plan(cte + " SELECT * FROM computed", cte_params)
    assert touched(text) == {march}, text
    # and the bare count the benchmark compares it with
    text = plan(
        "SELECT cadre_id, count(DISTINCT day) FROM attendance_checkin"
        " WHERE day >= %s AND day < %s GROUP BY cadre_id",
        [dt.date(2025, 3, 1), dt.date(2025, 4, 1)],
    )
    assert touched(text) == {march}
