"""Append-only, hash-chained audit trail of every change of state."""

from __future__ import annotations

from django.db import models


class Event(models.Model):
    """One change of state. ``hash`` = HMAC-SHA256 under the audit key (outside the database)
    over the previous hash and this event's canonical content, so editing or deleting any event
    breaks the chain after it. The database refuses UPDATE and DELETE (guard.py)."""

    seq = models.BigAutoField(primary_key=True)
    at = models.DateTimeField("时间")
    # PROTECT: SET_NULL would UPDATE events; users are disabled, never deleted
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("操作人", max_length=150)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    note = models.TextField("说明", blank=True, max_length=2000)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]
        verbose_name = "审计事件"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class ChainHead(models.Model):
    """A single row, locked while appending so that concurrent writers extend one chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head #{self.last_seq}"
