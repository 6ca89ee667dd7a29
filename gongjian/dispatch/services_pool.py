"""The talent pool's writes: application, unit recommendation, organizational vetting, and
villages' needs profiles. Each runs in one transaction with its audit row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.dispatch.access import can_apply_for, can_edit_needs, can_recommend, can_vet
from gongjian.dispatch.errors import DispatchActionRefused
from gongjian.dispatch.models import (
    Candidate,
    CandidatePreference,
    CandidateStatus,
    CandidateStep,
    NeedsProfile,
    Skill,
    StepKind,
)
from gongjian.orgs.models import Organization, OrgKind, OrgLevel
from gongjian.orgs.personal_data import id_number_problem
from gongjian.orgs.search import search_keys

CANDIDATE_FIELDS = [
    "name",
    "gender",
    "birth_date",
    "education",
    "political_status",
    "unit_id",
    "post",
    "statement",
    "status",
]


def check_preferences(places: Sequence[Organization]) -> None:
    """A preference names a county (区县委) or a village, each at most once."""
    seen: set[int] = set()
    for place in places:
        if place.kind != OrgKind.VILLAGE and place.level != OrgLevel.COUNTY_COMMITTEE:
            raise DispatchActionRefused(
                _("“%(name)s”不是区县或村，不能作为任职意向") % {"name": place.name},
                code="preference_not_a_place",
                field="preferences",
            )
        if place.pk in seen:
            raise DispatchActionRefused(
                _("“%(name)s”填写了两次") % {"name": place.name}, code="preference_twice", field="preferences"
            )
        seen.add(place.pk)


@audits_refusals
def candidate_apply(
    *,
    actor: User,
    unit: Organization,
    name: str,
    gender: str,
    birth_date: datetime.date,
    id_number: str,
    phone: str,
    education: str,
    political_status: str,
    post: str = "",
    skills: Iterable[Skill] = (),
    statement: str = "",
    preferences: Sequence[Organization] = (),
) -> Candidate:
    """Register a voluntary application (自愿报名) of a person working at ``unit``.

    ``preferences`` are places in order of wish: counties and villages.
    """
    if not can_apply_for(actor, unit):
        raise PermissionDenied(_("只能为本单位（或管辖范围内单位）的干部报名"))
    id_number = id_number.strip().upper()
    problem = id_number_problem(id_number)
    if problem:
        raise DispatchActionRefused(problem, code="id_number_invalid", field="id_number")
    if Candidate.objects.filter(id_number=id_number).exists():
        raise DispatchActionRefused(_("此身份证号已在人才库中报名"), code="id_number_taken", field="id_number")
    check_preferences(preferences)
    with audited("dispatch.candidate.apply", actor=actor, scope_path=unit.path) as record:
        candidate = Candidate(
            name=name.strip(),
            gender=gender,
            birth_date=birth_date,
            id_number=id_number,
            phone=phone.strip(),
            education=education,
            political_status=political_status,
            unit=unit,
            post=post.strip(),
            statement=statement.strip(),
        )
        candidate.name_pinyin, candidate.name_initials = search_keys(candidate.name)
        candidate.full_clean(exclude=["skills", "user"])
        candidate.save()
        candidate.skills.set(list(skills))
        CandidatePreference.objects.bulk_create(
            CandidatePreference(candidate=candidate, rank=i, place=place) for i, place in enumerate(preferences, 1)
        )
        CandidateStep.objects.create(candidate=candidate, kind=StepKind.APPLY, actor=actor)
        record.target = candidate
        record.after = _snapshot(candidate) | {"preferences": [p.pk for p in preferences]}
    return candidate


def _snapshot(candidate: Candidate) -> dict[str, Any]:
    data: dict[str, Any] = {f: getattr(candidate, f) for f in CANDIDATE_FIELDS}
    data["skills"] = sorted(s.code for s in candidate.skills.all())
    return data


def _step(candidate: Candidate, actor: User, kind: str, comment: str, status: str, action: str) -> Candidate:
    with audited(action, actor=actor, target=candidate, scope_path=candidate.unit.path) as record:
        record.before = {"status": candidate.status}
        candidate.status = status
        candidate.save(update_fields=["status", "updated_at"])
        CandidateStep.objects.create(candidate=candidate, kind=kind, actor=actor, comment=comment.strip())
        record.after = {"status": status, "comment": comment.strip()}
    return candidate


def candidate_recommend(*, actor: User, candidate: Candidate, comment: str = "") -> Candidate:
    """The candidate's unit recommends the application to the organization department."""
    if not can_recommend(actor, candidate):
        raise PermissionDenied(_("只有人选所在单位可以推荐"))
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().select_related("unit").get(pk=candidate.pk)
        if candidate.status != CandidateStatus.APPLIED:
            raise DispatchActionRefused(_("只有“已报名”的人选可以由单位推荐"), code="not_applied")
        return _step(
            candidate, actor, StepKind.RECOMMEND, comment, CandidateStatus.RECOMMENDED, "dispatch.candidate.recommend"
        )


def candidate_vet(*, actor: User, candidate: Candidate, approve: bool, comment: str = "") -> Candidate:
    """组织考察: approve (the candidate enters the pool) or reject with a reason."""
    if not can_vet(actor, candidate):
        raise PermissionDenied(_("只有组织部门可以考察人选"))
    if not approve and not comment.strip():
        raise DispatchActionRefused(_("不通过时必须写明原因"), code="reason_required", field="comment")
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().select_related("unit").get(pk=candidate.pk)
        if candidate.status != CandidateStatus.RECOMMENDED:
            raise DispatchActionRefused(_("只有单位已推荐的人选可以考察"), code="not_recommended")
        if approve:
            return _step(
                candidate, actor, StepKind.APPROVE, comment, CandidateStatus.POOLED, "dispatch.candidate.approve"
            )
        return _step(candidate, actor, StepKind.REJECT, comment, CandidateStatus.REJECTED, "dispatch.candidate.reject")


PROFILE_FIELDS = ["population", "industries", "problems", "cadres_needed"]


@audits_refusals
def needs_profile_save(
    *,
    actor: User,
    village: Organization,
    population: int | None,
    industries: str,
    problems: str,
    skills: Iterable[Skill],
    cadres_needed: int,
) -> NeedsProfile:
    """Create or update a village's needs profile (村情需求档案)."""
    if not can_edit_needs(actor, village):
        raise PermissionDenied(_("只有本村及其上级党委可以维护村情需求档案"))
    skills = list(skills)
    with audited("dispatch.needs.save", actor=actor, target=village, scope_path=village.path) as record:
        profile = NeedsProfile.objects.select_for_update().filter(village=village).first()
        if profile is not None:
            record.before = {f: getattr(profile, f) for f in PROFILE_FIELDS} | {
                "skills": sorted(s.code for s in profile.skills.all())
            }
        else:
            profile = NeedsProfile(village=village)
        profile.population = population
        profile.industries = industries.strip()
        profile.problems = problems.strip()
        profile.cadres_needed = cadres_needed
        profile.updated_by = actor
        profile.save()
        profile.skills.set(skills)
        record.after = {f: getattr(profile, f) for f in PROFILE_FIELDS} | {"skills": sorted(s.code for s in skills)}
    return profile
