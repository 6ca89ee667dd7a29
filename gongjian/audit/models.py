"""The append-only audit log: every write and every full view of personal data."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.audit import chain


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:  # type: ignore[override]
        """Append many rows, chained in order (imports write thousands at once)."""
        objs = list(objs)
        with transaction.atomic(using=self.db):
            chain.lock_chain(self.db)
            for entry in objs:
                entry.at = entry.at or timezone.now()
            chain.chain(objs, chain.last_hash(AuditEntry, self.db))
            return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise PermissionError("审计日志只能追加，不能删除")


class AuditEntry(models.Model):
    """One audited event. Rows are only ever inserted (PostgreSQL also enforces it by trigger)."""

    # Set before the row is chained (auto_now_add would set it after the hash is computed).
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # A snapshot: the log must still read correctly if the account is renamed later.
    actor_username = models.CharField(_("账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    # Tree path of the organization the event concerns, so auditors see only their subtree.
    scope_path = models.CharField(_("所属组织路径"), max_length=255, blank=True, db_index=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=255, blank=True)
    success = models.BooleanField(_("是否成功"), default=True)
    reason = models.TextField(_("说明"), blank=True)
    # The SM3 hash chain (gongjian.audit.chain): the previous row's hash and this row's.
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, blank=True, editable=False)
    chain_hash = models.CharField(_("本条哈希"), max_length=64, blank=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            chain.lock_chain(using)
            chain.chain([self], chain.last_hash(AuditEntry, using))
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("审计日志只能追加，不能删除")


class AuditArchive(models.Model):
    """A prefix of the log moved out to a file once past the retention period
    (``gongjian audit_archive``): the chain goes on from ``last_hash``."""

    up_to_id = models.BigIntegerField(_("归档至记录编号"), unique=True)
    last_hash = models.CharField(_("最后一条哈希"), max_length=64)
    rows = models.PositiveIntegerField(_("记录数"))
    cut_off = models.DateTimeField(_("归档截止时间"))
    file_name = models.CharField(_("归档文件"), max_length=255)
    file_sm3 = models.CharField(_("归档文件 SM3"), max_length=64)
    archived_at = models.DateTimeField(_("归档时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审计日志归档")
        verbose_name_plural = _("审计日志归档")
        ordering = ["-up_to_id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.rows})"
