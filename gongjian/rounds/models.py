"""Pairing rounds: schedule, task proposals, geography table, directory, intents,
allocation runs, pairings, agreements."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjian.orgs.models import Organization

# The vocabulary lives in choices.py (importable without the tables); its names stay
# importable from here.
from gongjian.rounds.choices import IntentStatus as IntentStatus
from gongjian.rounds.choices import PairingOrigin as PairingOrigin
from gongjian.rounds.choices import PairingStatus as PairingStatus
from gongjian.rounds.choices import RoundStatus as RoundStatus
from gongjian.rounds.choices import Stage as Stage


class Round(models.Model):
    """One round of pairing in a subtree, under one policy profile."""

    name = models.CharField(_("轮次名称"), max_length=128)
    scope = models.ForeignKey(Organization, verbose_name=_("组织范围"), on_delete=models.PROTECT, related_name="rounds")
    policy_key = models.CharField(_("政策配置"), max_length=64)
    status = models.CharField(_("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    intent_deadline = models.DateTimeField(_("意向确认截止"))
    # seed 004 (八) "需在4月30日前完成网上意向确认": both sides confirm their pair by this
    # moment; empty (rounds made before it existed): until the signing deadline.
    confirmation_deadline = models.DateTimeField(_("双方确认截止"), null=True, blank=True)
    signing_deadline = models.DateTimeField(_("正式签约截止"))
    term_start = models.DateField(_("协议期限起"))
    term_end = models.DateField(_("协议期限止"))
    previous_round = models.ForeignKey(
        "self", verbose_name=_("上一轮"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("发布名录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("结对轮次")
        verbose_name_plural = _("结对轮次")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class TaskProposal(models.Model):
    """任务建议书: how many villages a district or work committee is to take."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="task_proposals")
    committee = models.ForeignKey(Organization, verbose_name=_("区县/工作党委"), on_delete=models.PROTECT)
    villages_to_take = models.PositiveIntegerField(_("结对村数任务"))
    note = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("任务建议书")
        verbose_name_plural = _("任务建议书")
        constraints = [models.UniqueConstraint(fields=["round", "committee"], name="proposal_unique_committee")]

    def __str__(self) -> str:
        return f"{self.committee}：{self.villages_to_take}"


class RoundUnit(models.Model):
    """A unit taking part in the round, with its capacity for this round (from the task proposal)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Organization, verbose_name=_("结对单位"), on_delete=models.PROTECT, related_name="+")
    capacity = models.PositiveSmallIntegerField(_("本轮可结对村数"), validators=[MinValueValidator(0)])
    district = models.CharField(_("所属区县/工作党委"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("参与单位")
        verbose_name_plural = _("参与单位")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="round_unit_unique")]

    def __str__(self) -> str:
        return f"{self.unit}（{self.capacity}）"


class GeographyLink(models.Model):
    """对口安排表: a district (or work committee) helps villages of these counties."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="geography")
    district = models.CharField(_("帮扶方区县/工作党委"), max_length=128)
    county = models.CharField(_("受帮扶区县"), max_length=128)

    class Meta:
        verbose_name = _("对口安排")
        verbose_name_plural = _("对口安排表")
        constraints = [models.UniqueConstraint(fields=["round", "district", "county"], name="geography_unique")]

    def __str__(self) -> str:
        return f"{self.district} → {self.county}"


