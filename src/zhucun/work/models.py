"""Meetings and tasks (MGT.2), key-task lists (DUT.LIST), village-group contacts and visits
(MGT.8.GROUPS, MGT.8.VISITS), households (DUT.2) and reports (MGT.6.*, GUA.1.BIND).

A fact is typed once: a meeting's decisions become its tasks; a visit names its households;
a report's draft is assembled from these and from attendance (never typed again)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhucun.attendance.models import DUTY_CODES
from zhucun.policy.work import PROGRESS_LABELS, REPORT_KIND_LABELS, TASK_STATE_LABELS

TEXT_MAX = 2000
DUTY_CHOICES = list(DUTY_CODES.items())
TASK_STATE_CHOICES = list(TASK_STATE_LABELS.items())
PROGRESS_CHOICES = list(PROGRESS_LABELS.items())
REPORT_KIND_CHOICES = list(REPORT_KIND_LABELS.items())


class Meeting(models.Model):
    """MGT.2: the team's weekly meeting (工作例会), called by the first secretary."""

    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("会议日期")
    week = models.DateField("所在周(周一)")
    attendees = models.ManyToManyField("registry.Cadre", related_name="+", verbose_name="参会人员")
    topics = models.TextField("议题", max_length=TEXT_MAX)
    decisions = models.TextField("议定事项", max_length=TEXT_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "工作例会"
        indexes = [models.Index(fields=["village", "week"], name="meeting_village_week")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.held_on}"


class KeyTaskList(models.Model):
    """DUT.LIST: a key-task list (重点任务清单) issued by a coordinating body to the villages
    of its area."""

    jurisdiction = models.ForeignKey(
        "registry.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="下达机构辖区",
    )
    title = models.CharField("清单名称", max_length=200)
    issued_on = models.DateField("下达日期")
    note = models.TextField("说明", max_length=TEXT_MAX, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = "重点任务清单"

    def __str__(self) -> str:
        return self.title


class KeyTaskItem(models.Model):
    list = models.ForeignKey(KeyTaskList, on_delete=models.PROTECT, related_name="items")
    title = models.CharField("任务", max_length=300)
    duty = models.CharField("职责任务类别", max_length=8, choices=DUTY_CHOICES)
    due = models.DateField("完成时限")

    class Meta:
        ordering = ["list_id", "due", "id"]
        verbose_name = "重点任务"

    def __str__(self) -> str:
        return self.title


class KeyTaskProgress(models.Model):
    """A village's progress on one key task (the latest state; each change is audited)."""

    item = models.ForeignKey(KeyTaskItem, on_delete=models.PROTECT, related_name="progress")
    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("进展", max_length=12, choices=PROGRESS_CHOICES)
    note = models.CharField("进展情况", max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField("报告时间", auto_now=True)

    class Meta:
        ordering = ["item_id", "village_id"]
        verbose_name = "重点任务进展"
        constraints = [
            models.UniqueConstraint(fields=["item", "village"], name="one_progress_per_village")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.village_id} {self.state}"


class Task(models.Model):
    """MGT.2 任务清单: a task of the team with its owner, due date and duty category; from a
    meeting's decisions or from a key task."""

    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    key_item = models.ForeignKey(
        KeyTaskItem, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    title = models.CharField("任务", max_length=300)
    owner = models.ForeignKey(
        "registry.Cadre", on_delete=models.PROTECT, related_name="+", verbose_name="责任人"
    )
    due = models.DateField("完成时限")
    duty = models.CharField("职责任务类别", max_length=8, choices=DUTY_CHOICES)
    state = models.CharField("状态", max_length=8, choices=TASK_STATE_CHOICES, default="open")
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_note = models.CharField("完成情况", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["state", "due", "id"]
        verbose_name = "任务"
        indexes = [models.Index(fields=["village", "state", "due"], name="task_village_due")]

    def __str__(self) -> str:
        return self.title


class GroupContact(models.Model):
    """MGT.8.GROUPS: the team member who contacts a village group (分片联系); the current one
    has no ``until``."""

    group = models.ForeignKey(
        "registry.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="村(居)民小组",
    )
    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    since = models.DateField("联系起始日期")
    until = models.DateField("联系结束日期", null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["group_id", "-since"]
        verbose_name = "分片联系"
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(until__isnull=True), name="one_current_contact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.cadre_id}"


class Household(models.Model):
    """A household visited (DUT.2), recorded minimally; the name is personal data (masked
    outside the roles that need it)."""

    group = models.ForeignKey(
        "registry.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="村(居)民小组",
    )
    head_name = models.CharField("户主姓名", max_length=32)
    risk_return_to_poverty = models.BooleanField("返贫致贫风险", default=False)
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group_id", "head_name", "id"]
        verbose_name = "走访农户"

    def __str__(self) -> str:
        return f"{self.group_id} {self.pk}"


class Visit(models.Model):
    """MGT.8.VISITS: a visit to a group and its households; a return-to-poverty risk found is
    flagged to the township until it acknowledges it with the follow-up."""

    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(
        "registry.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="村(居)民小组",
    )
    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField("走访日期")
    purposes = models.JSONField("走访事项", default=list)
    households = models.ManyToManyField(Household, related_name="visits", blank=True)
    findings = models.TextField("走访情况", max_length=TEXT_MAX, blank=True)
    risk_found = models.BooleanField("发现返贫致贫风险", default=False)
    follow_up = models.TextField("跟进措施", max_length=TEXT_MAX, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField("乡镇确认时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = "走访"
        indexes = [models.Index(fields=["village", "visited_on"], name="visit_village_day")]

    def __str__(self) -> str:
        return f"{self.group_id} {self.visited_on}"


class Report(models.Model):
    """MGT.6.* / GUA.1.BIND: a report of a period. ``draft`` is what the system assembled from
    the records when the author opened it (kept, so the reader sees what the author changed);
    ``body`` is what the author submits. An urgent report (MGT.6.URGENT) is submitted at once
    and stays at the top of the township's inbox until acknowledged."""

    kind = models.CharField("报告类别", max_length=12, choices=REPORT_KIND_CHOICES)
    period_start = models.DateField("报告期起")
    period_end = models.DateField("报告期止")
    due = models.DateField("报送截止日期", null=True, blank=True)
    village = models.ForeignKey(
        "registry.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    township = models.ForeignKey(
        "registry.Jurisdiction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "registry.DispatchingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # "village:12" / "township:5" / "unit:3": one report per kind, period and subject
    subject_key = models.CharField("报告主体", max_length=40)
    title = models.CharField("标题", max_length=200)
    draft = models.JSONField("系统汇总草稿", default=dict, blank=True)
    body = models.TextField("报告正文", max_length=20000, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "kind", "id"]
        verbose_name = "工作报告"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "subject_key"],
                condition=~Q(kind="urgent"),
                name="one_report_per_period",
            )
        ]
        indexes = [models.Index(fields=["kind", "period_start"], name="report_kind_period")]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_start} {self.subject_key}"
