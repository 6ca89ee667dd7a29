"""The rounds' vocabulary (a round's status, a directory village's stage, an intent's status,
a pairing's origin and status). Kept apart from the models so that pages, forms and other
apps can name the words without the tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    OPEN = "open", _("选择中")  # directory published, intents open
    PUBLISHED = "published", _("分配已发布")  # pairs known: confirming and signing
    CLOSED = "closed", _("已结束")


class Stage(models.TextChoices):
    """Where a directory village stands; the live status board counts these."""

    NONE = "none", _("无意向")
    INTENT = "intent", _("有意向")
    ALLOCATED = "allocated", _("已分配")
    CONFIRMED = "confirmed", _("已确认")
    SIGNED = "signed", _("已签约")


class IntentStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    WITHDRAWN = "withdrawn", _("已撤回")


class PairingOrigin(models.TextChoices):
    RENEWAL = "renewal", _("续签")
    ALLOCATION = "allocation", _("组织分配")
    REMATCH = "rematch", _("调整后重新匹配")
    # A replacement unit put in by the department for one flagged pair (动态调整, models_adjustment).
    ADJUSTMENT = "adjustment", _("动态调整")


class PairingStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    CONFIRMED = "confirmed", _("双方已确认")
    SIGNED = "signed", _("已签约")
    ENDED = "ended", _("已终止")
