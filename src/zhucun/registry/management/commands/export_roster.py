"""``zhucun export_roster --user USERNAME [--county CODE] [--township CODE] -o PATH``:
the 驻村第一书记和工作队员花名册 of the user's scope as .xlsx (also ``zhucun export-roster``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from zhucun.registry.exports import roster_workbook
from zhucun.registry.models import PostingStatus

from ._common import user_by_name


class Command(BaseCommand):
    help = "导出驻村第一书记和工作队员花名册(.xlsx),范围和个人信息遮挡依该用户的权限"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="以该用户的管辖范围和权限导出")
        parser.add_argument("--county", default="", help="县(市)区划代码")
        parser.add_argument("--township", default="", help="乡镇(街道)区划代码")
        parser.add_argument(
            "--status",
            default=PostingStatus.ACTIVE,
            choices=[*PostingStatus.values, "all"],
            help="任职状态,默认active(在岗);all为全部",
        )
        parser.add_argument("-o", "--output", default="驻村工作队员花名册.xlsx")

    def handle(self, *args, **options):
        user = user_by_name(options["user"])
        status = "" if options["status"] == "all" else options["status"]
        data = roster_workbook(
            user=user, county=options["county"], township=options["township"], status=status
        )
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"已导出花名册:{options['output']}")
