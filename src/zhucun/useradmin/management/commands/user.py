from django.core.management.base import BaseCommand, CommandError

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import ZhucunError
from zhucun.useradmin.services import (
    SCOPE_HELP,
    user_create,
    user_disable,
    user_enable,
    user_password_reset,
)

SCOPES = ";".join(f"{r.value}({r.label}):{SCOPE_HELP[r]}" for r in UserRole)


class Command(BaseCommand):
    help = (
        "账号管理(在服务器上以控制台身份执行,不受管辖范围限制):"
        "`zhucun user create 用户名 --role 角色 --scope 代码 [--name 名称]` 创建账号并显示一次性初始密码;"
        "`zhucun user disable|enable|reset-password 用户名`;`zhucun user list [--role 角色]`"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="创建账号,显示一次性初始密码(首次登录须修改)")
        create.add_argument("username", help="用户名(字母、数字和 @ . + - _)")
        create.add_argument("--role", required=True, choices=UserRole.values, help="角色")
        create.add_argument("--scope", default="", help=f"管辖范围,按角色填写:{SCOPES}")
        create.add_argument("--name", default="", help="姓名或机构名称(不填则取管辖范围的名称)")
        for action, text in (
            ("disable", "停用账号(不能登录,令牌失效)"),
            ("enable", "启用账号"),
            ("reset-password", "重置密码,显示新的一次性密码"),
        ):
            sub.add_parser(action, help=text).add_argument("username", help="用户名")
        listing = sub.add_parser("list", help="列出账号")
        listing.add_argument("--role", choices=UserRole.values, help="只列此角色")

    def handle(self, *args, **options):
        action = options["action"]
        try:
            if action == "create":
                user, raw = user_create(
                    actor=None,
                    username=options["username"],
                    role=options["role"],
                    scope_code=options["scope"],
                    display_name=options["name"],
                )
                self.stdout.write(raw)
                self.stderr.write(
                    f"已创建账号 {user.username}({user},{user.get_role_display()});"
                    "以上为一次性初始密码,此后不再显示,首次登录须修改。"
                )
            elif action == "list":
                self._list(options.get("role"))
            else:
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"用户“{options['username']}”不存在")
                if action == "disable":
                    user_disable(actor=None, user_id=user.pk)
                    self.stdout.write(f"已停用账号 {user.username}")
                elif action == "enable":
                    user_enable(actor=None, user_id=user.pk)
                    self.stdout.write(f"已启用账号 {user.username}")
                else:
                    _, raw = user_password_reset(actor=None, user_id=user.pk)
                    self.stdout.write(raw)
                    self.stderr.write(
                        f"已重置 {user.username} 的密码;以上为一次性密码,此后不再显示,登录后须修改。"
                    )
        except ZhucunError as exc:
            raise CommandError(exc.message) from None

    def _list(self, role: str | None) -> None:
        qs = User.objects.order_by("role", "username")
        if role:
            qs = qs.filter(role=role)
        for u in qs.iterator():
            state = "停用" if not u.is_active else ("待改密" if u.must_change_password else "正常")
            self.stdout.write(f"{u.username}\t{u.get_role_display()}\t{u.display_name}\t{state}")
