"""How a posting ended (PostingClosure) and what the leaver handed over (HandoverRecord)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

TEXT_MAX = 2000


class Cause(models.TextChoices):
    TERM = "term", "任期届满"
    ROTATION = "rotation", "轮换调整(申请已批准)"
    RECALL = "recall", "召回撤换"


class PostingClosure(models.Model):
    """The one record of a posting's end, written by ``services.posting_close``."""

    posting = models.OneToOneField(
        "registry.Posting", on_delete=models.PROTECT, related_name="closure", verbose_name="任职"
    )
    cause = models.CharField("结束原因", max_length=10, choices=Cause.choices)
    end_date = models.DateField("结束日期")
    regular_end = models.DateField("正常期满日期")
    reference = models.CharField("批准依据(申请编号或召回文号)", max_length=100, blank=True)
    # MGT.9.HANDOVER exception: why the leaver goes before the replacement arrives.
    gap_reason = models.CharField("交接空档例外理由", max_length=300, blank=True)
    note = models.CharField("说明", max_length=2000, blank=True)
    # GUA.3.LEAVE15: the leave granted on a term end (attendance LeaveRequest, kind after_term).
    leave = models.OneToOneField(
        "attendance.LeaveRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="驻村结束补假",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-end_date", "id"]
        verbose_name = "任职结束记录"

    def __str__(self) -> str:
        return f"{self.posting_id} {self.cause} {self.end_date}"


class HandoverRecord(models.Model):
    """交接清单 (MGT.9.HANDOVER): what the leaver hands to the successor."""

    posting = models.OneToOneField(
        "registry.Posting",
        on_delete=models.PROTECT,
        related_name="handover",
        verbose_name="移交人任职",
    )
    successor = models.ForeignKey(
        "registry.Posting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="接替人任职",
    )
    handover_date = models.DateField("交接日期")
    ongoing_tasks = models.TextField("在办工作事项", max_length=TEXT_MAX, blank=True)
    households = models.TextField("联系走访农户情况", max_length=TEXT_MAX, blank=True)
    documents = models.TextField("移交文件资料", max_length=TEXT_MAX, blank=True)
    funds = models.TextField("经手资金、物资情况", max_length=TEXT_MAX, blank=True)
    receiver_name = models.CharField("接收人签名", max_length=50, blank=True)
    received_on = models.DateField("接收日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-handover_date", "id"]
        verbose_name = "交接清单"

    def __str__(self) -> str:
        return f"交接清单 {self.posting_id}"
