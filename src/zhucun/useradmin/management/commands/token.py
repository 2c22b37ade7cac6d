from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.core.errors import ZhucunError
from zhucun.useradmin.services import token_create, token_revoke, tokens_list


class Command(BaseCommand):
    help = (
        "API令牌: `zhucun token create 用户名 [--name 用途]` 生成令牌(只显示一次);"
        "`zhucun token list 用户名` 列出该用户的令牌;"
        "`zhucun token revoke 编号或前缀` 撤销令牌"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户生成令牌")
        create.add_argument("username")
        create.add_argument("--name", default="", help="用途说明")
        listing = sub.add_parser("list", help="列出用户的令牌(编号、前缀、有效期、状态)")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="撤销令牌")
        revoke.add_argument("token", help="令牌编号(见 token list),或令牌前8个字符,如 zc_AbCdE")

    def handle(self, *args, **options):
        try:
            action = options["action"]
            if action in ("create", "list"):
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"用户“{options['username']}”不存在")
            if action == "create":
                raw = token_create(actor=None, user=user, name=options["name"])
                self.stdout.write(raw)
                self.stderr.write(f"已为{user}生成令牌(前缀 {raw[:8]}),请妥善保存,此后不再显示。")
            elif action == "list":
                now = timezone.now()
                for t in tokens_list(actor=None, user=user):
                    if t.revoked_at is not None:
                        state = "已撤销"
                    elif t.expires_at is not None and t.expires_at <= now:
                        state = "已过期"
                    else:
                        state = "有效"
                    expires = t.expires_at.date().isoformat() if t.expires_at else "长期"
                    self.stdout.write(f"{t.pk}\t{t.prefix}…\t{t.name}\t有效期至{expires}\t{state}")
            else:
                value = options["token"].strip()
                if value.isdigit():
                    token = token_revoke(actor=None, token_id=int(value))
                else:
                    token = token_revoke(actor=None, prefix=value)
                self.stdout.write(f"已撤销令牌 {token.pk} {token.prefix}…({token.user})")
        except ZhucunError as exc:
            raise CommandError(exc.message) from None
