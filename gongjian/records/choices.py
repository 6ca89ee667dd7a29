"""The co-building vocabulary shared by records, compliance, funds and members
(glossary: visit, six annual musts, five deliveries). Kept apart from the models so that
other apps can import the words without the tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The words a profile's obligations are written in belong to the policy layer; records stores them.
from gongjian.policies.vocabulary import FiveDelivery as FiveDelivery
from gongjian.policies.vocabulary import SixMust as SixMust
from gongjian.policies.vocabulary import VisitorLevel as VisitorLevel


class ProjectStatus(models.TextChoices):
    """Where a co-building project stands."""

    PLANNED = "planned", _("计划中")
    IN_PROGRESS = "in_progress", _("实施中")
    DONE = "done", _("已完成")
    SUSPENDED = "suspended", _("已暂停")


class FeedbackStatus(models.TextChoices):
    """意见反馈卡: entered by the village, answered by the unit, closed by the village."""

    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class CardStatus(models.TextChoices):
    """工作实绩卡: the unit submits, the village countersigns or returns it."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待村会签")
    COUNTERSIGNED = "countersigned", _("村已会签")
    RETURNED = "returned", _("已退回")


class ReportStatus(models.TextChoices):
    """Quarterly report."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")


class ContactSide(models.TextChoices):
    """Which side of the pairing a contact (活动联系卡) belongs to."""

    UNIT = "unit", _("结对单位")
    VILLAGE = "village", _("村党组织")
