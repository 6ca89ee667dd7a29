"""Who may take which step. Scope itself comes from :mod:`gongjian.orgs.scope` only;
these predicates add the role each step of the practice belongs to."""

from __future__ import annotations

from typing import Any

from gongjian.dispatch.models import Appointment, Candidate
from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import ADMIN_ROLES, UNIT_USER, VILLAGE_USER, can_manage, in_scope, scope_root


def is_admin(user: Any) -> bool:
    """An organization department (city, county or town committee admin) with a subtree."""
    return getattr(user, "role", "") in ADMIN_ROLES and scope_root(user) is not None


def can_apply_for(user: Any, unit: Organization) -> bool:
    """A unit (its user acting for the volunteer) or the department registers an application."""
    return getattr(user, "role", "") in ADMIN_ROLES | {UNIT_USER} and in_scope(user, unit) and not unit.is_village


def can_recommend(user: Any, candidate: Candidate) -> bool:
    """The candidate's own unit recommends (the department may record a paper recommendation)."""
    return getattr(user, "role", "") in ADMIN_ROLES | {UNIT_USER} and in_scope(user, candidate.unit)


def can_vet(user: Any, candidate: Candidate) -> bool:
    """Vetting (组织考察) belongs to the organization department over the candidate's unit."""
    return can_manage(user, candidate.unit)


def can_edit_needs(user: Any, village: Organization) -> bool:
    """A village keeps its own needs profile; its town and county admins may too."""
    role = getattr(user, "role", "")
    return village.kind == OrgKind.VILLAGE and role in ADMIN_ROLES | {VILLAGE_USER} and in_scope(user, village)


def can_appoint(user: Any, village: Organization) -> bool:
    """Appointing a cadre to a village is the department's, over that village."""
    return can_manage(user, village)


def can_log(user: Any, appointment: Appointment) -> bool:
    """The cadre (their own account, or their unit's user acting for them) writes the log."""
    candidate = appointment.candidate
    if candidate.user_id is not None and candidate.user_id == getattr(user, "pk", None):
        return True
    return getattr(user, "role", "") == UNIT_USER and in_scope(user, candidate.unit)


def can_assess(user: Any, appointment: Appointment) -> bool:
    """The end-of-term assessment is the county's (an admin over the village)."""
    return can_manage(user, appointment.village)
