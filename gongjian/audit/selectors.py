"""Reading the audit log: auditors (and city admins) see the entries of their subtree."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from gongjian.audit.models import AuditEntry
from gongjian.orgs.scope import audit_scope_path


def audit_entry_list(
    *,
    user: Any,
    query: str = "",
    action: str = "",
    success: bool | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    path = audit_scope_path(user)
    if path is None:
        return AuditEntry.objects.none()
    # Entries about the subtree, and the subtree's own users' sign-ins (which carry no object path).
    qs = AuditEntry.objects.filter(scope_path__startswith=path)
    if path.count("/") <= 2:
        # The auditor of a top node also sees what belongs to no subtree: superusers' and
        # the system administrators' work, failed sign-ins of unknown names.
        qs = AuditEntry.objects.filter(Q(scope_path__startswith=path) | Q(scope_path=""))
    if query:
        qs = qs.filter(
            Q(actor_username__icontains=query) | Q(object_repr__icontains=query) | Q(reason__icontains=query)
        )
    if action:
        qs = qs.filter(action__startswith=action)
    if success is not None:
        qs = qs.filter(success=success)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs
