"""``zhucun import KIND FILE [--user USERNAME] [--source NAME] [--report PATH]``: import an
.xlsx/.csv file. KIND is one of the registry's kinds or one an app above registered
(``checkins``: check-ins from another app, which needs ``--source``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhucun.registry.imports import all_kinds, import_file

from ._common import importing_user

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "批量导入行政区划、村(社区)、派出单位、干部、驻村任职或其他APP的签到记录(.xlsx或.csv);"
        "有错误时不写入任何数据"
    )

    def add_arguments(self, parser):
        kinds = all_kinds()
        parser.add_argument(
            "kind",
            choices=list(kinds),
            help="导入类型:" + "、".join(f"{k}={v}" for k, v in kinds.items()),
        )
        parser.add_argument("file", help=".xlsx或.csv文件")
        parser.add_argument(
            "--user", help="以该用户的身份和管辖范围导入(省略时为唯一的系统管理员账号)"
        )
        parser.add_argument("--source", help="数据来源(导入签到记录checkins时必填,如“云岭先锋”)")
        parser.add_argument("--report", help="导入失败时把错误报告写入此.xlsx文件")

    def handle(self, *args, **options):
        user = importing_user(options["user"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件“{path}”不存在")
        extra = {"source": options["source"]} if options["source"] is not None else {}
        with path.open("rb") as f:
            report = import_file(
                actor=user, kind=options["kind"], fileobj=f, filename=path.name, options=extra
            )
        if report.ok:
            self.stdout.write(report.summary())
            return
        if options["report"]:
            Path(options["report"]).write_bytes(report.to_workbook())
        for error in report.errors[:SHOWN_ERRORS]:
            self.stderr.write(str(error))
        if len(report.errors) > SHOWN_ERRORS:
            self.stderr.write(f"……共{report.error_count}处错误,完整列表请用 --report 导出")
        raise CommandError(report.summary(), returncode=1)
