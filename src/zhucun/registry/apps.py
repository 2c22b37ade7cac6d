from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "zhucun.registry"
    verbose_name = "基础信息"
