"""``zhucun partitions``: create the check-in table's month partitions ahead (PostgreSQL).

Safe to run at any time, also from cron while the server runs: existing partitions are left
alone, callers are serialised, and rows that fell into the default partition move into their
month's partition when it is created."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhucun.attendance.partitions import partition_list, partitioned, partitions_ahead


class Command(BaseCommand):
    help = "按月预建签到表分区(PostgreSQL;可随时重复运行)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--ahead", type=int, default=3, help="向后预建的月数,默认3")
        parser.add_argument("--behind", type=int, default=1, help="向前补建的月数,默认1")
        parser.add_argument("--list", action="store_true", help="只列出现有分区")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not partitioned():
            self.stdout.write("当前数据库不分区(SQLite 或未迁移),签到保存在一张表中,无需预建。")
            return
        if not opts["list"]:
            if not (0 <= opts["ahead"] <= 120 and 0 <= opts["behind"] <= 120):
                raise CommandError("--ahead 和 --behind 应在0到120之间")
            created = partitions_ahead(
                today=timezone.localdate(), ahead=opts["ahead"], behind=opts["behind"]
            )
            self.stdout.write(
                f"新建分区 {len(created)} 个" + (f":{', '.join(created)}" if created else "")
            )
        for name, bound in partition_list():
            self.stdout.write(f"  {name}  {bound}")
