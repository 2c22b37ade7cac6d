"""MGT.1.LEAVE / MGT.1.REST: leave requests (rotation rest is a kind of leave) and the
special periods in which rotation rest is not allowed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhucun.policy.leave import LEAVE_KINDS, counts_as_duty


class LeaveKind(models.TextChoices):
    PERSONAL = "personal", "事假"
    SICK = "sick", "病假"
    BUSINESS_TRIP = "business_trip", "因公出差"
    TRAINING = "training", "培训"
    MEETING = "meeting", "会议"
    ROTATION_REST = "rotation_rest", "轮休"
    # GUA.3.LEAVE15: granted (approved) by zhucun.tenure when a posting ends by term; never
    # filed through leave_request_create, never counted in a posting's attendance (it lies
    # after the posting's end).
    AFTER_TERM = "after_term", "驻村结束补假"


# Away but on duty (MGT.1.DAYS 含因公出差), as policy.counts_as_duty says.
DUTY_KINDS = tuple(k for k in LEAVE_KINDS if counts_as_duty(k))
# Away with a valid reason (MGT.3.TALK 正常理由): every approved leave that is not on duty.
EXCUSED_KINDS = tuple(k for k in LEAVE_KINDS if not counts_as_duty(k))


class LeaveState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"
    RETURNED = "returned", "已销假"
    CANCELLED = "cancelled", "已撤回"


# States whose days are taken (approved leave, or leave closed by 销假 up to actual_end).
TAKEN_STATES = (LeaveState.APPROVED, LeaveState.RETURNED)
# States that block an overlapping new request.
LIVE_STATES = (LeaveState.PENDING, LeaveState.APPROVED, LeaveState.RETURNED)


class ApproverLevel(models.TextChoices):
    TOWNSHIP = "township", "乡镇(街道)党(工)委"
    FIRST_SECRETARY = "first_secretary", "第一书记"


class LeaveRequest(models.Model):
    cadre = models.ForeignKey(
        "registry.Cadre", on_delete=models.PROTECT, related_name="leave_requests"
    )
    posting = models.ForeignKey("registry.Posting", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=16, choices=LeaveKind.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    reason = models.CharField("事由", max_length=300)
    state = models.CharField(
        "状态", max_length=10, choices=LeaveState.choices, default=LeaveState.PENDING
    )
    approver_level = models.CharField("审批层级", max_length=16, choices=ApproverLevel.choices)
    findings = models.JSONField("提示事项", default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    override_reason = models.CharField("乡镇党委说明理由", max_length=300, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_on = models.DateField("返岗日期(销假)", null=True, blank=True)
    actual_end = models.DateField("实际最后休假日", null=True, blank=True)

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = "请假"
        indexes = [
            models.Index(fields=["cadre", "start"], name="leave_cadre_start"),
            models.Index(fields=["village", "state", "start"], name="leave_village_state"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.kind} {self.start}–{self.end}"

    @property
    def effective_end(self):  # type: ignore[no-untyped-def]
        """The last day actually away (the planned end, or the day before 销假)."""
        return self.actual_end if self.actual_end is not None else self.end


class SpecialPeriod(models.Model):
    """A period a county or prefecture declares special (MGT.1.REST 非特殊时期)."""

    jurisdiction = models.ForeignKey(
        "registry.Jurisdiction", on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    reason = models.CharField("事由", max_length=200)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "id"]
        verbose_name = "特殊时期"

    def __str__(self) -> str:
        return f"{self.reason} {self.start}–{self.end}"
