from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "zhucun.selection"
    verbose_name = "选派管理"
