"""Matching runs: weak and lax villages first, skills and wishes scored from the profile,
reasons for every match and every unmatched village, confirming into appointments."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gongjian.audit.models import AuditEntry
from gongjian.dispatch import selectors
from gongjian.dispatch.errors import DispatchActionRefused
from gongjian.dispatch.matching import stored_run
from gongjian.dispatch.models import Appointment, CandidateStatus
from gongjian.dispatch.services_match import match_confirm, match_run
from gongjian.matching import UncoveredReason, allocate, instance_from_json
from gongjian.orgs.models import OrgKind, OrgLevel
from tests.conftest import Cast, make_org
from tests.dispatch.conftest import POLICY_KEY, MakeCandidate, needs

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_village(cast: Cast):  # type: ignore[no-untyped-def]
    """A village with no tag: not a priority."""
    return make_org(cast.town, "C0099", "李家湾村党支部", OrgLevel.BRANCH, OrgKind.VILLAGE)


def pairs_of(run) -> dict[str, tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    stored = stored_run(run.instance, run.result)
    return {stored.names[p.unit]: (p.village, p.score, p.reasons) for p in stored.pairs}


def test_skills_and_wishes_scored_with_reasons(
    cast: Cast, skills: dict, make_candidate: MakeCandidate, policy_dir
) -> None:  # type: ignore[no-untyped-def]
    needs(cast, cast.village, skills, ("agriculture",))  # weak
    needs(cast, cast.other_village, skills, ("law",))  # lax
    make_candidate("农技员", skill_codes=("agriculture",), preferences=(cast.village,))
    make_candidate("律师", skill_codes=("law",))
    run = match_run(actor=cast.committee_admin, policy_key=POLICY_KEY)
    got = pairs_of(run)
    assert got["农技员"] == (str(cast.village.pk), 60 + 40 + 30, "preference:60;affinity:40;needs:30")
    assert got["律师"] == (str(cast.other_village.pk), 50 + 30, "affinity:50;needs:30")
    assert (run.covered_slots, run.required_slots, run.matched) == (2, 2, 2)
    assert AuditEntry.objects.filter(action="dispatch.match.run", success=True).count() == 1
    # The stored input re-derives the same result.
    again = allocate(instance_from_json(run.instance))
    stored = stored_run(run.instance, run.result)
    assert sorted((p.unit, p.village) for p in again.pairs) == sorted((p.unit, p.village) for p in stored.pairs)


def test_weak_and_lax_villages_first(
    cast: Cast, skills: dict, make_candidate: MakeCandidate, plain_village, policy_dir
) -> None:  # type: ignore[no-untyped-def]
    needs(cast, cast.village, skills, ())  # weak, nothing in common with the candidate
    needs(cast, plain_village, skills, ("tourism",))
    # The plain village would score 60 + 30 = 90 against 40 at the weak one: coverage wins.
    make_candidate("导游", skill_codes=("tourism",), preferences=(plain_village,))
    run = match_run(actor=cast.committee_admin, policy_key=POLICY_KEY)
    assert pairs_of(run)["导游"][0] == str(cast.village.pk)
    (left,) = stored_run(run.instance, run.result).unmatched
    assert left.village == str(plain_village.pk) and not left.priority
    assert left.shortfall.code is UncoveredReason.CANDIDATES_AT_CAPACITY
    assert left.reason == "1 名可选人选均已匹配到其他村（优先村或得分更高的村）"


def test_candidates_stay_in_their_region(cast: Cast, skills: dict, make_candidate: MakeCandidate, policy_dir) -> None:  # type: ignore[no-untyped-def]
    needs(cast, cast.village, skills, ("agriculture",))
    make_candidate("想去丹凤", skill_codes=("agriculture",), preferences=(cast.sibling_county,))
    run = match_run(actor=cast.city_admin, policy_key=POLICY_KEY)
    stored = stored_run(run.instance, run.result)
    assert stored.pairs == ()
    (left,) = stored.unmatched
    assert (left.village, left.missing, left.shortfall.code) == (str(cast.village.pk), 1, UncoveredReason.NO_CANDIDATE)
    assert left.reason.startswith("没有可选人选")


def test_serving_cadres_fill_the_need(cast: Cast, skills: dict, make_candidate: MakeCandidate, policy_dir) -> None:  # type: ignore[no-untyped-def]
    needs(cast, cast.village, skills, ("agriculture",))
    make_candidate("甲")
    run = match_run(actor=cast.committee_admin, policy_key=POLICY_KEY)
    done, skipped = match_confirm(
        actor=cast.committee_admin, run=run, exclude=set(), role="first_secretary", term_start=datetime.date(2026, 3, 1)
    )
    assert (done, skipped) == (1, 0)
    appointment = Appointment.objects.get()
    assert appointment.term_end == datetime.date(2028, 2, 29)  # two years from the profile
    assert appointment.candidate.status == CandidateStatus.APPOINTED
    assert appointment.reasons == "affinity:40;needs:30"
    assert AuditEntry.objects.filter(action="dispatch.appoint", object_id=str(appointment.pk)).exists()
    with pytest.raises(DispatchActionRefused):
        match_confirm(
            actor=cast.committee_admin,
            run=run,
            exclude=set(),
            role="first_secretary",
            term_start=datetime.date(2026, 3, 1),
        )
    make_candidate("乙")
    with pytest.raises(DispatchActionRefused):  # the one village needing a cadre has one now
        match_run(actor=cast.committee_admin, policy_key=POLICY_KEY)


def test_excluded_pairs_are_not_appointed_and_rerun_forbids_them(
    cast: Cast, skills: dict, make_candidate: MakeCandidate, policy_dir
) -> None:  # type: ignore[no-untyped-def]
    needs(cast, cast.village, skills, ("agriculture",))
    first = make_candidate("甲", skill_codes=("agriculture",))
    second = make_candidate("乙", skill_codes=())
    run = match_run(actor=cast.committee_admin, policy_key=POLICY_KEY)
    assert pairs_of(run)["甲"][0] == str(cast.village.pk)
    rerun = match_run(actor=cast.committee_admin, policy_key=POLICY_KEY, forbids=[(first.pk, cast.village.pk)])
    assert pairs_of(rerun) == {"乙": (str(cast.village.pk), 40, "affinity:40")}
    done, _ = match_confirm(
        actor=cast.committee_admin,
        run=rerun,
        exclude={(second.pk, cast.village.pk)},
        role="resident",
        term_start=datetime.date(2026, 3, 1),
    )
    assert done == 0 and not Appointment.objects.exists()


def test_runs_are_scoped(cast: Cast, skills: dict, make_candidate: MakeCandidate, policy_dir) -> None:  # type: ignore[no-untyped-def]
    needs(cast, cast.village, skills, ("agriculture",))
    make_candidate("甲")
    run = match_run(actor=cast.committee_admin, policy_key=POLICY_KEY)
    for user in (cast.sibling_admin, cast.outsider):
        with pytest.raises(Http404):
            selectors.run_get(user=user, pk=run.pk)
        with pytest.raises(PermissionDenied):
            match_confirm(actor=user, run=run, exclude=set(), role="resident", term_start=datetime.date(2026, 3, 1))
    assert selectors.run_get(user=cast.city_admin, pk=run.pk) == run
    # The sibling county sees neither the county's candidates nor its villages.
    with pytest.raises(DispatchActionRefused):
        match_run(actor=cast.sibling_admin, policy_key=POLICY_KEY)
    for user in (cast.unit_user, cast.village_user):
        with pytest.raises(PermissionDenied):
            match_run(actor=user, policy_key=POLICY_KEY)
