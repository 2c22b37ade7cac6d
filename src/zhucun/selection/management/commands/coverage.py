import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from zhucun.accounts.models import User
from zhucun.registry.models import Jurisdiction
from zhucun.selection.coverage import coverage_queryset, coverage_summary
from zhucun.selection.exports import coverage_json, coverage_workbook


class _Raw:
    """self.stdout without the newline Django adds to every write."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    help = "选派覆盖情况(SEL.SCOPE.COVER):未覆盖的村排在最前。--format xlsx|json"

    def add_arguments(self, parser):
        parser.add_argument("--county", default="", help="县(市)名称或区划代码,如 芒市")
        parser.add_argument("--township", default="", help="乡镇名称或区划代码")
        parser.add_argument("--format", choices=["xlsx", "json"], default="json")
        parser.add_argument(
            "-o", "--output", default="", help="输出文件(xlsx 必填;json 默认输出到屏幕)"
        )
        parser.add_argument("--on", default="", help="统计日期 YYYY-MM-DD,默认今天")
        parser.add_argument("--user", default="", help="按该用户的管辖范围统计(默认全部)")
        parser.add_argument(
            "--problems", action="store_true", help="只列出未覆盖、不符合或例外的村"
        )

    def handle(self, *args, **o):
        try:
            on = dt.date.fromisoformat(o["on"]) if o["on"] else dt.date.today()
        except ValueError:
            raise CommandError(f"日期“{o['on']}”格式不对,应为 YYYY-MM-DD") from None
        user = None
        if o["user"]:
            user = User.objects.filter(username=o["user"]).first()
            if user is None:
                raise CommandError(f"用户“{o['user']}”不存在")
        if (
            o["county"]
            and not Jurisdiction.objects.filter(level="county").filter(name=o["county"]).exists()
            and not Jurisdiction.objects.filter(level="county", code=o["county"]).exists()
        ):
            raise CommandError(f"县(市)“{o['county']}”不存在")
        qs = coverage_queryset(
            user=user,
            on=on,
            county=o["county"],
            township=o["township"],
            only_problems=o["problems"],
        )
        s = coverage_summary(qs)
        summary = f"共{s['villages']}个村:未覆盖{s['uncovered']}个,不符合选派要求{s['failing']}个,按例外处理{s['exceptions']}个,3类村{s['cat3']}个。"
        if o["format"] == "xlsx":
            if not o["output"]:
                raise CommandError("xlsx 格式须用 -o 指定输出文件")
            title = o["county"] or o["township"] or "德宏州"
            with open(o["output"], "wb") as fh:
                fh.write(coverage_workbook(qs, on=on, title=title))
            self.stdout.write(f"{summary}已写入 {o['output']}")
            return
        out = open(o["output"], "w", encoding="utf-8") if o["output"] else _Raw(self.stdout)
        try:
            out.write('{"summary": ' + json.dumps(s, ensure_ascii=False) + ', "villages": [\n')
            for i, row in enumerate(coverage_json(qs, on=on)):
                out.write((",\n" if i else "") + json.dumps(row, ensure_ascii=False))
            out.write("\n]}\n")
        finally:
            if o["output"]:
                out.close()
                self.stdout.write(f"{summary}已写入 {o['output']}")
