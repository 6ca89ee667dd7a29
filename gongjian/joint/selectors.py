"""Reads about joint organizations (联建), filtered through :func:`organizations_visible`: a
user sees the joint organizations of their subtree, and read-only those an organization of
their subtree belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from gongjian.joint.models import JointCharter, JointMembership
from gongjian.orgs.models import Organization, OrgKind, VillageFigure
from gongjian.orgs.scope import ADMIN_ROLES, Scope, ScopedUser, can_manage, in_scope, organizations_in_scope
from gongjian.orgs.scope import under as in_subtree
from gongjian.orgs.search import filter_by_name
from gongjian.rounds.models import Pairing, PairingStatus


def organizations_visible(user: ScopedUser | Any) -> QuerySet[Organization]:
    """Every organization the user may read: their subtree and — read-only — the joint
    organizations an organization of the subtree currently belongs to, wherever in the tree
    those were set up (村村联建 across towns). Writes still need the subtree."""
    scope = Scope.of(user)
    if scope.root is None:
        return Organization.objects.none()
    joined = JointMembership.objects.filter(scope.q("member"), left_on__isnull=True).values("joint_id")
    return Organization.objects.filter(scope.q() | Q(pk__in=joined))


def can_view(user: ScopedUser | Any, organization: Organization) -> bool:
    """Whether the user may read the organization (see :func:`organizations_visible`)."""
    return in_scope(user, organization) or organizations_visible(user).filter(pk=organization.pk).exists()


def _current_members() -> Prefetch:
    return Prefetch(
        "joint_memberships",
        queryset=JointMembership.objects.filter(left_on__isnull=True).select_related("member"),
        to_attr="current_members",
    )


def joint_list(*, user: Any, query: str = "", joint_type: str = "") -> QuerySet[Organization]:
    """Joint organizations the user may see, with their profile and current members."""
    qs = (
        organizations_visible(user)
        .filter(kind=OrgKind.JOINT)
        .select_related("joint_profile", "parent", "region")
        .prefetch_related(_current_members())
    )
    qs = filter_by_name(qs, query)
    if joint_type:
        qs = qs.filter(joint_profile__joint_type=joint_type)
    return qs.order_by("path")


def joint_get(*, user: Any, pk: int) -> Organization:
    """One joint organization the user may see, or 404."""
    try:
        return joint_list(user=user).get(pk=pk)
    except (Organization.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def joint_members(*, user: Any, joint: Organization, with_former: bool = True) -> QuerySet[JointMembership]:
    """The members of a joint organization the user may see (current first, then former)."""
    qs = JointMembership.objects.filter(joint__in=organizations_visible(user), joint=joint)
    if not with_former:
        qs = qs.filter(left_on__isnull=True)
    # Current members first, the lead before the others, then by pinyin.
    return qs.select_related("member", "member__parent").order_by(
        F("left_on").desc(nulls_first=True), "role", "member__name_pinyin"
    )


def joint_membership_get(*, user: Any, joint: Organization, pk: int) -> JointMembership:
    try:
        return joint_members(user=user, joint=joint).get(pk=pk)
    except (JointMembership.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def joints_of_member(*, user: Any, organization: Organization) -> QuerySet[JointMembership]:
    """The joint organizations ``organization`` currently belongs to (所属联建组织)."""
    return (
        JointMembership.objects.filter(member=organization, left_on__isnull=True, joint__in=organizations_visible(user))
        .select_related("joint", "joint__joint_profile")
        .order_by("joint__path")
    )


def joint_charters(*, user: Any, joint: Organization) -> QuerySet[JointCharter]:
    """Every version of the shared rules, newest first."""
    return JointCharter.objects.filter(joint__in=organizations_visible(user), joint=joint).order_by("-version")


def member_candidates(
    *, user: Any, kinds: frozenset[str] | set[str], under: Organization | None = None
) -> QuerySet[Organization]:
    """Organizations an admin may make members: active ones of the given kinds in their
    subtree (and under ``under``, the committee setting the joint organization up)."""
    if getattr(user, "role", "") not in ADMIN_ROLES:
        return Organization.objects.none()
    qs = organizations_in_scope(user).filter(kind__in=kinds, is_active=True)
    if under is not None:
        qs = qs.filter(in_subtree(under))
    return qs.order_by("path")


def parent_candidates(*, user: Any, kinds: frozenset[str] | set[str]) -> QuerySet[Organization]:
    """Committees under which an admin may set up a joint organization."""
    if getattr(user, "role", "") not in ADMIN_ROLES:
        return Organization.objects.none()
    return organizations_in_scope(user).filter(kind__in=kinds, is_active=True).order_by("path")


def joint_can_manage(*, user: Any, joint: Organization) -> bool:
    return can_manage(user, joint)


@dataclass
class PoolRow:
    """One member village and its figures (the latest year, or the year asked for)."""

    village: Organization
    year: int | None = None
    households: int | None = None
    population: int | None = None
    party_members: int | None = None
    collective_income: Decimal | None = None


@dataclass
class JointPoolSummary:
    """The member villages of a joint organization and their figures summed (资源统筹)."""

    rows: list[PoolRow] = field(default_factory=list)
    households: int = 0
    population: int = 0
    party_members: int = 0
    collective_income: Decimal = Decimal("0")
    missing: int = 0  # member villages without figures (for that year)

    @property
    def villages(self) -> int:
        return len(self.rows)


def joint_pool_summary(*, user: Any, joint: Organization, year: int | None = None) -> JointPoolSummary:
    """The current member villages of a joint organization the user may see, each with its
    figures (``year``, or each village's latest), and their totals."""
    memberships = joint_members(user=user, joint=joint, with_former=False).filter(member__kind=OrgKind.VILLAGE)
    villages = [m.member for m in memberships]
    figures = VillageFigure.objects.filter(village__in=villages)
    if year is not None:
        figures = figures.filter(year=year)
    latest: dict[int, VillageFigure] = {}
    for found in figures.order_by("village_id", "-year"):
        latest.setdefault(found.village_id, found)
    summary = JointPoolSummary()
    for village in villages:
        figure = latest.get(village.pk)
        if figure is None:
            summary.rows.append(PoolRow(village=village))
            summary.missing += 1
            continue
        row = PoolRow(
            village=village,
            year=figure.year,
            households=figure.households,
            population=figure.population,
            party_members=figure.party_members,
            collective_income=figure.collective_income,
        )
        summary.rows.append(row)
        summary.households += row.households or 0
        summary.population += row.population or 0
        summary.party_members += row.party_members or 0
        summary.collective_income += row.collective_income or Decimal("0")
    return summary


def joint_pairings(*, user: Any, joint: Organization) -> list[Any]:
    """The live pairings in which the joint organization is the village side, for anyone who
    may see the joint organization (its members' users included)."""
    if not organizations_visible(user).filter(pk=joint.pk).exists():
        return []
    return list(
        Pairing.objects.filter(village=joint)
        .exclude(status=PairingStatus.ENDED)
        .select_related("unit", "round")
        .order_by("-round__created_at", "unit__name")
    )
