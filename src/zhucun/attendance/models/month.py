"""MGT.3: the month close per township, its rows, the team's monthly summary and interviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MonthClose(models.Model):
    """One township-month. ``version`` rises only when the computed rows change."""

    month = models.DateField("月份(首日)")
    township = models.ForeignKey(
        "registry.Jurisdiction", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=1)
    workdays = models.PositiveSmallIntegerField("当月工作日", default=0)
    closed_at = models.DateTimeField("结账时间")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopen_note = models.CharField("重新结账原因", max_length=300, blank=True)

    class Meta:
        ordering = ["-month", "township__code"]
        verbose_name = "月度考勤结账"
        constraints = [
            models.UniqueConstraint(fields=["month", "township"], name="one_close_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.township_id} {self.month:%Y-%m} v{self.version}"


class MonthlyAttendance(models.Model):
    """A cadre's month (written by the month close only). On PostgreSQL the table is
    partitioned by ``month`` (migration 0010; a month's partition is built by its first close,
    ``services.monthclose_fresh``). Indexes are the ones the pages use: (cadre, month) — the
    unique key, also a cadre's months —, (month, township, rank) — the rankings, also the
    township foreign key — and village (a team's month); no separate township or cadre index."""

    month = models.DateField("月份(首日)")
    township = models.ForeignKey(
        "registry.Jurisdiction", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey(
        "registry.Cadre",
        on_delete=models.PROTECT,
        related_name="monthly_attendance",
        db_index=False,
    )
    workdays = models.PositiveSmallIntegerField("应出勤天数")
    duty_workdays = models.PositiveSmallIntegerField("实际在岗天数")
    excused_workdays = models.PositiveSmallIntegerField("请假(有正常理由)天数", default=0)
    rate = models.DecimalField("出勤率", max_digits=6, decimal_places=4)
    rank = models.PositiveIntegerField("排名")
    bottom_rank = models.PositiveIntegerField("倒数名次")
    is_bottom = models.BooleanField("末位")
    tie = models.BooleanField("末位并列")
    boundary_tie = models.BooleanField("末位边界并列(超出人数)", default=False)
    needs_interview = models.BooleanField("需约谈")
    valid_reason = models.CharField("正常理由", max_length=100, blank=True)
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        ordering = ["month", "township_id", "rank", "cadre_id"]
        verbose_name = "月度出勤"
        constraints = [
            models.UniqueConstraint(fields=["cadre", "month"], name="one_row_per_cadre_month")
        ]
        indexes = [models.Index(fields=["month", "township", "rank"], name="monthly_rank")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.month:%Y-%m} {self.rate}"


class SummaryState(models.TextChoices):
    PREPARED = "prepared", "已汇总"
    SIGNED = "signed", "村党组织书记已签字"
    SUBMITTED = "submitted", "已报乡镇党委"


class MonthlySummary(models.Model):
    """MGT.3.SUMMARY: the FS's monthly on-duty summary of the team, built from the month
    close rows (``rows`` is the snapshot that was signed), signed by the village secretary."""

    month = models.DateField("月份(首日)")
    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        "状态", max_length=10, choices=SummaryState.choices, default=SummaryState.PREPARED
    )
    close_version = models.PositiveIntegerField("依据结账版本")
    rows = models.JSONField("在岗情况", default=list)
    note = models.TextField("说明", blank=True, max_length=2000)
    prepared_by = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField("汇总时间")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_at = models.DateTimeField("签字时间", null=True, blank=True)
    submitted_at = models.DateTimeField("上报时间", null=True, blank=True)

    class Meta:
        ordering = ["-month", "village_id"]
        verbose_name = "月度在岗情况汇总"
        constraints = [
            models.UniqueConstraint(fields=["month", "village"], name="one_summary_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.month:%Y-%m} {self.state}"


class Interview(models.Model):
    """MGT.3.TALK: the interview of a cadre below the month's working days without reason,
    by the township group leader and the unit's leader in charge."""

    month = models.DateField("月份(首日)")
    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    township_leader = models.CharField("乡镇党委负责同志", max_length=64)
    unit_leader = models.CharField("派出单位分管领导", max_length=64)
    held_on = models.DateField("约谈日期")
    record = models.TextField("约谈记录", max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "cadre_id", "id"]
        verbose_name = "约谈记录"

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.month:%Y-%m} {self.held_on}"
