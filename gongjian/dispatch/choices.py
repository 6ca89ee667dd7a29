"""The dispatch vocabulary (a candidate's gender, education, political status and status, the
steps of vetting, a cadre's role, an appointment's status, the term assessment's grades).
Kept apart from the models so that pages, forms and the API can name the words without the
tables."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专/高中")
    OTHER = "other", _("其他")


class PoliticalStatus(models.TextChoices):
    MEMBER = "member", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    LEAGUE = "league", _("共青团员")
    OTHER_PARTY = "other_party", _("民主党派")
    MASSES = "masses", _("群众")


class CandidateStatus(models.TextChoices):
    APPLIED = "applied", _("已报名")
    RECOMMENDED = "recommended", _("单位已推荐")
    POOLED = "pooled", _("已入库")
    REJECTED = "rejected", _("未通过考察")
    APPOINTED = "appointed", _("已选派任职")


class StepKind(models.TextChoices):
    APPLY = "apply", _("自愿报名")
    RECOMMEND = "recommend", _("单位推荐")
    APPROVE = "approve", _("组织考察通过，入库")
    REJECT = "reject", _("组织考察未通过")
    APPOINT = "appoint", _("选派任职")
    END = "end", _("任期结束")


class CadreRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", _("第一书记")
    RESIDENT = "resident", _("驻村干部")


class AppointmentStatus(models.TextChoices):
    SERVING = "serving", _("在任")
    ENDED = "ended", _("任期结束")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")
