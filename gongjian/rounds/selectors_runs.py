"""Reads for allocation runs and pairings: pairs with reasons, uncovered villages, agreements."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from gongjian.matching import Language, Pair, Result, Uncovered, component_labels, describe, result_from_json
from gongjian.orgs.models import Organization
from gongjian.orgs.scope import subtree_path
from gongjian.orgs.search import name_condition
from gongjian.rounds.access import acting_unit, acting_village, can_administer, rounds_visible
from gongjian.rounds.models import (
    Agreement,
    AllocationRun,
    Pairing,
    PairingAdjustment,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
)
from gongjian.rounds.selectors_directory import deadline_passed, wished_pairs, wishes_by_village

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


def _language() -> Language:
    return "en" if (get_language() or "zh").startswith("en") else "zh"


def reason_labels(components: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """A pair's score components in the words of the department (the engine's wording):
    ``(("preference", 100), ("rule", 0))`` → ``[("志愿", 100), ("结对原则", 0)]``."""
    return component_labels(tuple(components), _language())


def uncovered_reason(item: Uncovered, name: Callable[[str, str], str] | None = None) -> str:
    """The sentence for a village short of its minimum, worded by the engine from the codes
    and counts it stored."""
    return describe(item.explanation(), _language(), name)


def run_result(run: AllocationRun) -> Result:
    """A run's stored result, read by the engine's reader (any format version it knows)."""
    return result_from_json(run.result)


def _names(ids: Iterable[int]) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


def run_pairs(*, user: Any, run: AllocationRun, raw: Sequence[Pair]) -> list[RunPair]:
    """A page of a run's pairs: names in one query, reasons worded by the engine, the village's wishes."""
    ids = [int(p.unit) for p in raw] + [int(p.village) for p in raw]
    names = _names(ids)
    wishes = wishes_by_village(user=user, round_=run.round, village_ids=[int(p.village) for p in raw])
    wished = wished_pairs(user=user, round_=run.round)
    return [
        RunPair(
            unit_id=int(p.unit),
            unit_name=names.get(int(p.unit), p.unit),
            village_id=int(p.village),
            village_name=names.get(int(p.village), p.village),
            score=p.score,
            reasons=reason_labels(p.components),
            pinned=p.pinned,
            wished=(int(p.unit), int(p.village)) in wished,
            wishes=wishes.get(int(p.village), []),
        )
        for p in raw
    ]


def run_uncovered(*, user: Any, run: AllocationRun, raw: Sequence[Uncovered]) -> list[RunUncovered]:
    """A page of the villages the run leaves below their minimum, each with the engine's reason."""
    names = _names(int(u.village) for u in raw)
    wishes = wishes_by_village(user=user, round_=run.round, village_ids=[int(u.village) for u in raw])
    return [
        RunUncovered(
            village_id=int(u.village),
            village_name=names.get(int(u.village), u.village),
            missing=u.missing,
            reason=uncovered_reason(u),
            wishes=wishes.get(int(u.village), []),
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
    open_round = round_.status in (RoundStatus.OPEN, RoundStatus.PUBLISHED) and not deadline_passed(
        round_.signing_deadline
    )
    items = list(pairings)
    agreements: dict[int, Any] = {}
    if signing:
        agreements = {a.pairing_id: a for a in Agreement.objects.filter(pairing__in=[p.pk for p in items])}
    # A replacement pair of a dynamic adjustment confirms and signs until its own deadline.
    own_deadline = dict(
        PairingAdjustment.objects.filter(
            new_pairing__in=[p.pk for p in items if p.origin == PairingOrigin.ADJUSTMENT]
        ).values_list("new_pairing_id", "deadline")
    )
    rows = []
    for p in items:
        side = None
        if unit is not None and p.unit_id == unit.pk:
            side = "unit"
        elif village is not None and p.village_id == village.pk:
            side = "village"
        mine = bool(p.unit_confirmed_at if side == "unit" else p.village_confirmed_at) if side else False
        proposed = p.status == PairingStatus.PROPOSED
        open_ = open_round if p.pk not in own_deadline else not deadline_passed(own_deadline[p.pk])
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


def pairing_agreement(*, user: Any, pairing: Pairing) -> Any:
    """The agreement of a pairing the user may see (``pairing_get`` checked that), or 404."""
    found = Agreement.objects.filter(pairing=pairing, pairing__round__in=rounds_visible(user)).first()
    if found is None:
        raise Http404
    return found
