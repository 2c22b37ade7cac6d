from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "zhucun.assessment"
    label = "assessment"
    verbose_name = "考核与三讲三评"
    default_auto_field = "django.db.models.BigAutoField"
