"""Who may see and change what in the members app. Built only on the tree's scope
(``gongjian.orgs.scope``): nothing here computes a subtree of its own.

- Individual pairs hang on a unit's village pairing: both sides' users and their superiors
  see them; the unit side (its users and admins over it) writes them.
- Mobile members are under dual management: the origin's users and superiors see them, and
  so do the current host's (but not a former host's); the member's own account sees their
  own record and files their reports.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from gongjian.orgs.models import Organization
from gongjian.orgs.scope import ADMIN_ROLES, UNIT_USER, Scope, in_scope
from gongjian.rounds.models import Pairing, PairingStatus

# ---------------------------------------------------------------- pairs


def pairings_visible(user: Any) -> QuerySet[Pairing]:
    """Signed pairings either side of which lies in the user's subtree."""
    scope = Scope.of(user)
    if scope.root is None:
        return Pairing.objects.none()
    return Pairing.objects.filter(status=PairingStatus.SIGNED).filter(scope.pairings_q())


def pair_scope_q(user: Any, prefix: str = "pairing__") -> Q | None:
    """The filter for rows hanging on a pairing (``prefix`` leads to the pairing)."""
    scope = Scope.of(user)
    if scope.root is None:
        return None
    return scope.pairings_q(prefix)


def can_write_pairs(user: Any, pairing: Pairing) -> bool:
    """The unit side records its cadres' pairs: the unit's users and admins over the unit."""
    role = getattr(user, "role", "")
    return role in ADMIN_ROLES | {UNIT_USER} and in_scope(user, pairing.unit)


# ---------------------------------------------------------------- mobile members


def member_scope_q(user: Any, prefix: str = "") -> Q | None:
    """Origin side, current host side, or the member's own account."""
    if not getattr(user, "is_authenticated", False):
        return None
    own = Q(**{f"{prefix}account": user})
    scope = Scope.of(user)
    if scope.root is None:
        return own
    return scope.members_q(prefix) | own


def is_origin_side(user: Any, origin: Organization) -> bool:
    return in_scope(user, origin)


def is_host_side(user: Any, host: Organization | None) -> bool:
    return host is not None and in_scope(user, host)


def can_manage_member(user: Any, origin: Organization) -> bool:
    """Registering, moving and the agreement are the origin's: its users and superiors."""
    return is_origin_side(user, origin)
