"""Reads of rounds: the list, one round, its summary and next steps, set-up (proposals,
units, geography), notifications and the round's tabs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.orgs.models import Organization, OrgLevel
from gongjian.orgs.scope import Scope, organizations_in_scope, scope_root, subtree
from gongjian.orgs.search import filter_by_name
from gongjian.policies import load_profile
from gongjian.rounds.access import acting_unit, acting_village, can_administer, is_admin, rounds_visible
from gongjian.rounds.models import (
    AllocationRun,
    DirectoryEntry,
    GeographyLink,
    Intent,
    IntentStatus,
    Notification,
    Pairing,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
    RoundUnit,
    Stage,
    TaskProposal,
)
from gongjian.rounds.services_setup import DISTRICT_LEVELS


def deadline_passed(moment: Any) -> bool:
    return bool(timezone.now() > moment)


# --- rounds -------------------------------------------------------------------------------


def round_list(*, user: Any) -> QuerySet[Round]:
    """Rounds the user takes part in or runs, newest first (pages, the API, the dashboard)."""
    return rounds_visible(user).select_related("scope").order_by("-created_at", "-pk")


def round_get(*, user: Any, pk: Any) -> Round:
    """One round the user takes part in or runs, or 404 (outside their scope)."""
    try:
        return round_list(user=user).select_related("previous_round").get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("轮次不存在或不在您的管理范围内")) from exc


def round_administered_get(*, user: Any, pk: Any) -> Round:
    """One round the user administers: 404 outside their scope, 403 inside it without the
    right (the set-up, allocation and adjustment pages)."""
    round_ = round_get(user=user, pk=pk)
    if not can_administer(user, round_):
        raise PermissionDenied
    return round_


def rounds_administered(*, user: Any) -> QuerySet[Round]:
    """Rounds whose whole scope lies in the admin's subtree (offered as a previous round)."""
    if not is_admin(user):
        return Round.objects.none()
    return Round.objects.filter(Scope.of(user).q("scope")).order_by("-created_at")


def round_scope_choices(*, user: Any) -> QuerySet[Organization]:
    """Nodes an admin may open a round on: their own node and the committees under it."""
    if not is_admin(user):
        return Organization.objects.none()
    levels = {OrgLevel.PROVINCE_COMMITTEE, OrgLevel.CITY_COMMITTEE, *DISTRICT_LEVELS}
    return organizations_in_scope(user).filter(level__in=levels, is_active=True).order_by("path")


def user_root(*, user: Any) -> Organization | None:
    """The node the user works in (their organization), or None."""
    return scope_root(user)


@dataclass(frozen=True)
class RoundSummary:
    """The round's figures for its detail page."""

    directory: int
    units: int
    intents: int
    runs: int
    proposals: int
    geography: int
    stages: dict[str, int]
    pairings: dict[str, int]

    @property
    def stage_rows(self) -> list[tuple[str, int]]:
        """(label, villages) for every stage, in the order a village moves through them."""
        return [(str(label), self.stages.get(value, 0)) for value, label in Stage.choices]

    @property
    def pairing_rows(self) -> list[tuple[str, int]]:
        return [(str(label), self.pairings.get(value, 0)) for value, label in PairingStatus.choices]


def round_summary(*, user: Any, round_: Round) -> RoundSummary:
    """Counts of the round's directory, units, intents, runs and pairings (one GROUP BY each)."""
    stages = dict(DirectoryEntry.objects.filter(round=round_).values_list("stage").annotate(n=Count("id")).order_by())
    pairings = dict(Pairing.objects.filter(round=round_).values_list("status").annotate(n=Count("id")).order_by())
    return RoundSummary(
        directory=sum(stages.values()),
        units=RoundUnit.objects.filter(round=round_).count(),
        intents=Intent.objects.filter(round=round_, status=IntentStatus.ACTIVE).count(),
        runs=AllocationRun.objects.filter(round=round_).count(),
        proposals=TaskProposal.objects.filter(round=round_).count(),
        geography=GeographyLink.objects.filter(round=round_).count(),
        stages=stages,
        pairings=pairings,
    )


