"""Joint organizations (联建): village–enterprise, village–cooperative and village–village joint
party branches, and joint village committees (联村党委) — seed 000 (Jincheng), seed 003 (Yiyuan).

A joint organization is itself an ``Organization`` node (kind ``joint``) placed under the
committee that set it up, so that it can be one party of a pairing and everything scoped by
the tree works for it. Its member organizations may lie anywhere (村村联建 across towns):
they are linked by ``JointMembership``, not by the tree. Its shared rules are ``JointCharter``
versions.

The tables keep the names they had when these models lived in ``orgs`` (``db_table``; the
move changed no data: ``joint/migrations/0001_initial.py``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from gongjian.joint.choices import CharterItem, JointRole, JointType

__all__ = ["CharterItem", "JointCharter", "JointMembership", "JointProfile", "JointRole", "JointType"]


class JointProfile(models.Model):
    """What a joint organization is besides a node of the tree."""

    organization = models.OneToOneField(
        "orgs.Organization",
        verbose_name=_("联建党组织"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="joint_profile",
    )
    joint_type = models.CharField(_("联建类型"), max_length=32, choices=JointType.choices)
    founded_on = models.DateField(_("成立日期"))
    purpose = models.TextField(_("共建目标"), blank=True)

    class Meta:
        db_table = "orgs_jointprofile"
        verbose_name = _("联建党组织")
        verbose_name_plural = _("联建党组织")

    def __str__(self) -> str:
        return str(self.organization)


class JointMembership(models.Model):
    """A member organization of a joint organization, from ``joined_on`` until ``left_on``.

    A member who leaves keeps its row (with ``left_on``): the history stays; current
    members are those with no ``left_on``.
    """

    joint = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("联建党组织"),
        on_delete=models.CASCADE,
        related_name="joint_memberships",
    )
    # Organizations are retired (is_active), not deleted; when one is deleted (demo reset,
    # deepest first, a cross-town joint above its members) its memberships go with it.
    member = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("成员组织"),
        on_delete=models.CASCADE,
        related_name="memberships_in_joints",
    )
    role = models.CharField(_("角色"), max_length=16, choices=JointRole.choices, default=JointRole.MEMBER)
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    left_reason = models.CharField(_("退出原因"), max_length=255, blank=True)

    class Meta:
        db_table = "orgs_jointmembership"
        verbose_name = _("联建成员")
        verbose_name_plural = _("联建成员")
        ordering = ["joint", "left_on", "role", "member__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["joint", "member"], condition=Q(left_on__isnull=True), name="joint_member_unique_current"
            ),
            models.UniqueConstraint(
                fields=["joint"], condition=Q(left_on__isnull=True, role="lead"), name="joint_one_current_lead"
            ),
            models.CheckConstraint(condition=~Q(joint=F("member")), name="joint_member_not_itself"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")), name="joint_left_after_joined"
            ),
        ]
        indexes = [models.Index(fields=["member", "left_on"])]

    def __str__(self) -> str:
        return f"{self.joint} — {self.member}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class JointCharter(models.Model):
    """A version of the shared rules (联建章程/工作制度) the joint organization adopted."""

    joint = models.ForeignKey(
        "orgs.Organization", verbose_name=_("联建党组织"), on_delete=models.CASCADE, related_name="joint_charters"
    )
    version = models.PositiveSmallIntegerField(_("版本"))
    text = models.TextField(_("共同制度"))
    items = models.JSONField(_("共享事项"), default=list, blank=True)
    adopted_on = models.DateField(_("通过日期"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        db_table = "orgs_jointcharter"
        verbose_name = _("联建章程")
        verbose_name_plural = _("联建章程")
        ordering = ["joint", "-version"]
        constraints = [models.UniqueConstraint(fields=["joint", "version"], name="joint_charter_unique_version")]

    def __str__(self) -> str:
        return f"{self.joint} v{self.version}"

    @property
    def item_labels(self) -> list[str]:
        """The shared items by name, in the vocabulary's order."""
        chosen = set(self.items or [])
        return [str(label) for value, label in CharterItem.choices if value in chosen]
