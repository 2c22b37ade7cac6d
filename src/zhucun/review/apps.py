from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhucun.review"
    label = "review"
    verbose_name = "研判召回与纪律"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the assessment draft's discipline and talk facts (zhucun.assessment.facts)
        from .assessment_facts import register_providers

        register_providers()
