"""Users bound to one role and one scope (see DESIGN.md, "Who uses it")."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models


class UserRole(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    PREFECTURE = "prefecture", "州委组织部/州驻村办"
    COUNTY = "county", "县(市)委组织部/县驻村办"
    TOWNSHIP = "township", "乡镇(街道)党(工)委"
    UNIT = "unit", "派出单位"
    FIRST_SECRETARY = "first_secretary", "第一书记"
    TEAM_MEMBER = "team_member", "工作队员"
    VILLAGE_SECRETARY = "village_secretary", "村党组织书记"


JURISDICTION_ROLES = (UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP)
CADRE_ROLES = (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER)


class User(AbstractUser):
    """The scope field that matters depends on the role:

    prefecture / county / township → ``jurisdiction``; unit → ``unit``;
    first secretary / team member → ``cadre`` (their active posting); village secretary →
    ``village``; admin → everything.
    """

    role = models.CharField("角色", max_length=20, choices=UserRole.choices)
    display_name = models.CharField("姓名/机构", max_length=64, blank=True)
    jurisdiction = models.ForeignKey(
        "registry.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="管辖区域",
    )
    unit = models.ForeignKey(
        "registry.DispatchingUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="派出单位",
    )
    cadre = models.OneToOneField(
        "registry.Cadre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
        verbose_name="干部",
    )
    village = models.ForeignKey(
        "registry.Village",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="村(社区)",
    )

    # set when an administrator creates the account or resets its password: the holder must
    # choose their own password before any other page (accounts.middleware)
    must_change_password = models.BooleanField("须修改密码", default=False)

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self, now: dt.datetime) -> ApiTokenQuerySet:
        """Tokens that authenticate at ``now``: not revoked, not expired, user active. The one
        filter of both the django-ninja auth (api/auth.py) and the lean check-in path."""
        return self.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now),
            revoked_at__isnull=True,
            user__is_active=True,
        )


class ApiToken(models.Model):
    """Bearer token for the JSON API. Only the SHA-256 of the token is stored. A token expires
    (``expires_at``, from ZHUCUN_API_TOKEN_DAYS) and may be revoked (``revoked_at``); the row
    stays for the record."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=64, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "zc_" + secrets.token_urlsafe(32)


class LoginFailure(models.Model):
    """Failed logins counted per account (``kind`` "user", key the submitted username) and per
    client address (``kind`` "addr"). ``failures`` counts within the window that began at
    ``window_start``; at the threshold ``locked_until`` is set and even the right password is
    refused until then (accounts.throttle)."""

    class Kind(models.TextChoices):
        USER = "user", "账号"
        ADDRESS = "addr", "地址"

    kind = models.CharField(max_length=4, choices=Kind.choices)
    key = models.CharField(max_length=150)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="login_failure_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} ×{self.failures}"
