"""The co-building archive (共建档案) of a signed pairing: visits, 六个一, 五送, projects,
the three cards (三卡) and quarterly reports.

Compliance aggregates these tables with one GROUP BY over a province (millions of rows),
so every per-pairing table carries an index on (pairing, date) and plain columns that
SQL can group by (kind, level, month). No logic lives here: writes go through the
services, reads through the selectors.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjian.core.fields import BlindIndexField, EncryptedCharField, EncryptedModel
from gongjian.orgs.models import Organization
from gongjian.orgs.personal_data import mask_phone
from gongjian.records.choices import (
    CardStatus,
    ContactSide,
    FeedbackStatus,
    FiveDelivery,
    ProjectStatus,
    ReportStatus,
    SixMust,
    VisitorLevel,
)
from gongjian.records.validators import validate_evidence, validate_photo
from gongjian.rounds.models import Pairing

USER = settings.AUTH_USER_MODEL


class Visit(models.Model):
    """走访: who of the unit visited the village, when, at which level, and what was done."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="visits")
    date = models.DateField(_("走访日期"))
    visitor_level = models.CharField(_("走访人员层级"), max_length=16, choices=VisitorLevel.choices)
    visitors = models.CharField(_("走访人员（姓名、职务）"), max_length=255)
    content = models.TextField(_("走访内容"))
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["pairing", "date"], name="records_visit_pair_date")]

    def __str__(self) -> str:
        return f"{self.pairing} {self.date} {self.get_visitor_level_display()}"


class VisitPhoto(models.Model):
    """A photo taken on a visit (jpg/png/webp/gif, at most 10 MB)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to="records/visits/%Y/%m/", validators=[validate_photo])
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")

    def __str__(self) -> str:
        return self.image.name or ""


class SixMustRecord(models.Model):
    """One of the 六个一 done by the pair (seed 004 doc 2)."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="six_musts")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("项目"), max_length=16, choices=SixMust.choices)
    content = models.TextField(_("内容"))
    evidence = models.FileField(
        _("佐证材料"), upload_to="records/six/%Y/%m/", blank=True, validators=[validate_evidence]
    )
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("六个一记录")
        verbose_name_plural = _("六个一记录")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["pairing", "date"], name="records_six_pair_date")]

    def __str__(self) -> str:
        return f"{self.pairing} {self.date} {self.get_kind_display()}"


