from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "zhucun.attendance"
    verbose_name = "考勤管理"

    def ready(self) -> None:
        # check-ins from another app (MGT.1.CHECKIN) are an import kind of the registry's
        # engine: a registration, since the registry may not import attendance
        from .imports import register

        register()
