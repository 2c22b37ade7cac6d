import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from zhucun.registry.imports.reader import FileProblem
from zhucun.selection.screening import screen_rows, screening_template, screening_workbook


class Command(BaseCommand):
    help = "批量资格审查:zhucun screen 名单.xlsx -o 结果.xlsx(每行附审查结果和条款依据)"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="人选名单 .xlsx 或 .csv")
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument(
            "--on", default="", help="名单中未填“拟派出日期”时使用的日期 YYYY-MM-DD"
        )
        parser.add_argument("--template", action="store_true", help="只输出空白模板")

    def handle(self, *args, **o):
        if o["template"]:
            with open(o["output"], "wb") as fh:
                fh.write(screening_template())
            self.stdout.write(f"模板已写入 {o['output']}")
            return
        if not o["file"]:
            raise CommandError("请指定名单文件")
        try:
            on = dt.date.fromisoformat(o["on"]) if o["on"] else None
        except ValueError:
            raise CommandError(f"日期“{o['on']}”格式不对,应为 YYYY-MM-DD") from None
        try:
            with open(o["file"], "rb") as fh:
                # the operator at the server's shell: no role to check
                header, rows = screen_rows(fh, o["file"], actor=None, default_on=on)
                data, counts = screening_workbook(header, rows)
        except FileNotFoundError:
            raise CommandError(f"找不到文件 {o['file']}") from None
        except FileProblem as exc:
            raise CommandError(str(exc)) from None
        with open(o["output"], "wb") as fh:
            fh.write(data)
        summary = ",".join(f"{k}{n}人" for k, n in counts.items()) or "没有数据行"
        self.stdout.write(f"审查完成:{summary}。结果已写入 {o['output']}")
