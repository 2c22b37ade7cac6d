"""MGT.1.CHECKIN / MGT.1.LIVE / MGT.1.FRAUD: the daily geofenced check-in and what follows it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CheckInStatus(models.TextChoices):
    OK = "ok", "正常"
    OFF_FENCE = "off_fence", "超出签到范围"
    LOW_ACCURACY = "low_accuracy", "定位精度不足"
    NO_POSITION = "no_position", "无法定位"
    LATE = "late", "超时补传"
    NO_POINT = "no_point", "本村未设签到点"


class CheckIn(models.Model):
    """One tap of the check-in button, as received (append-only).

    ``lat``/``lng`` are what the phone reported (WGS-84; a check-in imported from another
    app is stored converted to WGS-84 from the datum of its sheet, ``source`` naming the app). ``day`` is the check-in's day
    (policy ``checkin_day``). ``counts`` is derived: the judgement's verdict until the
    township reviews it, then the latest review's decision. Several check-ins of one day may
    count; the month close counts DISTINCT days."""

    # no single-column indexes on the keys: every index below starts with one of them (one
    # index less to write per check-in; the check-in writer's hot path, issue 17)
    cadre = models.ForeignKey(
        "registry.Cadre",
        on_delete=models.PROTECT,
        related_name="checkins",
        verbose_name="干部",
        db_index=False,
    )
    village = models.ForeignKey(
        "registry.Village",
        on_delete=models.PROTECT,
        related_name="checkins",
        verbose_name="驻村",
        db_index=False,
    )
    client_key = models.UUIDField("客户端标识")
    day = models.DateField("签到日")
    device_time = models.DateTimeField("设备时间")
    received_at = models.DateTimeField("接收时间")
    lat = models.DecimalField("纬度(WGS-84)", max_digits=9, decimal_places=6, null=True)
    lng = models.DecimalField("经度(WGS-84)", max_digits=9, decimal_places=6, null=True)
    accuracy_m = models.FloatField("定位精度(米)", null=True)
    distance_m = models.FloatField("距签到点(米)", null=True)
    status = models.CharField("判定", max_length=16, choices=CheckInStatus.choices)
    counts = models.BooleanField("计入在岗", default=False)
    device_id = models.CharField("设备标识", max_length=128, blank=True)
    no_position_reason = models.CharField("无法定位原因", max_length=200, blank=True)
    findings = models.JSONField("判定说明", default=list, blank=True)
    # MGT.1.CHECKIN: "" for this system's own check-ins (phone, page, API); else the name of
    # the other app (云岭先锋…) whose record was imported — judged the same way. A database
    # default, so the column costs no table rewrite and bulk loaders need not name it.
    source = models.CharField("来源", max_length=32, blank=True, default="", db_default="")
    address = models.CharField("签到地址", max_length=200, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-day", "-device_time", "id"]
        verbose_name = "签到"
        constraints = [
            # On PostgreSQL the table is range-partitioned by ``day`` (attendance.partitions), and
            # a partitioned table's unique keys must hold the partition key. The check-in service
            # makes (cadre, client_key) unique on its own, under a per-cadre lock.
            models.UniqueConstraint(
                fields=["cadre", "client_key", "day"], name="checkin_idempotency_key"
            )
        ]
        indexes = [
            models.Index(fields=["day", "cadre"], name="checkin_day_cadre"),
            models.Index(fields=["village", "day"], name="checkin_village_day"),
            models.Index(fields=["cadre", "device_time"], name="checkin_cadre_time"),
            models.Index(fields=["device_id"], name="checkin_device"),
            # MGT.1.FRAUD: how often a cadre already checked in at exactly these coordinates
            # is a probe of this index (not a read of the cadre's whole history)
            models.Index(fields=["cadre", "lat", "lng"], name="checkin_cadre_spot"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.day} {self.status}"


class CheckInKey(models.Model):
    """(cadre, client_key) → the check-in stored for it: the database's own guarantee that a
    phone's check-in is stored once (the check-in table's unique keys must include the month
    partition's ``day``; this small unpartitioned table's need not), and the index a resend
    is looked up in. Written with every check-in; bulk loaders call
    ``attendance.services.checkin_keys_fill``."""

    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    client_key = models.UUIDField("客户端标识")
    checkin = models.ForeignKey(
        CheckIn, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    day = models.DateField("签到日")

    class Meta:
        verbose_name = "签到去重键"
        constraints = [
            models.UniqueConstraint(fields=["cadre", "client_key"], name="checkin_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.client_key}"


class ReviewDecision(models.TextChoices):
    ACCEPT = "accept", "认可(计入在岗)"
    REJECT = "reject", "不认可(不计入)"


class CheckInReview(models.Model):
    """A township's decision on a check-in (append-only; the latest one rules)."""

    # No database FK: the partitioned check-in table has no unique key on ``id`` alone.
    checkin = models.ForeignKey(
        CheckIn, on_delete=models.PROTECT, related_name="reviews", db_constraint=False
    )
    decision = models.CharField("决定", max_length=8, choices=ReviewDecision.choices)
    reason = models.CharField("理由", max_length=300)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("决定时间", auto_now_add=True)

    class Meta:
        ordering = ["checkin_id", "decided_at", "id"]
        verbose_name = "签到核查"

    def __str__(self) -> str:
        return f"{self.checkin_id} {self.decision}"


class FraudSignal(models.Model):
    """A suspicion about a check-in (MGT.1.FRAUD), listed for the township and the FS.

    Signals never change or delete the check-in; resolving one records who looked at it."""

    cadre = models.ForeignKey(
        "registry.Cadre", on_delete=models.PROTECT, related_name="fraud_signals"
    )
    village = models.ForeignKey("registry.Village", on_delete=models.PROTECT, related_name="+")
    # No database FK: the partitioned check-in table has no unique key on ``id`` alone.
    checkin = models.ForeignKey(
        CheckIn, on_delete=models.PROTECT, related_name="signals", db_constraint=False
    )
    clause = models.CharField("条款", max_length=32, default="MGT.1.FRAUD")
    kind = models.CharField("类别", max_length=32)
    severity = models.CharField("严重程度", max_length=8, default="warning")
    message = models.CharField("说明", max_length=300)
    data = models.JSONField("依据数据", default=dict, blank=True)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolution_note = models.CharField("处理意见", max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = "异常签到提示"
        indexes = [models.Index(fields=["village", "resolved_at"], name="fraud_village_open")]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.kind}"
