"""Dispatched cadres (选派干部): the talent pool (人才库) with its application → recommendation
→ vetting workflow, villages' needs profiles (村情需求档案), matching runs, appointments with
their terms, monthly work logs and end-of-term assessments (seed 000 晋城, seed 001)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongjian.core.fields import BlindIndexField, EncryptedCharField, EncryptedModel

# The vocabulary lives in choices.py (importable without the tables); its names stay
# importable from here.
from gongjian.dispatch.choices import AppointmentStatus as AppointmentStatus
from gongjian.dispatch.choices import CadreRole as CadreRole
from gongjian.dispatch.choices import CandidateStatus as CandidateStatus
from gongjian.dispatch.choices import Education as Education
from gongjian.dispatch.choices import Gender as Gender
from gongjian.dispatch.choices import Grade as Grade
from gongjian.dispatch.choices import PoliticalStatus as PoliticalStatus
from gongjian.dispatch.choices import StepKind as StepKind
from gongjian.orgs.models import Organization
from gongjian.orgs.personal_data import mask_id_number, mask_phone


class Skill(models.Model):
    """A cadre's speciality, and what a village needs a cadre for. The vocabulary is open."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("专长")
        verbose_name_plural = _("专长")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Candidate(EncryptedModel):
    """A person who volunteered to work in a village (自愿报名). Phone and ID number are
    personal data: masked by default, like :class:`gongjian.orgs.models.Person`."""

    name = models.CharField(_("姓名"), max_length=64)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    # SM4-encrypted, unique and found through the blind index (gongjian.core.fields).
    id_number = EncryptedCharField(_("身份证号"), max_length=18, kind="id_number", mask=mask_id_number)
    id_number_index = BlindIndexField(source="id_number", unique=True)
    phone = EncryptedCharField(
        _("手机号码"),
        max_length=20,
        validators=[RegexValidator(r"^1\d{10}$", _("手机号码应为 11 位数字，以 1 开头"))],
        kind="phone",
        mask=mask_phone,
    )
    phone_index = BlindIndexField(source="phone", db_index=True)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices)
    political_status = models.CharField(_("政治面貌"), max_length=16, choices=PoliticalStatus.choices)
    unit = models.ForeignKey(
        Organization, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="dispatch_candidates"
    )
    post = models.CharField(_("职务"), max_length=64, blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("专长"), blank=True, related_name="candidates")
    statement = models.TextField(_("个人简介和意愿"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.APPLIED, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("本人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dispatch_candidacies",
    )
    name_pinyin = models.CharField(_("全拼"), max_length=256, blank=True, db_index=True)
    name_initials = models.CharField(_("拼音首字母"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人才库人选")
        verbose_name_plural = _("人才库人选")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class CandidatePreference(models.Model):
    """Where a candidate would like to serve, in order: a county (区县委) or a village."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="preferences")
    rank = models.PositiveSmallIntegerField(_("志愿顺序"), validators=[MinValueValidator(1)])
    place = models.ForeignKey(Organization, verbose_name=_("意向地"), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("任职意向")
        verbose_name_plural = _("任职意向")
        ordering = ["candidate", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "rank"], name="dispatch_pref_unique_rank"),
            models.UniqueConstraint(fields=["candidate", "place"], name="dispatch_pref_unique_place"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.place}"


class CandidateStep(models.Model):
    """One step of a candidate's way, with who took it, when, and their comment."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("环节"), max_length=16, choices=StepKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人选办理记录")
        verbose_name_plural = _("人选办理记录")
        ordering = ["candidate", "at", "id"]

    def __str__(self) -> str:
        return f"{self.candidate} {self.get_kind_display()}"


class NeedsProfile(models.Model):
    """村情需求档案: a village's situation and the talent it needs, kept by the village and
    its town and county. Tags (weak, lax...) come from the registry."""

    village = models.OneToOneField(
        Organization, verbose_name=_("村"), on_delete=models.CASCADE, related_name="needs_profile"
    )
    population = models.PositiveIntegerField(_("人口"), null=True, blank=True)
    industries = models.CharField(_("主要产业"), max_length=255, blank=True)
    problems = models.TextField(_("突出问题"), blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("需要的专长"), blank=True, related_name="needed_by")
    cadres_needed = models.PositiveSmallIntegerField(_("需要选派干部人数"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("村情需求档案")
        verbose_name_plural = _("村情需求档案")
        ordering = ["village__path"]

    def __str__(self) -> str:
        return str(self.village)


class MatchRun(models.Model):
    """One run of the allocation engine on the pool, kept with its inputs and result."""

    scope = models.ForeignKey(Organization, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+")
    policy_key = models.CharField(_("政策配置"), max_length=64)
    instance = models.JSONField(_("输入"))
    result = models.JSONField(_("结果"))
    candidates = models.PositiveIntegerField(_("参与人选数"))
    villages = models.PositiveIntegerField(_("需选派村数"))
    candidate_pairs = models.PositiveIntegerField(_("候选组合数"))
    covered_slots = models.PositiveIntegerField(_("优先村已覆盖"))
    required_slots = models.PositiveIntegerField(_("优先村应覆盖"))
    matched = models.PositiveIntegerField(_("匹配人数"))
    total_score = models.BigIntegerField(_("总得分"))
    seconds = models.FloatField(_("用时（秒）"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("选派匹配方案")
        verbose_name_plural = _("选派匹配方案")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"选派匹配方案 {self.pk}"


class Appointment(models.Model):
    """任职: a candidate sent to a village for a term."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("选派干部"), on_delete=models.PROTECT, related_name="appointments"
    )
    village = models.ForeignKey(
        Organization, verbose_name=_("村"), on_delete=models.PROTECT, related_name="dispatched_cadres"
    )
    role = models.CharField(_("任职"), max_length=16, choices=CadreRole.choices)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"))
    incentives = models.TextField(_("激励保障措施"), blank=True)
    policy_key = models.CharField(_("政策配置"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.SERVING, db_index=True
    )
    run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments")
    score = models.IntegerField(_("匹配得分"), null=True, blank=True)
    reasons = models.CharField(_("匹配理由"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("选派任职")
        verbose_name_plural = _("选派任职")
        ordering = ["-term_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=models.Q(status="serving"),
                name="dispatch_one_serving_term",
            ),
            models.CheckConstraint(condition=models.Q(term_end__gt=models.F("term_start")), name="dispatch_term_order"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.village}"


class WorkLog(models.Model):
    """工作日志: what a cadre did in one month, submitted by the cadre."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="logs")
    month = models.DateField(_("月份"), help_text=_("该月 1 日"))
    content = models.TextField(_("本月工作"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作日志")
        verbose_name_plural = _("工作日志")
        ordering = ["appointment", "-month"]
        constraints = [models.UniqueConstraint(fields=["appointment", "month"], name="dispatch_log_unique_month")]

    def __str__(self) -> str:
        return f"{self.appointment} {self.month:%Y-%m}"


class Assessment(models.Model):
    """The end-of-term assessment, by the county."""

    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="assessment")
    grade = models.CharField(_("考核等次"), max_length=16, choices=Grade.choices)
    comment = models.TextField(_("考核评语"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("考核时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任期考核")
        verbose_name_plural = _("任期考核")

    def __str__(self) -> str:
        return f"{self.appointment} {self.get_grade_display()}"
