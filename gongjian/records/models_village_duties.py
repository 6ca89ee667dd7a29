"""What the village does for its helping unit (双向受益): seed 002 "农村党组织……每季度组织党员进入
共建单位开展一次座谈交流、反映一次社情民意，每年帮机关培养一名年轻党员，选派一批党员群众代表参与
共建单位党员评议和公务员考核"; seed 004 doc 2 二、3 "推行城乡党员共过组织生活……定期选派年轻干部……
到结对村挂职锻炼". Recorded by the village, acknowledged by the unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.rounds.models import Pairing


class VillageDutyKind(models.TextChoices):
    FORUM = "forum", _("党员到共建单位座谈交流")
    OPINION = "opinion", _("反映社情民意")
    YOUNG_MEMBER = "young_member", _("帮共建单位培养年轻党员")
    REVIEW_DELEGATES = "review_delegates", _("选派代表参与共建单位党员评议")
    JOINT_LIFE = "joint_life", _("城乡党员共过组织生活")
    SECONDMENT = "secondment", _("共建单位年轻干部到村挂职")


class VillageDuty(models.Model):
    """One thing the village did for its helping unit."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=24, choices=VillageDutyKind.choices)
    date = models.DateField(_("日期"))
    content = models.TextField(_("内容"))
    people = models.CharField(_("参加人员"), max_length=255, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("村对共建单位的工作")
        verbose_name_plural = _("村对共建单位的工作")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["pairing", "kind", "date"], name="records_village_duty_pair")]

    def __str__(self) -> str:
        return f"{self.pairing_id} {self.kind} {self.date}"
