"""One notice for one user. A notice is the delivery of a decision that is itself audited;
reading it changes nothing but the reader's own view (``read_at``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notice(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("类别", max_length=40)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", max_length=2000, blank=True)
    url = models.CharField("办理页面", max_length=300, blank=True)
    clause = models.CharField("条款", max_length=40, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notice_user_unread"),
            models.Index(fields=["user", "-created_at"], name="notice_user_recent"),
        ]

    def __str__(self) -> str:
        return self.title
