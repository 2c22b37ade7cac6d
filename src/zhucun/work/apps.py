from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "zhucun.work"
    label = "work"
    verbose_name = "驻村工作"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the assessment draft's "工作报告情况" (zhucun.assessment.facts; MGT.6.MONTHLY)
        from .report_facts import register_providers

        register_providers()
