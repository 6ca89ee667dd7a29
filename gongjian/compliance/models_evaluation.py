"""The public's evaluation of a helping unit (群众评议; seed 002 “村级重大事务实行……群众评议，
把……党员干部的评判权交给党员群众”; seed 001 Fengxian “抓群众满意评价……增加群众评价的权重”;
seed 004 doc 4 群众“选对”): a short survey per pair and year, collected by the village
secretary on a phone, one row per respondent, no personal data.

The survey keeps the questions it was opened with (``questions``), so that a profile changed
later does not relabel or reweigh answers already given.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.policies.practices import Satisfaction
from gongjian.rounds.models import Pairing

__all__ = ["EvaluationResponse", "PublicEvaluation", "RespondentKind", "Satisfaction"]

USER = settings.AUTH_USER_MODEL


class RespondentKind(models.TextChoices):
    """Who answered: a villager or a party member of the village (no name is kept)."""

    VILLAGER = "villager", _("村民群众")
    MEMBER = "member", _("村党员")


class PublicEvaluation(models.Model):
    """A pair's survey of one year, with the questions of the profile it was opened under."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    profile_key = models.CharField(_("政策配置"), max_length=64)
    questions = models.JSONField(_("评议题目"), default=list)  # [{"id", "text", "weight"}]
    opened_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("群众评议")
        verbose_name_plural = _("群众评议")
        constraints = [models.UniqueConstraint(fields=["pairing", "year"], name="compliance_evaluation_pair_year")]

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.year}"


class EvaluationResponse(models.Model):
    """One respondent's answers (question id → Satisfaction) and comment."""

    evaluation = models.ForeignKey(PublicEvaluation, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(_("评议人类别"), max_length=16, choices=RespondentKind.choices)
    answers = models.JSONField(_("评价"), default=dict)
    comment = models.TextField(_("意见建议"), blank=True)
    entered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("群众评议答卷")
        verbose_name_plural = _("群众评议答卷")
        ordering = ["entered_at", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.respondent}"
