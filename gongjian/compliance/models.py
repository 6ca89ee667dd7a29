"""Stored compliance results: written in bulk by ``compliance_evaluate`` so that dashboards
and assessment pages read rows, not records. Re-running the evaluation replaces them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjian.orgs.models import Organization
from gongjian.rounds.models import Pairing, Round


class ComplianceStatus(models.TextChoices):
    # A context of their own: the same words elsewhere (a project 已完成) read differently.
    MET = "met", pgettext_lazy("compliance status", "已完成")
    PENDING = "pending", pgettext_lazy("compliance status", "进行中")
    AT_RISK = "at_risk", pgettext_lazy("compliance status", "有风险")
    MISSED = "missed", pgettext_lazy("compliance status", "未完成")


def money_field(verbose_name: Any) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, default=0)


class PairStatus(models.Model):
    """A pair's compliance and dual-hundred score for one assessment year."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    round = models.ForeignKey(Round, verbose_name=_("轮次"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organization, verbose_name=_("结对单位"), on_delete=models.CASCADE, related_name="+")
    village = models.ForeignKey(Organization, verbose_name=_("村"), on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(
        Organization, verbose_name=_("所属党委"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    county = models.CharField(_("区县"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ComplianceStatus.choices)
    missed = models.PositiveSmallIntegerField(_("未完成项数"), default=0)
    at_risk = models.PositiveSmallIntegerField(_("有风险项数"), default=0)
    next_deadline = models.DateField(_("最近截止日期"), null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    points_lost = models.PositiveIntegerField(_("扣分"), default=0)
    bonus = models.PositiveIntegerField(_("加分"), default=0)
    yuan = money_field(_("奖惩金额（元）"))
    rank = models.PositiveIntegerField(_("党委内排名"), null=True, blank=True)
    to_adjust = models.BooleanField(_("需调整"), default=False)
    adjust_reason = models.CharField(_("调整原因"), max_length=255, blank=True)
    profile_key = models.CharField(_("政策配置"), max_length=64)
    profile_version = models.CharField(_("配置版本"), max_length=32, blank=True)
    as_of = models.DateField(_("评估基准日"))
    evaluated_at = models.DateTimeField(_("评估时间"))

    class Meta:
        verbose_name = _("结对合规状态")
        verbose_name_plural = _("结对合规状态")
        constraints = [models.UniqueConstraint(fields=["pairing", "year"], name="compliance_pair_year_unique")]
        indexes = [
            models.Index(fields=["year", "status"], name="compliance_pair_year_status"),
            models.Index(fields=["year", "committee", "rank"], name="compliance_pair_committee"),
            models.Index(fields=["unit", "year"], name="compliance_pair_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.year} {self.status}"


class ObligationResult(models.Model):
    """One obligation of one pair in one year: status, what was done, reason, deadline."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    obligation_id = models.CharField(_("义务"), max_length=64)
    kind = models.CharField(_("类型"), max_length=32)
    label = models.CharField(_("名称"), max_length=128)
    status = models.CharField(_("状态"), max_length=16, choices=ComplianceStatus.choices)
    done = models.DecimalField(_("已完成"), max_digits=14, decimal_places=2)
    required = models.DecimalField(_("应完成"), max_digits=14, decimal_places=2)
    deadline = models.DateField(pgettext_lazy("compliance", "截止日期"), null=True, blank=True)
    reason = models.CharField(pgettext_lazy("compliance", "说明"), max_length=255)
    points_lost = models.PositiveIntegerField(_("扣分"), default=0)
    evaluated_at = models.DateTimeField(_("评估时间"))

    class Meta:
        verbose_name = _("义务完成情况")
        verbose_name_plural = _("义务完成情况")
        constraints = [
            models.UniqueConstraint(fields=["pairing", "year", "obligation_id"], name="compliance_obligation_unique")
        ]
        indexes = [models.Index(fields=["year", "obligation_id", "status"], name="compliance_obligation_status")]

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.obligation_id} {self.status}"


class UnitScore(models.Model):
    """A unit's annual score (mean of its pairs) and rank within its committee."""

    unit = models.ForeignKey(Organization, verbose_name=_("结对单位"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    committee = models.ForeignKey(
        Organization, verbose_name=_("所属党委"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pairs = models.PositiveIntegerField(_("结对数"))
    score = models.DecimalField(_("得分"), max_digits=7, decimal_places=2)
    yuan = money_field(_("奖惩金额（元）"))
    rank = models.PositiveIntegerField(_("党委内排名"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("评估时间"))

    class Meta:
        verbose_name = _("单位年度得分")
        verbose_name_plural = _("单位年度得分")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="compliance_unit_year_unique")]
        indexes = [models.Index(fields=["year", "committee", "rank"], name="compliance_unit_committee")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.score}"


class ReminderSent(models.Model):
    """A reminder already sent (in-app and e-mail), so that none goes out twice."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="+")
    obligation_id = models.CharField(_("义务"), max_length=64)
    deadline = models.DateField(pgettext_lazy("compliance", "截止日期"))
    lead_days = models.PositiveSmallIntegerField(_("提前天数"))
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    emails = models.PositiveIntegerField(_("邮件数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已发送提醒")
        verbose_name_plural = _("已发送提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "obligation_id", "deadline", "lead_days"], name="compliance_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.obligation_id} {self.deadline} −{self.lead_days}"
