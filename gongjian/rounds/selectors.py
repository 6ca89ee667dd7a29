"""Reads for the round pages, always given the acting user and filtered to what they may see.

Visibility of a round comes from :func:`gongjian.rounds.access.rounds_visible` (built on the
tree's scope); a round, entry, run or pairing outside it is a 404. Inside a visible round the
directory is public to every participant (it is published), while intents, wishes, runs and
pairings are narrowed to the side the user speaks for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjian.core.policies import load_profile
from gongjian.orgs.models import Organization, OrgLevel, VillageFigure
from gongjian.orgs.scope import filter_by_organization, organizations_in_scope, scope_root, subtree_path
from gongjian.orgs.search import filter_by_name, name_condition
from gongjian.rounds import board
from gongjian.rounds.access import acting_unit, acting_village, can_administer, is_admin, rounds_visible
from gongjian.rounds.models import (
    Agreement,
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
    VillageWish,
)
from gongjian.rounds.services_setup import DISTRICT_LEVELS

# Score components of the engine (``preference:100;affinity:60``) in the words of the department.
COMPONENT_LABELS = {
    "preference": gettext_lazy("志愿"),
    "affinity": gettext_lazy("结对原则"),
    "renewal": gettext_lazy("续签"),
    "needs": gettext_lazy("需求匹配"),
    "given": gettext_lazy("给定分值"),
}


# --- rounds -------------------------------------------------------------------------------


def round_list(*, user: Any) -> QuerySet[Round]:
    """Rounds the user takes part in or runs, newest first."""
    return rounds_visible(user).select_related("scope").order_by("-created_at", "-pk")


def round_get(*, user: Any, pk: int) -> Round:
    """One visible round, or 404."""
    try:
        return round_list(user=user).select_related("previous_round").get(pk=pk)
    except (Round.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def rounds_administered(*, user: Any) -> QuerySet[Round]:
    """Rounds whose whole scope lies in the admin's subtree (offered as a previous round)."""
    if not is_admin(user):
        return Round.objects.none()
    return filter_by_organization(Round.objects.all(), user, "scope").order_by("-created_at")


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


def _deadline_passed(moment: Any) -> bool:
    return bool(timezone.now() > moment)


