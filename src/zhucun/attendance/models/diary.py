"""MGT.1.DIARY: one work-diary entry per on-duty day, tagged with the duties DUT.1–DUT.5."""

from __future__ import annotations

from django.conf import settings
from django.db import models

DUTY_CODES = {
    "DUT.1": "建强基层党组织",
    "DUT.2": "巩固脱贫成果",
    "DUT.3": "推进强村富民",
    "DUT.4": "提升治理水平",
    "DUT.5": "强化为民服务",
}


class DiaryEntry(models.Model):
    cadre = models.ForeignKey(
        "registry.Cadre", on_delete=models.PROTECT, related_name="diary_entries"
    )
    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    day = models.DateField("日期")
    duties = models.JSONField("职责任务", default=list, blank=True)
    text = models.TextField("工作内容", max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-day", "id"]
        verbose_name = "工作日志"
        constraints = [
            models.UniqueConstraint(fields=["cadre", "day"], name="one_diary_entry_per_day")
        ]
        indexes = [models.Index(fields=["village", "day"], name="diary_village_day")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.day}"


class DiaryPhoto(models.Model):
    entry = models.ForeignKey(DiaryEntry, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField("照片", upload_to="diary/%Y/%m/")
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = "日志照片"

    def __str__(self) -> str:
        return self.file.name
