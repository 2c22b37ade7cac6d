"""Discipline records (MGT.10), talks (GUA.3.TALK), quarterly reviews (MGT.4.REVIEW) and
recalls (MGT.4.CAUSE, MGT.4.CONSEQ).

All of them are append-only facts: nothing here is deleted, and a signed review or a recorded
recall is never changed — a correction is a new row that points at the old one."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhucun.policy.review import (
    CONCLUSION_LABELS,
    OUTCOME_LABELS,
    PROHIBITION_LABELS,
    RECALL_CAUSE_LABELS,
)

TEXT_MAX = 2000

# the codes and Chinese labels are policy data (zhucun.policy.review), not written twice
PROHIBITION_CHOICES = list(PROHIBITION_LABELS.items())
OUTCOME_CHOICES = list(OUTCOME_LABELS.items())
RECALL_CAUSE_CHOICES = list(RECALL_CAUSE_LABELS.items())
CONCLUSION_CHOICES = list(CONCLUSION_LABELS.items())


class RecorderKind(models.TextChoices):
    """Who holds a talk or records a discipline matter (GUA.3.TALK, MGT.10)."""

    UNIT = "unit", "派出单位"
    TOWNSHIP = "township", "乡镇(街道)党(工)委"
    COUNTY = "county", "县(市)驻村工作领导协调机构"
    PREFECTURE = "prefecture", "州委组织部"


class DisciplineRecord(models.Model):
    """MGT.10: a breach of the 八必须、八严禁 or another breach, and how it was dealt with.
    A correction is a new record with ``supersedes`` set; the old one then no longer counts."""

    cadre = models.ForeignKey(
        "registry.Cadre",
        on_delete=models.PROTECT,
        related_name="discipline_records",
        verbose_name="干部",
    )
    occurred_on = models.DateField("发生日期")
    description = models.TextField("违纪违法事实", max_length=TEXT_MAX)
    found_by = models.CharField("发现人或发现途径", max_length=100)
    outcome = models.CharField("处理结果", max_length=16, choices=OUTCOME_CHOICES)
    prohibition = models.CharField("八严禁类别", max_length=16, choices=PROHIBITION_CHOICES)
    decided_on = models.DateField("处理日期", null=True, blank=True)
    recorder_kind = models.CharField("录入机构", max_length=16, choices=RecorderKind.choices)
    jurisdiction = models.ForeignKey(
        "registry.Jurisdiction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入机构所在辖区",
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name="更正的记录",
    )
    correction_reason = models.CharField("更正理由", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = "纪律处理记录"
        indexes = [models.Index(fields=["cadre", "occurred_on"], name="discipline_cadre_day")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.occurred_on} {self.outcome}"


class Talk(models.Model):
    """GUA.3.TALK: 谈心谈话 with a cadre — who talked, when, about what, what follows."""

    cadre = models.ForeignKey(
        "registry.Cadre", on_delete=models.PROTECT, related_name="talks", verbose_name="干部"
    )
    held_on = models.DateField("谈话日期")
    talker = models.CharField("谈话人(姓名、职务)", max_length=100)
    talker_kind = models.CharField("谈话机构", max_length=16, choices=RecorderKind.choices)
    topics = models.TextField("谈话内容", max_length=TEXT_MAX)
    follow_up = models.TextField("跟进事项", max_length=TEXT_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "谈心谈话记录"
        indexes = [models.Index(fields=["cadre", "held_on"], name="talk_cadre_day")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.held_on}"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "研判中"
    SIGNED = "signed", "已签发并报州"


class QuarterlyReview(models.Model):
    """MGT.4.REVIEW: a county's analysis of every posted cadre for one quarter. Signed, it is
    read-only and reported up to the prefecture."""

    county = models.ForeignKey(
        "registry.Jurisdiction", on_delete=models.PROTECT, related_name="+", verbose_name="县(市)"
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    state = models.CharField(
        "状态", max_length=8, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    meeting = models.CharField("研判会议(名称、日期)", max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("开始时间", auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField("签发时间(报州)", null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "county__code"]
        verbose_name = "季度分析研判"
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "quarter"], name="one_review_per_county_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.year}Q{self.quarter} {self.state}"


class ReviewEntry(models.Model):
    """One cadre's line of a review. ``facts`` and ``suggestions`` are frozen at signing (a
    draft shows them live); ``conclusion`` is the body's decision."""

    review = models.ForeignKey(QuarterlyReview, on_delete=models.PROTECT, related_name="entries")
    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    posting = models.ForeignKey("registry.Posting", on_delete=models.PROTECT, related_name="+")
    facts = models.JSONField("研判依据(签发时)", default=dict, blank=True)
    suggestions = models.JSONField("召回情形提示(签发时)", default=list, blank=True)
    conclusion = models.CharField("研判结论", max_length=10, choices=CONCLUSION_CHOICES, blank=True)
    note = models.CharField("研判意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("结论时间", null=True, blank=True)

    class Meta:
        ordering = ["review_id", "id"]
        verbose_name = "研判对象"
        constraints = [
            models.UniqueConstraint(fields=["review", "cadre"], name="one_entry_per_cadre")
        ]

    def __str__(self) -> str:
        return f"{self.review_id} {self.cadre_id} {self.conclusion}"


class ReviewCorrection(models.Model):
    """A later correction of a signed review's conclusion: a new, audited record."""

    entry = models.ForeignKey(ReviewEntry, on_delete=models.PROTECT, related_name="corrections")
    conclusion = models.CharField("更正后结论", max_length=10, choices=CONCLUSION_CHOICES)
    reason = models.CharField("更正理由", max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = "研判结论更正"

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.conclusion}"


class Recall(models.Model):
    """MGT.4.CAUSE / MGT.4.CONSEQ: 召回撤换 — the cause and its evidence, who decided and when.
    It ends the posting (``tenure.services.posting_close``, cause ``recall``), writes the ban
    into the cadre's file (``registry.CadreFileEntry``) and makes a replacement due."""

    cadre = models.ForeignKey(
        "registry.Cadre", on_delete=models.PROTECT, related_name="recalls", verbose_name="干部"
    )
    posting = models.OneToOneField(
        "registry.Posting", on_delete=models.PROTECT, related_name="recall", verbose_name="任职"
    )
    cause = models.CharField("召回情形", max_length=16, choices=RECALL_CAUSE_CHOICES)
    evidence = models.TextField("事实依据", max_length=TEXT_MAX)
    deciding_body = models.CharField("决定机构", max_length=100)
    decided_on = models.DateField("召回决定日期")
    reference = models.CharField("召回文号", max_length=100)
    review_entry = models.ForeignKey(
        ReviewEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所依据的季度研判",
    )
    ban_until = models.DateField("不得提拔使用和晋升职级至(含)")
    replacement_due = models.DateField("顶替人员选派期限")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = "召回撤换"

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.decided_on} {self.cause}"
