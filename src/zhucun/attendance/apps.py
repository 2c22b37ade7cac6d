from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "zhucun.attendance"
    verbose_name = "考勤管理"
