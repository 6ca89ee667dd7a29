"""What the registry's organization page shows of the rounds: the organization's standing
pairs, and the villages a unit may read because it is paired with them now. The registry
sits below the rounds, so :class:`gongjian.rounds.apps.RoundsConfig` registers these two
reads with it (:func:`gongjian.orgs.selectors.register_page_grant`,
:func:`~gongjian.orgs.selectors.register_partners`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from gongjian.orgs.models import VILLAGE_SIDE_KINDS, Organization
from gongjian.orgs.scope import Scope
from gongjian.rounds.models import Pairing, PairingStatus


def _live_pairings() -> QuerySet[Pairing]:
    """Pairings that stand (not ended), of any round."""
    return Pairing.objects.exclude(status=PairingStatus.ENDED)


def paired_villages(scope: Scope) -> QuerySet[Organization]:
    """Villages outside the scope's subtree that a unit of it is paired with now: the unit may
    read their pages (never edit them: writes still need the subtree)."""
    if scope.root is None:
        return Organization.objects.none()
    ids = _live_pairings().filter(scope.q("unit")).values("village_id")
    return Organization.objects.filter(pk__in=ids).exclude(scope.q())


@dataclass(frozen=True)
class Partner:
    """A standing pair of an organization: the other side, its round and status."""

    pairing_id: int
    other: Organization
    round_id: int
    round_name: str
    status_label: str
    other_visible: bool  # the user may open the other side's page


def current_partners(*, user: Any, organization: Organization) -> list[Partner]:
    """The organization's standing pairs (a village: its units; a unit: its villages), newest
    round first, for a page the user may open (``organization_page_get`` checked that)."""
    scope = Scope.of(user)
    pairings = _live_pairings().select_related("round", "unit", "village").order_by("-round__created_at", "pk")
    if organization.kind in VILLAGE_SIDE_KINDS:
        rows = [(p, p.unit) for p in pairings.filter(village=organization)]
    else:
        rows = [(p, p.village) for p in pairings.filter(unit=organization)]
    visible_villages = set(paired_villages(scope).values_list("pk", flat=True))
    return [
        Partner(
            pairing_id=p.pk,
            other=other,
            round_id=p.round_id,
            round_name=p.round.name,
            status_label=str(p.get_status_display()),
            other_visible=scope.contains(other) or other.pk in visible_villages,
        )
        for p, other in rows
    ]
