"""``zhucun close-month YYYY-MM [--township CODE]``: the MGT.3 month close (idempotent; cron,
a systemd timer or a task queue may run it any number of times)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhucun.core.errors import ZhucunError
from zhucun.policy.dates import month_label
from zhucun.registry.models import Jurisdiction, Level


class Command(BaseCommand):
    help = "月度考勤结账(MGT.3):计算各乡镇驻村干部出勤率、排名、末3位和约谈名单"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("month", help="月份,格式 YYYY-MM")
        parser.add_argument("--township", default="", help="只结算该乡镇(区划代码)")
        parser.add_argument(
            "--json",
            action="store_true",
            help="以JSON输出结果(供其他系统调用):月份、工作日、各乡镇的版本、人数、是否变化、"
            "末位和约谈人数",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        from zhucun.attendance.selectors import month_close_summary
        from zhucun.attendance.services.monthclose import month_close

        m = re.fullmatch(r"(\d{4})-(\d{1,2})", opts["month"].strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise CommandError("月份格式应为 YYYY-MM,例如 2025-03")
        month = dt.date(int(m.group(1)), int(m.group(2)), 1)
        township_id = None
        if opts["township"]:
            t = Jurisdiction.objects.filter(code=opts["township"], level=Level.TOWNSHIP).first()
            if t is None:
                raise CommandError(f"乡镇 {opts['township']} 不存在")
            township_id = t.pk
        try:
            result = month_close(actor=None, month=month, township_id=township_id)
        except ZhucunError as exc:
            errors = getattr(exc, "errors", None)
            raise CommandError(";".join(errors.values()) if errors else exc.message) from None
        if opts["json"]:
            self.stdout.write(json.dumps(month_close_summary(result), ensure_ascii=False, indent=1))
            return
        for t in result.townships:
            state = f"已结账(第{t.version}版)" if t.changed else f"无变化(第{t.version}版)"
            self.stdout.write(f"{t.code} {t.name}: {t.rows}人 {state}")
        self.stdout.write(
            f"{month_label(month)} 工作日{result.workdays}天;{len(result.townships)}个乡镇,"
            f"其中{len(result.changed)}个有变化"
        )
