"""Nominations (SEL.METHOD.FLOW), composition exceptions (SEL.SCOPE.ADJUST)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhucun.registry.models import Role


class NominationState(models.TextChoices):
    APPLIED = "applied", "个人报名"
    RECOMMENDED = "recommended", "组织推荐"
    PROPOSED = "proposed", "单位组织人事部门已提出人选"
    FILED = "filed", "驻村工作领导协调机构已审核备案"
    DECIDED = "decided", "单位党委(党组)已研究确定"
    POSTED = "posted", "已派驻到村"
    REJECTED = "rejected", "未通过"
    WITHDRAWN = "withdrawn", "已撤回"


class NominationSource(models.TextChoices):
    APPLICATION = "application", "个人报名"
    RECOMMENDATION = "recommendation", "组织推荐"


class Nomination(models.Model):
    cadre = models.ForeignKey(
        "registry.Cadre", on_delete=models.PROTECT, related_name="nominations", verbose_name="人选"
    )
    unit = models.ForeignKey(
        "registry.DispatchingUnit",
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name="派出单位",
    )
    role = models.CharField("拟任驻村职务", max_length=20, choices=Role.choices)
    village = models.ForeignKey(
        "registry.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name="拟派驻村",
    )
    source = models.CharField("产生方式", max_length=16, choices=NominationSource.choices)
    state = models.CharField("状态", max_length=16, choices=NominationState.choices, db_index=True)
    dispatch_date = models.DateField("拟派出日期")
    # SEL.COND.BASIC / SEL.COND.NO1: judgements, attested by a named person at proposal
    basic_attested = models.BooleanField("基本条件已审查(SEL.COND.BASIC)", default=False)
    no1_attested = models.BooleanField("非“素质不高、能力不强”(SEL.COND.NO1)", default=False)
    attested_by = models.CharField("审查人", max_length=32, blank=True)
    # SEL.METHOD.FIVE: five checkpoints at review
    checkpoints = models.JSONField("五关审查", default=dict, blank=True)
    reviewer_name = models.CharField("审核人", max_length=32, blank=True)
    findings = models.JSONField("最近一次资格审查结果", default=list, blank=True)
    warning_reasons = models.JSONField("对提示事项的说明", default=dict, blank=True)
    posting = models.OneToOneField(
        "registry.Posting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nomination",
        verbose_name="任职",
    )
    note = models.TextField("备注", blank=True, max_length=2000)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "选派提名"
        constraints = [
            models.UniqueConstraint(
                fields=["cadre"],
                condition=models.Q(
                    state__in=["applied", "recommended", "proposed", "filed", "decided"]
                ),
                name="one_open_nomination_per_cadre",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} → {self.get_role_display()}({self.get_state_display()})"


class NominationStep(models.Model):
    """Each step of the workflow, by whom, with the reason given for any warning."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField("环节", max_length=16)
    from_state = models.CharField(max_length=16)
    to_state = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField("经办人", max_length=64)
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("意见", blank=True, max_length=2000)
    findings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_state}→{self.to_state}"


class CompositionException(models.Model):
    """SEL.SCOPE.ADJUST: a recorded, reasoned exception to the composition rule for a village."""

    village = models.ForeignKey(
        "registry.Village", on_delete=models.PROTECT, related_name="composition_exceptions"
    )
    reason = models.TextField("调整理由(疫情防控、边境管控、基层治理、强边固防等)", max_length=500)
    # The composition it allows (settled reading of SEL.SCOPE.ADJUST); None: the rule holds.
    max_team_size = models.PositiveSmallIntegerField("允许全队最多人数", null=True, blank=True)
    min_first_secretaries = models.PositiveSmallIntegerField(
        "允许第一书记最少人数", null=True, blank=True
    )
    min_team_members = models.PositiveSmallIntegerField(
        "允许工作队员最少人数", null=True, blank=True
    )
    decided_by = models.CharField("决定机关(会议)", max_length=100, blank=True)
    valid_from = models.DateField("生效日期")
    valid_until = models.DateField("截止日期", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["village_id", "-valid_from"]
        verbose_name = "选派调整(例外)"

    def __str__(self) -> str:
        return f"{self.village}: {self.reason[:20]}"
