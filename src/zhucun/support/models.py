"""Training (MGT.7), funds (GUA.2.FS_FUND / VILLAGE_FUND / UNIT_FUND), subsidies and their
payment (GUA.2.LIVING / TRAVEL / PAY), physical exams (GUA.2.EXAM) and accident insurance
(GUA.2.INSURE). Amounts are exact decimals in yuan; entitlements are computed from the
registry, attendance and the parameters, never stored as typed figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models

TEXT_MAX = 2000
MONEY = {"max_digits": 12, "decimal_places": 2}


class OrganiserLevel(models.TextChoices):
    PREFECTURE = "prefecture", "州级"
    COUNTY = "county", "县级"


class TrainingEvent(models.Model):
    """MGT.7.ANNUAL: a concentrated training organised by the prefecture or a county."""

    organiser = models.ForeignKey(
        "registry.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="主办机构辖区",
    )
    level = models.CharField("主办层级", max_length=12, choices=OrganiserLevel.choices)
    title = models.CharField("培训名称", max_length=200)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    days = models.DecimalField("集中培训天数", max_digits=4, decimal_places=1)
    content = models.TextField("培训内容", max_length=TEXT_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = "集中培训"

    def __str__(self) -> str:
        return self.title


class TrainingAttendance(models.Model):
    """A cadre's attendance at a training; the days away from the village count as on duty
    through the attendance app's training leave (``leave``), created with it — never typed
    twice."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="attendance")
    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    leave = models.OneToOneField(
        "attendance.LeaveRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="培训在岗记录",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event_id", "cadre_id"]
        verbose_name = "培训参训"
        constraints = [
            models.UniqueConstraint(fields=["event", "cadre"], name="one_attendance_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.cadre_id}"


class FundKind(models.TextChoices):
    FS = "fs", "第一书记工作经费(省级)"
    VILLAGE = "village", "村(社区)工作经费(州级)"
    UNIT = "unit", "派出单位工作经费"


class FundRecord(models.Model):
    """An allocation or a spending recorded against an entitlement of ``year`` (the
    entitlement itself is computed): for a first secretary's or a unit's cadre fund the
    cadre, for a village fund the village."""

    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("经费类别", max_length=8, choices=FundKind.choices)
    cadre = models.ForeignKey(
        "registry.Cadre", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    village = models.ForeignKey(
        "registry.Village", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    allocated = models.DecimalField("拨付金额", default=0, **MONEY)
    spent = models.DecimalField("支出金额", default=0, **MONEY)
    on = models.DateField("日期")
    note = models.CharField("说明(文号、用途)", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind", "id"]
        verbose_name = "经费拨付与支出"
        indexes = [models.Index(fields=["year", "kind"], name="fund_year_kind")]

    def __str__(self) -> str:
        return f"{self.year} {self.kind} {self.allocated}/{self.spent}"


class PostingDistance(models.Model):
    """GUA.2.TRAVEL: the one-way distance from the unit (or the actual workplace of a cadre
    sent from elsewhere) to the village, entered once per posting with its source."""

    posting = models.OneToOneField(
        "registry.Posting", on_delete=models.PROTECT, related_name="distance"
    )
    one_way_km = models.DecimalField("单程公里数", max_digits=7, decimal_places=1)
    origin = models.CharField("起点(派出单位或实际工作地)", max_length=200)
    source = models.CharField("里程依据", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "驻村往返里程"

    def __str__(self) -> str:
        return f"{self.posting_id} {self.one_way_km}km"


class SubsidyKind(models.TextChoices):
    LIVING = "living", "生活补助"
    COMMUNICATION = "communication", "通信补贴"
    TRANSPORT = "transport", "交通费补助"


class SubsidyPayment(models.Model):
    """GUA.2.PAY: what was paid to a cadre for a month and kind, and when (the ledger)."""

    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("补助月份(首日)")
    kind = models.CharField("补助类别", max_length=16, choices=SubsidyKind.choices)
    amount = models.DecimalField("发放金额", **MONEY)
    paid_on = models.DateField("发放日期")
    reference = models.CharField("凭证号", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "cadre_id", "kind"]
        verbose_name = "补助发放记录"
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "month", "kind"], name="one_payment_per_month_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.month:%Y-%m} {self.kind} {self.amount}"


class PhysicalExam(models.Model):
    """GUA.2.EXAM: the yearly physical exam the unit arranges (the report may serve as the
    medical report of a rotation application, MGT.9.DOCS)."""

    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    exam_on = models.DateField("体检日期")
    place = models.CharField("体检机构", max_length=100)
    conclusion = models.CharField("体检结论", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "cadre_id"]
        verbose_name = "体检记录"
        constraints = [models.UniqueConstraint(fields=["cadre", "year"], name="one_exam_per_year")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.year}"


class Insurance(models.Model):
    """GUA.2.INSURE: an accident insurance policy; the postings' days must all be covered."""

    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    policy_number = models.CharField("保单号", max_length=64)
    insurer = models.CharField("保险公司", max_length=100)
    start = models.DateField("保险起期")
    end = models.DateField("保险止期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cadre_id", "start"]
        verbose_name = "人身意外伤害保险"

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.policy_number}"