@dataclass(frozen=True)
class Step:
    """Something the user can do next, in plain words, with the page that does it."""

    text: str
    url_name: str = ""


def round_next_steps(*, user: Any, round_: Round) -> list[Step]:
    """What the user can do next in this round, in the order they would do it."""
    steps: list[Step] = []
    intent_open = round_.status == RoundStatus.OPEN and not deadline_passed(round_.intent_deadline)
    signing_open = round_.status in (RoundStatus.OPEN, RoundStatus.PUBLISHED) and not deadline_passed(
        round_.signing_deadline
    )
    if can_administer(user, round_):
        if round_.status == RoundStatus.DRAFT:
            steps += [
                Step(_("下达任务建议书：明确各区县、工作党委的结对村数任务"), "rounds:proposals"),
                Step(_("发布名录：本轮范围内的村和有结对能力的单位进入名录，单位开始选择"), "rounds:detail"),
                Step(_("名录发布后可导入对口安排表（区县 ↔ 受帮扶区县）"), "rounds:geography"),
            ]
        elif round_.status == RoundStatus.OPEN:
            steps += [
                Step(_("调整各单位本轮可结对村数"), "rounds:proposals"),
                Step(_("导入对口安排表"), "rounds:geography"),
                Step(_("运行组织分配，查看方案、指定或禁止结对后重新运行，满意后发布"), "rounds:allocation"),
                Step(_("如需延长截止日期，可调整截止时间（记入审计日志）"), "rounds:deadline"),
            ]
        elif round_.status == RoundStatus.PUBLISHED:
            steps += [
                Step(_("跟踪结对双方的确认情况"), "rounds:pairings"),
                Step(_("必要时调整结对，并对空缺村重新匹配"), "rounds:allocation"),
                Step(_("如需延长签约截止日期，可调整截止时间"), "rounds:deadline"),
            ]
        return steps
    unit, village = acting_unit(user), acting_village(user)
    side_filter = Q(unit=unit) if unit is not None else Q(village=village)
    if unit is None and village is None:
        steps.append(Step(_("本轮由组织部门统一组织，您可以查看名录和本范围内的结对情况"), "rounds:directory"))
        return steps
    waiting = (
        Pairing.objects.filter(round=round_, status=PairingStatus.PROPOSED)
        .filter(side_filter)
        .filter(Q(unit_confirmed_at__isnull=True) if unit is not None else Q(village_confirmed_at__isnull=True))
    )
    renewals = waiting.filter(origin=PairingOrigin.RENEWAL).count()
    if renewals and signing_open:
        steps.append(
            Step(_("上一轮的结对可以续签：请选择同意续签或不续签（%(n)d 项）") % {"n": renewals}, "rounds:renewals")
        )
    if unit is not None and intent_open:
        held = Intent.objects.filter(round=round_, unit=unit, status=IntentStatus.ACTIVE).count()
        round_unit = RoundUnit.objects.filter(round=round_, unit=unit).first()
        if round_unit is None:
            steps.append(Step(_("本单位不在本轮参与单位之列，无需选择"), ""))
        else:
            limit = round_unit.capacity + load_profile(round_.policy_key).round.extra_intents
            steps.append(
                Step(
                    _("浏览名录，按志愿顺序选择结对村（已提交 %(held)d 个，最多 %(limit)d 个）")
                    % {"held": held, "limit": limit},
                    "rounds:directory",
                )
            )
            if held:
                steps.append(Step(_("查看或撤回本单位的意向"), "rounds:my_intents"))
    if village is not None and intent_open:
        steps.append(Step(_("填写本村群众希望结对的单位（群众选对）"), "rounds:wishes"))
    others = waiting.exclude(origin=PairingOrigin.RENEWAL).count()
    if others and signing_open:
        steps.append(Step(_("确认组织分配的结对（%(n)d 项待确认）") % {"n": others}, "rounds:pairings"))
    if not steps:
        steps.append(Step(_("当前无需操作，可查看本单位的结对情况"), "rounds:pairings"))
    return steps


