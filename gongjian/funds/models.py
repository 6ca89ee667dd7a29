"""Aid funds (帮扶资金) of a pairing: what the unit pledges and transfers, what the village
receives and uses, what it discloses to villagers (村务公开) and reports back to the donor.

Seed 004 doc 1 (10)–(11). Money is ``Decimal`` with two places everywhere; the ledger is
computed from these rows (nothing is kept as a running total that could drift).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongjian.orgs.models import Organization
from gongjian.rounds.models import Pairing

CENT = Decimal("0.01")


def money_field(verbose_name: Any, **extra: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """An amount in yuan: exact, two places, at least one fen."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(CENT)],
        **extra,
    )


class Pledge(models.Model):
    """认捐: the unit promises an amount for a year of the pairing."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="pledges")
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)], db_index=True
    )
    amount = money_field(_("认捐金额（元）"))
    purpose = models.CharField(_("用途"), max_length=255)
    pledged_at = models.DateField(_("认捐日期"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("认捐")
        verbose_name_plural = _("认捐")
        ordering = ["pairing", "year", "pledged_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funds_pledge_amount_positive")]
        indexes = [models.Index(fields=["pairing", "year"])]

    def __str__(self) -> str:
        return f"{self.pairing} {self.year}年认捐 {self.amount}"


class Channel(models.TextChoices):
    DIRECT = "direct", _("直接拨付")
    FOUNDATION = "foundation", _("通过公益基金会")


class Transfer(models.Model):
    """拨付: money the unit paid for the pairing, directly or through a public-welfare body."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="transfers")
    date = models.DateField(_("拨付日期"))
    amount = money_field(_("拨付金额（元）"))
    channel = models.CharField(_("拨付渠道"), max_length=16, choices=Channel.choices, default=Channel.DIRECT)
    foundation_name = models.CharField(
        _("公益组织名称"), max_length=128, blank=True, help_text=_("通过公益基金会拨付时必填")
    )
    reference = models.CharField(_("凭证号/流水号"), max_length=64, blank=True)
    voucher = models.FileField(_("拨付凭证"), upload_to="funds/transfers/%Y/", blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("拨付")
        verbose_name_plural = _("拨付")
        ordering = ["pairing", "date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funds_transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(channel="foundation") | ~Q(foundation_name=""),
                name="funds_transfer_foundation_named",
            ),
            models.UniqueConstraint(
                fields=["pairing", "reference"], condition=~Q(reference=""), name="funds_transfer_unique_reference"
            ),
        ]
        indexes = [models.Index(fields=["pairing", "date"])]

    def __str__(self) -> str:
        return f"{self.pairing} {self.date} 拨付 {self.amount}"


class Receipt(models.Model):
    """到账确认: the village confirms a transfer arrived (and how much of it)."""

    transfer = models.OneToOneField(Transfer, verbose_name=_("拨付"), on_delete=models.PROTECT, related_name="receipt")
    received_on = models.DateField(_("到账日期"))
    amount = money_field(_("到账金额（元）"))
    note = models.CharField(_("备注"), max_length=255, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("到账确认")
        verbose_name_plural = _("到账确认")
        ordering = ["received_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funds_receipt_amount_positive")]
        indexes = [models.Index(fields=["received_on"])]

    def __str__(self) -> str:
        return f"{self.transfer} 到账 {self.amount}"


class Use(models.Model):
    """使用: the village spends aid funds, with a voucher (发票、收据、支出凭单)."""

    village = models.ForeignKey(Organization, verbose_name=_("村"), on_delete=models.PROTECT, related_name="fund_uses")
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("资金来源结对"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="uses",
        help_text=_("使用的是哪一结对单位的帮扶资金；不填则为多笔资金统筹使用"),
    )
    date = models.DateField(_("使用日期"))
    amount = money_field(_("使用金额（元）"))
    purpose = models.CharField(_("用途"), max_length=255)
    voucher = models.FileField(_("支出凭证"), upload_to="funds/uses/%Y/")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资金使用")
        verbose_name_plural = _("资金使用")
        ordering = ["village", "date", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funds_use_amount_positive")]
        indexes = [models.Index(fields=["village", "date"]), models.Index(fields=["pairing", "date"])]

    def __str__(self) -> str:
        return f"{self.village} {self.date} 使用 {self.amount}"


class PeriodKind(models.TextChoices):
    HALF = "half", _("半年")
    QUARTER = "quarter", _("季度")


class Disclosure(models.Model):
    """村务公开: the village publishes its aid funds for a period.

    ``content`` is the snapshot of what was published (receipts and uses with purposes, no
    personal data, no voucher files), so that the public page shows exactly what was posted
    even if a late entry for the period is recorded afterwards.
    """

    village = models.ForeignKey(
        Organization, verbose_name=_("村"), on_delete=models.PROTECT, related_name="fund_disclosures"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    period_kind = models.CharField(_("公开周期"), max_length=8, choices=PeriodKind.choices)
    period_number = models.PositiveSmallIntegerField(_("期次"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(pgettext_lazy("period", "截止日期"))
    received_total = models.DecimalField(_("本期到账（元）"), max_digits=14, decimal_places=2)
    used_total = models.DecimalField(_("本期使用（元）"), max_digits=14, decimal_places=2)
    balance_at_end = models.DecimalField(_("期末结余（元）"), max_digits=14, decimal_places=2)
    content = models.JSONField(_("公开内容"), default=dict)
    note = models.TextField(_("说明"), blank=True)
    published_at = models.DateTimeField(_("公开时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("村务公开")
        verbose_name_plural = _("村务公开")
        ordering = ["village", "-year", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "period_kind", "period_number"], name="funds_disclosure_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(period_kind="quarter") | Q(period_number__lte=2), name="funds_disclosure_half_1_or_2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.period_kind == PeriodKind.HALF:
            return f"{self.year}年{'上' if self.period_number == 1 else '下'}半年"
        return f"{self.year}年第{self.period_number}季度"


class DonorFeedback(models.Model):
    """向援助单位反馈: the village tells the donor unit how its money was used."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="donor_feedback"
    )
    date = models.DateField(_("反馈日期"))
    period_start = models.DateField(_("反馈期间起"), null=True, blank=True)
    period_end = models.DateField(_("反馈期间止"), null=True, blank=True)
    body = models.TextField(_("反馈内容"))
    received_total = models.DecimalField(_("期间到账（元）"), max_digits=14, decimal_places=2, default=Decimal("0"))
    used_total = models.DecimalField(_("期间使用（元）"), max_digits=14, decimal_places=2, default=Decimal("0"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("单位阅知时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("资金使用反馈")
        verbose_name_plural = _("资金使用反馈")
        ordering = ["pairing", "-date", "-pk"]
        indexes = [models.Index(fields=["pairing", "date"])]

    def __str__(self) -> str:
        return f"{self.pairing} {self.date} 反馈"
