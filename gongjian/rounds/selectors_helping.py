"""Reads of the helping side beyond the one unit: a unit's plan, the round's plans and the units
without one, a pair's co-helpers and the organizations that may join (seed 004 doc 1 (三)(十))."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from gongjian.orgs.models import Organization
from gongjian.orgs.scope import under
from gongjian.policies import PolicyProfileError, load_profile
from gongjian.rounds.access import acting_unit
from gongjian.rounds.models import Pairing, PairingPartner, PairingStatus, Round, RoundUnit, UnitPlan
from gongjian.rounds.services_helping import PARTNER_KINDS


def rules_of(round_: Round) -> Any:
    try:
        return load_profile(round_.policy_key).helping_side
    except PolicyProfileError:
        return None


def own_plan(*, user: Any, round_: Round) -> UnitPlan | None:
    unit = acting_unit(user)
    return UnitPlan.objects.filter(round=round_, unit=unit).first() if unit is not None else None


@dataclass(frozen=True)
class PlanRow:
    unit: Organization
    plan: UnitPlan | None
    pairs: int


class PlanRows:
    """The round's units with a live pair, as a sequence that reads one slice at a time: a
    page (Django's ``Paginator``, the API's pagination) costs a query for its units and one
    for their plans, whatever the number of units (about 3,000 on the city demo)."""

    def __init__(self, units: QuerySet[Any], round_: Round) -> None:  # RoundUnit with pairs, has_plan
        self.units, self.round = units, round_
        self._counts: tuple[int, int] | None = None

    def _counted(self) -> tuple[int, int]:
        """(units, units without a plan), in one query."""
        if self._counts is None:
            found = self.units.order_by().aggregate(n=Count("pk"), missing=Count("pk", filter=Q(has_plan=False)))
            self._counts = (found["n"], found["missing"])
        return self._counts

    def count(self) -> int:
        return self._counted()[0]

    def __len__(self) -> int:
        return self.count()

    def missing(self) -> int:
        """Units without a plan."""
        return self._counted()[1]

    @overload
    def __getitem__(self, index: int) -> PlanRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[PlanRow]: ...

    def __getitem__(self, index: int | slice) -> PlanRow | list[PlanRow]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        units = list(self.units[index])
        plans = {p.unit_id: p for p in UnitPlan.objects.filter(round=self.round, unit__in=[u.unit_id for u in units])}
        return [PlanRow(u.unit, plans.get(u.unit_id), u.pairs) for u in units]

    def __iter__(self) -> Iterator[PlanRow]:
        return iter(self[:])


def plan_rows(*, round_: Round, scope_path: str | None) -> PlanRows:
    """The round's units that have a live pair, each with its plan and its number of live
    pairs (counted in SQL); missing plans first, then by name."""
    live = (
        Pairing.objects.filter(round=round_, unit_id=OuterRef("unit_id"))
        .exclude(status=PairingStatus.ENDED)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    units = (
        RoundUnit.objects.filter(round=round_)
        .annotate(
            pairs=Subquery(live), has_plan=Exists(UnitPlan.objects.filter(round=round_, unit_id=OuterRef("unit_id")))
        )
        .filter(pairs__gt=0)
        .select_related("unit")
        .order_by("has_plan", "unit__name", "pk")
    )
    if scope_path is not None:
        units = units.filter(under(scope_path, "unit"))
    return PlanRows(units, round_)


def pair_partners(pairings: list[Pairing]) -> dict[int, list[str]]:
    """Co-helpers' names per pairing (one query)."""
    out: dict[int, list[str]] = {}
    rows = PairingPartner.objects.filter(pairing__in=[p.pk for p in pairings]).values_list(
        "pairing_id", "partner__name"
    )
    for pairing_id, name in rows.order_by("pk"):
        out.setdefault(pairing_id, []).append(name)
    return out


def partner_choices(pairing: Pairing) -> QuerySet[Organization]:
    """Enterprises and institutions of the round's scope not yet helping this pair."""
    taken = PairingPartner.objects.filter(pairing=pairing).values("partner_id")
    return (
        Organization.objects.filter(under(pairing.round.scope), kind__in=PARTNER_KINDS, is_active=True)
        .exclude(pk__in=taken)
        .order_by("name")
    )
