"""``zhucun gen --scale tiny|prefecture|province|national [--months N] [--seed S] [--force]
[--json PATH]``: load a synthetic, consistent data set for benchmarks (see zhucun.gen)."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import resource
import time
import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from zhucun.audit.guard import audit_maintenance
from zhucun.gen import activity, people, world
from zhucun.gen.loader import (
    Loader,
    SpecError,
    TableResult,
    TableSpec,
    nonempty_tables,
    project_tables,
    truncate,
)
from zhucun.gen.scales import SCALES, SQLITE_SCALES

PARTITIONS_MODULE = "zhucun.attendance.partitions"


def last_months(today: dt.date, n: int) -> list[dt.date]:
    """The ``n`` months ending with the last complete month before ``today`` (first days)."""
    y, m = today.year, today.month
    months = []
    for _ in range(n):
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        months.append(dt.date(y, m, 1))
    return months[::-1]


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


def check_backend(vendor: str, scale: str) -> None:
    if vendor not in ("postgresql", "sqlite"):
        raise CommandError(f"gen 只支持 PostgreSQL 和 SQLite,当前数据库为 {vendor}")
    if vendor == "sqlite" and scale not in SQLITE_SCALES:
        raise CommandError(
            f"SQLite 数据库只能生成 {'、'.join(SQLITE_SCALES)} 规模;{scale} 规模请使用 "
            "PostgreSQL(设置 DATABASE_URL=postgres://…,先运行 zhucun migrate)"
        )


def specs() -> dict[str, TableSpec]:
    from zhucun.accounts.models import User
    from zhucun.attendance.models import CheckIn, DiaryEntry, LeaveRequest
    from zhucun.params.models import ParameterValue
    from zhucun.registry.models import Cadre, DispatchingUnit, Jurisdiction, Posting, Village

    return {
        "jurisdiction": TableSpec(Jurisdiction, world.JURISDICTION_FIELDS),
        "village": TableSpec(Village, world.VILLAGE_FIELDS),
        "unit": TableSpec(DispatchingUnit, world.UNIT_FIELDS),
        # values from fixed lists (names, codes): nothing to escape in the larger tables
        "cadre": TableSpec(Cadre, people.CADRE_FIELDS, escape=()),
        "posting": TableSpec(Posting, people.POSTING_FIELDS),
        "user": TableSpec(User, people.USER_FIELDS, escape=()),
        "parameter": TableSpec(ParameterValue, people.PARAMETER_FIELDS),
        "checkin": TableSpec(
            CheckIn, activity.CHECKIN_FIELDS, activity.CHECKIN_ESCAPE, all_text=True
        ),
        "leave": TableSpec(LeaveRequest, activity.LEAVE_FIELDS),
        "diary": TableSpec(DiaryEntry, activity.DIARY_FIELDS),
    }


class Command(BaseCommand):
    help = "生成基准测试用的合成数据(行政区划、村、派出单位、驻村干部、任职、用户、签到、请假、工作日志)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", required=True, choices=list(SCALES), help="数据规模")
        parser.add_argument(
            "--months", type=int, default=1, help="签到等数据的月数(截至上一个完整月),默认 1"
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子(同一种子生成相同数据)")
        parser.add_argument(
            "--force", action="store_true", help="清空全部项目数据(含审计链)后重新生成"
        )
        parser.add_argument("--json", default="", metavar="PATH", help="把计时结果写入 JSON 文件")

    def handle(self, *args: Any, **opts: Any) -> None:
        scale = SCALES[opts["scale"]]
        if not 1 <= opts["months"] <= 120:
            raise CommandError("--months 应为 1 到 120 之间的整数")
        check_backend(connection.vendor, scale.name)
        try:
            table_specs = specs()
        except SpecError as exc:
            raise CommandError(str(exc)) from None
        existing = set(connection.introspection.table_names())
        missing = [s.table for s in table_specs.values() if s.table not in existing]
        if missing:
            raise CommandError(
                f"数据库缺少数据表 {', '.join(missing)}:请先运行 zhucun migrate 再生成数据"
            )
        tables = project_tables(connection)
        busy = nonempty_tables(connection, tables)
        if busy and not opts["force"]:
            raise CommandError(
                f"数据库中已有数据({', '.join(busy[:6])}{' 等' if len(busy) > 6 else ''}),"
                "gen 不会覆盖。如确需清空全部项目数据(含审计链)后重新生成,请加 --force"
            )
        months = last_months(timezone.localdate(), opts["months"])
        w = world.World(scale=scale, seed=opts["seed"], months=months)
        started = time.perf_counter()
        results: list[TableResult] = []
        with transaction.atomic():
            if opts["force"]:
                t0 = time.perf_counter()
                with audit_maintenance(connection):  # the audit events go too
                    truncate(connection, tables)
                took = time.perf_counter() - t0
                self.stdout.write(f"已清空 {len(tables)} 个项目数据表(含审计链):{took:.1f} 秒")
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL TIME ZONE 'UTC'")
                    cur.execute("SET LOCAL maintenance_work_mem = '256MB'")  # index rebuilds
            calendar = [(m, self._workdays(m)) for m in months]
            loader = Loader(connection)
            steps = [
                ("jurisdiction", lambda: world.jurisdiction_rows(w)),
                ("village", lambda: world.village_rows(w)),
                ("unit", lambda: world.unit_rows(w)),
                ("cadre", lambda: people.cadre_rows(w)),
                ("posting", lambda: people.posting_rows(w)),
                ("user", lambda: people.user_rows(w)),
                ("parameter", lambda: people.parameter_rows(w)),
                ("checkin", lambda: activity.checkin_rows(w, calendar)),
                ("leave", lambda: activity.leave_rows(w, calendar)),
                ("diary", lambda: activity.diary_rows(w, calendar)),
            ]
            for key, rows in steps:
                if key == "checkin":
                    self._partitions(months)
                result = loader.load(table_specs[key], rows())
                results.append(result)
                self._line(result)
                if key == "checkin":
                    self._keys()
            analyze = loader.finish(list(table_specs.values()))
            counts = {r.table: r.rows for r in results}
            self._audit(scale.name, opts, months, counts)
            committing = time.perf_counter()
        commit = time.perf_counter() - committing
        seconds = time.perf_counter() - started
        self._report(scale.name, opts, months, results, analyze, commit, seconds)

    # ---- steps -------------------------------------------------------------------------------

    def _workdays(self, month: dt.date) -> list[dt.date]:
        from zhucun.attendance.services import working_days_of
        from zhucun.core.errors import ZhucunError

        try:
            return working_days_of(month)
        except ZhucunError as exc:
            errors = getattr(exc, "errors", None) or {}
            raise CommandError(";".join(errors.values()) or str(exc)) from None

    def _partitions(self, months: list[dt.date]) -> None:
        """Monthly partitions of the check-ins (PostgreSQL), if the project has them."""
        if connection.vendor != "postgresql" or importlib.util.find_spec(PARTITIONS_MODULE) is None:
            return
        module = importlib.import_module(PARTITIONS_MODULE)
        created = module.partitions_ensure(months=months)
        if created:
            self.stdout.write(f"签到分区:{', '.join(created)}")

    def _keys(self) -> None:
        """The check-ins' idempotency keys (attendance_checkinkey), in one INSERT … SELECT."""
        from zhucun.attendance.services import checkin_keys_fill

        t0 = time.perf_counter()
        n = checkin_keys_fill()
        took = time.perf_counter() - t0
        rate = f"{n / took:,.0f} 行/秒" if took > 0 else ""
        self.stdout.write(f"签到去重键 attendance_checkinkey  {n:,} 行  {rate}")

    def _audit(self, scale: str, opts: dict[str, Any], months: list[dt.date], counts: dict) -> None:
        from zhucun.audit.services import event_record

        event_record(
            actor=None,
            action="gen.load",
            object_type="gen",
            object_id=scale,
            after={
                "scale": scale,
                "seed": opts["seed"],
                "months": [f"{m:%Y-%m}" for m in months],
                "rows": counts,
            },
            note="zhucun gen 生成的合成数据(基准测试用),非真实人员信息",
        )

    # ---- output ------------------------------------------------------------------------------

    def _line(self, r: TableResult) -> None:
        extra = f"  (重建索引/约束 {r.index_seconds:.1f} 秒)" if r.index_seconds >= 0.05 else ""
        self.stdout.write(
            f"{pad(r.label, 12)} {r.table:<28} {r.rows:>12,} 行 {r.rate:>10,.0f} 行/秒{extra}"
        )
        self.stdout.flush()

    def _report(
        self,
        scale: str,
        opts: dict[str, Any],
        months: list[dt.date],
        results: list[TableResult],
        analyze: float,
        commit: float,
        seconds: float,
    ) -> None:
        rows = sum(r.rows for r in results)
        rate = rows / seconds if seconds > 0 else 0.0
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if analyze:
            self.stdout.write(f"更新序列并 ANALYZE:{analyze:.1f} 秒")
        self.stdout.write(f"提交事务:{commit:.1f} 秒")
        self.stdout.write(
            f"{pad('合计', 12)} {'':<28} {rows:>12,} 行 {rate:>10,.0f} 行/秒  "
            f"用时 {seconds:.1f} 秒,内存峰值 {rss_mb:,.0f} MB"
        )
        self.stdout.write(
            f"规模 {scale},种子 {opts['seed']},月份 {', '.join(f'{m:%Y-%m}' for m in months)};"
            "所有用户的密码均不可用,请用 zhucun changepassword 用户名 设置(如 admin)"
        )
        if opts["json"]:
            data = {
                "scale": scale,
                "seed": opts["seed"],
                "months": [f"{m:%Y-%m}" for m in months],
                "database": connection.vendor,
                "tables": [
                    {
                        "label": r.label,
                        "table": r.table,
                        "rows": r.rows,
                        "seconds": round(r.seconds, 3),
                        "rows_per_second": round(r.rate),
                        "index_seconds": round(r.index_seconds, 3),
                    }
                    for r in results
                ],
                "analyze_seconds": round(analyze, 3),
                "commit_seconds": round(commit, 3),
                "total": {
                    "rows": rows,
                    "seconds": round(seconds, 3),
                    "rows_per_second": round(rate),
                },
                "max_rss_mb": round(rss_mb, 1),
            }
            Path(opts["json"]).write_text(
                json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
