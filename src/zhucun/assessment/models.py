"""三讲三评 (MGT.8.SJSP) events, votes and rectifications; annual and end-of-term assessments
(MGT.5.ANNUAL, MGT.5.INPUT, MGT.5.GRADE) with the opinions heard; the feedback to the units
(MGT.5.FEEDBACK). A finalised assessment is never changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhucun.policy.assessment import GRADE_LABELS, KIND_LABELS, VOTER_GROUP_LABELS

TEXT_MAX = 2000

# codes and Chinese labels are policy data (zhucun.policy.assessment), not written twice
VOTER_GROUP_CHOICES = list(VOTER_GROUP_LABELS.items())
GRADE_CHOICES = list(GRADE_LABELS.items())
KIND_CHOICES = list(KIND_LABELS.items())


class SjspEvent(models.Model):
    """MGT.8.SJSP: one quarter's 三讲三评 in one village (讲: the team, the village cadres and
    the villagers speak; 评: they evaluate each cadre of the team)."""

    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    held_on = models.DateField("活动日期")
    summary = models.TextField("三讲情况(讲帮扶措施、讲履职情况、讲发展变化)", max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "-quarter", "village_id"]
        verbose_name = "三讲三评活动"
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "quarter"], name="one_sjsp_per_village_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year}Q{self.quarter}"


class SjspTally(models.Model):
    """The votes of one voter group for one cadre at one event (paper ballots, counted)."""

    event = models.ForeignKey(SjspEvent, on_delete=models.PROTECT, related_name="tallies")
    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    group = models.CharField("评价人类别", max_length=16, choices=VOTER_GROUP_CHOICES)
    good = models.PositiveIntegerField("好")
    fairly_good = models.PositiveIntegerField("较好")
    average = models.PositiveIntegerField("一般")
    poor = models.PositiveIntegerField("差")

    class Meta:
        ordering = ["event_id", "cadre_id", "group"]
        verbose_name = "三讲三评票数"
        constraints = [
            models.UniqueConstraint(fields=["event", "cadre", "group"], name="one_tally_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.cadre_id} {self.group}"


class Rectification(models.Model):
    """MGT.8.SJSP: a cadre below the satisfaction threshold rectifies by a plan with a due
    date; listed until closed."""

    event = models.ForeignKey(SjspEvent, on_delete=models.PROTECT, related_name="rectifications")
    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    satisfaction = models.CharField("满意度(分数)", max_length=32)
    threshold = models.CharField("标准(分数)", max_length=32)
    plan = models.TextField("整改措施", max_length=TEXT_MAX, blank=True)
    due = models.DateField("整改期限", null=True, blank=True)
    closed_on = models.DateField("整改完成日期", null=True, blank=True)
    closing_note = models.CharField("整改情况", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["closed_on", "due", "id"]
        verbose_name = "三讲三评整改"
        constraints = [
            models.UniqueConstraint(fields=["event", "cadre"], name="one_rectification_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.cadre_id}"


class AssessmentState(models.TextChoices):
    DRAFT = "draft", "考核中"
    FINAL = "final", "已确定等次"


class Assessment(models.Model):
    """MGT.5.ANNUAL: a cadre's annual (year) or end-of-term assessment, led by the county's
    organisation department. ``facts`` are frozen at finalising (a draft shows them live)."""

    cadre = models.ForeignKey(
        "registry.Cadre", on_delete=models.PROTECT, related_name="assessments"
    )
    posting = models.ForeignKey("registry.Posting", on_delete=models.PROTECT, related_name="+")
    county = models.ForeignKey("registry.Jurisdiction", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("考核类别", max_length=10, choices=KIND_CHOICES)
    year = models.PositiveSmallIntegerField("年度")
    period_start = models.DateField("考核期起")
    period_end = models.DateField("考核期止")
    state = models.CharField(
        "状态", max_length=8, choices=AssessmentState.choices, default=AssessmentState.DRAFT
    )
    facts = models.JSONField("考核依据(确定等次时)", default=dict, blank=True)
    appraisal = models.TextField("考核评语", max_length=TEXT_MAX, blank=True)
    grade = models.CharField("考核等次", max_length=20, choices=GRADE_CHOICES, blank=True)
    # MGT.5.GRADE: a 优秀 beyond the resident cadres' quota needs a recorded decision
    quota_decision = models.CharField("超出优秀名额的研究决定", max_length=300, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finalised_at = models.DateTimeField("确定等次时间", null=True, blank=True)
    # MGT.5.FEEDBACK: the unit has received the result (its inbox)
    unit_received_at = models.DateTimeField("派出单位签收时间", null=True, blank=True)

    class Meta:
        ordering = ["-year", "county_id", "cadre_id"]
        verbose_name = "驻村干部考核"
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "kind", "year"], name="one_assessment_per_cadre_kind_year"
            )
        ]
        indexes = [models.Index(fields=["county", "year", "state"], name="assessment_county")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.kind} {self.year} {self.grade}"


class AssessmentOpinion(models.Model):
    """MGT.5.INPUT: an opinion heard from village cadres, party members or villagers."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="opinions")
    group = models.CharField("意见来源", max_length=16, choices=VOTER_GROUP_CHOICES)
    source = models.CharField("听取方式(座谈、走访、个别谈话及人数)", max_length=200)
    text = models.TextField("意见", max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "group", "id"]
        verbose_name = "考核听取意见"

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.group}"
