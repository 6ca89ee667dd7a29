"""Personal API tokens: a user's own credential for a mobile client (a WeChat or DingTalk
mini-program), with a name, an expiry and revocation. Only a hash of the token is stored;
the token itself is shown once, when it is created."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One token of one user; it acts with that user's role and scope, nothing more."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=64)
    # SHA-256 of the whole token (256 random bits: a slow hash adds nothing to that).
    key_hash = models.CharField(_("摘要"), max_length=64, unique=True)
    # The first characters, shown in the list so that the user can tell their tokens apart.
    prefix = models.CharField(_("前缀"), max_length=16)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_live")]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
