"""Data scope: the part of the organization tree a user may see and change.

This is the one place scope is computed. Every selector of every app filters through
these functions; an object outside the scope is a 404, never a 403.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db.models import Q, QuerySet

from gongjian.orgs.models import JointMembership, Organization

# Role codes (the choices live in accounts, which depends on this module, not the reverse).
CITY_ADMIN = "city_admin"
COMMITTEE_ADMIN = "committee_admin"
UNIT_USER = "unit_user"
VILLAGE_USER = "village_user"
AUDITOR = "auditor"
SYSTEM_ADMIN = "system_admin"
SECURITY_ADMIN = "security_admin"
ADMIN_ROLES = frozenset({CITY_ADMIN, COMMITTEE_ADMIN})
# Roles that manage the accounts of their subtree (create, import, disable, unlock).
ACCOUNT_MANAGERS = frozenset({SYSTEM_ADMIN, SECURITY_ADMIN, CITY_ADMIN, COMMITTEE_ADMIN})
# Roles that see the registry; the auditor sees the audit log only.
REGISTRY_ROLES = frozenset({CITY_ADMIN, COMMITTEE_ADMIN, UNIT_USER, VILLAGE_USER})


class ScopedUser(Protocol):
    role: str
    organization_id: int | None

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def organization(self) -> Organization | None: ...

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


def scope_root(user: ScopedUser | Any) -> Organization | None:
    """The node whose subtree the user works in, or None if they may see no organization."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return None
    if getattr(user, "role", "") not in REGISTRY_ROLES or user.organization_id is None:
        return None
    return user.organization


def subtree_path(user: ScopedUser | Any) -> str | None:
    """The path prefix of the user's subtree (for filtering any model by its organization)."""
    root = scope_root(user)
    return root.path if root is not None else None


def audit_scope_path(user: ScopedUser | Any) -> str | None:
    """The subtree whose audit log the audit administrator may read: nobody else reads it
    (三员分立; a business admin must not read the record of their own actions)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "role", "") != AUDITOR or user.organization is None:
        return None
    return user.organization.path


def account_scope_path(user: ScopedUser | Any) -> str | None:
    """The subtree whose accounts the user manages (None: they manage none)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return None
    if getattr(user, "role", "") not in ACCOUNT_MANAGERS or user.organization is None:
        return None
    return str(user.organization.path)


def accounts_in_scope(user: ScopedUser | Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The accounts (``queryset`` of users) whose organization lies in the subtree the user
    manages."""
    path = account_scope_path(user)
    if path is None:
        return queryset.none()
    return queryset.filter(organization__path__startswith=path)


def organizations_in_scope(user: ScopedUser | Any) -> QuerySet[Organization]:
    """Every organization the user may see."""
    path = subtree_path(user)
    if path is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=path)


def filter_by_organization(queryset: QuerySet[Any], user: ScopedUser | Any, field: str) -> QuerySet[Any]:
    """Restrict any queryset to rows whose ``field`` (an organization FK) lies in the scope."""
    path = subtree_path(user)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{field}__path__startswith": path})


def organizations_visible(user: ScopedUser | Any) -> QuerySet[Organization]:
    """Every organization the user may read: their subtree, and — read-only — the joint
    organizations (联建) an organization of their subtree currently belongs to, wherever in
    the tree those were set up (村村联建 across towns). Writes still need the subtree
    (``in_scope`` / ``can_manage``)."""
    path = subtree_path(user)
    if path is None:
        return Organization.objects.none()
    joined = JointMembership.objects.filter(left_on__isnull=True, member__path__startswith=path).values("joint_id")
    return Organization.objects.filter(Q(path__startswith=path) | Q(pk__in=joined))


def can_view(user: ScopedUser | Any, organization: Organization) -> bool:
    """Whether the user may read the organization (see ``organizations_visible``)."""
    return in_scope(user, organization) or organizations_visible(user).filter(pk=organization.pk).exists()


def in_scope(user: ScopedUser | Any, organization: Organization) -> bool:
    path = subtree_path(user)
    return path is not None and organization.path.startswith(path)


def can_manage(user: ScopedUser | Any, organization: Organization) -> bool:
    """Admins manage the structure (create, move, import) of their subtree."""
    return getattr(user, "role", "") in ADMIN_ROLES and in_scope(user, organization)


def can_edit_profile(user: ScopedUser | Any, organization: Organization) -> bool:
    """Who may edit an organization's profile: admins in scope, and the organization's own
    users (a unit its resources and capacity, a village its needs and figures)."""
    return in_scope(user, organization)


def can_view_personal_data(user: ScopedUser | Any) -> bool:
    """Full phone and ID numbers need a separate permission."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm("orgs.view_personal_data")
