"""What the origin organization does for its members, recorded (not only reminded):

- the 七一 letter to the mobile members (seed 004 doc 3 "慰问一封信。每年‘七一’前夕，党（工）委给
  流动党员寄发一封慰问信，通报党组织工作思路、核心任务以及取得的成效");
- the 腊月 forum (seed 004 doc 3 "腊月一座谈。在每年腊月流出党员返乡高峰，组织流出党员召开座谈会，
  交流在外务工心得，进行党组织述职，接受评议，查找不足，悉心听取他们对党组织的意见和建议"): who came,
  the organization's report (述职) and the members' evaluation (评议);
- care for a needy party member (seed 002 "扎实开展‘五送一建’活动，关心弱势、困难党员"), its own
  record beside the unit's 五送 to the village.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongjian.members.models.mobile import MobileMember
from gongjian.orgs.models import Organization, Person


class MemberLetter(models.Model):
    """The year's 七一 letter of an origin organization to its mobile members."""

    organization = models.ForeignKey(Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    sent_on = models.DateField(_("寄发日期"))
    summary = models.TextField(_("通报内容（工作思路、核心任务、取得的成效）"))
    recipients = models.PositiveIntegerField(_("收信流动党员数"))
    on_time = models.BooleanField(_("“七一”前寄发"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("七一慰问信")
        verbose_name_plural = _("七一慰问信")
        ordering = ["-year", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="member_letter_once_a_year")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"


class WinterForum(models.Model):
    """The 腊月 forum of an origin organization with its returning members (lunar year)."""

    organization = models.ForeignKey(Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="+")
    lunar_year = models.PositiveSmallIntegerField(_("农历年"))
    held_on = models.DateField(_("座谈日期"))
    attendees = models.ManyToManyField(MobileMember, verbose_name=_("参加的流出党员"), related_name="+")
    report = models.TextField(_("党组织述职"))
    satisfied = models.PositiveSmallIntegerField(_("评议：满意"), default=0)
    basically_satisfied = models.PositiveSmallIntegerField(_("评议：基本满意"), default=0)
    dissatisfied = models.PositiveSmallIntegerField(_("评议：不满意"), default=0)
    opinions = models.TextField(_("意见和建议"), blank=True)
    difficulties = models.TextField(_("反映的困难"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("腊月座谈会")
        verbose_name_plural = _("腊月座谈会")
        ordering = ["-lunar_year", "organization__name"]
        constraints = [models.UniqueConstraint(fields=["organization", "lunar_year"], name="winter_forum_once_a_year")]

    def __str__(self) -> str:
        return f"{self.organization} {self.lunar_year}"

    @property
    def evaluation_label(self) -> str:
        """The 评议 result in one line."""
        return gettext("满意 %(a)s，基本满意 %(b)s，不满意 %(c)s") % {
            "a": self.satisfied,
            "b": self.basically_satisfied,
            "c": self.dissatisfied,
        }


class MemberCare(models.Model):
    """五送一建 (seed 002): what a party organization did for a needy (弱势、困难) party member."""

    member = models.ForeignKey(Person, verbose_name=_("困难党员"), on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, verbose_name=_("开展关怀的党组织"), on_delete=models.PROTECT, related_name="+"
    )
    cared_on = models.DateField(_("日期"))
    content = models.TextField(_("关怀帮扶内容"))
    amount = models.DecimalField(
        _("金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("五送一建（困难党员关怀）")
        verbose_name_plural = _("五送一建（困难党员关怀）")
        ordering = ["-cared_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.member} {self.cared_on}"
