"""月度考勤结算: the real month close (``attendance.services.month_close``, every township, the
generated month) against the bare ``GROUP BY cadre`` count of the month's check-ins on the same
tables — the least any month close must read. Target: ≤ 2× the bare query, and the month-close
process under 300 MB peak RSS.

The close runs as a first close (the month's stored rows and closes are deleted first, and on
PostgreSQL the month's partition is detached and dropped — a month's first close finds none —
inside the measured process's transaction, untimed) and the transaction is rolled back afterwards, so
reruns measure the same thing. A second call in the same transaction times the idempotent
re-close (nothing changed, nothing written). The deferred foreign-key checks that COMMIT would
run are forced inside the timed part. Each measured part runs in its own process
(``python -m bench.monthclose bare|close|info|explain …``)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Any

from .common import (
    Context,
    Result,
    Timer,
    argv_value,
    driver_main,
    median,
    pg_connect,
    ratio,
    run_driver,
    scale_label,
)

NAME = "monthclose"
TARGET_RATIO = 2.0
TARGET_RSS_MB = 300.0
SCALE = "national"


# Tables the rolled-back closes leave dead rows in (autovacuum may be off on a bench server).
VACUUMED = (
    "attendance_monthlyattendance",
    "attendance_monthclose",
    "audit_event",
    "audit_chainhead",
)


def run(ctx: Context) -> list[Result]:
    scale = ctx.scale_for(SCALE)
    url = ctx.database_url(scale)
    label = f"月度考勤结算({scale_label(scale)})"
    info = run_driver(NAME, "info", database_url=url)
    if not info.get("month"):
        note = "库中没有已结束且有签到的月份,无法测量"
        return [Result(label, "耗时(秒)", float("nan"), None, None, "≤ 2× 基准", None, note)]
    month = info["month"]
    print(
        f"  {scale}:{month} 签到 {info['checkins']:,} 行,乡镇 {info['townships']:,} 个,"
        f"签到干部 {info['cadres']:,} 人"
    )
    with pg_connect(url.rsplit("/", 1)[1], autocommit=True) as conn:
        for table in VACUUMED:
            conn.execute(f"VACUUM ANALYZE {table}")
    repeat = "1" if ctx.quick else "3"
    # warm-up: both read the same check-ins; the first pass brings them into the caches
    run_driver(NAME, "bare", "--month", month, "--repeat", "1", database_url=url)
    bare1 = run_driver(NAME, "bare", "--month", month, "--repeat", repeat, database_url=url)
    close = run_driver(NAME, "close", "--month", month, database_url=url)
    bare2 = run_driver(NAME, "bare", "--month", month, "--repeat", repeat, database_url=url)
    bare_times = bare1["seconds"] + bare2["seconds"]
    baseline = median(bare_times)
    ours = close["first_close_seconds"]
    r = ratio(ours, baseline)
    details: dict[str, Any] = {
        "scale": scale,
        "info": info,
        "bare_seconds": bare_times,
        "bare_rows": bare1["rows"],
        "close": close,
    }
    ctx.details[NAME] = details
    b = close["first_close_breakdown"]
    split = (
        f"其中 INSERT…SELECT {b['insert_select']:.2f} 秒、"
        f"挂接分区(建索引、外键一次性校验){b['attach']:.2f} 秒、ANALYZE {b['analyze']:.2f} 秒、"
        f"延迟外键检查 {b['fk_checks']:.2f} 秒、"
        f"其余SQL {b['other_sql']:.2f} 秒({b['statements']} 条)、Python {b['python']:.2f} 秒"
        f"(结账记录与审计事件共 {b['records_events']:.2f} 秒,含其SQL)"
    )
    common = (
        f"{month},{info['checkins']:,} 条签到,写入 {close['rows']:,} 行,"
        f"{close['townships']:,} 个乡镇"
    )
    results = [
        Result(
            label,
            "首次结账耗时(秒)",
            ours,
            baseline,
            r,
            "≤ 2× 基准(比值 = 结账/裸 GROUP BY)",
            r is not None and r <= TARGET_RATIO,
            f"{common};{split};基准为裸 GROUP BY cadre 计数(取 {len(bare_times)} 次中位数)",
        ),
        Result(
            label,
            "其中:只计算(秒)",
            close["compute_only_seconds"],
            baseline,
            ratio(close["compute_only_seconds"], baseline),
            "参考(结账的 CTE 链,每一列都算出并求和(含排名),不写入)",
            None,
            "与首次结账同一事务、同一计划;差额为写入行、外键检查和结账记录/审计事件",
        ),
        Result(
            label,
            "重复结账耗时(秒)",
            close["reclose_seconds"],
            baseline,
            ratio(close["reclose_seconds"], baseline),
            "参考(幂等重算,无写入)",
            None,
            "同一事务内第二次结账:重新计算并与已存行比较(按干部连接比对),无变化不写入",
        ),
        Result(
            label,
            "结账进程峰值内存(MB)",
            close["peak_rss_mb"],
            None,
            None,
            "< 300 MB",
            close["peak_rss_mb"] < TARGET_RSS_MB,
            "ru_maxrss,含 Django 启动",
        ),
    ]
    if r is not None and r > TARGET_RATIO:
        explain = run_driver(NAME, "explain", "--month", month, database_url=url)
        details["explain"] = explain
        print("  未达标,已记录 EXPLAIN ANALYZE(见 JSON 结果 details.monthclose.explain)")
    return results


# ---- drivers (run in their own process with DATABASE_URL set) ---------------------------------


def _month(args: list[str]) -> dt.date:
    text = argv_value(args, "--month")
    if not text:
        sys.exit("--month YYYY-MM")
    y, m = text.split("-")
    return dt.date(int(y), int(m), 1)


def _bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return month, nxt


def driver_info(args: list[str]) -> dict[str, Any]:
    """The month to close: the latest ended month with check-ins (or ``--month``)."""
    from django.db import connection
    from django.utils import timezone

    from zhucun.attendance.models import CheckIn
    from zhucun.registry.models import Jurisdiction, Level

    table = CheckIn._meta.db_table
    today = timezone.localdate()
    if argv_value(args, "--month"):
        month = _month(args)
    else:
        with connection.cursor() as cur:
            cur.execute(f"SELECT max(day) FROM {table} WHERE day < %s", [today.replace(day=1)])
            last = cur.fetchone()[0]
        if last is None:
            return {"month": None}
        month = last.replace(day=1)
    start, end = _bounds(month)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT count(*), count(DISTINCT cadre_id) FROM {table} WHERE day >= %s AND day < %s",
            [start, end],
        )
        checkins, cadres = cur.fetchone()
    townships = (
        Jurisdiction.objects.filter(level=Level.TOWNSHIP, township_villages__isnull=False)
        .distinct()
        .count()
    )
    return {
        "month": f"{month:%Y-%m}",
        "checkins": checkins,
        "cadres": cadres,
        "townships": townships,
        "table": table,
    }


def driver_bare(args: list[str]) -> dict[str, Any]:
    """SELECT cadre_id, count(DISTINCT day) … GROUP BY cadre_id, fetched whole, ``--repeat``
    times on one connection."""
    from django.db import connection

    from zhucun.attendance.models import CheckIn

    start, end = _bounds(_month(args))
    repeat = int(argv_value(args, "--repeat", "1") or 1)
    sql = (
        f"SELECT cadre_id, count(DISTINCT day) FROM {CheckIn._meta.db_table} "
        "WHERE day >= %s AND day < %s GROUP BY cadre_id"
    )
    connection.ensure_connection()
    times, rows = [], 0
    for _ in range(repeat):
        with Timer() as t, connection.cursor() as cur:
            cur.execute(sql, [start, end])
            rows = len(cur.fetchall())
        times.append(t.seconds)
    return {"seconds": times, "rows": rows}


class _StatementClock:
    """execute_wrapper: seconds spent in statements, by kind (the close's INSERT … SELECT,
    the deferred foreign-key checks, everything else)."""

    def __init__(self) -> None:
        self.seconds = {
            "insert_select": 0.0,
            "attach": 0.0,
            "analyze": 0.0,
            "fk_checks": 0.0,
            "other_sql": 0.0,
        }
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            head = sql.lstrip()[:40].upper()
            if head.startswith("SET CONSTRAINTS ALL IMMEDIATE"):
                kind = "fk_checks"
            elif head.startswith("WITH TP(TOWNSHIP_ID, BOTTOM_N") and "INSERT INTO" in sql:
                kind = "insert_select"
            elif head.startswith("ALTER TABLE") and "ATTACH PARTITION" in sql:
                kind = "attach"
            elif head.startswith("ANALYZE"):
                kind = "analyze"
            else:
                kind = "other_sql"
            self.seconds[kind] += time.perf_counter() - t0
            self.count += 1


# Every column of the close's rows, summed: a bare count(*) lets PostgreSQL drop the window
# functions (the ranks, the ties) from the plan and understates the computation
COMPUTE_ONLY = (
    'SELECT count(*), sum(workdays + duty_workdays + excused_workdays + "rank" + bottom_rank),'
    " sum(CASE WHEN is_bottom OR tie OR boundary_tie OR needs_interview THEN 1 ELSE 0 END),"
    " sum(length(valid_reason) + rate) FROM computed"
)


def _computed_query(month: dt.date) -> tuple[str, list[Any]]:
    """The close's CTE chain for every township, as the service builds it."""
    from zhucun.attendance.services import monthclose_sql
    from zhucun.attendance.services.monthclose import _townships, working_days_of
    from zhucun.params.selectors import parameters_current

    workdays = working_days_of(month)
    params = parameters_current()
    tp = []
    for t in _townships(None, None):
        r = params.fraction_value("talk_min_attendance_ratio", on=month, jurisdiction=t.code)
        b = params.int_value("rank_bottom_count", on=month, jurisdiction=t.code)
        tp.append((t.pk, b, r.numerator, r.denominator))
    return monthclose_sql.computed_cte(month, workdays, tp)


