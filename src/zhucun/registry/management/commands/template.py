"""``zhucun template KIND -o PATH``: write the .xlsx import template of KIND (the registry's
kinds and those an app above registered, e.g. ``checkins``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from zhucun.registry.imports import all_kinds, kind_label, template_workbook


class Command(BaseCommand):
    help = "生成导入模板(.xlsx,含中文列名、示例行和填写说明)"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(all_kinds()))
        parser.add_argument("-o", "--output", help="输出文件,默认为“<类型>导入模板.xlsx”")

    def handle(self, *args, **options):
        kind = options["kind"]
        path = Path(options["output"] or f"{kind_label(kind)}导入模板.xlsx")
        path.write_bytes(template_workbook(kind))
        self.stdout.write(f"已生成{kind_label(kind)}导入模板:{path}")