class Delivery(models.Model):
    """One of the 五送 (seed 000); ``amount`` only where money or goods have a value."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="deliveries")
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类别"), max_length=16, choices=FiveDelivery.choices)
    content = models.TextField(_("内容"))
    amount = models.DecimalField(
        _("折合金额（元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("五送记录")
        verbose_name_plural = _("五送记录")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["pairing", "date"], name="records_delivery_pair_date")]

    def __str__(self) -> str:
        return f"{self.pairing} {self.date} {self.get_kind_display()}"


class Project(models.Model):
    """A visible, checkable, assessable co-building project (seed 004 doc 1 (10))."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(_("项目名称"), max_length=128)
    goal = models.TextField(_("项目目标"))
    budget = models.DecimalField(_("预算（元）"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("计划完成日期"))
    status = models.CharField(_("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(
        _("进度（%）"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("共建项目")
        verbose_name_plural = _("共建项目")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["pairing", "start"], name="records_project_pair_start")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="records_project_progress_le_100"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="records_project_end_ge_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A step of a project with its due date; ``done_on`` once reached."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=128)
    due = models.DateField(_("计划日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title


class ProjectEvidence(models.Model):
    """A file proving a project's progress (photo, acceptance report, invoice...)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="records/projects/%Y/%m/", validators=[validate_evidence])
    note = models.CharField(_("说明"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("项目佐证")
        verbose_name_plural = _("项目佐证")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.note or self.file.name or ""


class FeedbackCard(models.Model):
    """意见反馈卡: a villager's opinion entered by the village, answered by the unit, closed by
    the village. Overdue = not yet answered and ``due`` has passed."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="feedback_cards"
    )
    villager_name = models.CharField(_("反映人"), max_length=64)
    opinion = models.TextField(_("意见建议"))
    entered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("登记时间"))
    due = models.DateField(_("答复期限"))
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN)

    class Meta:
        verbose_name = _("意见反馈卡")
        verbose_name_plural = _("意见反馈卡")
        ordering = ["-entered_at", "-id"]
        indexes = [
            models.Index(fields=["pairing", "entered_at"], name="records_feedback_pair_entered"),
            models.Index(fields=["status", "due"], name="records_feedback_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.villager_name}：{self.opinion[:20]}"


class PerformanceCard(models.Model):
    """工作实绩卡: the unit's work of one month (``month`` = its first day), countersigned by
    the village with its comment and received by the unit's superior committee (seed 000:
    "每月将联村工作记录，经所联村党组织签注意见，报上级党委")."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("结对"), on_delete=models.PROTECT, related_name="performance_cards"
    )
    month = models.DateField(_("月份"))
    work = models.TextField(_("本月工作实绩"))
    status = models.CharField(_("状态"), max_length=16, choices=CardStatus.choices, default=CardStatus.DRAFT)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    countersigned_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    countersigned_at = models.DateTimeField(_("会签时间"), null=True, blank=True)
    village_comment = models.TextField(_("村党组织签注意见"), blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(_("上级党委收阅时间"), null=True, blank=True)
    return_comment = models.TextField(_("退回意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工作实绩卡")
        verbose_name_plural = _("工作实绩卡")
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "month"], name="records_card_unique_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="records_card_month_first_day"),
        ]
        indexes = [models.Index(fields=["status", "month"], name="records_card_status_month")]

    def __str__(self) -> str:
        return f"{self.pairing} {self.month:%Y-%m}"


class QuarterlyReport(models.Model):
    """A reporting unit's quarterly report to its superior, assembled from the records."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("报告单位"), on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    body = models.TextField(_("报告正文"))
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("季度报告")
        verbose_name_plural = _("季度报告")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "quarter"], name="records_report_unique_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="records_report_quarter_1_4"),
        ]
        indexes = [models.Index(fields=["year", "quarter", "status"], name="records_report_quarter_status")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年第{self.quarter}季度"


class Contact(EncryptedModel):
    """A line of the contact card (活动联系卡): a person of either side of the pairing."""

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对"), on_delete=models.CASCADE, related_name="contacts")
    side = models.CharField(_("所属方"), max_length=8, choices=ContactSide.choices)
    name = models.CharField(_("姓名"), max_length=64)
    post = models.CharField(_("职务"), max_length=64, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=20, blank=True, kind="phone", mask=mask_phone)  # SM4
    phone_index = BlindIndexField(source="phone", db_index=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("联系人")
        verbose_name_plural = _("联系人")
        ordering = ["side", "position", "id"]
        indexes = [models.Index(fields=["pairing", "side"], name="records_contact_pair_side")]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"


class InspectionNotice(models.Model):
    """半年督查通报: a committee's half-year notice on its subtree's co-building, generated from
    the records as a PDF in official-document layout and kept with its SHA-256 and figures."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("通报单位"), on_delete=models.PROTECT, related_name="inspection_notices"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    half = models.PositiveSmallIntegerField(_("半年"), validators=[MinValueValidator(1), MaxValueValidator(2)])
    pdf = models.FileField(_("通报"), upload_to="records/notices/%Y/")
    sha256 = models.CharField(_("摘要"), max_length=64)
    figures = models.JSONField(_("统计数据"), default=dict)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("半年督查通报")
        verbose_name_plural = _("半年督查通报")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年{'上' if self.half == 1 else '下'}半年督查通报"


# The practices of a pair added for seeds 000 and 002 (五个一, public commitments), in modules of their own.
from gongjian.records.models_commitments import Commitment, CommitmentReview  # noqa: E402, F401
from gongjian.records.models_five_ones import FiveOneEvidence, FiveOneTarget  # noqa: E402, F401

# The party members' quarterly reports to their unit's organization (seed 004 doc 5 三、3).
from gongjian.records.models_member_reports import MemberReport  # noqa: E402, F401

# What the village does for its unit (双向受益, seed 002; seed 004 doc 2 二、3).
from gongjian.records.models_village_duties import VillageDuty  # noqa: E402, F401
