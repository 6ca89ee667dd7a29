"""Reads of the helping side beyond the one unit: a unit's plan, the round's plans and the units
without one, a pair's co-helpers and the organizations that may join (seed 004 doc 1 (三)(十))."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

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


def plan_rows(*, round_: Round, scope_path: str | None) -> list[PlanRow]:
    """The round's units that have a live pair, each with its plan (missing plans first)."""
    live = Pairing.objects.filter(round=round_).exclude(status=PairingStatus.ENDED)
    counts: dict[int, int] = {}
    for unit_id in live.values_list("unit_id", flat=True):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    units = RoundUnit.objects.filter(round=round_, unit_id__in=list(counts)).select_related("unit")
    if scope_path is not None:
        units = units.filter(under(scope_path, "unit"))
    plans = {p.unit_id: p for p in UnitPlan.objects.filter(round=round_)}
    rows = [PlanRow(ru.unit, plans.get(ru.unit_id), counts[ru.unit_id]) for ru in units]
    return sorted(rows, key=lambda r: (r.plan is not None, r.unit.name))


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
