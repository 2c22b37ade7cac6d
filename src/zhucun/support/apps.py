from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "zhucun.support"
    label = "support"
    verbose_name = "培训与保障"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the assessment draft's "参加培训天数" (zhucun.assessment.facts; MGT.7.DAYS)
        from .training_facts import register_providers

        register_providers()
