"""Reads of individual pairing, always filtered to the user's scope (both sides of the
unit's village pairing and their superiors); anything outside is a 404."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongjian.members.access import can_write_pairs, pair_scope_q, pairings_visible
from gongjian.members.models import (
    Beneficiary,
    BranchPair,
    CadrePair,
    HelpPlan,
    HelpProgress,
    HouseholdPair,
    IndividualDelivery,
    PairStatus,
    Villager,
)
from gongjian.orgs.models import Organization, Person
from gongjian.orgs.scope import in_scope, subtree, under
from gongjian.orgs.search import name_condition
from gongjian.rounds.models import Pairing

Pair = CadrePair | HouseholdPair | BranchPair


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def pairing_list(*, user: Any, query: str = "") -> QuerySet[Pairing]:
    """The signed village pairings the user sees, for choosing where to record pairs."""
    qs = pairings_visible(user).select_related("unit", "village", "round").order_by("unit__name", "village__name")
    by_unit, by_village = name_condition(query, prefix="unit__"), name_condition(query, prefix="village__")
    if by_unit is not None and by_village is not None:
        qs = qs.filter(by_unit | by_village)
    return qs


def pairing_get(*, user: Any, pk: int) -> Pairing:
    try:
        return pairings_visible(user).select_related("unit", "village", "round").get(pk=pk)
    except Pairing.DoesNotExist as exc:
        raise Http404 from exc


def _pairs(model: type[Any], user: Any) -> QuerySet[Any]:
    q = pair_scope_q(user)
    if q is None:
        return model.objects.none()
    return model.objects.filter(q).select_related("pairing__unit", "pairing__village")


def cadre_pair_get(*, user: Any, pk: int) -> CadrePair:
    try:
        return _pairs(CadrePair, user).select_related("cadre", "needy_member", "needy_villager").get(pk=pk)
    except CadrePair.DoesNotExist as exc:
        raise Http404 from exc


def household_pair_get(*, user: Any, pk: int) -> HouseholdPair:
    try:
        return _pairs(HouseholdPair, user).select_related("cadre", "household").get(pk=pk)
    except HouseholdPair.DoesNotExist as exc:
        raise Http404 from exc


def branch_pair_get(*, user: Any, pk: int) -> BranchPair:
    try:
        return _pairs(BranchPair, user).select_related("branch", "needy_member").get(pk=pk)
    except BranchPair.DoesNotExist as exc:
        raise Http404 from exc


def pair_get(*, user: Any, kind: str, pk: int) -> Pair:
    if kind == "cadre":
        return cadre_pair_get(user=user, pk=pk)
    if kind == "household":
        return household_pair_get(user=user, pk=pk)
    if kind == "branch":
        return branch_pair_get(user=user, pk=pk)
    raise Http404


def plan_get(*, user: Any, pair: Pair, pk: int) -> HelpPlan:
    try:
        return pair.plans.get(pk=pk)
    except HelpPlan.DoesNotExist as exc:
        raise Http404 from exc


def cadre_pair_list(*, user: Any, pairing: Pairing | None = None) -> QuerySet[CadrePair]:
    qs = _pairs(CadrePair, user).select_related("cadre", "needy_member", "needy_villager")
    return qs.filter(pairing=pairing) if pairing is not None else qs


def household_pair_list(*, user: Any, pairing: Pairing | None = None) -> QuerySet[HouseholdPair]:
    qs = _pairs(HouseholdPair, user).select_related("cadre", "household")
    return qs.filter(pairing=pairing) if pairing is not None else qs


@dataclass
class PairDetail:
    pair: Pair
    plans: list[HelpPlan]
    progress: dict[int, list[HelpProgress]]
    deliveries: list[IndividualDelivery]
    can_write: bool


def pair_detail(*, user: Any, pair: Pair) -> PairDetail:
    plans = list(pair.plans.order_by("pk"))
    steps: dict[int, list[HelpProgress]] = defaultdict(list)
    for step in HelpProgress.objects.filter(plan__in=plans).order_by("-recorded_on", "-pk"):
        steps[step.plan_id].append(step)
    return PairDetail(
        pair=pair,
        plans=plans,
        progress=dict(steps),
        deliveries=list(pair.deliveries.select_related("recorded_by").order_by("-delivered_on", "-pk")),
        can_write=can_write_pairs(user, pair.pairing),
    )


# ---------------------------------------------------------------- the unit's page


@dataclass
class CadreRow:
    """One cadre (or branch) of the unit with all their pairs and what they recorded."""

    name: str
    post: str
    cadre_pairs: list[CadrePair] = field(default_factory=list)
    household_pairs: list[HouseholdPair] = field(default_factory=list)
    branch_pairs: list[BranchPair] = field(default_factory=list)
    plans: list[HelpPlan] = field(default_factory=list)
    records_this_quarter: int = 0
    last_recorded: datetime.date | None = None

    @property
    def flagged(self) -> bool:
        """Nothing (no 五送, no plan progress) recorded this quarter."""
        return self.records_this_quarter == 0

    @property
    def average_progress(self) -> int | None:
        if not self.plans:
            return None
        return round(sum(p.progress_percent for p in self.plans) / len(self.plans))


@dataclass
class UnitOverview:
    unit: Organization
    quarter_start: datetime.date
    pairings: list[Pairing]
    rows: list[CadreRow]
    can_write: bool

    @property
    def flagged_count(self) -> int:
        return sum(1 for row in self.rows if row.flagged)


def unit_get(*, user: Any, pk: int) -> Organization:
    """A unit the user may look at: in their subtree, or paired with a village in it."""
    unit = Organization.objects.filter(pk=pk).first()
    if unit is None:
        raise Http404
    if not in_scope(user, unit) and not pairings_visible(user).filter(unit=unit).exists():
        raise Http404
    return unit


def _activity(pairs: dict[str, list[Any]], since: datetime.date) -> dict[tuple[str, int], tuple[int, Any]]:
    """(kind, pair id) → (records since ``since``, last record date), two grouped queries per kind."""
    out: dict[tuple[str, int], tuple[int, Any]] = {}
    for kind, items in pairs.items():
        ids = [p.pk for p in items]
        if not ids:
            continue
        fk = f"{kind}_pair"
        found: dict[int, list[Any]] = defaultdict(lambda: [0, None])
        for source, date_field in [(IndividualDelivery.objects, "delivered_on"), (HelpProgress.objects, "recorded_on")]:
            path = fk if source.model is IndividualDelivery else f"plan__{fk}"
            rows = (
                source.filter(**{f"{path}__in": ids})
                .values(path)
                .annotate(recent=Count("pk", filter=Q(**{f"{date_field}__gte": since})), last=Max(date_field))
            )
            for row in rows:
                entry = found[row[path]]
                entry[0] += row["recent"]
                entry[1] = max(filter(None, [entry[1], row["last"]]), default=None)
        out.update({(kind, pk): (v[0], v[1]) for pk, v in found.items()})
    return out


def unit_overview(*, user: Any, unit: Organization, today: datetime.date | None = None) -> UnitOverview:
    """All the unit's live pairs by cadre (and branch), with their plans' progress, and who
    has recorded nothing (no 五送, no progress) since the quarter began."""
    today = today or timezone.localdate()
    since = quarter_start(today)
    live = Q(status=PairStatus.ACTIVE, pairing__unit=unit)
    cadre_pairs = list(_pairs(CadrePair, user).filter(live).select_related("cadre", "needy_member", "needy_villager"))
    household_pairs = list(_pairs(HouseholdPair, user).filter(live).select_related("cadre", "household"))
    branch_pairs = list(_pairs(BranchPair, user).filter(live).select_related("branch", "needy_member"))
    activity = _activity({"cadre": cadre_pairs, "household": household_pairs, "branch": branch_pairs}, since)
    plans = HelpPlan.objects.filter(
        Q(cadre_pair__in=cadre_pairs) | Q(household_pair__in=household_pairs) | Q(branch_pair__in=branch_pairs)
    )
    plans_by: dict[tuple[str, int | None], list[HelpPlan]] = defaultdict(list)
    for plan in plans:
        if plan.cadre_pair_id:
            plans_by[("cadre", plan.cadre_pair_id)].append(plan)
        elif plan.household_pair_id:
            plans_by[("household", plan.household_pair_id)].append(plan)
        else:
            plans_by[("branch", plan.branch_pair_id)].append(plan)

    rows: dict[Any, CadreRow] = {}

    def row_for(key: Any, name: str, post: str) -> CadreRow:
        if key not in rows:
            rows[key] = CadreRow(name=name, post=post)
        return rows[key]

    def add(row: CadreRow, kind: str, pk: int) -> None:
        recent, last = activity.get((kind, pk), (0, None))
        row.records_this_quarter += recent
        row.last_recorded = max(filter(None, [row.last_recorded, last]), default=None)
        row.plans.extend(plans_by.get((kind, pk), []))

    for pair in cadre_pairs:
        row = row_for(("person", pair.cadre_id), pair.cadre.name, pair.cadre.post)
        row.cadre_pairs.append(pair)
        add(row, "cadre", pair.pk)
    for hpair in household_pairs:
        row = row_for(("person", hpair.cadre_id), hpair.cadre.name, hpair.cadre.post)
        row.household_pairs.append(hpair)
        add(row, "household", hpair.pk)
    for bpair in branch_pairs:
        row = row_for(("branch", bpair.branch_id), bpair.branch.name, "")
        row.branch_pairs.append(bpair)
        add(row, "branch", bpair.pk)
    pairings = list(pairings_visible(user).filter(unit=unit).select_related("village", "round"))
    return UnitOverview(
        unit=unit,
        quarter_start=since,
        pairings=pairings,
        rows=sorted(rows.values(), key=lambda r: (not r.flagged, r.name)),
        can_write=any(can_write_pairs(user, p) for p in pairings),
    )


# ---------------------------------------------------------------- form choices

# Who a pair's help plan may benefit, by kind of pair.
BENEFICIARIES = {
    "cadre": [Beneficiary.MEMBER, Beneficiary.VILLAGER],
    "household": [Beneficiary.HOUSEHOLD],
    "branch": [Beneficiary.MEMBER],
}


def unit_people(*, pairing: Pairing) -> QuerySet[Person]:
    return Person.objects.filter(under(pairing.unit, "organization")).order_by("name", "pk")


def village_party_members(*, pairing: Pairing) -> QuerySet[Person]:
    return Person.objects.filter(under(pairing.village, "organization"), is_party_member=True).order_by("name", "pk")


def village_villagers(*, pairing: Pairing, poor_only: bool = False) -> QuerySet[Villager]:
    qs = Villager.objects.filter(village=pairing.village)
    return qs.filter(is_poor_household=True) if poor_only else qs


def unit_branches(*, pairing: Pairing) -> QuerySet[Organization]:
    return subtree(pairing.unit).order_by("path")
