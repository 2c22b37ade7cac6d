"""Values a jurisdiction sets for a policy parameter (e.g. the GAP of MGT.1.DAYS).

Append-only: a change is a new row with a later effective date; nothing is overwritten."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ParameterValue(models.Model):
    name = models.CharField("参数", max_length=64, db_index=True)
    jurisdiction = models.ForeignKey(
        "registry.Jurisdiction", on_delete=models.PROTECT, related_name="+", verbose_name="辖区"
    )
    effective = models.DateField("生效日期")
    value = models.JSONField("取值")
    note = models.CharField("依据/说明", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="设置人"
    )
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        ordering = ["name", "effective", "id"]
        verbose_name = "辖区参数取值"

    def __str__(self) -> str:
        return f"{self.name}={self.value} @ {self.jurisdiction_id} ({self.effective})"


class HolidayYear(models.Model):
    """A year whose holiday schedule an administrator entered (the package does not know it).

    With its entries the year becomes known to the working-day calendar; until then every
    deadline in it says "请录入YYYY年节假日安排" instead of guessing."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据(国务院办公厅通知文号)", max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = "节假日安排(年)"

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class HolidayEntry(models.Model):
    """One day that differs from the plain weekday/weekend rule: a holiday on a weekday
    (is_workday False) or an adjusted working weekend day (调休, is_workday True)."""

    year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="entries")
    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否上班")
    name = models.CharField("名称", max_length=32, blank=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_workday else '休息'} {self.name}"
