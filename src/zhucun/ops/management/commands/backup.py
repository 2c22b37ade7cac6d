"""``zhucun backup DIR``: a consistent backup (database, uploaded files, audit chain head,
parameter values) with a manifest and checksums — see zhucun/ops/backup.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhucun.ops.backup import backup_write
from zhucun.ops.database import OpsError


class Command(BaseCommand):
    help = (
        "备份到一个新目录:数据库(PostgreSQL 用 pg_dump 自定义格式,SQLite 用在线备份接口)、"
        "上传的附件、审计链头和辖区参数,附清单 manifest.json 与校验文件 SHA256SUMS"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dir", help="备份目录(不存在或为空)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = backup_write(Path(opts["dir"]))
        except OpsError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        rows = sum(m["counts"].values())
        head = m["audit_head"]
        self.stdout.write(
            f"已备份到 {result.path}:{m['engine']} 数据库 {len(m['counts'])} 张表 {rows} 行,"
            f"附件 {m['media_files'] + m['attachment_files']} 个,"
            f"审计链头 #{head['seq'] if head else '—'};"
            f"共 {result.bytes / 1e6:.1f} MB,用时 {result.seconds:.1f} 秒"
        )
        for warning in result.warnings:
            self.stderr.write(f"警告:{warning}")
