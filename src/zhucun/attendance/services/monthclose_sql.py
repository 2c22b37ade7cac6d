"""The SQL of the month close (see monthclose.py for what each column means): one CTE
chain computing every cadre's row of the townships being closed, compared with the stored
rows (EXCEPT both ways) and written with INSERT … SELECT. Runs on SQLite ≥ 3.25 and
PostgreSQL (window functions, VALUES lists, TRUE/FALSE, ``||``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import connection

from zhucun.registry.models import Posting, Village

from ..models import CheckIn, LeaveRequest, MonthlyAttendance
from ..models.leave import DUTY_KINDS, EXCUSED_KINDS, TAKEN_STATES
from ._common import month_end

RATE_KEY_SCALE = 72201776446800  # LCM(1..31): duty × scale / workdays is an exact integer
COMPARED = (
    "township_id",
    "village_id",
    "cadre_id",
    "workdays",
    "duty_workdays",
    "excused_workdays",
    "rank",
    "bottom_rank",
    "is_bottom",
    "tie",
    "boundary_tie",
    "needs_interview",
    "valid_reason",
)


def computed_cte(
    month: dt.date, workdays: Sequence[dt.date], tp: Sequence[tuple[int, int, int, int]]
) -> tuple[str, list[Any]]:
    """``WITH …, computed AS (…)``: one row per cadre of the townships in ``tp``."""
    ops = connection.ops
    q = ops.quote_name
    d = ops.adapt_datefield_value
    ms, me = month, month_end(month)
    posting, village = Posting._meta.db_table, Village._meta.db_table
    checkin, leave = CheckIn._meta.db_table, LeaveRequest._meta.db_table
    end = q("end")
    params: list[Any] = []
    wd_sql = ", ".join(["(%s)"] * len(workdays))
    params += [d(x) for x in workdays]
    tp_sql = ", ".join(["(%s, %s, %s, %s)"] * len(tp))
    for row in tp:
        params += list(row)
    taken = ", ".join(f"'{s}'" for s in TAKEN_STATES)
    duty_kinds = ", ".join(f"'{k}'" for k in DUTY_KINDS)
    excused_kinds = ", ".join(f"'{k}'" for k in EXCUSED_KINDS)
    leave_end = f"COALESCE(l.actual_end, l.{end})"
    sql = f"""
