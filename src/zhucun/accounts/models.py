"""Users bound to one role and one scope (see DESIGN.md, "Who uses it")."""

from __future__ import annotations

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

    class Meta:
        verbose_name = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """Bearer token for the JSON API. Only the SHA-256 of the token is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=64, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

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
