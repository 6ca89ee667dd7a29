"""The helping side of a pair beyond the one unit (seed 004 doc 1 (三)(十)).

- ``UnitPlan``: per unit and round, the named 分管领导 and 负责部门 and the 帮扶方案 ("各单位结对
  帮扶工作在本级党委统一领导下进行，要明确分管领导和负责部门，研究制定结对帮扶方案").
- ``PairingPartner``: an enterprise or institution helping beside the agency of a pair
  ("鼓励采取‘机关+企业（事业单位）’等形式，开展组合式帮扶").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.orgs.models import Organization


class UnitPlan(models.Model):
    """A unit's leader in charge, responsible department and plan for one round."""

    round = models.ForeignKey("rounds.Round", on_delete=models.CASCADE, related_name="unit_plans")
    unit = models.ForeignKey(Organization, verbose_name=_("结对单位"), on_delete=models.PROTECT, related_name="+")
    leader_name = models.CharField(_("分管领导"), max_length=64)
    leader_post = models.CharField(_("分管领导职务"), max_length=64)
    department = models.CharField(_("负责部门"), max_length=128)
    plan = models.TextField(_("结对帮扶方案"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("结对帮扶方案")
        verbose_name_plural = _("结对帮扶方案")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="rounds_unit_plan_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.department}"


class PairingPartner(models.Model):
    """An enterprise or institution helping the village together with the pair's agency (组合式帮扶)."""

    pairing = models.ForeignKey("rounds.Pairing", on_delete=models.CASCADE, related_name="partners")
    partner = models.ForeignKey(
        Organization, verbose_name=_("组合帮扶单位"), on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("组合式帮扶单位")
        verbose_name_plural = _("组合式帮扶单位")
        constraints = [models.UniqueConstraint(fields=["pairing", "partner"], name="rounds_pairing_partner_unique")]

    def __str__(self) -> str:
        return f"{self.pairing_id} + {self.partner}"
