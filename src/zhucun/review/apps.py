from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhucun.review"
    label = "review"
    verbose_name = "研判召回与纪律"
    default_auto_field = "django.db.models.BigAutoField"