def driver_close(args: list[str]) -> dict[str, Any]:
    """month_close(actor=None, month) over every township as a first close, then again (the
    idempotent re-close), inside one transaction that is rolled back; before them, the
    close's computation alone (its CTE chain, counted, nothing written)."""
    from django.db import connection, transaction

    from zhucun.attendance.services import month_close
    from zhucun.attendance.services import monthclose as service

    month = _month(args)
    connection.ensure_connection()
    out: dict[str, Any] = {}
    records = _Timed(service, "_record_closes")
    with transaction.atomic():
        t0 = time.perf_counter()
        _clear(month)
        out["cleared_seconds"] = time.perf_counter() - t0
        cte, cte_params = _computed_query(month)
        with Timer() as tc, connection.cursor() as cur:
            cur.execute(f"{cte} {COMPUTE_ONLY}", cte_params)
            cur.fetchone()
        out["compute_only_seconds"] = tc.seconds
        clock = _StatementClock()
        with connection.execute_wrapper(clock), Timer() as t:
            result = month_close(month=month)
            _deferred_checks()
        out["first_close_seconds"] = t.seconds
        out["first_close_breakdown"] = {
            **{k: round(v, 4) for k, v in clock.seconds.items()},
            "python": round(t.seconds - sum(clock.seconds.values()), 4),
            "statements": clock.count,
            "records_events": round(records.seconds, 4),
        }
        records.restore()
        out["townships"] = len(result.townships)
        out["changed"] = len(result.changed)
        out["rows"] = sum(x.rows for x in result.townships)
        out["workdays"] = result.workdays
        with Timer() as t2:
            again = month_close(month=month)
            _deferred_checks()
        out["reclose_seconds"] = t2.seconds
        out["reclose_changed"] = len(again.changed)
        transaction.set_rollback(True)
    return out


