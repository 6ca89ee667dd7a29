"""The co-building vocabulary the obligations of a profile are written in (glossary: visitor
levels, 六个一, 五送). It belongs to the policy layer: a profile names these codes, and the
records app stores them (``gongjian.records.choices`` re-exports them for its models)."""

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
