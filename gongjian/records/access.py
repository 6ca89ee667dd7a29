"""Who sees and who writes a pairing's archive, built on the tree's scope (orgs.scope).

Seeing: a unit user its own pairings, a village user its own, a committee or city admin
every pairing whose unit or village lies in its subtree. Anyone else sees nothing (404).
Writing: the unit records (visits, 六个一, 五送, projects, monthly cards, reports, answers),
the village enters villagers' opinions, countersigns or returns cards and closes feedback.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongjian.orgs.scope import ADMIN_ROLES, UNIT_USER, VILLAGE_USER, Scope, scope_root
from gongjian.rounds.models import Pairing, PairingStatus

# Pairings that have (or had) an archive: signed ones, and ended ones whose records stay.
ARCHIVE_STATUSES = (PairingStatus.SIGNED, PairingStatus.ENDED)


def pairings_in_scope(user: Any) -> QuerySet[Pairing]:
    """Every pairing with an archive the user may see (unit or village in the user's subtree)."""
    scope = Scope.of(user)
    if scope.root is None:
        return Pairing.objects.none()
    return Pairing.objects.filter(status__in=ARCHIVE_STATUSES).filter(scope.pairings_q())


def side_of(user: Any, pairing: Pairing) -> str | None:
    """'unit' or 'village' when the user speaks for that side of the pairing, else None."""
    root = scope_root(user)
    if root is None:
        return None
    role = getattr(user, "role", "")
    if role == UNIT_USER and root.pk == pairing.unit_id:
        return "unit"
    if role == VILLAGE_USER and root.pk == pairing.village_id:
        return "village"
    return None


def is_admin(user: Any) -> bool:
    """A city or committee admin (sees its subtree, inspects, publishes notices)."""
    return getattr(user, "role", "") in ADMIN_ROLES


def can_record(user: Any, pairing: Pairing) -> bool:
    """The unit side records on a signed pairing."""
    return pairing.status == PairingStatus.SIGNED and side_of(user, pairing) == "unit"


def can_act_as_village(user: Any, pairing: Pairing) -> bool:
    """The village side enters feedback and countersigns on a signed pairing."""
    return pairing.status == PairingStatus.SIGNED and side_of(user, pairing) == "village"
