"""A unit's yearly public commitments to its village (双承诺, seed 002; seed 004 doc 2 二、4
“组织指导结对单位……制定共建工作要点，作出公开承诺”), its year-end report against each
(双述职) and the 评议 of the village and its members (四级承诺一评议, seed 002; “考评一体进行”,
doc 2). Shown on the pair's page; the assessment counts them where the profile says so."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.records.choices_practices import CommitmentOutcome, ReviewResult
from gongjian.rounds.models import Pairing

USER = settings.AUTH_USER_MODEL


class Commitment(models.Model):
    """One public commitment of the unit for a year, and its year-end report."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    content = models.TextField(_("承诺事项"))
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("承诺时间"), auto_now_add=True)
    outcome = models.CharField(_("兑现情况"), max_length=16, choices=CommitmentOutcome.choices, blank=True)
    report = models.TextField(_("述职说明"), blank=True)
    reported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(_("述职时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公开承诺")
        verbose_name_plural = _("公开承诺")
        ordering = ["year", "position", "id"]
        indexes = [models.Index(fields=["pairing", "year"], name="records_commitment_pair_year")]

    def __str__(self) -> str:
        return f"{self.pairing} {self.year} {self.content[:20]}"


class CommitmentReview(models.Model):
    """The 评议 of a unit's commitments for a year, entered by the village: the result and
    how many took part (no names: the result is the body's, not a person's)."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="commitment_reviews"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    result = models.CharField(_("评议结果"), max_length=16, choices=ReviewResult.choices)
    participants = models.PositiveIntegerField(_("参加评议人数"), default=0)
    comment = models.TextField(_("评议意见"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("评议时间"))

    class Meta:
        verbose_name = _("承诺评议")
        verbose_name_plural = _("承诺评议")
        constraints = [models.UniqueConstraint(fields=["pairing", "year"], name="records_commitment_review_unique")]

    def __str__(self) -> str:
        return f"{self.pairing} {self.year} {self.get_result_display()}"
