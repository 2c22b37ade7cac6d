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