WITH wd(day) AS (VALUES {wd_sql}),
tp(township_id, bottom_n, ratio_num, ratio_den) AS (VALUES {tp_sql}),
post AS (
    SELECT p.id, p.cadre_id, p.village_id, v.township_id, p.arrival_date, p.actual_end
    FROM {posting} p JOIN {village} v ON v.id = p.village_id
    WHERE p.status <> 'planned' AND p.arrival_date <= %s
      AND (p.actual_end IS NULL OR p.actual_end >= %s)
),
home AS (
    SELECT cadre_id, village_id, township_id FROM (
        SELECT cadre_id, village_id, township_id,
               ROW_NUMBER() OVER (PARTITION BY cadre_id ORDER BY arrival_date DESC, id DESC) AS rn
        FROM post
    ) latest
    WHERE rn = 1 AND township_id IN (SELECT township_id FROM tp)
),
inpost AS (
    SELECT DISTINCT post.cadre_id, wd.day
    FROM post JOIN home ON home.cadre_id = post.cadre_id
    JOIN wd ON wd.day >= post.arrival_date AND (post.actual_end IS NULL OR wd.day <= post.actual_end)
),
duty AS (
    SELECT c.cadre_id, c.day FROM {checkin} c
    WHERE c.counts AND c.day >= %s AND c.day <= %s
    UNION
    SELECT l.cadre_id, wd.day FROM {leave} l
    JOIN wd ON wd.day >= l.start AND wd.day <= {leave_end}
    WHERE l.state IN ({taken}) AND l.kind IN ({duty_kinds})
),
excused AS (
    SELECT DISTINCT l.cadre_id, wd.day FROM {leave} l
    JOIN wd ON wd.day >= l.start AND wd.day <= {leave_end}
    WHERE l.state IN ({taken}) AND l.kind IN ({excused_kinds})
),
tally AS (
    SELECT ip.cadre_id, COUNT(*) AS workdays, COUNT(d.day) AS duty_workdays,
           COUNT(CASE WHEN d.day IS NULL THEN e.day END) AS excused_workdays
    FROM inpost ip
    LEFT JOIN duty d ON d.cadre_id = ip.cadre_id AND d.day = ip.day
    LEFT JOIN excused e ON e.cadre_id = ip.cadre_id AND e.day = ip.day
    GROUP BY ip.cadre_id
),
keyed AS (
    SELECT h.township_id, h.village_id, t.cadre_id, t.workdays, t.duty_workdays,
           t.excused_workdays, t.duty_workdays * {RATE_KEY_SCALE} / t.workdays AS rate_key
    FROM tally t JOIN home h ON h.cadre_id = t.cadre_id
),
ranked AS (
    SELECT k.*,
           RANK() OVER (PARTITION BY k.township_id ORDER BY k.rate_key DESC) AS rnk,
           RANK() OVER (PARTITION BY k.township_id ORDER BY k.rate_key ASC) AS brnk,
           COUNT(*) OVER (PARTITION BY k.township_id, k.rate_key) AS same_rate
    FROM keyed k
),
computed AS (
    SELECT r.township_id, r.village_id, r.cadre_id, r.workdays, r.duty_workdays,
           r.excused_workdays,
           ROUND(r.duty_workdays * 1.0 / r.workdays, 4) AS rate,
           r.rnk AS {q("rank")}, r.brnk AS bottom_rank,
           CASE WHEN r.brnk <= tp.bottom_n THEN TRUE ELSE FALSE END AS is_bottom,
           CASE WHEN r.brnk <= tp.bottom_n AND r.same_rate > 1 THEN TRUE ELSE FALSE END AS tie,
           CASE WHEN r.brnk <= tp.bottom_n AND r.brnk + r.same_rate - 1 > tp.bottom_n
                THEN TRUE ELSE FALSE END AS boundary_tie,
           CASE WHEN r.duty_workdays * tp.ratio_den < r.workdays * tp.ratio_num
                 AND (r.duty_workdays + r.excused_workdays) * tp.ratio_den
                     < r.workdays * tp.ratio_num
                THEN TRUE ELSE FALSE END AS needs_interview,
           CASE WHEN r.duty_workdays * tp.ratio_den < r.workdays * tp.ratio_num
                 AND (r.duty_workdays + r.excused_workdays) * tp.ratio_den
                     >= r.workdays * tp.ratio_num
                THEN '已批准请假' || CAST(r.excused_workdays AS TEXT) || '个工作日'
                ELSE '' END AS valid_reason
    FROM ranked r JOIN tp ON tp.township_id = r.township_id
)"""
    params += [d(me), d(ms), d(ms), d(me)]
    return sql, params


def changed_townships(
    month: dt.date, workdays: Sequence[dt.date], tp: Sequence[tuple[int, int, int, int]]
) -> set[int]:
    cte, params = computed_cte(month, workdays, tp)
    table = MonthlyAttendance._meta.db_table
    cols = ", ".join(connection.ops.quote_name(c) for c in COMPARED)
    sql = f"""{cte},
existing AS (
    SELECT {cols} FROM {table}
    WHERE month = %s AND township_id IN (SELECT township_id FROM tp)
)
SELECT township_id FROM (SELECT {cols} FROM computed EXCEPT SELECT {cols} FROM existing) a
UNION
SELECT township_id FROM (SELECT {cols} FROM existing EXCEPT SELECT {cols} FROM computed) b"""
    params = params + [connection.ops.adapt_datefield_value(month)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def rewrite(
    month: dt.date,
    workdays: Sequence[dt.date],
    tp: Sequence[tuple[int, int, int, int]],
    now: dt.datetime,
) -> None:
    """Replace the rows of the townships in ``tp`` by the computed ones (INSERT … SELECT)."""
    ids = [row[0] for row in tp]
    cte, params = computed_cte(month, workdays, tp)
    table = MonthlyAttendance._meta.db_table
    q = connection.ops.quote_name
    ops = connection.ops
    with connection.cursor() as cursor:
        # Also drop a row a cadre may still have in another township (home posting changed).
        cursor.execute(
            f"""{cte}
DELETE FROM {table} WHERE month = %s AND (
    township_id IN (SELECT township_id FROM tp) OR cadre_id IN (SELECT cadre_id FROM computed))""",
            [*params, ops.adapt_datefield_value(month)],
        )
        cursor.execute(
            f"""{cte}
INSERT INTO {table} (month, township_id, village_id, cadre_id, workdays, duty_workdays,
    excused_workdays, rate, {q("rank")}, bottom_rank, is_bottom, tie, boundary_tie,
    needs_interview, valid_reason, computed_at)
SELECT %s, township_id, village_id, cadre_id, workdays, duty_workdays, excused_workdays, rate,
    {q("rank")}, bottom_rank, is_bottom, tie, boundary_tie, needs_interview, valid_reason, %s
FROM computed""",
            [*params, ops.adapt_datefield_value(month), ops.adapt_datetimefield_value(now)],
        )
    assert ids  # townships rewritten
