from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "zhucun.work"
    label = "work"
    verbose_name = "驻村工作"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # the assessment draft's "工作报告情况" (zhucun.assessment.facts; MGT.6.MONTHLY)
        from . import report_facts, work_facts

        report_facts.register_providers()
        work_facts.register_providers()  # 参加会议情况 (MGT.2), 走访农户情况 (MGT.8.VISITS)
