"""Mobile party members (流动党员, seed 004 doc 2 & 3, seed 001): dual management by the
origin (流出地) and the host (流入地) organization, the management agreement signed before
leaving, a report every half year, the host's query to the origin (联系函), the yearly
reminders, and the service stations (流动党员服务站)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjian.core.fields import BlindIndexField, EncryptedCharField, EncryptedModel
from gongjian.orgs.models import Organization, Person, Region
from gongjian.orgs.personal_data import mask_phone
from gongjian.rounds.models import Notification


class ServiceStation(models.Model):
    """流动党员服务站, run by a party organization (which hosts the members who report there)."""

    name = models.CharField(_("服务站名称"), max_length=128)
    organization = models.ForeignKey(
        Organization, verbose_name=_("所属党组织"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("流动党员服务站")
        verbose_name_plural = _("流动党员服务站")
        ordering = ["organization__path", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="station_unique_name")]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("登记中（协议未签）")
    OUT = "out", _("在外")
    RETURNED = "returned", _("已返回")


class MobileMember(EncryptedModel):
    """A party member who works away from the origin organization.

    ``host`` and ``station`` are the open :class:`HostingPeriod`'s, kept by the services in
    the same transaction as the move, so that scope and counts are one indexed filter.
    """

    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    origin = models.ForeignKey(Organization, verbose_name=_("流出地党组织"), on_delete=models.PROTECT, related_name="+")
    host = models.ForeignKey(
        Organization,
        verbose_name=_("流入地党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        ServiceStation,
        verbose_name=_("服务站"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    location = models.CharField(_("外出地点"), max_length=128)
    work = models.CharField(_("从事工作"), max_length=128)
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, kind="phone", mask=mask_phone)  # SM4
    phone_index = BlindIndexField(source="phone", db_index=True)
    left_on = models.DateField(_("外出日期"))
    status = models.CharField(_("状态"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.PENDING)
    returned_on = models.DateField(_("返回日期"), null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("本人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mobile_memberships",
        help_text=_("流动党员本人登录后可自行报送思想汇报"),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("流动党员")
        verbose_name_plural = _("流动党员")
        ordering = ["origin__path", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=~Q(status="returned"), name="mobile_member_one_live_per_person"
            ),
        ]

    def __str__(self) -> str:
        return self.person.name


class HostingPeriod(models.Model):
    """Where the member was hosted, from when to when; a move closes one and opens the next."""

    member = models.ForeignKey(MobileMember, on_delete=models.CASCADE, related_name="periods")
    host = models.ForeignKey(
        Organization, verbose_name=_("流入地党组织"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    station = models.ForeignKey(
        ServiceStation, verbose_name=_("服务站"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("外出地点"), max_length=128)
    work = models.CharField(_("从事工作"), max_length=128)
    started_on = models.DateField(_("起"))
    ended_on = models.DateField(_("止"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("流入地记录")
        verbose_name_plural = _("流入地记录")
        ordering = ["member", "started_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(ended_on__isnull=True), name="period_one_open"),
        ]

    def __str__(self) -> str:
        return f"{self.host or self.location} {self.started_on}—{self.ended_on or ''}"


class MemberAgreement(models.Model):
    """流出党员管理协议书: generated as a PDF, signed on paper with the branch before leaving."""

    member = models.OneToOneField(MobileMember, on_delete=models.PROTECT, related_name="agreement")
    pdf = models.FileField(_("协议书"), upload_to="member_agreements/%Y/", blank=True)
    sha256 = models.CharField(_("协议书摘要"), max_length=64, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    branch_signer = models.CharField(_("党支部签订人"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("流出党员管理协议书")
        verbose_name_plural = _("流出党员管理协议书")

    def __str__(self) -> str:
        return f"{self.member} 管理协议书"


class ReportChannel(models.TextChoices):
    ONLINE = "online", _("网上报送")
    PHONE = "phone", _("电话")
    LETTER = "letter", _("书信")
    IN_PERSON = "in_person", _("当面")


class HalfYearReport(models.Model):
    """半年一汇报: the member's report on work, thoughts and new skills, one per half-year."""

    member = models.ForeignKey(MobileMember, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    half = models.PositiveSmallIntegerField(
        _("半年"), validators=[MinValueValidator(1), MaxValueValidator(2)], help_text=_("1 为上半年，2 为下半年")
    )
    channel = models.CharField(_("报送方式"), max_length=16, choices=ReportChannel.choices)
    submitted_on = models.DateField(_("报送日期"))
    work = models.TextField(_("在外工作情况"))
    thoughts = models.TextField(_("思想状况"))
    skills = models.TextField(_("新技能新知识"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    on_behalf = models.BooleanField(_("代为录入"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("思想汇报")
        verbose_name_plural = _("思想汇报")
        ordering = ["member", "-year", "-half"]
        constraints = [models.UniqueConstraint(fields=["member", "year", "half"], name="report_one_per_half")]

    def __str__(self) -> str:
        return f"{self.member} {self.year}年{'上' if self.half == 1 else '下'}半年"


class HostQuery(models.Model):
    """联系函: the host organization asks the origin about a member; the origin answers."""

    member = models.ForeignKey(MobileMember, on_delete=models.PROTECT, related_name="queries")
    host = models.ForeignKey(Organization, verbose_name=_("查询方"), on_delete=models.PROTECT, related_name="+")
    origin = models.ForeignKey(Organization, verbose_name=_("被查询方"), on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("查询事项"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(_("发函时间"), auto_now_add=True)
    due_on = models.DateField(_("答复期限"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联系函")
        verbose_name_plural = _("联系函")
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.host} → {self.origin}：{self.member}"


class ReminderKind(models.TextChoices):
    LETTER = "letter", _("七一慰问信")
    FORUM = "forum", _("腊月座谈会")


class ReminderLog(models.Model):
    """One yearly reminder sent to an origin organization; the unique key keeps it single."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("提醒类别"), max_length=16, choices=ReminderKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("慰问信为公历年，座谈会为农历年"))
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年度提醒")
        verbose_name_plural = _("年度提醒")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "year"], name="reminder_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.get_kind_display()} {self.year}"