class DirectoryEntry(models.Model):
    """A village in the round's published directory (名录), with its places.

    ``stage`` and ``intent_count`` are kept by the services in the same transaction as the
    change that moves them, so that the status board is one GROUP BY even for a province.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="directory")
    village = models.ForeignKey(Organization, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    county = models.CharField(_("区县"), max_length=64, blank=True, db_index=True)
    town = models.CharField(_("乡镇"), max_length=64, blank=True)
    min_pairs = models.PositiveSmallIntegerField(_("至少结对单位数"), default=1)
    max_pairs = models.PositiveSmallIntegerField(_("至多结对单位数"), default=1)
    intent_count = models.PositiveIntegerField(_("意向数"), default=0)
    # Places held by last round's pair offered for renewal (待定 or agreed): seed 004 (八)
    # "在上一轮已经形成结对帮扶关系的单位，在双方自愿基础上，可续签". Kept by the services
    # (``stage.refresh_stage``) with ``stage``; intents may take only the places left after it.
    renewal_held = models.PositiveSmallIntegerField(_("续签占用名额"), default=0)
    stage = models.CharField(_("进度"), max_length=16, choices=Stage.choices, default=Stage.NONE, db_index=True)
    # A town (乡镇党委) listed beside the villages where the profile pairs towns too (seed 004
    # doc 1 (二)(四), ``coverage.towns_paired``): the boards count towns apart from villages.
    is_town = models.BooleanField(_("乡镇"), default=False)

    class Meta:
        verbose_name = _("名录村")
        verbose_name_plural = _("名录")
        constraints = [
            models.UniqueConstraint(fields=["round", "village"], name="directory_unique_village"),
            models.CheckConstraint(condition=Q(max_pairs__gte=models.F("min_pairs")), name="directory_max_ge_min"),
        ]
        indexes = [models.Index(fields=["round", "county", "town", "stage"])]

    def __str__(self) -> str:
        return str(self.village)

    @property
    def places_left(self) -> int:
        return max(0, self.max_pairs - self.intent_count - self.renewal_held)


class Intent(models.Model):
    """意向: a unit's ranked choice of a directory village; it holds one of the village's places."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="intents")
    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE, related_name="intents")
    unit = models.ForeignKey(Organization, verbose_name=_("结对单位"), on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("志愿顺序"), validators=[MinValueValidator(1)])
    status = models.CharField(_("状态"), max_length=16, choices=IntentStatus.choices, default=IntentStatus.ACTIVE)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("结对意向")
        verbose_name_plural = _("结对意向")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "unit"], condition=Q(status="active"), name="intent_one_active_per_unit_village"
            ),
            # One first choice, one second choice…: a unit's active ranks are unique in the round.
            models.UniqueConstraint(
                fields=["round", "unit", "rank"], condition=Q(status="active"), name="intent_unique_active_rank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.entry}（第{self.rank}志愿）"


class VillageWish(models.Model):
    """群众选对: a unit the village would welcome."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="wishes")
    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE, related_name="wishes")
    unit = models.ForeignKey(Organization, verbose_name=_("希望结对的单位"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("村意愿")
        verbose_name_plural = _("村意愿")
        constraints = [models.UniqueConstraint(fields=["entry", "unit"], name="wish_unique")]

    def __str__(self) -> str:
        return f"{self.entry} ← {self.unit}"


class AllocationRun(models.Model):
    """One run of the engine on the round, kept with its inputs so it can be re-derived."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField(_("序号"))
    open_only = models.BooleanField(_("仅重新匹配空缺村"), default=False)
    instance = models.JSONField(_("输入"))
    result = models.JSONField(_("结果"))
    pins = models.JSONField(_("指定结对"), default=list)
    forbids = models.JSONField(_("禁止结对"), default=list)
    covered_slots = models.PositiveIntegerField(_("已覆盖名额"))
    required_slots = models.PositiveIntegerField(_("应覆盖名额"))
    total_score = models.BigIntegerField(_("总得分"))
    seconds = models.FloatField(_("用时（秒）"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("分配方案")
        verbose_name_plural = _("分配方案")
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="run_unique_number")]

    def __str__(self) -> str:
        return f"{self.round} 方案{self.number}"


class Pairing(models.Model):
    """结对: a unit and a village paired in a round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="pairings")
    entry = models.ForeignKey(DirectoryEntry, on_delete=models.PROTECT, related_name="pairings")
    unit = models.ForeignKey(Organization, verbose_name=_("结对单位"), on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Organization, verbose_name=_("村"), on_delete=models.PROTECT, related_name="+")
    origin = models.CharField(_("来源"), max_length=16, choices=PairingOrigin.choices)
    run = models.ForeignKey(AllocationRun, null=True, blank=True, on_delete=models.PROTECT, related_name="pairings")
    score = models.IntegerField(_("得分"), default=0)
    reasons = models.CharField(_("得分构成"), max_length=255, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PairingStatus.choices, default=PairingStatus.PROPOSED, db_index=True
    )
    unit_confirmed_at = models.DateTimeField(_("单位确认时间"), null=True, blank=True)
    village_confirmed_at = models.DateTimeField(_("村确认时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    end_reason = models.TextField(_("终止原因"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "village"], condition=~Q(status="ended"), name="pairing_unique_live"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.village}"


class Agreement(models.Model):
    """共建协议书: generated PDF, signed by both sides in the app, archived with its hash."""

    pairing = models.OneToOneField(Pairing, on_delete=models.PROTECT, related_name="agreement")
    pdf = models.FileField(_("协议书"), upload_to="agreements/%Y/")
    sha256 = models.CharField(_("协议书摘要"), max_length=64)
    unit_signer_name = models.CharField(_("单位签署人"), max_length=64, blank=True)
    unit_signer_post = models.CharField(_("单位签署人职务"), max_length=64, blank=True)
    unit_signed_at = models.DateTimeField(_("单位签署时间"), null=True, blank=True)
    village_signer_name = models.CharField(_("村签署人"), max_length=64, blank=True)
    village_signer_post = models.CharField(_("村签署人职务"), max_length=64, blank=True)
    village_signed_at = models.DateTimeField(_("村签署时间"), null=True, blank=True)
    signed_pdf = models.FileField(_("已签署协议书"), upload_to="agreements/%Y/", blank=True)
    signed_sha256 = models.CharField(_("已签署协议书摘要"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("共建协议书")
        verbose_name_plural = _("共建协议书")

    def __str__(self) -> str:
        return f"{self.pairing} 协议书"


class Notification(models.Model):
    """An in-app message to an organization's users (e.g. both sides of an ended pairing)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("标题"), max_length=128)
    body = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


# Dynamic adjustment (动态调整) lives in its own module; imported here so Django registers it.
from gongjian.rounds.models_adjustment import PairingAdjustment  # noqa: E402, F401

# The helping side beyond the one unit: named plan per unit, 机关+企业 partners (models_helping).
from gongjian.rounds.models_helping import PairingPartner, UnitPlan  # noqa: E402, F401
