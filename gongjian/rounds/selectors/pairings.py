"""Reads for pairings: the round's list, one pairing, the buttons of each row, agreements.

One read path for the pages and the API; a pairing outside the user's view is a 404."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from gongjian.orgs.scope import Scope
from gongjian.orgs.search import name_condition
from gongjian.rounds.access import acting_unit, acting_village, can_administer, rounds_visible
from gongjian.rounds.models import (
    Agreement,
    Pairing,
    PairingAdjustment,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
)
from gongjian.rounds.selectors.rounds import deadline_passed

# --- pairings ------------------------------------------------------------------------------


def _pairings_visible(user: Any) -> QuerySet[Pairing]:
    return Pairing.objects.filter(round__in=rounds_visible(user))


def pairing_list(*, user: Any, round_: Round, status: str = "", origin: str = "", query: str = "") -> QuerySet[Pairing]:
    """Pairings of the round the user may see (pages and the API): all of them for its
    admins; for anyone else those whose unit or village lies in their own subtree (a unit or
    a village: its own)."""
    qs = _pairings_visible(user).filter(round=round_)
    if not can_administer(user, round_):
        scope = Scope.of(user)
        if scope.root is None:
            return Pairing.objects.none()
        qs = qs.filter(scope.pairings_q())
    if status:
        qs = qs.filter(status=status)
    if origin:
        qs = qs.filter(origin=origin)
    village_match, unit_match = name_condition(query, prefix="village__"), name_condition(query, prefix="unit__")
    if village_match is not None and unit_match is not None:
        qs = qs.filter(village_match | unit_match)
    return qs.select_related("unit", "village", "entry", "round").order_by("entry__county", "village__path", "pk")


def pairing_get(*, user: Any, pk: int, round_: Round | None = None) -> Pairing:
    """One pairing the user may see (the rule of :func:`pairing_list`), of ``round_`` if
    given, or 404."""
    qs = _pairings_visible(user) if round_ is None else _pairings_visible(user).filter(round=round_)
    try:
        pairing = qs.select_related("round", "round__scope", "unit", "village", "entry").get(pk=pk)
    except (Pairing.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("该结对不存在或不在您的管理范围内")) from exc
    if not can_administer(user, pairing.round) and not Scope.of(user).sees_pair(pairing.unit, pairing.village):
        raise Http404(_("该结对不存在或不在您的管理范围内"))
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
