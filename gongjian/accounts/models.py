"""Users and their roles. A user belongs to one node of the organization tree."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from gongjian.core.fields import BlindIndexField, EncryptedCharField, EncryptedModel, EncryptedUserManager
from gongjian.orgs.personal_data import mask_phone


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市级管理员")
    COMMITTEE_ADMIN = "committee_admin", _("区县/工作党委管理员")
    UNIT_USER = "unit_user", _("结对单位用户")
    VILLAGE_USER = "village_user", _("村党组织用户")
    # 三员分立 (GB/T 22239-2019 level 3): system, security and audit administration are three
    # accounts' jobs, none of them a business role's, and one account holds one role.
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("审计管理员")


ADMIN_ROLES = frozenset({Role.CITY_ADMIN, Role.COMMITTEE_ADMIN})
# The three separated administrators.
THREE_ADMINS = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# Roles whose sign-in needs a second factor (every administrative role).
SECOND_FACTOR_ROLES = ADMIN_ROLES | THREE_ADMINS


class User(EncryptedModel, AbstractUser):
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("所属组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = EncryptedCharField(_("手机号码"), max_length=20, blank=True, kind="phone", mask=mask_phone)  # SM4
    phone_index = BlindIndexField(source="phone", db_index=True)
    # A new or reset account signs in with a password someone else chose: it must choose its own.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    objects: ClassVar[EncryptedUserManager] = EncryptedUserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        # One person, one identity (GB/T 22239 level 3, unique IDs): "Zhang" and "zhang" are
        # the same account name to the people who read the audit log, so the database says so too.
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    @property
    def is_admin(self) -> bool:
        """City or committee administrator of their subtree."""
        return self.role in ADMIN_ROLES

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""


class PasswordHistory(models.Model):
    """A password an account used (its hash), so that the last few cannot be chosen again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码哈希"), max_length=128)
    set_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.set_at:%Y-%m-%d}"


class UserSession(models.Model):
    """A signed-in session of an account, so that the number of concurrent sessions can be
    limited (the oldest ends when one too many begins)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.started_at:%Y-%m-%d %H:%M}"
