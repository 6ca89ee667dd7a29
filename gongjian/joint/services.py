"""Writes for joint organizations (联建): set one up with its members, add and remove members,
adopt a version of the shared rules. Each runs in one transaction with its audit row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import Actor, audited
from gongjian.core.errors import Refused
from gongjian.joint.models import CharterItem, JointCharter, JointMembership, JointProfile, JointRole, JointType
from gongjian.orgs.models import Organization, OrgKind, OrgLevel
from gongjian.orgs.scope import can_manage, in_scope
from gongjian.orgs.services import organization_create

ENTERPRISE_KINDS = frozenset({OrgKind.STATE_ENTERPRISE, OrgKind.PRIVATE_ENTERPRISE})
# Who may be a member, and who may lead, for each form (seed 000: the enterprise's branch
# leads a 村企联建, a cooperative or a village a 村社联建, a central or strong village a 村村联建).
MEMBER_KINDS: dict[str, frozenset[str]] = {
    JointType.VILLAGE_ENTERPRISE: frozenset({OrgKind.VILLAGE}) | ENTERPRISE_KINDS,
    JointType.VILLAGE_COOPERATIVE: frozenset({OrgKind.VILLAGE, OrgKind.COOPERATIVE}),
    JointType.VILLAGE_VILLAGE: frozenset({OrgKind.VILLAGE}),
    # 联村党委 make villages, cooperatives and enterprises one community of interest (seed 003).
    JointType.JOINT_VILLAGE_COMMITTEE: frozenset({OrgKind.VILLAGE, OrgKind.COOPERATIVE}) | ENTERPRISE_KINDS,
}
LEAD_KINDS: dict[str, frozenset[str]] = {
    JointType.VILLAGE_ENTERPRISE: ENTERPRISE_KINDS,
    JointType.VILLAGE_COOPERATIVE: frozenset({OrgKind.VILLAGE, OrgKind.COOPERATIVE}),
    JointType.VILLAGE_VILLAGE: frozenset({OrgKind.VILLAGE}),
    JointType.JOINT_VILLAGE_COMMITTEE: frozenset({OrgKind.VILLAGE}),
}
# The committees that set joint organizations up (乡镇党委, 区县委…).
PARENT_KINDS = frozenset({OrgKind.TOWN, OrgKind.PARTY_COMMITTEE})
MIN_MEMBERS = 2


def joint_level(joint_type: str) -> str:
    """A 联村党委 is a committee; the other forms are joint general branches (联建党总支)."""
    return OrgLevel.COMMITTEE if joint_type == JointType.JOINT_VILLAGE_COMMITTEE else OrgLevel.GENERAL_BRANCH


def composition_problems(joint_type: str, members: Sequence[Organization], lead: Organization | None) -> dict[str, str]:
    """What is wrong with a set of members for a form of joint organization (field → reason)."""
    problems: dict[str, str] = {}
    allowed = MEMBER_KINDS.get(joint_type)
    if allowed is None:
        return {"joint_type": _("请选择联建类型")}
    label = JointType(joint_type).label
    wrong = [m.name for m in members if m.kind not in allowed]
    kinds = {m.kind for m in members}
    if wrong:
        problems["members"] = _("%(names)s 不能成为%(type)s的成员") % {"names": "、".join(wrong), "type": label}
    elif len({m.pk for m in members}) < MIN_MEMBERS:
        problems["members"] = _("联建组织至少需要 %(n)d 个成员组织") % {"n": MIN_MEMBERS}
    elif OrgKind.VILLAGE not in kinds:
        problems["members"] = _("联建组织至少需要 1 个村党组织")
    elif joint_type == JointType.VILLAGE_ENTERPRISE and not kinds & ENTERPRISE_KINDS:
        problems["members"] = _("村企联建至少需要 1 个企业党组织")
    elif joint_type == JointType.VILLAGE_COOPERATIVE and OrgKind.COOPERATIVE not in kinds:
        problems["members"] = _("村社联建至少需要 1 个合作社（协会）党组织")
    elif joint_type in (JointType.VILLAGE_VILLAGE, JointType.JOINT_VILLAGE_COMMITTEE) and (
        sum(1 for m in members if m.kind == OrgKind.VILLAGE) < MIN_MEMBERS
    ):
        problems["members"] = _("%(type)s至少需要 %(n)d 个村党组织") % {"type": label, "n": MIN_MEMBERS}
    if lead is None or lead.pk not in {m.pk for m in members}:
        problems["lead"] = _("牵头组织须是成员组织之一")
    elif lead.kind not in LEAD_KINDS[joint_type]:
        problems["lead"] = _("%(name)s 不能牵头%(type)s") % {"name": lead.name, "type": label}
    return problems


def joint_snapshot(joint: Organization) -> dict[str, Any]:
    profile = JointProfile.objects.filter(organization=joint).first()
    members = JointMembership.objects.filter(joint=joint, left_on__isnull=True).order_by("member_id")
    return {
        "code": joint.code,
        "name": joint.name,
        "parent_id": joint.parent_id,
        "joint_type": profile.joint_type if profile else "",
        "founded_on": profile.founded_on if profile else None,
        "members": [{"member_id": m.member_id, "role": m.role} for m in members],
    }


def _free_code(parent: Organization) -> str:
    """A code for a joint organization set up without one: LJ<parent id>-<n>."""
    n = Organization.objects.filter(parent=parent, kind=OrgKind.JOINT).count() + 1
    while Organization.objects.filter(code=f"LJ{parent.pk}-{n}").exists():
        n += 1
    return f"LJ{parent.pk}-{n}"


class JointRefused(Refused):
    """A joint organization's write that its rules do not allow (its composition, its dates,
    a lead leaving…): 409, or 422 naming the field at fault. ``errors`` holds every field's
    reason when several are wrong at once (a page shows each on its field)."""

    def __init__(self, message: Any = "", *, code: str, field: str = "", errors: Mapping[str, str] | None = None):
        reasons = {str(k): str(v) for k, v in (errors or {field: str(message)}).items()}
        field = field or next(iter(reasons), "")
        super().__init__(message or "；".join(reasons.values()), code=code, field=field)
        self.errors = reasons


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _check_member(actor: Actor | None, member: Organization) -> None:
    _require(actor is None or in_scope(actor, member), _("%(name)s 不在您的管理范围内") % {"name": member.name})
    if not member.is_active:
        raise JointRefused(
            _("%(name)s 已撤销，不能加入联建组织") % {"name": member.name}, code="member_retired", field="members"
        )


@audits_refusals
def joint_create(
    *,
    actor: Actor | None,
    parent: Organization,
    name: str,
    joint_type: str,
    members: Iterable[Organization],
    lead: Organization | None,
    founded_on: datetime.date | None = None,
    code: str = "",
    purpose: str = "",
    joined: Mapping[int, datetime.date | None] | None = None,
) -> Organization:
    """Set up a joint organization under ``parent`` (the committee that set it up) with its
    member organizations, one of them leading. Members must lie in the actor's subtree.
    ``joined`` gives members who joined after the founding their date (member id → date)."""
    members = list(members)
    founded_on = founded_on or timezone.localdate()
    joined_on = {pk: day for pk, day in (joined or {}).items() if day is not None}
    with audited("joint.create", actor=actor, scope_path=parent.path) as record:
        _require(actor is None or can_manage(actor, parent), _("无权在该组织下设立联建组织"))
        for member in members:
            _check_member(actor, member)
        if parent.kind not in PARENT_KINDS:
            raise JointRefused(_("联建组织应设在乡镇党委或地方党委之下"), code="parent_kind", field="parent")
        problems = composition_problems(joint_type, members, lead)
        if any(day < founded_on for day in joined_on.values()):
            problems["founded_on"] = _("加入日期不能早于联建组织成立日期")
        if problems:
            raise JointRefused(code="composition", errors=problems)
        joint = organization_create(
            actor=actor,
            parent=parent,
            code=code.strip().upper() or _free_code(parent),
            name=name.strip(),
            level=joint_level(joint_type),
            kind=OrgKind.JOINT,
            region=parent.region,
        )
        profile = JointProfile(organization=joint, joint_type=joint_type, founded_on=founded_on, purpose=purpose)
        profile.full_clean()
        profile.save()
        JointMembership.objects.bulk_create(
            JointMembership(
                joint=joint,
                member=m,
                role=JointRole.LEAD if lead is not None and m.pk == lead.pk else JointRole.MEMBER,
                joined_on=joined_on.get(m.pk, founded_on),
            )
            for m in {m.pk: m for m in members}.values()
        )
        record.target = joint
        record.scope_path = joint.path
        record.after = joint_snapshot(joint)
    return joint


def _profile(joint: Organization) -> JointProfile:
    profile = JointProfile.objects.filter(organization=joint).first()
    if profile is None:
        raise JointRefused(_("该组织不是联建组织"), code="not_joint")
    return profile


def _current(joint: Organization) -> list[JointMembership]:
    return list(JointMembership.objects.filter(joint=joint, left_on__isnull=True).select_related("member"))


@audits_refusals
def joint_member_add(
    *,
    actor: Actor | None,
    joint: Organization,
    member: Organization,
    role: str = JointRole.MEMBER,
    joined_on: datetime.date | None = None,
) -> JointMembership:
    """Add a member organization; adding a new lead makes the old lead an ordinary member."""
    joined_on = joined_on or timezone.localdate()
    with audited("joint.member_add", actor=actor, target=joint, scope_path=joint.path) as record:
        _require(actor is None or can_manage(actor, joint), _("无权管理该联建组织"))
        _check_member(actor, member)
        # Lock the joint so that two admins adding members at once see each other's rows.
        Organization.objects.select_for_update().filter(pk=joint.pk).first()
        profile = _profile(joint)
        current = _current(joint)
        record.before = joint_snapshot(joint)
        if member.pk == joint.pk or member.kind == OrgKind.JOINT:
            raise JointRefused(_("联建组织不能加入联建组织"), code="joint_in_joint", field="member")
        if any(m.member_id == member.pk for m in current):
            raise JointRefused(
                _("%(name)s 已是成员组织") % {"name": member.name}, code="already_member", field="member"
            )
        if member.kind not in MEMBER_KINDS[profile.joint_type]:
            label = JointType(profile.joint_type).label
            message = _("%(name)s 不能成为%(type)s的成员") % {"name": member.name, "type": label}
            raise JointRefused(message, code="member_kind", field="member")
        if role == JointRole.LEAD and member.kind not in LEAD_KINDS[profile.joint_type]:
            label = JointType(profile.joint_type).label
            message = _("%(name)s 不能牵头%(type)s") % {"name": member.name, "type": label}
            raise JointRefused(message, code="lead_kind", field="role")
        if joined_on < profile.founded_on:
            raise JointRefused(_("加入日期不能早于联建组织成立日期"), code="before_founding", field="joined_on")
        if role == JointRole.LEAD:
            JointMembership.objects.filter(joint=joint, left_on__isnull=True, role=JointRole.LEAD).update(
                role=JointRole.MEMBER
            )
        membership = JointMembership(joint=joint, member=member, role=role, joined_on=joined_on)
        membership.full_clean()
        membership.save()
        record.after = joint_snapshot(joint)
    return membership


@audits_refusals
def joint_member_remove(
    *,
    actor: Actor | None,
    membership: JointMembership,
    reason: str,
    left_on: datetime.date | None = None,
) -> JointMembership:
    """A member leaves (its row stays, with the date and reason). The lead cannot leave while
    others remain, and the rest must still make a joint organization of its form."""
    joint = membership.joint
    left_on = left_on or timezone.localdate()
    reason = reason.strip()
    with audited("joint.member_remove", actor=actor, target=joint, scope_path=joint.path) as record:
        _require(actor is None or can_manage(actor, joint), _("无权管理该联建组织"))
        Organization.objects.select_for_update().filter(pk=joint.pk).first()
        membership.refresh_from_db()
        profile = _profile(joint)
        record.before = joint_snapshot(joint)
        if membership.left_on is not None:
            day = f"{membership.left_on:%Y年%m月%d日}"
            raise JointRefused(_("该成员组织已于 %(day)s 退出") % {"day": day}, code="already_left")
        if not reason:
            raise JointRefused(_("请填写退出原因"), code="reason_missing", field="reason")
        if left_on < membership.joined_on or left_on > timezone.localdate():
            raise JointRefused(_("退出日期应在加入日期与今天之间"), code="left_on_out_of_range", field="left_on")
        if membership.role == JointRole.LEAD:
            raise JointRefused(_("牵头组织不能退出，请先指定新的牵头组织"), code="lead_leaving")
        rest = [m.member for m in _current(joint) if m.pk != membership.pk]
        lead = next((m.member for m in _current(joint) if m.role == JointRole.LEAD), None)
        problems = composition_problems(profile.joint_type, rest, lead)
        if "members" in problems:
            reason = _("退出后不再满足联建条件：%(reason)s") % {"reason": problems["members"]}
            raise JointRefused(reason, code="composition")
        membership.left_on = left_on
        membership.left_reason = reason[:255]
        membership.save(update_fields=["left_on", "left_reason"])
        record.after = {**joint_snapshot(joint), "left": membership.member_id, "reason": membership.left_reason}
    return membership


@audits_refusals
def joint_charter_adopt(
    *,
    actor: Actor | None,
    joint: Organization,
    text: str,
    items: Iterable[str] = (),
    adopted_on: datetime.date | None = None,
) -> JointCharter:
    """Adopt a new version of the joint organization's shared rules; earlier versions are kept."""
    adopted_on = adopted_on or timezone.localdate()
    items = sorted(set(items))
    with audited("joint.charter_adopt", actor=actor, target=joint, scope_path=joint.path) as record:
        _require(actor is None or can_manage(actor, joint), _("无权管理该联建组织"))
        Organization.objects.select_for_update().filter(pk=joint.pk).first()
        profile = _profile(joint)
        if not text.strip():
            raise JointRefused(_("请填写共同制度的内容"), code="text_missing", field="text")
        unknown = [i for i in items if i not in CharterItem.values]
        if unknown:
            message = _("无法识别的共享事项：%(items)s") % {"items": "、".join(unknown)}
            raise JointRefused(message, code="unknown_items", field="items")
        if adopted_on < profile.founded_on:
            raise JointRefused(_("通过日期不能早于联建组织成立日期"), code="before_founding", field="adopted_on")
        last = JointCharter.objects.filter(joint=joint).aggregate(v=Max("version"))["v"] or 0
        charter = JointCharter(joint=joint, version=last + 1, text=text.strip(), items=items, adopted_on=adopted_on)
        charter.full_clean()
        charter.save()
        record.after = {"version": charter.version, "items": items, "adopted_on": adopted_on, "text": charter.text}
    return charter
