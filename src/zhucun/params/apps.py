from django.apps import AppConfig


class ParamsConfig(AppConfig):
    name = "zhucun.params"
    verbose_name = "政策参数"
