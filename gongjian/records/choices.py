"""The co-building vocabulary shared by records, compliance, funds and members
(glossary: visit, six annual musts, five deliveries). Kept apart from the models so that
other apps can import the words without the tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitorLevel(models.TextChoices):
    """Who visited, as seed 004 doc 1 (10) sorts them."""

    PRINCIPAL = "principal", _("党委主要领导")
    TEAM_MEMBER = "team_member", _("班子成员")
    IN_CHARGE = "in_charge", _("分管领导")
    DEPARTMENT = "department", _("具体负责部门")


class SixMust(models.TextChoices):
    """六个一: what every pair does at least once a year (seed 004 doc 2)."""

    JOINT_MEETING = "joint_meeting", _("一次联席会议")
    WORK_PLAN = "work_plan", _("一份工作计划")
    PARTY_LESSON = "party_lesson", _("一次联合党课")
    CULTURE_SPORTS = "culture_sports", _("一次文体活动")
    VOLUNTEER = "volunteer", _("一次志愿服务")
    CONDOLENCE = "condolence", _("一次走访慰问")


class FiveDelivery(models.TextChoices):
    """五送 (seed 000)."""

    POLICY = "policy", _("送政策")
    INFORMATION = "information", _("送信息")
    FUNDS = "funds", _("送资金")
    TECHNOLOGY = "technology", _("送技术")
    WARMTH = "warmth", _("送温暖")


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
