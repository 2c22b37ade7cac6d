"""调整轮换 (MGT.9.APPLY): the application, its steps and its attachments (MGT.9.DOCS)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Cause(models.TextChoices):
    HEALTH = "health", "身体原因"
    JOB_TRANSFER = "job_transfer", "工作调动"
    FAMILY_HARDSHIP = "family_hardship", "家庭困难"


class State(models.TextChoices):
    APPLIED = "applied", "个人已申请"
    SEALED = "sealed", "乡镇党委已签章"
    DECIDED = "decided", "派出单位已集体研究"
    FORM_FILLED = "form_filled", "已填审批表,待组织部门审查"
    GRANTED = "granted", "组织部门审查同意"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATES = ("applied", "sealed", "decided", "form_filled")


class RotationApplication(models.Model):
    posting = models.ForeignKey(
        "registry.Posting",
        on_delete=models.PROTECT,
        related_name="rotation_applications",
        verbose_name="现任职",
    )
    cadre = models.ForeignKey(
        "registry.Cadre", on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    cause = models.CharField("调整原因", max_length=16, choices=Cause.choices)
    statement = models.TextField("申请理由", max_length=2000)
    state = models.CharField("状态", max_length=16, choices=State.choices, db_index=True)
    # 乡镇党委签章
    township_opinion = models.TextField("乡镇党委意见", max_length=500, blank=True)
    sealed_by = models.CharField("乡镇签章经办人", max_length=32, blank=True)
    sealed_on = models.DateField("乡镇签章日期", null=True, blank=True)
    # 派出单位集体研究 (会议记录) and "一进一出"
    meeting_name = models.CharField("研究会议", max_length=100, blank=True)
    meeting_date = models.DateField("会议日期", null=True, blank=True)
    minutes_number = models.CharField("会议纪要号", max_length=50, blank=True)
    replacement = models.ForeignKey(
        "registry.Cadre",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="接替人员",
    )
    handover_date = models.DateField("交接日期", null=True, blank=True)
    replacement_planned_end = models.DateField("接替人员计划期满日期", null=True, blank=True)
    findings = models.JSONField("接替人员资格审查结果", default=list, blank=True)
    warning_reasons = models.JSONField("对提示事项的说明", default=dict, blank=True)
    # 审批表
    unit_opinion = models.TextField("派出单位党委(党组)意见", max_length=500, blank=True)
    form_handler = models.CharField("填表人", max_length=32, blank=True)
    form_date = models.DateField("填表日期", null=True, blank=True)
    # 组织部门审查
    review_opinion = models.TextField("组织部门审查意见", max_length=500, blank=True)
    reviewer_name = models.CharField("审查人", max_length=32, blank=True)
    reviewed_on = models.DateField("审查日期", null=True, blank=True)
    new_posting = models.OneToOneField(
        "registry.Posting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rotation_in",
        verbose_name="接替人员任职",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "调整轮换申请"
        constraints = [
            models.UniqueConstraint(
                fields=["posting"],
                condition=models.Q(state__in=OPEN_STATES),
                name="one_open_rotation_per_posting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} 调整轮换({self.get_state_display()})"


class RotationStep(models.Model):
    application = models.ForeignKey(
        RotationApplication, on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField("环节", max_length=16)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField("经办人", max_length=64)
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("意见", blank=True, max_length=2000)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state}→{self.to_state}"


class AttachmentKind(models.TextChoices):
    EVIDENCE = "evidence", "证明材料"
    MEDICAL_REPORT = "medical_report", "接替人员体检报告"
    COMMITMENT_LETTER = "commitment_letter", "接替人员承诺书"
    OTHER = "other", "其他材料"


class Attachment(models.Model):
    """A file kept outside the database (ZHUCUN_ATTACHMENTS_DIR), named by its sha256."""

    application = models.ForeignKey(
        RotationApplication, on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField("材料类别", max_length=20, choices=AttachmentKind.choices)
    original_name = models.CharField("原文件名", max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField("大小(字节)")
    content_type = models.CharField("文件类型", max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "调整轮换材料"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def stored_name(self) -> str:
        return self.sha256
