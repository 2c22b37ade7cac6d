"""``zhucun audit verify [--head FILE]`` and ``zhucun audit head [--write FILE]``."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhucun.audit.guard import guard_missing
from zhucun.audit.head import HeadError, head_check, head_current, head_read, head_write
from zhucun.audit.services import chain_verify


class Command(BaseCommand):
    help = (
        "审计记录: `zhucun audit verify [--head 文件]` 校验哈希链(密钥签名)并与外部保存的链头比对,"
        "指出第一个被篡改的事件;`zhucun audit head --write 文件` 写出签名的当前链头供管理员另行保存"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "head"])
        parser.add_argument(
            "--head",
            default=None,
            help="外部保存的链头文件(默认 ZHUCUN_AUDIT_HEAD_FILE);verify 核对其中的最新事件仍在",
        )
        parser.add_argument(
            "--write",
            default=None,
            metavar="FILE",
            help="head: 写入此文件(默认 ZHUCUN_AUDIT_HEAD_FILE;都未给出则打印到标准输出)",
        )

    def handle(self, *args, **options):
        if options["action"] == "head":
            return self._head(options["write"] or settings.ZHUCUN_AUDIT_HEAD_FILE)
        checked, broken, reason = chain_verify()
        if reason:
            where = (
                f"事件 #{broken.seq}({broken.action} {broken.object_type}:{broken.object_id})"
                if broken
                else "链尾"
            )
            raise CommandError(f"审计链校验失败:{where} — {reason}。此前 {checked} 个事件完好。")
        head_file = options["head"] or settings.ZHUCUN_AUDIT_HEAD_FILE
        if head_file:
            try:
                head = head_read(Path(head_file))
            except HeadError as exc:
                raise CommandError(f"审计链校验失败:{exc}") from exc
            if reason := head_check(head):
                raise CommandError(f"审计链校验失败:{reason}。")
        if missing := guard_missing():
            self.stderr.write(
                f"警告:数据库缺少审计表保护触发器 {', '.join(missing)}"
                "(运行 `zhucun migrate`;见 docs/SECURITY.md)"
            )
        tail = f",与外部链头 #{head.seq} 相符" if head_file else ""
        self.stdout.write(f"审计链完好:共 {checked} 个事件{tail}。")

    def _head(self, path):
        try:
            if not path:
                self.stdout.write(head_current().as_json(), ending="")
                return
            head = head_write(Path(path))
        except HeadError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已写入链头 #{head.seq} 到 {path},请另行保管(不要放在数据库所在机器上)。"
        )
