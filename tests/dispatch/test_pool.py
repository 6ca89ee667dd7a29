"""The talent pool's workflow: application → unit recommendation → vetting → in the pool,
each step recorded (who, when, comment) and audited; who may take which step; needs profiles."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gongjian.audit.models import AuditEntry
from gongjian.dispatch.errors import DispatchActionRefused
from gongjian.dispatch.models import CandidateStatus, NeedsProfile, StepKind
from gongjian.dispatch.services_pool import candidate_apply, candidate_recommend, candidate_vet, needs_profile_save
from tests.conftest import Cast
from tests.dispatch.conftest import MakeCandidate, id_number, needs

pytestmark = pytest.mark.django_db


def test_application_to_pool_records_every_step(cast: Cast, make_candidate: MakeCandidate) -> None:
    candidate = make_candidate(stage="pooled", preferences=(cast.county, cast.village))
    assert candidate.status == CandidateStatus.POOLED
    steps = list(candidate.steps.values_list("kind", "actor__username", "comment"))
    assert steps == [
        (StepKind.APPLY, "unit", ""),
        (StepKind.RECOMMEND, "unit", "同意推荐"),
        (StepKind.APPROVE, "county", "考察合格"),
    ]
    assert [p.place for p in candidate.preferences.all()] == [cast.county, cast.village]
    actions = list(
        AuditEntry.objects.filter(object_type="dispatch.candidate", object_id=str(candidate.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["dispatch.candidate.apply", "dispatch.candidate.recommend", "dispatch.candidate.approve"]


def test_reject_needs_a_reason_and_is_recorded(cast: Cast, make_candidate: MakeCandidate) -> None:
    candidate = make_candidate(stage="recommended")
    with pytest.raises(DispatchActionRefused) as reasonless:
        candidate_vet(actor=cast.committee_admin, candidate=candidate, approve=False, comment=" ")
    assert (reasonless.value.code, reasonless.value.field) == ("reason_required", "comment")
    candidate = candidate_vet(actor=cast.committee_admin, candidate=candidate, approve=False, comment="群众评议一般")
    assert candidate.status == CandidateStatus.REJECTED
    assert candidate.steps.last().comment == "群众评议一般"  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="dispatch.candidate.reject", success=True).count() == 1


def test_steps_only_in_order(cast: Cast, make_candidate: MakeCandidate) -> None:
    applied = make_candidate(stage="applied")
    with pytest.raises(DispatchActionRefused):
        candidate_vet(actor=cast.committee_admin, candidate=applied, approve=True)
    pooled = make_candidate("钱多多", stage="pooled")
    with pytest.raises(DispatchActionRefused):
        candidate_recommend(actor=cast.unit_user, candidate=pooled)


def test_who_may_take_each_step(cast: Cast, make_candidate: MakeCandidate) -> None:
    applied = make_candidate(stage="applied")
    for user in (cast.village_user, cast.sibling_admin, cast.outsider):
        with pytest.raises(PermissionDenied):
            candidate_recommend(actor=user, candidate=applied)
    recommended = make_candidate("孙立", stage="recommended")
    # Vetting is the department's: not the unit's own user, not another county.
    for user in (cast.unit_user, cast.sibling_admin, cast.outsider):
        with pytest.raises(PermissionDenied):
            candidate_vet(actor=user, candidate=recommended, approve=True)
    with pytest.raises(PermissionDenied):
        candidate_apply(
            actor=cast.unit_user,
            unit=cast.sibling_unit,
            name="外单位",
            gender="F",
            birth_date=datetime.date(1990, 1, 1),
            id_number=id_number(),
            phone="13800001111",
            education="bachelor",
            political_status="member",
        )


def test_bad_id_number_and_duplicate(cast: Cast, make_candidate: MakeCandidate) -> None:
    first = make_candidate(stage="applied")
    base = dict(
        actor=cast.unit_user,
        unit=cast.unit,
        name="周",
        gender="M",
        birth_date=datetime.date(1990, 1, 1),
        phone="13800001111",
        education="bachelor",
        political_status="member",
    )
    with pytest.raises(DispatchActionRefused) as bad:
        candidate_apply(id_number="611023199001010000", **base)  # type: ignore[arg-type]
    assert (bad.value.code, bad.value.field) == ("id_number_invalid", "id_number")
    with pytest.raises(DispatchActionRefused) as dup:
        candidate_apply(id_number=first.id_number, **base)  # type: ignore[arg-type]
    assert "已在人才库" in dup.value.message and dup.value.code == "id_number_taken"
    with pytest.raises(DispatchActionRefused) as town:  # a town is neither a county nor a village
        candidate_apply(id_number=id_number(), preferences=[cast.town], **base)  # type: ignore[arg-type]
    assert (town.value.code, town.value.field) == ("preference_not_a_place", "preferences")


def test_needs_profile_by_village_and_county_not_unit(cast: Cast, skills: dict) -> None:
    profile = needs(cast, cast.village, skills, ("ecommerce", "law"), count=2)
    assert sorted(profile.skills.values_list("code", flat=True)) == ["ecommerce", "law"]
    needs_profile_save(
        actor=cast.village_user,
        village=cast.village,
        population=1300,
        industries="茶叶",
        problems="",
        skills=[skills["tourism"]],
        cadres_needed=1,
    )
    profile = NeedsProfile.objects.get(village=cast.village)
    assert (profile.population, profile.cadres_needed) == (1300, 1)
    entries = AuditEntry.objects.filter(action="dispatch.needs.save").order_by("id")
    assert entries.count() == 2 and entries.last().before["cadres_needed"] == 2  # type: ignore[union-attr,index]
    for user in (cast.unit_user, cast.sibling_admin, cast.outsider):
        with pytest.raises(PermissionDenied):
            needs_profile_save(
                actor=user,
                village=cast.village,
                population=None,
                industries="",
                problems="",
                skills=[],
                cadres_needed=1,
            )
    with pytest.raises(PermissionDenied):  # another village's user
        needs_profile_save(
            actor=cast.village_user,
            village=cast.other_village,
            population=None,
            industries="",
            problems="",
            skills=[],
            cadres_needed=1,
        )
