"""``zhucun demo``: database, migrations, the demo 德宏州, one account per role, then serve."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhucun.attendance.partitions import partitions_ahead
from zhucun.demo import assessment, attendance, checks, review, selection, support, work
from zhucun.demo.accounts import account_table
from zhucun.demo.build import AGE_EXCEPTION, DEFAULT_SEED, DELIBERATE_GAPS, load_demo
from zhucun.demo.timeline import ENV, Timeline, demo_today
from zhucun.policy.dates import date_label, month_label
from zhucun.registry.models import Jurisdiction

ADDRESS = "127.0.0.1:8000"


class Command(BaseCommand):
    help = "建立演示数据库(德宏州演示数据和各角色账号)并在 127.0.0.1:8000 启动服务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="只建库和加载数据,不启动服务")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"随机种子(默认 {DEFAULT_SEED})"
        )
        parser.add_argument(
            "--today",
            default=None,
            help="演示数据的“今天”,格式 YYYY-MM-DD(默认为本机当天,也可用环境变量 "
            f"{ENV} 指定;仅供测试):签到截至此前最后一个工作日,结账此前最近的完整月份",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = demo_today(options["today"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        timeline = Timeline(today)
        db = settings.DATABASES["default"]
        self.stdout.write(f"数据库:{db['NAME']}")
        self.stdout.write("正在执行数据库迁移……")
        call_command("migrate", interactive=False, verbosity=0)
        partitions_ahead(today=today, behind=6)  # PostgreSQL only
        self.stdout.write(
            f"正在加载德宏州演示数据(随机种子 {options['seed']},演示日期 {date_label(today)};"
            f"签到自{date_label(timeline.start)}起至前一个工作日,"
            f"结账{month_label(timeline.closed)})……"
        )
        result = load_demo(seed=options["seed"], today=today)
        if result.loaded:
            self.stdout.write(self.style.SUCCESS(f"演示数据已加载,用时 {result.seconds:.1f} 秒。"))
        elif result.attendance:
            self.stdout.write(
                self.style.SUCCESS(f"已补充考勤演示数据,用时 {result.seconds:.1f} 秒。")
            )
        else:
            self.stdout.write("演示数据已存在(533100000000 德宏州),未重复加载。")
        c = result.counts
        self.stdout.write(
            f"县(市) {c['county']} 个,乡镇(街道) {c['township']} 个,村(社区) {c['village']} 个,"
            f"村(居)民小组 {c['village_group']} 个;派出单位 {c['units']} 个,"
            f"驻村干部 {c['cadres']} 人(在岗任职 {c['postings']} 条,"
            f"未派驻 {checks.unposted_cadres()} 人)。"
        )
        for year in result.calendar_years:
            self.stdout.write(
                self.style.WARNING(
                    f"日历尚无{year}年节假日安排:演示数据已按演示用途登记元旦、劳动节、国庆节,"
                    f"正式使用前请录入国务院办公厅公布的{year}年节假日安排。"
                )
            )
        self._gaps()
        if lines := selection.summary_lines():
            self.stdout.write("\n选派流程演示(SEL.METHOD.FLOW,各环节由对应账号办理):")
            for line in lines:
                self.stdout.write(f"  {line}")
        if lines := attendance.summary_lines():
            first, last = attendance.period()
            self.stdout.write(f"\n考勤演示(MGT.1、MGT.3,{date_label(first)}至{date_label(last)}):")
            for line in lines:
                self.stdout.write(f"  {line}")
        if lines := assessment.summary_lines():
            self.stdout.write("\n考核评议演示(MGT.5、MGT.8.SJSP):")
            for line in lines:
                self.stdout.write(f"  {line}")
        if lines := work.summary_lines():
            self.stdout.write("\n驻村工作演示(MGT.2、MGT.8、MGT.6):")
            for line in lines:
                self.stdout.write(f"  {line}")
        if lines := support.summary_lines():
            self.stdout.write("\n培训保障演示(MGT.7、GUA.2):")
            for line in lines:
                self.stdout.write(f"  {line}")
        if lines := review.summary_lines():
            self.stdout.write("\n研判召回演示(MGT.4、MGT.10、GUA.3.TALK):")
            for line in lines:
                self.stdout.write(f"  {line}")
        self.stdout.write("\n演示账号(所有账号密码相同,仅供演示):")
        self.stdout.write(account_table(result.accounts))
        if options["no_serve"]:
            return
        self.stdout.write(f"\n请在浏览器中打开 http://{ADDRESS}/ ,按 Ctrl+C 停止。\n")
        call_command("runserver", ADDRESS, use_reloader=False, insecure_serving=True)

    def _gaps(self) -> None:
        names = dict(
            Jurisdiction.objects.filter(
                code__in=[c for g in [*DELIBERATE_GAPS, AGE_EXCEPTION] for c in g.villages]
            ).values_list("code", "name")
        )
        self.stdout.write("\n演示数据中有意保留的问题(报表应能发现):")
        for g in DELIBERATE_GAPS:
            where = "、".join(f"{names.get(c, '?')}({c})" for c in g.villages)
            self.stdout.write(f"  [{g.clause}] {g.description}:{where}")
        where = "、".join(f"{names.get(c, '?')}({c})" for c in AGE_EXCEPTION.villages)
        self.stdout.write(f"  [{AGE_EXCEPTION.clause} 例外] {AGE_EXCEPTION.description}:{where}")