class _Timed:
    """Wall time spent in ``owner.name`` (patched for this process only)."""

    def __init__(self, owner: Any, name: str) -> None:
        self.owner, self.name, self.seconds = owner, name, 0.0
        self.original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0

        setattr(owner, name, timed)

    def restore(self) -> None:
        setattr(self.owner, self.name, self.original)


def _clear(month: dt.date) -> None:
    """The month as before its first close: no rows, no close records and (PostgreSQL) no
    partition of the month."""
    from django.db import connection

    from zhucun.attendance.models import MonthClose, MonthlyAttendance

    MonthlyAttendance.objects.filter(month=month).delete()
    MonthClose.objects.filter(month=month).delete()
    try:
        from zhucun.attendance.services.monthclose_fresh import TABLE, partition_name
    except ImportError:  # a branch without month partitions of the monthly rows
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            name = partition_name(month)
            cur.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if cur.fetchone()[0]:
                cur.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
                cur.execute(f"DROP TABLE {name}")


def _deferred_checks() -> None:
    """Runs the deferred foreign-key checks now (they would run at COMMIT, which the rolled-back
    transaction never reaches), so that the measured time includes them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")


def driver_explain(args: list[str]) -> dict[str, Any]:
    """EXPLAIN (ANALYZE, BUFFERS) of the close's computation (every township, nothing
    written) and of the bare query."""
    from django.db import connection, transaction

    from zhucun.attendance.models import CheckIn

    month = _month(args)
    start, end = _bounds(month)
    cte, cte_params = _computed_query(month)
    plans: dict[str, str] = {}
    with transaction.atomic(), connection.cursor() as cur:
        _clear(month)
        cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) {cte} {COMPUTE_ONLY}", cte_params)
        plans["computed"] = "\n".join(r[0] for r in cur.fetchall())
        cur.execute(
            f"EXPLAIN (ANALYZE, BUFFERS) SELECT cadre_id, count(DISTINCT day) FROM "
            f"{CheckIn._meta.db_table} WHERE day >= %s AND day < %s GROUP BY cadre_id",
            [start, end],
        )
        plans["bare"] = "\n".join(r[0] for r in cur.fetchall())
        transaction.set_rollback(True)
    return plans


if __name__ == "__main__":
    driver_main(
        {"info": driver_info, "bare": driver_bare, "close": driver_close, "explain": driver_explain}
    )
