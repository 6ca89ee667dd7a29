"""Who may do what in a round: role predicates only. Which rounds a user sees is the tree's
scope (:meth:`gongjian.orgs.scope.Scope.rounds_q`), nothing of its own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import ADMIN_ROLES, UNIT_USER, VILLAGE_USER, Scope, can_manage, scope_root
from gongjian.rounds.models import Round


def rounds_visible(user: Any) -> QuerySet[Round]:
    """Rounds the user takes part in (the round's scope contains them) or runs (inside their subtree)."""
    scope = Scope.of(user)
    if scope.root is None:
        return Round.objects.none()
    return Round.objects.filter(scope.rounds_q())


def round_visible_to(user: Any, scope_path: str) -> bool:
    """:func:`rounds_visible` for one round already in hand (its scope's path), without a
    query: the round's scope contains the user's node, or lies inside it."""
    return Scope.of(user).overlaps(scope_path)


def can_administer(user: Any, round_: Round) -> bool:
    """City or committee admins whose subtree holds the round's whole scope."""
    return can_manage(user, round_.scope)


def acting_unit(user: Any) -> Organization | None:
    """The unit a unit user acts for."""
    if getattr(user, "role", "") == UNIT_USER:
        return scope_root(user)
    return None


def acting_village(user: Any) -> Organization | None:
    if getattr(user, "role", "") == VILLAGE_USER:
        root = scope_root(user)
        # A town (乡镇党委) stands on the village side of its own pairs where towns are paired.
        return root if root is not None and (root.is_village_side or root.kind == OrgKind.TOWN) else None
    return None


def is_admin(user: Any) -> bool:
    return getattr(user, "role", "") in ADMIN_ROLES