# --- set-up --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalRow:
    committee: Organization
    villages_to_take: int | None
    note: str
    units: int
    capacity: int


def proposal_rows(*, user: Any, round_: Round) -> list[ProposalRow]:
    """One row per district / work committee of the round's scope, with its task proposal and
    the units and capacity it has in the round."""
    committees = list(subtree(round_.scope).filter(level__in=DISTRICT_LEVELS).order_by("path"))
    proposals = {p.committee_id: p for p in TaskProposal.objects.filter(round=round_)}
    per_district: dict[str, dict[str, Any]] = {
        row["district"]: dict(row)
        for row in RoundUnit.objects.filter(round=round_)
        .values("district")
        .annotate(n=Count("id"), capacity=Sum("capacity"))
        .order_by()
    }
    rows = []
    for committee in committees:
        proposal = proposals.get(committee.pk)
        stats = per_district.get(committee.name, {})
        rows.append(
            ProposalRow(
                committee=committee,
                villages_to_take=proposal.villages_to_take if proposal else None,
                note=proposal.note if proposal else "",
                units=stats.get("n", 0),
                capacity=stats.get("capacity", 0) or 0,
            )
        )
    return rows


def round_units(*, user: Any, round_: Round, query: str = "", district: str = "") -> QuerySet[RoundUnit]:
    """The round's participating units (the round is visible: its participants are public to it)."""
    qs = RoundUnit.objects.filter(round=round_).select_related("unit")
    qs = filter_by_name(qs, query, prefix="unit__")
    if district:
        qs = qs.filter(district=district)
    return qs.order_by("district", "unit__path")


def round_districts(*, round_: Round) -> list[str]:
    return sorted(d for d in RoundUnit.objects.filter(round=round_).values_list("district", flat=True).distinct() if d)


def round_unit_get(*, user: Any, round_: Round, pk: int) -> RoundUnit:
    try:
        return round_units(user=user, round_=round_).get(pk=pk)
    except (RoundUnit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def round_unit_organizations(*, user: Any, round_: Round) -> QuerySet[Organization]:
    """The participating units as organizations (the choices of 群众选对)."""
    return Organization.objects.filter(pk__in=RoundUnit.objects.filter(round=round_).values("unit_id")).order_by("path")


def geography_links(*, user: Any, round_: Round) -> QuerySet[GeographyLink]:
    return GeographyLink.objects.filter(round=round_).order_by("district", "county")


# --- notifications -------------------------------------------------------------------------


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """Messages to the user's own organization, newest first."""
    root = scope_root(user)
    if root is None:
        return Notification.objects.none()
    return Notification.objects.filter(organization=root).order_by("-created_at", "-pk")


def round_tabs(*, user: Any, round_: Round) -> list[Step]:
    """The round's pages this user has, for the tab bar (what each role may open)."""
    tabs = [Step(_("概况"), "rounds:detail"), Step(_("名录"), "rounds:directory")]
    if can_administer(user, round_):
        tabs += [
            Step(_("任务建议书"), "rounds:proposals"),
            Step(_("对口安排表"), "rounds:geography"),
            Step(_("组织分配"), "rounds:allocation"),
        ]
    if acting_unit(user) is not None:
        tabs.append(Step(_("本单位意向"), "rounds:my_intents"))
    if acting_village(user) is not None:
        tabs.append(Step(_("群众选对"), "rounds:wishes"))
    if round_.previous_round_id and (acting_unit(user) is not None or acting_village(user) is not None):
        tabs.append(Step(_("续签"), "rounds:renewals"))
    tabs.append(Step(_("结对"), "rounds:pairings"))
    tabs.append(Step(_("动态调整"), "rounds:adjustments"))
    if acting_unit(user) is not None or can_administer(user, round_):
        tabs.append(Step(_("帮扶方案"), "rounds:unit_plan"))
    tabs.append(Step(_("进度看板"), "portal:internal_board"))
    return tabs
