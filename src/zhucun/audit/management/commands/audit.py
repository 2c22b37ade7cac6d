from django.core.management.base import BaseCommand, CommandError

from zhucun.audit.services import chain_verify


class Command(BaseCommand):
    help = "审计记录: `zhucun audit verify` 校验哈希链,指出第一个被篡改的事件"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        checked, broken, reason = chain_verify()
        if reason:
            where = (
                f"事件 #{broken.seq}({broken.action} {broken.object_type}:{broken.object_id})"
                if broken
                else "链尾"
            )
            raise CommandError(f"审计链校验失败:{where} — {reason}。此前 {checked} 个事件完好。")
        self.stdout.write(f"审计链完好:共 {checked} 个事件。")
