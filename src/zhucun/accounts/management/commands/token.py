from django.core.management.base import BaseCommand, CommandError

from zhucun.accounts.models import User
from zhucun.accounts.services import token_create, token_revoke
from zhucun.core.errors import ZhucunError


class Command(BaseCommand):
    help = (
        "API令牌: `zhucun token create 用户名 [--name 用途]` 生成令牌(只显示一次);"
        "`zhucun token revoke 前缀` 撤销令牌"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户生成令牌")
        create.add_argument("username")
        create.add_argument("--name", default="", help="用途说明")
        revoke = sub.add_parser("revoke", help="按前缀撤销令牌")
        revoke.add_argument("prefix", help="令牌前8个字符,如 zc_AbCdE")

    def handle(self, *args, **options):
        try:
            if options["action"] == "create":
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"用户“{options['username']}”不存在")
                raw = token_create(actor=None, user=user, name=options["name"])
                self.stdout.write(raw)
                self.stderr.write(f"已为{user}生成令牌(前缀 {raw[:8]}),请妥善保存,此后不再显示。")
            else:
                token = token_revoke(actor=None, prefix=options["prefix"])
                self.stdout.write(f"已撤销令牌 {token.prefix}…({token.user})")
        except ZhucunError as exc:
            raise CommandError(exc.message) from None
