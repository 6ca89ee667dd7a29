"""A round through the services: open, choose, allocate, balance, publish, confirm, adjust."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from gongjian.audit.models import AuditEntry
from gongjian.matching import allocate
from gongjian.notifications.models import Notification
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import (
    AllocationRun,
    DirectoryEntry,
    Pairing,
    PairingOrigin,
    PairingStatus,
    Round,
    RoundStatus,
    RoundUnit,
    Stage,
)
from gongjian.rounds.services_allocation import allocation_publish, allocation_run, instance_from_json, run_difference
from gongjian.rounds.services_choosing import intent_submit, intent_withdraw, village_wish_set
from gongjian.rounds.services_pairing import pairing_confirm, pairing_decline_renewal, pairing_end
from gongjian.rounds.services_setup import round_change_deadline, task_proposal_set
from tests.conftest import Cast
from tests.rounds.conftest import make_round


def entry(round_: Round, village) -> DirectoryEntry:  # type: ignore[no-untyped-def]
    return DirectoryEntry.objects.get(round=round_, village=village)


def test_open_publishes_directory_and_units(cast: Cast, open_round: Round) -> None:
    assert open_round.status == RoundStatus.OPEN
    villages = set(DirectoryEntry.objects.filter(round=open_round).values_list("village__name", flat=True))
    assert villages == {"花家村党支部", "王家沟村党支部", "清泉村党支部"}
    e = entry(open_round, cast.village)
    assert (e.county, e.town, e.stage) == ("商南县", "富水镇", Stage.NONE)
    units = {ru.unit.name: (ru.capacity, ru.district) for ru in RoundUnit.objects.filter(round=open_round)}
    assert units == {"商南县农业农村局机关党委": (2, "商南县委"), "丹凤县人民医院党委": (1, "丹凤县委")}


def test_only_admins_of_the_whole_scope_run_a_round(cast: Cast) -> None:
    from gongjian.rounds.services_setup import round_create

    with pytest.raises(PermissionDenied):
        round_create(
            actor=cast.committee_admin,
            scope=cast.city,
            name="x",
            policy_key="shangnan",
            intent_deadline=datetime.date(2026, 4, 30),
            signing_deadline=datetime.date(2026, 7, 1),
            term_start=datetime.date(2026, 7, 1),
            term_end=datetime.date(2029, 6, 30),
        )


def test_intent_takes_a_place_and_the_last_place_goes_once(cast: Cast, open_round: Round) -> None:
    e = entry(open_round, cast.village)
    intent = intent_submit(actor=cast.unit_user, entry=e)
    e.refresh_from_db()
    assert (intent.rank, e.intent_count, e.stage) == (1, 1, Stage.INTENT)
    with pytest.raises(RoundActionRefused, match="已选择"):
        intent_submit(actor=cast.unit_user, entry=e)
    # The village takes one unit: a second unit is refused with the reason.
    from tests.conftest import make_user

    other_user = make_user("hospital", "unit_user", cast.sibling_unit)
    with pytest.raises(RoundActionRefused, match="名额已满（1/1）") as caught:
        intent_submit(actor=other_user, entry=e)
    assert caught.value.code == "village_full"
    intent_withdraw(actor=cast.unit_user, intent=intent)
    assert intent_submit(actor=other_user, entry=e).unit == cast.sibling_unit
    assert AuditEntry.objects.filter(action="intent.submit", success=False).count() == 2


def test_unit_intents_are_limited_by_capacity_and_policy(cast: Cast, open_round: Round) -> None:
    RoundUnit.objects.filter(round=open_round, unit=cast.unit).update(capacity=0)
    # shangnan allows capacity + 2 intents
    intent_submit(actor=cast.unit_user, entry=entry(open_round, cast.village))
    intent_submit(actor=cast.unit_user, entry=entry(open_round, cast.other_village))
    with pytest.raises(RoundActionRefused, match="最多可提交 2 个意向"):
        intent_submit(actor=cast.unit_user, entry=entry(open_round, cast.sibling_village))


def test_a_round_cannot_start_with_a_past_intent_deadline(cast: Cast) -> None:
    from django.core.exceptions import ValidationError

    from gongjian.rounds.services_setup import round_create, round_schedule_defaults

    with pytest.raises(ValidationError) as caught:
        round_create(
            actor=cast.city_admin,
            scope=cast.city,
            name="x",
            policy_key="shangnan",
            intent_deadline=datetime.date.today() - datetime.timedelta(days=1),
            signing_deadline=datetime.date.today() + datetime.timedelta(days=30),
            term_start=datetime.date.today() + datetime.timedelta(days=30),
            term_end=datetime.date.today() + datetime.timedelta(days=1000),
        )
    assert "intent_deadline" in caught.value.message_dict
    # The form's defaults never propose a passed deadline.
    assert round_schedule_defaults("shanghai", datetime.date.today().year)["intent_deadline"] >= datetime.date.today()


def test_deadline_is_enforced_and_extension_audited(cast: Cast, open_round: Round) -> None:
    Round.objects.filter(pk=open_round.pk).update(
        intent_deadline=open_round.intent_deadline - datetime.timedelta(days=60)
    )
    open_round.refresh_from_db()
    with pytest.raises(RoundActionRefused, match="截止") as caught:
        intent_submit(actor=cast.unit_user, entry=entry(open_round, cast.village))
    assert caught.value.code == "deadline"
    round_change_deadline(
        actor=cast.city_admin,
        round_=open_round,
        field="intent_deadline",
        day=datetime.date.today() + datetime.timedelta(days=3),
    )
    audit = AuditEntry.objects.get(action="round.deadline")
    assert audit.before["intent_deadline"] < audit.after["intent_deadline"]
    intent_submit(actor=cast.unit_user, entry=entry(open_round, cast.village))
    with pytest.raises(PermissionDenied):
        round_change_deadline(
            actor=cast.committee_admin, round_=open_round, field="intent_deadline", day=datetime.date.today()
        )


def test_village_wish_names_participating_units(cast: Cast, open_round: Round) -> None:
    wishes = village_wish_set(actor=cast.village_user, entry=entry(open_round, cast.village), units=[cast.unit])
    assert [w.unit for w in wishes] == [cast.unit]
    with pytest.raises(RoundActionRefused, match="不在本轮参与单位"):
        village_wish_set(actor=cast.village_user, entry=entry(open_round, cast.village), units=[cast.county])
    with pytest.raises(PermissionDenied):
        village_wish_set(actor=cast.village_user, entry=entry(open_round, cast.sibling_village), units=[cast.unit])


def test_allocate_pin_rerun_publish_confirm_adjust_rematch(cast: Cast, open_round: Round) -> None:
    task_proposal_set(actor=cast.city_admin, round_=open_round, committee=cast.county, villages_to_take=2)
    intent_submit(actor=cast.unit_user, entry=entry(open_round, cast.other_village), rank=1)
    first = allocation_run(actor=cast.city_admin, round_=open_round)
    pairs = {(p["unit"], p["village"]) for p in first.result["pairs"]}
    # The unit (capacity 2) takes the village it chose first; the hospital (capacity 1) one more.
    assert (str(cast.unit.pk), str(cast.other_village.pk)) in pairs
    assert first.covered_slots == 3 and first.required_slots == 3
    # Balancing: forbid the chosen pair, pin the unit to 花家村.
    second = allocation_run(
        actor=cast.city_admin,
        round_=open_round,
        pins=[(cast.unit.pk, cast.village.pk)],
        forbids=[(cast.unit.pk, cast.other_village.pk)],
    )
    difference = run_difference(second, first)
    assert (str(cast.unit.pk), str(cast.other_village.pk)) in difference["removed"]
    assert any(p["pinned"] for p in second.result["pairs"])
    stored = AllocationRun.objects.get(pk=second.pk)
    assert stored.instance["pins"] == [{"unit": str(cast.unit.pk), "village": str(cast.village.pk)}]
    # Every run is kept with its inputs: re-deriving it gives the same pairs.
    rederived = allocate(instance_from_json(stored.instance))
    assert sorted((p.unit, p.village, p.score) for p in rederived.pairs) == sorted(
        (p["unit"], p["village"], p["score"]) for p in stored.result["pairs"]
    )
    published = allocation_publish(actor=cast.city_admin, run=second)
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.PUBLISHED and published == len(second.result["pairs"])
    pairing = Pairing.objects.get(round=open_round, unit=cast.unit, village=cast.village)
    assert entry(open_round, cast.village).stage == Stage.ALLOCATED
    pairing_confirm(actor=cast.unit_user, pairing=pairing)
    assert Pairing.objects.get(pk=pairing.pk).status == PairingStatus.PROPOSED
    pairing = pairing_confirm(actor=cast.village_user, pairing=pairing)
    assert pairing.status == PairingStatus.CONFIRMED and entry(open_round, cast.village).stage == Stage.CONFIRMED
    with pytest.raises(PermissionDenied):
        pairing_confirm(actor=cast.sibling_admin, pairing=pairing)
    # Adjustment: end it, both sides notified, the village is open, re-match only open villages.
    pairing_end(actor=cast.city_admin, pairing=pairing, reason="长期未开展活动")
    assert Notification.objects.filter(title="结对调整").count() == 2
    assert entry(open_round, cast.village).stage in (Stage.INTENT, Stage.NONE)
    rematch = allocation_run(actor=cast.city_admin, round_=open_round, open_only=True)
    # The ended pair is not offered again, without the admin having to forbid it.
    ended = {"unit": str(cast.unit.pk), "village": str(cast.village.pk)}
    assert ended in AllocationRun.objects.get(pk=rematch.pk).instance["forbids"]
    assert (str(cast.unit.pk), str(cast.village.pk)) not in {(p["unit"], p["village"]) for p in rematch.result["pairs"]}
    # A re-match is compared with the previous run on the re-matched villages only.
    removed = run_difference(AllocationRun.objects.get(pk=rematch.pk), second)["removed"]
    assert {v for _u, v in removed} <= {str(cast.village.pk)}
    assert {p["village"] for p in rematch.result["pairs"]} <= {str(cast.village.pk)}
    # The hospital is full and the unit's pair with 花家村 has just ended: nobody is left, and
    # the run says why instead of proposing anything.
    assert rematch.result["pairs"] == []
    [uncovered] = rematch.result["uncovered"]
    assert uncovered["village"] == str(cast.village.pk) and uncovered["code"] == "candidates_at_capacity"
    assert uncovered["forbidden"] == 1 and uncovered["at_capacity"] == 1
    allocation_publish(actor=cast.city_admin, run=rematch)
    assert not Pairing.objects.filter(round=open_round, village=cast.village, origin=PairingOrigin.REMATCH).exists()


def test_allocation_refused_when_too_many_candidate_pairs(
    cast: Cast, open_round: Round, settings: pytest.FixtureRequest
) -> None:
    # 2 units × 3 villages, no district table: 6 candidate pairs.
    settings.ALLOCATION_MAX_CANDIDATE_PAIRS = 5  # type: ignore[attr-defined]
    with pytest.raises(RoundActionRefused) as refused:
        allocation_run(actor=cast.city_admin, round_=open_round)
    assert refused.value.code == "too_large" and "对口安排表" in str(refused.value) and "6" in str(refused.value)
    assert not AllocationRun.objects.filter(round=open_round).exists()
    failure = AuditEntry.objects.get(action="allocation.run")
    assert failure.success is False and "对口安排表" in failure.reason
    settings.ALLOCATION_MAX_CANDIDATE_PAIRS = 6  # type: ignore[attr-defined]
    assert allocation_run(actor=cast.city_admin, round_=open_round).result["pairs"]


def test_renewal_by_mutual_consent(cast: Cast, open_round: Round) -> None:
    first = allocation_run(
        actor=cast.city_admin,
        round_=open_round,
        pins=[(cast.unit.pk, cast.village.pk), (cast.unit.pk, cast.other_village.pk)],
    )
    allocation_publish(actor=cast.city_admin, run=first)
    Pairing.objects.filter(round=open_round).update(status=PairingStatus.SIGNED)
    next_round = make_round(cast, previous_round=open_round)
    offers = Pairing.objects.filter(round=next_round, origin=PairingOrigin.RENEWAL)
    assert offers.count() == Pairing.objects.filter(round=open_round).count()
    offer = offers.get(unit=cast.unit, village=cast.village)
    pairing_confirm(actor=cast.unit_user, pairing=offer)
    renewed = pairing_confirm(actor=cast.village_user, pairing=offer)
    assert renewed.status == PairingStatus.CONFIRMED
    # The unit does not consent to renew its other pair: it ends, and goes back to the directory.
    other = offers.get(unit=cast.unit, village=cast.other_village)
    pairing_decline_renewal(actor=cast.unit_user, pairing=other)
    assert Pairing.objects.get(pk=other.pk).status == PairingStatus.ENDED
    # The renewed pair stays out of allocation: a new run does not propose it again.
    run = allocation_run(actor=cast.city_admin, round_=next_round)
    assert (str(cast.unit.pk), str(cast.village.pk)) not in {(p["unit"], p["village"]) for p in run.result["pairs"]}
