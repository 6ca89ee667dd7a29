"""Reading the audit log: auditors (and city admins) see the entries of their subtree."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from gongjian.audit.actions import codes_matching
from gongjian.audit.models import AuditEntry
from gongjian.orgs.models import Organization
from gongjian.orgs.scope import Scope


def audit_entry_list(
    *,
    user: Any,
    query: str = "",
    action: str = "",
    success: bool | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    scope = Scope.of(user)
    if scope.audit_path is None:
        return AuditEntry.objects.none()
    # Entries about the subtree (the auditor of a top node also sees what belongs to no
    # subtree: superusers' and the system administrators' work, failed sign-ins of unknown names).
    qs = AuditEntry.objects.filter(scope.audit_q())
    if query:
        # 会签, 登录…: the action's words find its codes (gongjian.audit.actions).
        qs = qs.filter(
            Q(actor_username__icontains=query)
            | Q(object_repr__icontains=query)
            | Q(reason__icontains=query)
            | Q(action__in=codes_matching(query))
            | Q(action__startswith=query)
        )
    if action:
        matching = codes_matching(action)
        qs = qs.filter(Q(action__startswith=action) | Q(action__in=matching))
    if success is not None:
        qs = qs.filter(success=success)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs


def scope_names(paths: set[str]) -> dict[str, str]:
    """The name of the organization at each tree path (what an entry's ``scope_path``
    points to), for rows that name their object."""
    found = Organization.objects.filter(path__in=[p for p in paths if p]).values_list("path", "name")
    return dict(found)
