"""Dynamic adjustment (动态调整): a pair replaced by a new unit outside the round's schedule.

Seed 004 doc 2 二、1 "加强对结对共建工作的动态管理，对共建效果不太好的单位，要及时进行优化调整";
doc 1 (八) "需调整的，可进入全市帮扶平台重新选择结对单位". The old pair ends, the replacement is a
new pairing of the same village with its own confirmation-and-signing deadline, and this row
records who adjusted it, why, and the old and the new unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.orgs.models import Organization


class PairingAdjustment(models.Model):
    """One adjustment: the old pairing, its replacement, the reason and the replacement's deadline."""

    round = models.ForeignKey("rounds.Round", on_delete=models.PROTECT, related_name="adjustments")
    village = models.ForeignKey(Organization, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    old_pairing = models.ForeignKey(
        "rounds.Pairing", verbose_name=_("原结对"), on_delete=models.PROTECT, related_name="replaced_by"
    )
    new_pairing = models.OneToOneField(
        "rounds.Pairing", verbose_name=_("调整后结对"), on_delete=models.PROTECT, related_name="adjustment"
    )
    old_unit = models.ForeignKey(Organization, verbose_name=_("原结对单位"), on_delete=models.PROTECT, related_name="+")
    new_unit = models.ForeignKey(Organization, verbose_name=_("新结对单位"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("调整原因"))
    # The replacement's own deadline for both sides' confirmation and signing (profile
    # ``adjustment.replacement_days`` after the adjustment), instead of the round's.
    deadline = models.DateTimeField(_("确认签约截止"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("调整时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结对调整")
        verbose_name_plural = _("结对调整")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["round", "created_at"], name="rounds_adjust_round_time")]

    def __str__(self) -> str:
        return f"{self.village}：{self.old_unit} → {self.new_unit}"
