from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "zhucun.work"
    label = "work"
    verbose_name = "驻村工作"
    default_auto_field = "django.db.models.BigAutoField"
