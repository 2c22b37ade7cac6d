from django.apps import AppConfig


class TenureConfig(AppConfig):
    name = "zhucun.tenure"
    verbose_name = "任期与轮换交接"

    def ready(self) -> None:
        # the roster carries 实际结束 / 结束原因 / 驻村结束补假 on every path (web and CLI)
        from zhucun.registry.exports import ROSTER_EXTRAS

        from .exports import ROSTER_EXTRA

        ROSTER_EXTRAS["tenure"] = ROSTER_EXTRA
