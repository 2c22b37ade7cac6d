from django.apps import AppConfig


class TenureConfig(AppConfig):
    name = "zhucun.tenure"
    verbose_name = "任期与轮换交接"
