"""Stored compliance results: written in bulk by ``compliance_evaluate`` so that dashboards
and assessment pages read rows, not records. Re-running the evaluation replaces them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
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
    """A pair's compliance and assessment score for one year (no money: see SecretaryYearPay)."""

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
    # The public's evaluation and the commitments' 评议, where the profile weighs them in
    # (the profile's ``public_evaluation`` / ``commitments`` sections); None: not weighed in.
    evaluation_respondents = models.PositiveIntegerField(_("群众评议人数"), default=0)
    evaluation_rate = models.DecimalField(_("群众满意率（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    evaluation_points = models.DecimalField(_("群众评议得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    evaluation_lost = models.DecimalField(_("群众评议扣分"), max_digits=7, decimal_places=2, default=0)
    commitment_lost = models.DecimalField(_("承诺评议扣分"), max_digits=7, decimal_places=2, default=0)
    commitment_review = models.CharField(_("承诺评议结果"), max_length=16, blank=True)
    # Both sides assessed (the profile's ``joint_appraisal``; 双考核 seed 002, 四位一体 seed 004 doc 2):
    # what the unit side lost for no plan (already in ``score``), the village side's score on its
    # duties to the unit (None: not scored apart), and the pair's joint result (None: no joint appraisal).
    plan_lost = models.PositiveIntegerField(_("帮扶方案扣分"), default=0)
    joint_mode = models.CharField(_("考评方式"), max_length=16, blank=True)
    village_score = models.DecimalField(_("村方得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    village_lost = models.PositiveIntegerField(_("村方扣分"), default=0)
    village_missed = models.PositiveSmallIntegerField(_("村方未完成项数"), default=0)
    village_duties = models.JSONField(_("村方各项义务"), default=list, blank=True)  # [{kind, periods, missed, lost}]
    joint_score = models.DecimalField(_("结对考评结果"), max_digits=7, decimal_places=2, null=True, blank=True)
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


class SecretaryYearPay(models.Model):
    """A village party secretary's year under the dual-hundred (双百分, seed 004 doc 3): the
    assessment score, the base subsidy, the village's created income and the two insurances'
    premiums as entered; performance pay, contribution award (创收奖) and the city's insurance
    subsidy as computed by the profile's ``secretaries`` rules when entered."""

    village = models.ForeignKey(Organization, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    secretary = models.CharField(_("村党组织书记"), max_length=64)
    score = models.DecimalField(_("双百分考核得分"), max_digits=7, decimal_places=2)
    base_yuan = money_field(_("年基础补贴（元）"))
    village_income = money_field(_("村创收（元）"))
    insurance_premiums = money_field(_("两险保费（元）"))
    performance_yuan = money_field(_("绩效奖惩（元）"))
    contribution_yuan = money_field(_("创收奖（元）"))
    insurance_subsidy_yuan = money_field(_("两险补贴（元）"))
    total_yuan = money_field(_("年度报酬（元）"))
    profile_key = models.CharField(_("政策配置"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    class Meta:
        verbose_name = _("村书记年度绩效报酬")
        verbose_name_plural = _("村书记年度绩效报酬")
        constraints = [models.UniqueConstraint(fields=["village", "year"], name="compliance_secretary_village_year")]

    def __str__(self) -> str:
        return f"{self.village} {self.year} {self.secretary}"


class DepartureKind(models.TextChoices):
    PERIODIC = "periodic", _("离任定期生活补贴")
    ONE_TIME = "one_time", _("一次性离任补助")


class SecretaryDeparture(models.Model):
    """A village secretary's normal departure and the subsidy it gives (离任补贴, seed 004 doc 3):
    10 years or more in a row → a yearly living subsidy (a share of the village's current
    secretary's base subsidy); otherwise a one-time grant of the amount entered."""

    village = models.ForeignKey(Organization, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    secretary = models.CharField(_("离任书记"), max_length=64)
    left_on = models.DateField(_("离任日期"))
    consecutive_years = models.PositiveSmallIntegerField(_("连续任职年数"))
    total_years = models.PositiveSmallIntegerField(_("累计任职年数"))
    kind = models.CharField(_("补贴方式"), max_length=16, choices=DepartureKind.choices)
    yearly_yuan = models.DecimalField(_("每年定期补贴（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    one_time_yuan = models.DecimalField(_("一次性补助（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    profile_key = models.CharField(_("政策配置"), max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("村书记离任补贴")
        verbose_name_plural = _("村书记离任补贴")
        ordering = ["-left_on", "-id"]

    def __str__(self) -> str:
        return f"{self.village} {self.secretary} {self.left_on}"


from gongjian.compliance.models_evaluation import (  # noqa: E402, F401  (the survey's tables, see there)
    EvaluationResponse,
    PublicEvaluation,
    RespondentKind,
    Satisfaction,
)
