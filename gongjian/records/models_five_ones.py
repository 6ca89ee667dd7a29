"""五个一 (seed 000): per pair and year, the five targets of 帮建共建 — a plan by a date, then
evidence (text and files) and a status. The unit enters them; the village and the admins of
the scope see them; compliance checks them under profiles that have a ``five_ones``
obligation (Jincheng).

``plan_recorded_on`` and ``evidence_on`` are the dates compliance judges by: the first day
the plan was entered and the first day evidence was (text or a file). They are set by the
services and never moved back, so a late plan stays late.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.records.choices_practices import FiveOne, FiveOneStatus
from gongjian.records.validators import validate_evidence
from gongjian.rounds.models import Pairing

USER = settings.AUTH_USER_MODEL


class FiveOneTarget(models.Model):
    """One of the five targets of a pair in a year: the plan, what was done, the status."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="five_ones")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    kind = models.CharField(_("目标"), max_length=20, choices=FiveOne.choices)
    plan = models.TextField(_("计划措施"))
    plan_recorded_on = models.DateField(_("计划制定日期"))
    status = models.CharField(_("状态"), max_length=16, choices=FiveOneStatus.choices, default=FiveOneStatus.PLANNED)
    evidence_text = models.TextField(_("完成情况"), blank=True)
    evidence_on = models.DateField(_("首次提交佐证日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("五个一目标")
        verbose_name_plural = _("五个一目标")
        ordering = ["year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "year", "kind"], name="records_five_one_unique"),
        ]
        indexes = [models.Index(fields=["pairing", "year"], name="records_five_one_pair_year")]

    def __str__(self) -> str:
        return f"{self.pairing} {self.year} {self.get_kind_display()}"


class FiveOneEvidence(models.Model):
    """A file proving a target's progress, served only through the scoped ``/files/`` views."""

    target = models.ForeignKey(FiveOneTarget, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("文件"), upload_to="records/five_ones/%Y/%m/", validators=[validate_evidence])
    note = models.CharField(_("说明"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("五个一佐证")
        verbose_name_plural = _("五个一佐证")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.note or self.file.name or ""
