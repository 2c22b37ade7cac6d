from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "zhucun.inbox"
    label = "inbox"
    verbose_name = "待办"
    default_auto_field = "django.db.models.BigAutoField"
