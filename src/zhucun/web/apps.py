from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhucun.web"
    verbose_name = "网页"