def round_next_steps(*, user: Any, round_: Round) -> list[Step]:
    """What the user can do next in this round, in the order they would do it."""
    steps: list[Step] = []
    intent_open = round_.status == RoundStatus.OPEN and not _deadline_passed(round_.intent_deadline)
    signing_open = round_.status in (RoundStatus.OPEN, RoundStatus.PUBLISHED) and not _deadline_passed(
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
    committees = list(
        Organization.objects.filter(path__startswith=round_.scope.path, level__in=DISTRICT_LEVELS).order_by("path")
    )
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


# --- directory -----------------------------------------------------------------------------


def _with_village_details(qs: QuerySet[DirectoryEntry]) -> QuerySet[DirectoryEntry]:
    """Tags, needs and figures (newest year first, as ``village.figures_desc``) in four queries
    for the whole page, not four per row."""
    return qs.select_related("village").prefetch_related(
        "village__tags",
        "village__needs",
        Prefetch("village__figures", queryset=VillageFigure.objects.order_by("-year"), to_attr="figures_desc"),
    )


def directory_list(
    *,
    user: Any,
    round_: Round,
    county: str = "",
    town: str = "",
    tag: str = "",
    need: str = "",
    query: str = "",
) -> QuerySet[DirectoryEntry]:
    """The round's published directory, filtered (the status board's filters: county, town,
    tag, need, name / pinyin / initials); each entry with its village's tags, needs, latest
    figures, and ``intent_count`` / ``places_left``."""
    qs = board.directory_entries(
        user=user, round_=round_, county=county, town=town, tag=tag, need=need, query=query
    ).filter(round__in=rounds_visible(user))
    return qs.prefetch_related(
        Prefetch("village__figures", queryset=VillageFigure.objects.order_by("-year"), to_attr="figures_desc")
    ).order_by("county", "town", "village__name_pinyin", "pk")


def directory_entry_get(*, user: Any, round_: Round, pk: int) -> DirectoryEntry:
    """One directory entry of a visible round, or 404."""
    try:
        return directory_list(user=user, round_=round_).get(pk=pk)
    except (DirectoryEntry.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def directory_facets(*, round_: Round, county: str = "") -> dict[str, list[str]]:
    """Counties and towns of the directory (the filter's choices; towns of the chosen county)."""
    rows = DirectoryEntry.objects.filter(round=round_).values_list("county", "town").distinct()
    counties = sorted({c for c, _t in rows if c})
    towns = sorted({t for c, t in rows if t and (not county or c == county)})
    return {"counties": counties, "towns": towns}


def unit_chosen(*, user: Any, round_: Round) -> dict[int, Intent]:
    """The acting unit's active intents by directory entry (to mark the directory's rows)."""
    unit = acting_unit(user)
    if unit is None:
        return {}
    return {i.entry_id: i for i in Intent.objects.filter(round=round_, unit=unit, status=IntentStatus.ACTIVE)}


def unit_intents(*, user: Any, round_: Round) -> QuerySet[Intent]:
    """The acting unit's own intents in the round (active first, by rank)."""
    unit = acting_unit(user)
    if unit is None:
        return Intent.objects.none()
    return (
        Intent.objects.filter(round=round_, unit=unit, round__in=rounds_visible(user))
        .select_related("entry__village")
        .order_by("status", "rank", "pk")
    )


def unit_intent_get(*, user: Any, round_: Round, pk: int) -> Intent:
    try:
        return unit_intents(user=user, round_=round_).get(pk=pk)
    except (Intent.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def unit_intent_limit(*, user: Any, round_: Round) -> int | None:
    """How many intents the acting unit may hold (capacity + the profile's extra), or None."""
    unit = acting_unit(user)
    round_unit = RoundUnit.objects.filter(round=round_, unit=unit).first() if unit is not None else None
    if round_unit is None:
        return None
    return round_unit.capacity + load_profile(round_.policy_key).round.extra_intents


def village_entry(*, user: Any, round_: Round) -> DirectoryEntry:
    """The acting village's own entry in the round's directory, or 404."""
    village = acting_village(user)
    if village is None:
        raise Http404
    try:
        return _with_village_details(DirectoryEntry.objects.filter(round=round_, village=village)).get()
    except DirectoryEntry.DoesNotExist as exc:
        raise Http404 from exc


def village_wishes(*, user: Any, entry: DirectoryEntry) -> QuerySet[VillageWish]:
    """The units a village said it would welcome; visible to the village and the round's admins."""
    village = acting_village(user)
    if not (can_administer(user, entry.round) or (village is not None and village.pk == entry.village_id)):
        return VillageWish.objects.none()
    return VillageWish.objects.filter(entry=entry).select_related("unit").order_by("unit__path")


def wishes_by_village(*, user: Any, round_: Round, village_ids: Iterable[int]) -> dict[int, list[str]]:
    """Welcomed unit names per village, for the admin's allocation page (one query)."""
    if not can_administer(user, round_):
        return {}
    found: dict[int, list[str]] = {}
    for village_id, name in (
        VillageWish.objects.filter(round=round_, entry__village_id__in=set(village_ids))
        .order_by("unit__path")
        .values_list("entry__village_id", "unit__name")
    ):
        found.setdefault(village_id, []).append(name)
    return found


def wished_pairs(*, user: Any, round_: Round) -> set[tuple[int, int]]:
    """(unit, village) pairs a village asked for, to mark them in a run."""
    if not can_administer(user, round_):
        return set()
    return set(VillageWish.objects.filter(round=round_).values_list("unit_id", "entry__village_id"))


# --- allocation runs -----------------------------------------------------------------------


def run_list(*, user: Any, round_: Round) -> QuerySet[AllocationRun]:
    """Runs of a visible round, newest first (the views let only its admins see them)."""
    return (
        AllocationRun.objects.filter(round=round_, round__in=rounds_visible(user))
        .defer("instance", "result")
        .select_related("created_by")
        .order_by("-number")
    )


def run_get(*, user: Any, round_: Round, number: int) -> AllocationRun:
    try:
        return AllocationRun.objects.filter(round=round_, round__in=rounds_visible(user)).get(number=number)
    except (AllocationRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def run_previous(*, user: Any, run: AllocationRun) -> AllocationRun | None:
    """The run before this one (what a what-if is compared with)."""
    return (
        AllocationRun.objects.filter(round=run.round_id, number__lt=run.number, round__in=rounds_visible(user))
        .order_by("-number")
        .first()
    )


@dataclass(frozen=True)
class RunPair:
    unit_id: int
    unit_name: str
    village_id: int
    village_name: str
    score: int
    reasons: list[tuple[str, int]]
    pinned: bool
    wished: bool
    wishes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """``unit:village``, the value pin/forbid checkboxes send."""
        return f"{self.unit_id}:{self.village_id}"


@dataclass(frozen=True)
class RunUncovered:
    village_id: int
    village_name: str
    missing: int
    reason: str
    wishes: list[str] = field(default_factory=list)


def reason_labels(reasons: str) -> list[tuple[str, int]]:
    """``preference:100;affinity:60`` → ``[("志愿", 100), ("结对原则", 60)]``."""
    out = []
    for part in reasons.split(";"):
        name, _sep, points = part.partition(":")
        if not name:
            continue
        try:
            value = int(points)
        except ValueError:
            value = 0
        out.append((str(COMPONENT_LABELS.get(name, name)), value))
    return out


def uncovered_reason(item: dict[str, Any]) -> str:
    """The Chinese sentence for an uncovered village, built from the stored codes and counts."""
    code = item.get("code", "")
    candidates = int(item.get("candidates", 0))
    paired = int(item.get("paired", 0))
    at_capacity = int(item.get("at_capacity", 0))
    forbidden = int(item.get("forbidden", 0))
    declined = int(item.get("declined", max(0, candidates - at_capacity - paired)))
    if code == "no_candidate":
        text = _("没有任何候选单位")
    elif code == "candidates_at_capacity":
        text = _("全部 %(n)d 个候选单位名额已满") % {"n": candidates}
    elif code == "candidates_declined":
        text = _("%(n)d 个候选单位：%(c)d 个名额已满，%(d)d 个未选择本村") % {
            "n": candidates,
            "c": at_capacity,
            "d": declined,
        }
    else:
        text = _("未能覆盖（原因代码：%(code)s）") % {"code": code}
    if paired and code != "no_candidate":
        text += _("，其中 %(n)d 个已与本村结对") % {"n": paired}
    if forbidden:
        text += _("；另有 %(n)d 个被禁止结对") % {"n": forbidden}
    return text


def _names(ids: Iterable[int]) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


def run_pairs(*, user: Any, run: AllocationRun, raw: Sequence[dict[str, Any]]) -> list[RunPair]:
    """Decode a page of a run's pairs: names in one query, reasons in Chinese, the village's wishes."""
    ids = [int(p["unit"]) for p in raw] + [int(p["village"]) for p in raw]
    names = _names(ids)
    wishes = wishes_by_village(user=user, round_=run.round, village_ids=[int(p["village"]) for p in raw])
    wished = wished_pairs(user=user, round_=run.round)
    return [
        RunPair(
            unit_id=int(p["unit"]),
            unit_name=names.get(int(p["unit"]), str(p["unit"])),
            village_id=int(p["village"]),
            village_name=names.get(int(p["village"]), str(p["village"])),
            score=int(p["score"]),
            reasons=reason_labels(p.get("reasons", "")),
            pinned=bool(p.get("pinned")),
            wished=(int(p["unit"]), int(p["village"])) in wished,
            wishes=wishes.get(int(p["village"]), []),
        )
        for p in raw
    ]


def run_uncovered(*, user: Any, run: AllocationRun, raw: Sequence[dict[str, Any]]) -> list[RunUncovered]:
    """Decode a page of the villages the run leaves below their minimum, each with its reason in Chinese."""
    names = _names(int(u["village"]) for u in raw)
    wishes = wishes_by_village(user=user, round_=run.round, village_ids=[int(u["village"]) for u in raw])
    return [
        RunUncovered(
            village_id=int(u["village"]),
            village_name=names.get(int(u["village"]), str(u["village"])),
            missing=int(u.get("missing", 1)),
            reason=uncovered_reason(u),
            wishes=wishes.get(int(u["village"]), []),
        )
        for u in raw
    ]


def run_difference_named(
    *, user: Any, difference: dict[str, list[tuple[str, str]]]
) -> dict[str, list[tuple[str, str]]]:
    """A run difference with unit and village names instead of ids (one query)."""
    ids = [int(x) for pairs in difference.values() for pair in pairs for x in pair]
    names = _names(ids)
    return {key: [(names.get(int(u), u), names.get(int(v), v)) for u, v in pairs] for key, pairs in difference.items()}


# --- pairings ------------------------------------------------------------------------------


def _pairings_visible(user: Any) -> QuerySet[Pairing]:
    return Pairing.objects.filter(round__in=rounds_visible(user))


def pairing_list(*, user: Any, round_: Round, status: str = "", origin: str = "", query: str = "") -> QuerySet[Pairing]:
    """Pairings of the round the user may see: all of them for its admins; for anyone else
    those whose unit or village lies in their own subtree (a unit or village: its own)."""
    qs = _pairings_visible(user).filter(round=round_)
    if not can_administer(user, round_):
        path = subtree_path(user)
        if path is None:
            return Pairing.objects.none()
        qs = qs.filter(Q(unit__path__startswith=path) | Q(village__path__startswith=path))
    if status:
        qs = qs.filter(status=status)
    if origin:
        qs = qs.filter(origin=origin)
    village_match, unit_match = name_condition(query, prefix="village__"), name_condition(query, prefix="unit__")
    if village_match is not None and unit_match is not None:
        qs = qs.filter(village_match | unit_match)
    return qs.select_related("unit", "village", "entry", "round").order_by("entry__county", "village__path", "pk")


def pairing_get(*, user: Any, pk: int) -> Pairing:
    """One pairing the user may see, or 404."""
    try:
        pairing = _pairings_visible(user).select_related("round", "round__scope", "unit", "village", "entry").get(pk=pk)
    except (Pairing.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not pairing_list(user=user, round_=pairing.round).filter(pk=pk).exists():
        raise Http404
    return pairing


@dataclass(frozen=True)
class PairingRow:
    """A pairing with what the user can do with it (decided here, not in the template)."""

    pairing: Pairing
    side: str | None
    can_confirm: bool
    can_decline: bool
    can_end: bool
    can_sign: bool
    confirmed_by_me: bool
    agreement: Any = None
    signed_by_me: bool = False


def pairing_rows(*, user: Any, round_: Round, pairings: Iterable[Pairing], signing: bool = False) -> list[PairingRow]:
    """Rows for the pairings page: which buttons each pairing shows for this user."""
    unit, village = acting_unit(user), acting_village(user)
    admin = can_administer(user, round_)
    open_ = round_.status in (RoundStatus.OPEN, RoundStatus.PUBLISHED) and not _deadline_passed(round_.signing_deadline)
    items = list(pairings)
    agreements: dict[int, Any] = {}
    if signing:
        agreements = {a.pairing_id: a for a in Agreement.objects.filter(pairing__in=[p.pk for p in items])}
    rows = []
    for p in items:
        side = None
        if unit is not None and p.unit_id == unit.pk:
            side = "unit"
        elif village is not None and p.village_id == village.pk:
            side = "village"
        mine = bool(p.unit_confirmed_at if side == "unit" else p.village_confirmed_at) if side else False
        proposed = p.status == PairingStatus.PROPOSED
        agreement = agreements.get(p.pk)
        signed_at = None
        if agreement is not None and side is not None:
            signed_at = agreement.unit_signed_at if side == "unit" else agreement.village_signed_at
        rows.append(
            PairingRow(
                pairing=p,
                side=side,
                can_confirm=bool(side) and proposed and not mine and open_,
                can_decline=bool(side) and proposed and p.origin == PairingOrigin.RENEWAL and open_,
                can_end=admin and p.status != PairingStatus.ENDED,
                can_sign=signing and bool(side) and p.status in (PairingStatus.CONFIRMED, PairingStatus.SIGNED),
                confirmed_by_me=mine,
                agreement=agreement,
                signed_by_me=signed_at is not None,
            )
        )
    return rows


def pairing_status_counts(*, user: Any, round_: Round) -> dict[str, int]:
    return dict(Counter(pairing_list(user=user, round_=round_).values_list("status", flat=True)))


# --- notifications -------------------------------------------------------------------------


def notification_list(*, user: Any) -> QuerySet[Notification]:
    """Messages to the user's own organization, newest first."""
    root = scope_root(user)
    if root is None:
        return Notification.objects.none()
    return Notification.objects.filter(organization=root).order_by("-created_at", "-pk")


def _named(qs: QuerySet[Any], field: str, text: str) -> Organization | None:
    """The organization at ``field`` of the first row whose code or full name is ``text``."""
    text = text.strip()
    found = qs.filter(Q(**{f"{field}__code": text}) | Q(**{f"{field}__name": text})).select_related(field).first()
    return getattr(found, field) if found is not None else None


def round_unit_lookup(*, user: Any, round_: Round, text: str) -> Organization | None:
    """A participating unit named by its code or full name (for a typed-in pin)."""
    return _named(RoundUnit.objects.filter(round=round_, round__in=rounds_visible(user)), "unit", text)


def directory_village_lookup(*, user: Any, round_: Round, text: str) -> Organization | None:
    """A directory village named by its code or full name."""
    return _named(DirectoryEntry.objects.filter(round=round_, round__in=rounds_visible(user)), "village", text)


def pairing_agreement(*, user: Any, pairing: Pairing) -> Any:
    """The agreement of a pairing the user may see (``pairing_get`` checked that), or 404."""
    found = Agreement.objects.filter(pairing=pairing, pairing__round__in=rounds_visible(user)).first()
    if found is None:
        raise Http404
    return found


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
    return tabs


def mark_chosen(*, user: Any, round_: Round, entries: Iterable[DirectoryEntry]) -> None:
    """Set ``entry.my_intent`` on a page of entries: the acting unit's active intent or None."""
    chosen = unit_chosen(user=user, round_=round_)
    for entry in entries:
        entry.my_intent = chosen.get(entry.pk)  # type: ignore[attr-defined]
