"""A notification (addressed to an organization's users or to one user), each user's read
state of it, and its outbound deliveries (e-mail, the gateway webhook)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What happened. Every event but the last three waits for the addressee's action and
    is *done* once that action is taken (see :mod:`gongjian.notifications.events`)."""

    CARD_COUNTERSIGN = "card_countersign", _("工作实绩卡待会签")
    CARD_RETURNED = "card_returned", _("工作实绩卡被退回")
    CARD_ACKNOWLEDGE = "card_acknowledge", _("工作实绩卡待收阅")
    PAIRING_CONFIRM = "pairing_confirm", _("结对待确认")
    RENEWAL_ANSWER = "renewal_answer", _("续签待答复")
    AGREEMENT_SIGN = "agreement_sign", _("协议书待签署")
    FEEDBACK_ANSWER = "feedback_answer", _("群众意见待答复")
    FEEDBACK_CLOSE = "feedback_close", _("群众意见待办结")
    DONOR_FEEDBACK = "donor_feedback", _("资金使用反馈待阅知")
    HOST_QUERY = "host_query", _("联系函待答复")
    DEADLINE = "deadline", _("截止日期临近")
    PAIR_ADJUSTED = "pair_adjusted", _("结对调整")
    MESSAGE = "message", _("通知")


class Notification(models.Model):
    """One message to the users of ``organization`` (``user`` empty) or to ``user`` alone,
    about ``object``. ``key`` makes it single: (event, object, recipient, occasion) is
    notified once, ever, however often the service that raises it runs."""

    event = models.CharField(_("事项"), max_length=32, choices=Event.choices)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("接收组织"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )  # empty: every user of the organization
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    key = models.CharField(_("唯一键"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    # Set when the work it asks for has been done (by anyone of the organization): it
    # leaves the unread count and the to-do list.
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "-created_at"], name="notification_org_recent"),
            models.Index(fields=["content_type", "object_id"], name="notification_object"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def waits(self) -> bool:
        """True while it asks for an action not yet taken."""
        return self.done_at is None and self.event not in INFORMATIONAL


INFORMATIONAL = frozenset({Event.DEADLINE, Event.PAIR_ADJUSTED, Event.MESSAGE})


class Receipt(models.Model):
    """That one user has read one notification (read state is per user)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="receipts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("阅读时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("阅读记录")
        verbose_name_plural = _("阅读记录")
        constraints = [models.UniqueConstraint(fields=["notification", "user"], name="receipt_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.notification_id}"


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("短信/政务微信/钉钉网关")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One outbound copy of a notification on one channel to one address. ``key`` is unique,
    and a delivery is sent only from *pending* or *failed*: never twice."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=254, blank=True)  # e-mail; empty for the gateway
    key = models.CharField(_("唯一键"), max_length=255, unique=True)
    state = models.CharField(_("状态"), max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外发记录")
        verbose_name_plural = _("外发记录")
        indexes = [
            models.Index(fields=["state"], name="delivery_unsent", condition=~Q(state="sent")),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address} #{self.notification_id}"
