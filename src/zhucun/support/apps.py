from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "zhucun.support"
    label = "support"
    verbose_name = "培训与保障"
    default_auto_field = "django.db.models.BigAutoField"
