"""The joint organizations' vocabulary (forms, roles, shared items): importable by pages and
forms without the models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JointType(models.TextChoices):
    """The four forms the seeds describe."""

    VILLAGE_ENTERPRISE = "village_enterprise", _("村企联建")
    VILLAGE_COOPERATIVE = "village_cooperative", _("村社联建")
    VILLAGE_VILLAGE = "village_village", _("村村联建")
    JOINT_VILLAGE_COMMITTEE = "joint_village_committee", _("联村党委")


class JointRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    MEMBER = "member", _("成员")


class CharterItem(models.TextChoices):
    """What joint organizations share (seed 003: 沂源 five work systems, three mechanisms, five
    measures; seed 000: 晋城 村企联建 jobs, infrastructure, shared resources)."""

    DIVISION = "division", _("成员分工负责")
    JOINT_MEETING = "joint_meeting", _("定期联席会议")
    DEMOCRATIC = "democratic", _("民主决策监督")
    SHARED_OFFICE = "shared_office", _("集中办公轮班")
    COORDINATION = "coordination", _("协调联动攻坚")
    CADRE_TRAINING = "cadre_training", _("班子联培")
    RESERVE = "reserve", _("后备联育")
    MEMBER_MANAGEMENT = "member_management", _("党员联管")
    INDUSTRY = "industry", _("产业联兴")
    ASSOCIATION = "association", _("协会联合")
    PUBLIC_WELFARE = "public_welfare", _("公益联办")
    CIVILITY = "civility", _("文明联促")
    WEAK_AID = "weak_aid", _("弱困联扶")
    PLANNING = "planning", _("统一编制区域发展规划")
    RESOURCE_SHARING = "resource_sharing", _("资源共享")
    JOBS = "jobs", _("企业为村民提供就业岗位")
    INFRASTRUCTURE = "infrastructure", _("共建基础设施")
