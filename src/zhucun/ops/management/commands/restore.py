"""``zhucun restore DIR``: a backup into an empty database, then the audit chain and the row
counts checked — see zhucun/ops/restore.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhucun.ops.database import OpsError
from zhucun.ops.restore import backup_check, backup_restore


class Command(BaseCommand):
    help = (
        "从 zhucun backup 的目录恢复到空数据库(DATABASE_URL),恢复附件,"
        "再校验审计链(与备份的链头比对)和各表行数;非空数据库一律拒绝"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dir", help="备份目录")
        parser.add_argument("--check", action="store_true", help="只核对备份文件的校验和,不恢复")

    def handle(self, *args: Any, **opts: Any) -> None:
        source = Path(opts["dir"])
        try:
            if opts["check"]:
                m = backup_check(source)
                self.stdout.write(
                    f"备份完好:{len(m['files'])} 个文件的 SHA-256 相符({m['engine']},"
                    f"{m['created_at']})"
                )
                return
            result = backup_restore(source)
        except OpsError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        self.stdout.write(
            f"已恢复 {m['created_at']} 的备份:{len(m['counts'])} 张表,"
            f"附件 {result.files} 个,用时 {result.seconds:.1f} 秒"
        )
        for note in result.notes:
            self.stdout.write(f"注意:{note}")
        problems = []
        if result.audit:
            problems.append(f"审计链校验失败:{result.audit}")
        else:
            tail = (
                f",与备份的链头 #{result.head_seq} 相符"
                if result.head_seq is not None
                else "(备份中没有签名的链头)"
            )
            self.stdout.write(f"审计链完好:共 {result.audit_events} 个事件{tail}。")
        for table, expected, restored in result.count_diffs:
            problems.append(f"表 {table} 行数不符:备份时 {expected},恢复后 {restored}")
        if not result.count_diffs:
            self.stdout.write(f"各表行数与备份清单一致({sum(m['counts'].values())} 行)。")
        if problems:
            raise CommandError("恢复后的核对未通过:" + ";".join(problems))
