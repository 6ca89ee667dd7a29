"""Data scope: the part of the organization tree a user may see and change.

This is the one place subtree rules are written. Organizations form a materialised-path
tree (``/1/4/17/``); "X lies under Y" is a path prefix test, and only this module spells
it — as query expressions (``Q``) for any model reaching an organization through a field,
and as Python predicates. Two kinds of subtree:

- the **user's** subtree: :class:`Scope` (``Scope.of(user)``, computed once per user
  object, so once per request), with the rules every app shares — organizations, the
  "a pairing is visible if its unit or its village is in the subtree" rule, rounds,
  mobile members, dispatch candidates and appointments, accounts and the audit log;
- the subtree of **a given organization** (a round's region, a dashboard area, a moved
  node): :func:`under`, :func:`subtree`, :func:`is_within`.

Apps keep only role predicates (who may do what); an object outside the scope is a 404,
never a 403. Field names are passed in (``"unit"``, ``"pairing__village"``), so this
module imports no model above ``orgs``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Q, QuerySet

from gongjian.orgs.models import Organization

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


# The attribute ``Scope.of`` memoises on the user object (a request's user lives as long as
# the request, so a page computes its scope once, however many selectors it calls).
_CACHE_ATTR = "_gongjian_scope"
# A condition no row satisfies (Django short-circuits ``pk__in=[]`` to an empty result).
NOTHING = Q(pk__in=[])


def _lookup(field: str, lookup: str = "path__startswith") -> str:
    return f"{field}__{lookup}" if field else lookup


def _prefixed(prefix: str, field: str) -> str:
    """``("pairing__", "unit")`` → ``"pairing__unit"``; a prefix may omit the ``__``."""
    if prefix and not prefix.endswith("__"):
        prefix += "__"
    return f"{prefix}{field}"


def _path_of(node: Organization | str) -> str:
    return node if isinstance(node, str) else str(node.path)


# --- the subtree of a given organization ----------------------------------------------


def under(node: Organization | str, field: str = "") -> Q:
    """Rows whose organization at ``field`` (an FK path such as ``"village"`` or
    ``"pairing__unit"``; empty: the organization itself) lies in ``node``'s subtree,
    ``node`` included. ``node`` is an organization or its path."""
    return Q(**{_lookup(field): _path_of(node)})


def under_path(path: str, field: str = "scope_path") -> Q:
    """Rows whose path-valued text ``field`` (not an FK: an audit entry's ``scope_path``)
    lies under ``path``."""
    return Q(**{f"{field}__startswith": path})


def subtree(node: Organization | str) -> QuerySet[Organization]:
    """Every organization in ``node``'s subtree, ``node`` included."""
    return Organization.objects.filter(under(node))


def is_within(node: Organization | str, ancestor: Organization | str) -> bool:
    """Whether ``node`` lies in ``ancestor``'s subtree (``node`` itself included)."""
    return _path_of(node).startswith(_path_of(ancestor))


def overlaps(a: Organization | str, b: Organization | str) -> bool:
    """Whether one of two nodes lies in the other's subtree (their subtrees intersect)."""
    return is_within(a, b) or is_within(b, a)


def ancestor_paths(path: str) -> list[str]:
    """``/1/4/17/`` → ``['/1/', '/1/4/', '/1/4/17/']``."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def top_path(node: Organization | str) -> str:
    """The path of the root of ``node``'s whole tree (``/1/4/17/`` → ``/1/``)."""
    return ancestor_paths(_path_of(node))[0]


def around(node: Organization | str, field: str = "") -> Q:
    """Rows whose organization at ``field`` contains ``node`` (an ancestor or itself) or
    lies in its subtree: the nodes whose subtrees intersect ``node``'s."""
    path = _path_of(node)
    return Q(**{_lookup(field, "path__in"): ancestor_paths(path)}) | under(path, field)


def pairings_under(node: Organization | str, prefix: str = "", *, unit: str = "unit", village: str = "village") -> Q:
    """The pairing rule: a pairing belongs to a subtree if its unit or its village lies in
    it. ``prefix`` leads from the queried model to the pairing (``"pairing__"``; empty: a
    pairing, or a row carrying its own unit and village, e.g. an intent with
    ``village="entry__village"``)."""
    return under(node, _prefixed(prefix, unit)) | under(node, _prefixed(prefix, village))


def organization_path(user: ScopedUser | Any) -> str:
    """Where events about an account are filed in the audit log: the path of the user's own
    organization, or "" for an account without one."""
    organization = getattr(user, "organization", None) if user is not None else None
    return str(organization.path) if organization is not None else ""


# --- the user's subtree -----------------------------------------------------------------


def _key(user: Any) -> tuple[Any, ...]:
    """What a scope depends on: recomputed if any of it changes on the same user object."""
    return (
        bool(getattr(user, "is_authenticated", False)),
        bool(getattr(user, "is_active", True)),
        getattr(user, "role", ""),
        getattr(user, "organization_id", None) if hasattr(user, "organization_id") else _pk(user),
    )


def _pk(user: Any) -> int | None:
    organization = getattr(user, "organization", None)
    return getattr(organization, "pk", None)


@dataclass(frozen=True, eq=False)
class Scope:
    """The parts of the tree one user works in (see the module's docstring).

    ``root``: the registry subtree (the business roles'); ``audit_root``: the subtree whose
    audit log an audit administrator reads; ``account_root``: the subtree whose accounts an
    account manager manages. Each is None when the user has no such subtree."""

    root: Organization | None
    audit_root: Organization | None = None
    account_root: Organization | None = None
    key: tuple[Any, ...] = ()

    @classmethod
    def of(cls, user: ScopedUser | Any) -> Scope:
        """The user's scope, computed once per user object (so once per request)."""
        key = _key(user)
        cached = getattr(user, _CACHE_ATTR, None)
        if isinstance(cached, Scope) and cached.key == key:
            return cached
        scope = cls.compute(user, key)
        # An object that takes no attributes (None) simply computes each time.
        with contextlib.suppress(AttributeError):
            setattr(user, _CACHE_ATTR, scope)
        return scope

    @classmethod
    def compute(cls, user: ScopedUser | Any, key: tuple[Any, ...] | None = None) -> Scope:
        """Compute the scope afresh (``of`` memoises this)."""
        key = _key(user) if key is None else key
        authenticated, active, role, organization_id = key
        if not authenticated or organization_id is None:
            return cls(root=None, key=key)
        organization = user.organization
        return cls(
            root=organization if active and role in REGISTRY_ROLES else None,
            # 三员分立: only the audit administrator reads the log (a business admin must not
            # read the record of their own actions).
            audit_root=organization if role == AUDITOR else None,
            account_root=organization if active and role in ACCOUNT_MANAGERS else None,
            key=key,
        )

    # --- the registry subtree ---

    @property
    def path(self) -> str | None:
        """The path prefix of the user's subtree, or None (they see no organization)."""
        return str(self.root.path) if self.root is not None else None

    def contains(self, organization: Organization | str | None) -> bool:
        """Whether ``organization`` (or a path) lies in the user's subtree."""
        return self.root is not None and organization is not None and is_within(organization, self.root)

    def overlaps(self, node: Organization | str) -> bool:
        """Whether ``node`` contains the user's node or lies in their subtree (a round whose
        scope is ``node`` is one the user takes part in or runs)."""
        return self.root is not None and overlaps(node, self.root)

    def q(self, field: str = "") -> Q:
        """Rows whose organization at ``field`` (empty: the organization itself) lies in the
        user's subtree; nothing for a user without one."""
        return under(self.root, field) if self.root is not None else NOTHING

    def filter(self, queryset: QuerySet[Any], field: str) -> QuerySet[Any]:
        """``queryset`` restricted to rows whose ``field`` (an organization FK) is in scope."""
        if self.root is None:
            return queryset.none()
        return queryset.filter(self.q(field))

    def organizations(self) -> QuerySet[Organization]:
        """Every organization in the user's subtree."""
        return self.filter(Organization.objects.all(), "")

    def pairings_q(self, prefix: str = "", *, unit: str = "unit", village: str = "village") -> Q:
        """A pairing is visible if its unit or its village lies in the subtree (the unit,
        the village, the committees over either, the city). ``prefix`` leads from the
        queried model to the pairing (``"pairing__"``; empty: a pairing, or a row carrying
        its own ``unit`` and ``village`` such as an intent with ``village="entry__village"``)."""
        if self.root is None:
            return NOTHING
        return pairings_under(self.root, prefix, unit=unit, village=village)

    def sees_pair(self, unit: Organization, village: Organization) -> bool:
        """:meth:`pairings_q` for one pair already in hand (its unit and village)."""
        return self.contains(unit) or self.contains(village)

    def rounds_q(self, prefix: str = "") -> Q:
        """Rounds the user takes part in (the round's scope contains their node) or runs
        (it lies in their subtree). ``prefix`` leads to the round."""
        if self.root is None:
            return NOTHING
        return around(self.root, _prefixed(prefix, "scope"))

    def members_q(self, prefix: str = "") -> Q:
        """Mobile members under dual management: the origin's side and the current host's."""
        if self.root is None:
            return NOTHING
        return self.q(_prefixed(prefix, "origin")) | self.q(_prefixed(prefix, "host"))

    def candidates_q(self, prefix: str = "") -> Q:
        """Dispatch candidates of units in the subtree."""
        return self.q(_prefixed(prefix, "unit"))

    def appointments_q(self, prefix: str = "") -> Q:
        """Dispatch appointments to villages in the subtree or of candidates of its units."""
        if self.root is None:
            return NOTHING
        return self.q(_prefixed(prefix, "village")) | self.q(_prefixed(prefix, "candidate__unit"))

    # --- accounts and the audit log ---

    @property
    def account_path(self) -> str | None:
        """The subtree whose accounts the user manages (None: they manage none)."""
        return str(self.account_root.path) if self.account_root is not None else None

    def manages_account_of(self, organization: Organization | None) -> bool:
        """Whether an account of ``organization`` lies in the subtree the user manages."""
        return self.account_root is not None and organization is not None and is_within(organization, self.account_root)

    def accounts_q(self, field: str = "organization") -> Q:
        return under(self.account_root, field) if self.account_root is not None else NOTHING

    def account_organizations(self) -> QuerySet[Organization]:
        """The organizations of the subtree whose accounts the user manages."""
        if self.account_root is None:
            return Organization.objects.none()
        return subtree(self.account_root)

    @property
    def audit_path(self) -> str | None:
        """The subtree whose audit log the user (an audit administrator) reads, or None."""
        return str(self.audit_root.path) if self.audit_root is not None else None

    def audit_q(self, field: str = "scope_path") -> Q:
        """Audit entries filed under the subtree; the auditor of a top node also sees what
        belongs to no subtree (superusers' and system administrators' work, failed sign-ins
        of unknown names: ``scope_path`` "")."""
        path = self.audit_path
        if path is None:
            return NOTHING
        condition = under_path(path, field)
        if path.count("/") <= 2:
            condition |= Q(**{field: ""})
        return condition


# --- function forms (older callers; each is one line over Scope) ------------------------


def scope_root(user: ScopedUser | Any) -> Organization | None:
    """The node whose subtree the user works in, or None if they may see no organization."""
    return Scope.of(user).root


def subtree_path(user: ScopedUser | Any) -> str | None:
    """The path prefix of the user's subtree (for filtering any model by its organization)."""
    return Scope.of(user).path


def audit_scope_path(user: ScopedUser | Any) -> str | None:
    """The subtree whose audit log the audit administrator may read: nobody else reads it
    (三员分立; a business admin must not read the record of their own actions)."""
    return Scope.of(user).audit_path


def account_scope_path(user: ScopedUser | Any) -> str | None:
    """The subtree whose accounts the user manages (None: they manage none)."""
    return Scope.of(user).account_path


def accounts_in_scope(user: ScopedUser | Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The accounts (``queryset`` of users) whose organization lies in the subtree the user
    manages."""
    scope = Scope.of(user)
    if scope.account_root is None:
        return queryset.none()
    return queryset.filter(scope.accounts_q())


def organizations_in_scope(user: ScopedUser | Any) -> QuerySet[Organization]:
    """Every organization the user may see."""
    return Scope.of(user).organizations()


def filter_by_organization(queryset: QuerySet[Any], user: ScopedUser | Any, field: str) -> QuerySet[Any]:
    """Restrict any queryset to rows whose ``field`` (an organization FK) lies in the scope."""
    return Scope.of(user).filter(queryset, field)


def in_scope(user: ScopedUser | Any, organization: Organization) -> bool:
    return Scope.of(user).contains(organization)


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
