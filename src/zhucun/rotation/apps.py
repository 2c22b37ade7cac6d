from django.apps import AppConfig


class RotationConfig(AppConfig):
    name = "zhucun.rotation"
    label = "rotation"
    verbose_name = "调整轮换"
    default_auto_field = "django.db.models.BigAutoField"
