"""Individual pairings under a unit's signed village pairing (seed 004 doc 5, seed 000,
seed 004 doc 3): a cadre's "1+2" with one needy party member and one needy villager, a
leading cadre with a poor household, a branch with a needy member (双结对); their help
plans with progress, and the 五送 delivered to them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjian.core.fields import BlindIndexField, EncryptedCharField, EncryptedModel
from gongjian.orgs.models import Organization, Person
from gongjian.orgs.personal_data import mask_id_number, mask_phone
from gongjian.records.choices import FiveDelivery
from gongjian.rounds.models import Pairing


class PairStatus(models.TextChoices):
    ACTIVE = "active", _("结对中")
    ENDED = "ended", _("已结束")


class Villager(EncryptedModel):
    """A needy villager or poor household who is not in the party registry.

    Phone and ID number are personal data: lists and exports mask them.
    """

    village = models.ForeignKey(Organization, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=64)
    # SM4-encrypted, found through their blind indexes (gongjian.core.fields).
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, kind="phone", mask=mask_phone)
    phone_index = BlindIndexField(source="phone", db_index=True)
    id_number = EncryptedCharField(_("身份证号"), max_length=18, blank=True, kind="id_number", mask=mask_id_number)
    id_number_index = BlindIndexField(source="id_number", db_index=True)
    household_size = models.PositiveSmallIntegerField(_("家庭人口"), null=True, blank=True)
    is_poor_household = models.BooleanField(_("贫困户"), default=False)
    difficulty = models.TextField(_("困难情况"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("困难群众")
        verbose_name_plural = _("困难群众")
        ordering = ["village", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class IndividualPair(models.Model):
    """What every individual pairing has: the unit's village pairing it rides on, its state
    and its dates."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("单位结对"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=PairStatus.choices, default=PairStatus.ACTIVE)
    started_on = models.DateField(_("结对日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class CadrePair(IndividualPair):
    """ "1+2": a cadre of the unit with one needy party member and one needy villager of the
    paired village."""

    cadre = models.ForeignKey(Person, verbose_name=_("结对干部"), on_delete=models.PROTECT, related_name="+")
    needy_member = models.ForeignKey(Person, verbose_name=_("困难党员"), on_delete=models.PROTECT, related_name="+")
    needy_villager = models.ForeignKey(Villager, verbose_name=_("困难群众"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("“1+2”结对")
        verbose_name_plural = _("“1+2”结对")
        ordering = ["pairing", "cadre__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "cadre"], condition=Q(status="active"), name="cadre_pair_one_per_cadre"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.needy_member}、{self.needy_villager}"


class HouseholdPair(IndividualPair):
    """A leading cadre of the unit with a poor household of the village (联户, seed 000)."""

    cadre = models.ForeignKey(Person, verbose_name=_("领导干部"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Villager, verbose_name=_("贫困户"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("领导干部联系贫困户")
        verbose_name_plural = _("领导干部联系贫困户")
        ordering = ["pairing", "cadre__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(status="active"), name="household_pair_one_per_household"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.household}"


class BranchPair(IndividualPair):
    """双结对: a party branch of the unit with a needy member of the village (seed 004 doc 3)."""

    branch = models.ForeignKey(Organization, verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="+")
    needy_member = models.ForeignKey(Person, verbose_name=_("困难党员"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("支部结对困难党员")
        verbose_name_plural = _("支部结对困难党员")
        ordering = ["pairing", "branch__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "needy_member"], condition=Q(status="active"), name="branch_pair_unique_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.branch} — {self.needy_member}"


# Exactly one of the three pair kinds, for plans and deliveries.
_ONE_PAIR = (
    Q(cadre_pair__isnull=False, household_pair__isnull=True, branch_pair__isnull=True)
    | Q(cadre_pair__isnull=True, household_pair__isnull=False, branch_pair__isnull=True)
    | Q(cadre_pair__isnull=True, household_pair__isnull=True, branch_pair__isnull=False)
)


class Beneficiary(models.TextChoices):
    """Whom a help plan is for (a "1+2" pair has two)."""

    MEMBER = "member", _("困难党员")
    VILLAGER = "villager", _("困难群众")
    HOUSEHOLD = "household", _("贫困户")


class HelpPlan(models.Model):
    """脱困致富方案: the difficulty, the goals, the measures and the date to reach them."""

    cadre_pair = models.ForeignKey(CadrePair, null=True, blank=True, on_delete=models.CASCADE, related_name="plans")
    household_pair = models.ForeignKey(
        HouseholdPair, null=True, blank=True, on_delete=models.CASCADE, related_name="plans"
    )
    branch_pair = models.ForeignKey(BranchPair, null=True, blank=True, on_delete=models.CASCADE, related_name="plans")
    beneficiary = models.CharField(_("帮扶对象"), max_length=16, choices=Beneficiary.choices)
    difficulty = models.TextField(_("主要困难"))
    goals = models.TextField(_("帮扶目标"))
    measures = models.TextField(_("帮扶措施"))
    target_date = models.DateField(_("目标完成日期"))
    progress_percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶方案")
        verbose_name_plural = _("帮扶方案")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=_ONE_PAIR, name="help_plan_one_pair"),
            models.UniqueConstraint(fields=["cadre_pair", "beneficiary"], name="help_plan_one_per_beneficiary"),
        ]

    def __str__(self) -> str:
        return f"{self.get_beneficiary_display()}：{self.goals[:20]}"


class HelpProgress(models.Model):
    """One step of a plan: what was done, and how far the plan is now."""

    plan = models.ForeignKey(HelpPlan, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField(_("日期"))
    note = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("帮扶进展")
        verbose_name_plural = _("帮扶进展")
        ordering = ["plan", "-recorded_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.recorded_on} {self.percent}%"


class IndividualDelivery(models.Model):
    """五送 to a paired person or household: policy, information, funds, technology, warmth."""

    cadre_pair = models.ForeignKey(
        CadrePair, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    household_pair = models.ForeignKey(
        HouseholdPair, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    branch_pair = models.ForeignKey(
        BranchPair, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    kind = models.CharField(_("五送类别"), max_length=16, choices=FiveDelivery.choices)
    delivered_on = models.DateField(_("日期"))
    content = models.TextField(_("内容"))
    amount = models.DecimalField(
        _("金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("五送记录")
        verbose_name_plural = _("五送记录")
        ordering = ["-delivered_on", "-pk"]
        constraints = [models.CheckConstraint(condition=_ONE_PAIR, name="delivery_one_pair")]
        indexes = [models.Index(fields=["delivered_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.delivered_on}"
