from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "zhucun.api"
    verbose_name = "接口"
