"""Who may see and record which funds. Built on the tree's scope (orgs.scope) only.

Reading: a pairing's funds are visible to whoever has its unit or its village in their
subtree (the unit, the village, their committees, the city); a village's ledger to whoever
has the village in their subtree. Writing: the unit's users record pledges and transfers of
their pairings; the village's users record receipts, uses, disclosures and feedback.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongjian.orgs.models import Organization
from gongjian.orgs.scope import UNIT_USER, VILLAGE_USER, Scope, in_scope
from gongjian.rounds.models import Pairing


def pairings_visible(user: Any) -> QuerySet[Pairing]:
    """Pairings whose unit or village lies in the user's subtree."""
    scope = Scope.of(user)
    if scope.root is None:
        return Pairing.objects.none()
    return Pairing.objects.filter(scope.pairings_q())


def is_unit_side(user: Any, pairing: Pairing) -> bool:
    """The user speaks for the pairing's unit (a unit user of that unit or above it)."""
    return getattr(user, "role", "") == UNIT_USER and in_scope(user, pairing.unit)


def is_village_side(user: Any, village: Organization) -> bool:
    """The user speaks for this village (a village user of that village)."""
    return getattr(user, "role", "") == VILLAGE_USER and village.is_village and in_scope(user, village)
