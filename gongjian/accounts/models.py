"""Users and their roles. A user belongs to one node of the organization tree."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市级管理员")
    COMMITTEE_ADMIN = "committee_admin", _("区县/工作党委管理员")
    UNIT_USER = "unit_user", _("结对单位用户")
    VILLAGE_USER = "village_user", _("村党组织用户")
    AUDITOR = "auditor", _("审计员")


ADMIN_ROLES = frozenset({Role.CITY_ADMIN, Role.COMMITTEE_ADMIN})


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def is_admin(self) -> bool:
        """City or committee administrator of their subtree."""
        return self.role in ADMIN_ROLES

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""
