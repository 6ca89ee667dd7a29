"""The job record: who started which long piece of work, its state, progress and result."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    ALLOCATION = "allocation", _("组织分配")
    DISPATCH_MATCH = "dispatch_match", _("选派匹配")
    IMPORT = "import", _("表格导入")
    COMPLIANCE_EVALUATION = "compliance_evaluation", _("合规评估")
    NIGHTLY_COMPLIANCE = "nightly_compliance", _("每晚合规评估")
    MEMBERS_REMINDERS = "members_reminders", _("流动党员年度提醒")
    NOTIFICATIONS = "notifications", _("通知发送与截止提醒")
    EXPORT = "export", _("表格导出")
    AGREEMENT_PDFS = "agreement_pdfs", _("协议书 PDF 生成")


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)
FINISHED_STATES = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


class Job(models.Model):
    """One piece of long work. Its final state, result and the work's own rows are committed
    in one transaction, so a job retried after a worker died writes nothing twice."""

    uuid = models.UUIDField(_("任务标识"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("类型"), max_length=32, choices=JobKind.choices)
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # None: the system (the nightly schedule)
    scope_path = models.CharField(_("所属组织路径"), max_length=255, blank=True)
    title = models.CharField(_("名称"), max_length=200)
    # The starter's language when the job was started: a worker runs the job in it, so the
    # stages, errors and results it writes read in the starter's language ("" = the default).
    language = models.CharField(_("语言"), max_length=16, blank=True, default="")
    params = models.JSONField(_("参数"), default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    progress_done = models.PositiveIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), default=0)
    stage = models.CharField(_("阶段"), max_length=200, blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)
    result_url = models.CharField(_("结果链接"), max_length=500, blank=True)
    error = models.TextField(_("错误"), blank=True)
    # A repeated request for the same work (a double click, the schedule firing twice)
    # finds the job already queued or running instead of starting a second one.
    idempotency_key = models.CharField(_("幂等键"), max_length=200, blank=True)
    attempts = models.PositiveIntegerField(_("执行次数"), default=0)
    worker = models.CharField(_("执行节点"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["starter", "-created_at"], name="job_starter_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(state__in=["queued", "running"]) & ~Q(idempotency_key=""),
                name="job_one_active_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def finished(self) -> bool:
        """True once the job is done, failed or cancelled."""
        return self.state in FINISHED_STATES

    @property
    def percent(self) -> int | None:
        """Progress in whole per cent (never above 100), None while the total is unknown."""
        if not self.progress_total:
            return 100 if self.state == JobState.DONE else None
        return min(100, self.progress_done * 100 // self.progress_total)
