from django.apps import AppConfig


class UseradminConfig(AppConfig):
    name = "zhucun.useradmin"
    verbose_name = "账号管理"
