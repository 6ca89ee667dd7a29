"""Reads of the dispatch app, always through the user's scope (:mod:`gongjian.orgs.scope`).

Candidates are seen by the admins over their unit and by the unit itself; appointments
also by the admins and the village where the cadre serves. Anything else is a 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongjian.dispatch.models import (
    Appointment,
    Assessment,
    Candidate,
    CandidateStatus,
    MatchRun,
    NeedsProfile,
    Skill,
)
from gongjian.orgs.models import Organization, OrgKind, OrgLevel, Tag
from gongjian.orgs.scope import NOTHING, Scope, filter_by_organization, organizations_in_scope, subtree, top_path
from gongjian.orgs.search import filter_by_name


def candidate_list(*, user: Any, query: str = "", status: str = "", skill: str = "") -> QuerySet[Candidate]:
    """Candidates of units in the user's subtree (and the user's own candidacy)."""
    condition = Q(user_id=user.pk) if getattr(user, "is_authenticated", False) else NOTHING
    scope = Scope.of(user)
    if scope.root is not None:
        condition |= scope.candidates_q()
    qs = Candidate.objects.filter(condition).select_related("unit")
    if status:
        qs = qs.filter(status=status)
    if skill:
        qs = qs.filter(skills__code=skill)
    return filter_by_name(qs, query).order_by("-created_at", "-id")


def candidate_get(*, user: Any, pk: int) -> Candidate:
    candidate = candidate_list(user=user).filter(pk=pk).first()
    if candidate is None:
        raise Http404
    return candidate


def apply_units(user: Any) -> QuerySet[Organization]:
    """The organizations a candidate may be registered at: those of the user's subtree that are
    not villages (units, towns, committees), in tree order."""
    return organizations_in_scope(user).exclude(kind=OrgKind.VILLAGE).order_by("path")


def preference_places(user: Any) -> QuerySet[Organization]:
    """Counties a candidate may name as a wish: those of the user's whole tree (a cadre may
    ask to serve outside the unit's own county, within the province or city)."""
    root = organizations_in_scope(user).order_by("depth").first()
    if root is None:
        return Organization.objects.none()
    return subtree(top_path(root)).filter(level=OrgLevel.COUNTY_COMMITTEE, is_active=True).order_by("path")


def village_by_code(user: Any, code: str) -> Organization | None:
    """A village named by code in a candidate's wishes: any village of the user's tree."""
    places = preference_places(user)
    top = places.first()
    if top is None:
        return None
    return subtree(top_path(top)).filter(code=code.strip().upper(), kind=OrgKind.VILLAGE, is_active=True).first()


def tag_names() -> dict[str, str]:
    """Village tag codes → names (经济薄弱, 软弱涣散...)."""
    return dict(Tag.objects.values_list("code", "name"))


def skill_choices() -> QuerySet[Skill]:
    return Skill.objects.all()


def village_list(*, user: Any, query: str = "", only_needing: bool = False) -> QuerySet[Organization]:
    """Villages in scope, each with its needs profile (or none yet)."""
    qs = organizations_in_scope(user).filter(kind=OrgKind.VILLAGE, is_active=True)
    if only_needing:
        qs = qs.filter(needs_profile__cadres_needed__gt=0)
    return filter_by_name(qs, query).select_related("needs_profile").prefetch_related("tags").order_by("path")


def village_by_code_in_scope(*, user: Any, code: str) -> Organization | None:
    """A village of the user's subtree named by its organization code (an appointment by hand)."""
    return village_list(user=user).filter(code=code.strip().upper()).first()


def village_get(*, user: Any, pk: int) -> Organization:
    village = organizations_in_scope(user).filter(pk=pk, kind=OrgKind.VILLAGE).first()
    if village is None:
        raise Http404
    return village


def needs_profile(village: Organization) -> NeedsProfile | None:
    return NeedsProfile.objects.filter(village=village).prefetch_related("skills").first()


def run_list(*, user: Any) -> QuerySet[MatchRun]:
    return filter_by_organization(MatchRun.objects.all(), user, "scope").defer("instance", "result")


def run_get(*, user: Any, pk: int) -> MatchRun:
    run = filter_by_organization(MatchRun.objects.all(), user, "scope").filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def appointment_list(*, user: Any, query: str = "", status: str = "") -> QuerySet[Appointment]:
    """Appointments to villages in scope, of candidates of units in scope, or the user's own."""
    condition = Q(candidate__user_id=user.pk) if getattr(user, "is_authenticated", False) else NOTHING
    scope = Scope.of(user)
    if scope.root is not None:
        condition |= scope.appointments_q()
    qs = Appointment.objects.filter(condition).select_related("candidate", "candidate__unit", "village")
    if status:
        qs = qs.filter(status=status)
    return filter_by_name(qs, query, prefix="candidate__").order_by("-term_start", "-id")


def appointment_get(*, user: Any, pk: int) -> Appointment:
    appointment = appointment_list(user=user).filter(pk=pk).first()
    if appointment is None:
        raise Http404
    return appointment


def term_months(appointment: Appointment, today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the term's months up to this month."""
    today = today or timezone.localdate()
    last = min(appointment.term_end, today).replace(day=1)
    month = appointment.term_start.replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def missing_months(appointment: Appointment, due_day: int, today: datetime.date | None = None) -> list[datetime.date]:
    """Months of the term whose log is overdue: month M is due by ``due_day`` of month M+1."""
    today = today or timezone.localdate()
    logged = set(appointment.logs.values_list("month", flat=True))
    missing = []
    for month in term_months(appointment, today):
        due = (month + datetime.timedelta(days=32)).replace(day=1) + datetime.timedelta(days=due_day - 1)
        if month not in logged and due < today:
            missing.append(month)
    return missing


def term_log_months(appointment: Appointment, due_day: int) -> tuple[list[dict[str, Any]], int]:
    """The term's months up to this one, newest first, each with its log (or None) and whether
    it is overdue; and how many are overdue (an appointment's page)."""
    logs = {log.month: log for log in appointment.logs.select_related("submitted_by")}
    missing = set(missing_months(appointment, due_day))
    months = [{"month": m, "log": logs.get(m), "missing": m in missing} for m in reversed(term_months(appointment))]
    return months, len(missing)


def candidate_history(candidate: Candidate) -> dict[str, Any]:
    """A candidate's steps (with who took them), wishes (with the place) and appointments
    (with the village), for the candidate's page."""
    return {
        "steps": candidate.steps.select_related("actor"),
        "preferences": candidate.preferences.select_related("place"),
        "appointments": candidate.appointments.select_related("village"),
    }


def pool_counts(*, user: Any) -> dict[str, int]:
    """Candidates by status, for the landing page."""
    counts = {s: 0 for s in CandidateStatus.values}
    rows = candidate_list(user=user).order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
    counts.update(dict(rows))
    return counts


def assessment_of(appointment: Appointment) -> Assessment | None:
    """The end-of-term assessment of an appointment, if it has been recorded."""
    return Assessment.objects.filter(appointment=appointment).select_related("assessed_by").first()
